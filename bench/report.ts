/**
 * Benchmark rows and how they travel: each section runs in its own Node process (a fresh heap, its own
 * flags such as --expose-gc) and prints its rows as one `BENCH_ROWS <json>` line, which bench/run.ts
 * collects and prints as tables.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

export interface Row {
  section: string;
  case: string;
  figures: Record<string, string | number | null>;
}

const MARK = 'BENCH_ROWS ';

export function emit(rows: Row[]): void {
  process.stdout.write(`${MARK}${JSON.stringify(rows)}\n`);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function load(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

export const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

/** Runs `bench/<script>` in a child Node with tsx and returns the rows it emitted; its stderr passes through. */
export function runSection(
  script: string,
  nodeArgs: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<Row[]> {
  const file = fileURLToPath(new URL(script, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', file], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...env },
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const rows = out
        .split('\n')
        .filter((line) => line.startsWith(MARK))
        .flatMap((line) => JSON.parse(line.slice(MARK.length)) as Row[]);
      if (code !== 0 && rows.length === 0) reject(new Error(`${script} exited with ${code}`));
      else resolve(rows);
    });
  });
}

/** One table per section; columns are the union of the figures' names in order of appearance. */
export function formatTables(rows: readonly Row[]): string {
  const sections = [...new Set(rows.map((r) => r.section))];
  const out: string[] = [];
  for (const section of sections) {
    const these = rows.filter((r) => r.section === section);
    const columns = [...new Set(these.flatMap((r) => Object.keys(r.figures)))];
    const header = ['case', ...columns];
    const body = these.map((r) => [r.case, ...columns.map((c) => cellText(r.figures[c]))]);
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
    const line = (cells: string[]) =>
      `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
    out.push(
      `### ${section}`,
      '',
      line(header),
      `|${widths.map((w, i) => (i === 0 ? ':' : '-').padEnd(w + 1, '-') + (i === 0 ? '-' : ':')).join('|')}|`,
    );
    for (const b of body) out.push(line(b));
    out.push('');
  }
  return out.join('\n');
}

function cellText(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'number') return Number.isFinite(value) ? value.toLocaleString('en-US') : '-';
  return value;
}
