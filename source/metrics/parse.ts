/**
 * Prometheus text exposition format (version 0.0.4, and the subset of OpenMetrics JMX exporter 1.x
 * serves as text): one sample per line, `# HELP` / `# TYPE` comments, optional timestamp.
 * Bodies come from endpoints we do not control, so nothing here throws: lines that do not parse are
 * skipped and counted, and the caller decides what too much garbage means.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Milliseconds since the epoch, when the line carries one. */
  timestamp?: number;
}

export interface Exposition {
  samples: Sample[];
  /** Metric family name → type from `# TYPE` (counter, gauge, untyped, summary, histogram, ...). */
  types: Map<string, string>;
  /** Lines that were neither comments, blank, nor parseable samples. */
  skipped: number;
  /** The body did not end with a newline, so its last line was dropped as possibly cut short. */
  truncated: boolean;
}

/** Bodies above this are refused before parsing: a broker's JMX exporter page is well under 1 MB. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

const NAME_START = /[a-zA-Z_:]/;
const NAME_CHAR = /[a-zA-Z0-9_:]/;
const LABEL_START = /[a-zA-Z_]/;
const LABEL_CHAR = /[a-zA-Z0-9_]/;
const FLOAT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const TIMESTAMP = /^-?\d+$/;

export function parseExposition(body: string): Exposition {
  const out: Exposition = { samples: [], types: new Map(), skipped: 0, truncated: false };
  const lines = body.split('\n');
  // The format requires a final newline; without it the last line may be a value cut in half
  // ("1234" arriving as "12"), which would parse cleanly and lie.
  const last = lines.pop() ?? '';
  if (last.trim() !== '') {
    out.truncated = true;
    out.skipped++;
  }
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('#')) {
      const type = /^#\s*TYPE\s+(\S+)\s+(\S+)/.exec(trimmed);
      if (type) out.types.set(type[1]!, type[2]!.toLowerCase());
      continue;
    }
    const sample = parseSampleLine(trimmed);
    if (sample) out.samples.push(sample);
    else out.skipped++;
  }
  return out;
}

/** Parses `name{label="value",...} value [timestamp]`; null when the line is malformed. */
export function parseSampleLine(line: string): Sample | null {
  let i = 0;
  if (!NAME_START.test(line[0] ?? '')) return null;
  while (i < line.length && NAME_CHAR.test(line[i]!)) i++;
  const name = line.slice(0, i);
  const labels: Record<string, string> = {};
  if (line[i] === '{') {
    i++;
    for (;;) {
      while (line[i] === ' ' || line[i] === '\t') i++;
      // JMX exporter 0.x writes a trailing comma: {name="x",}
      if (line[i] === '}') {
        i++;
        break;
      }
      const start = i;
      if (!LABEL_START.test(line[i] ?? '')) return null;
      while (i < line.length && LABEL_CHAR.test(line[i]!)) i++;
      const labelName = line.slice(start, i);
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (line[i] !== '=') return null;
      i++;
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (line[i] !== '"') return null;
      i++;
      let value = '';
      for (;;) {
        const c = line[i];
        if (c === undefined) return null;
        if (c === '"') {
          i++;
          break;
        }
        if (c === '\\') {
          const next = line[i + 1];
          if (next === undefined) return null;
          value += next === 'n' ? '\n' : next;
          i += 2;
          continue;
        }
        value += c;
        i++;
      }
      labels[labelName] = value;
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (line[i] === ',') {
        i++;
        continue;
      }
      if (line[i] === '}') {
        i++;
        break;
      }
      return null;
    }
  }
  const rest = line.slice(i);
  if (rest !== '' && rest[0] !== ' ' && rest[0] !== '\t') return null;
  const fields = rest.trim().split(/[ \t]+/);
  if (fields.length < 1 || fields.length > 2 || fields[0] === '') return null;
  const value = parseValue(fields[0]!);
  if (value === null) return null;
  const sample: Sample = { name, labels, value };
  if (fields.length === 2) {
    if (!TIMESTAMP.test(fields[1]!)) return null;
    sample.timestamp = Number(fields[1]);
  }
  return sample;
}

export function parseValue(text: string): number | null {
  if (FLOAT.test(text)) return Number(text);
  switch (text.toLowerCase()) {
    case 'nan':
      return Number.NaN;
    case '+inf':
    case 'inf':
    case '+infinity':
    case 'infinity':
      return Number.POSITIVE_INFINITY;
    case '-inf':
    case '-infinity':
      return Number.NEGATIVE_INFINITY;
    default:
      return null;
  }
}
