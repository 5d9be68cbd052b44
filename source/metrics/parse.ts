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

// Sticky patterns scan in place instead of testing one character at a time.
const NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const LABEL_NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const PLAIN_LABEL_VALUE = /[^"\\]*/y;
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
  NAME.lastIndex = 0;
  if (!NAME.exec(line)) return null;
  let i = NAME.lastIndex;
  const name = line.slice(0, i);
  const labels: Record<string, string> = {};
  if (line.charCodeAt(i) === 123 /* { */) {
    i++;
    for (;;) {
      i = skipBlanks(line, i);
      // JMX exporter 0.x writes a trailing comma: {name="x",}
      if (line[i] === '}') {
        i++;
        break;
      }
      LABEL_NAME.lastIndex = i;
      if (!LABEL_NAME.exec(line)) return null;
      const labelName = line.slice(i, LABEL_NAME.lastIndex);
      i = skipBlanks(line, LABEL_NAME.lastIndex);
      if (line[i] !== '=') return null;
      i = skipBlanks(line, i + 1);
      if (line[i] !== '"') return null;
      i++;
      let value = '';
      for (;;) {
        PLAIN_LABEL_VALUE.lastIndex = i;
        PLAIN_LABEL_VALUE.exec(line);
        value += line.slice(i, PLAIN_LABEL_VALUE.lastIndex);
        i = PLAIN_LABEL_VALUE.lastIndex;
        const c = line[i];
        if (c === undefined) return null;
        if (c === '"') {
          i++;
          break;
        }
        // A backslash: \n is a newline, \\ and \" are themselves.
        const next = line[i + 1];
        if (next === undefined) return null;
        value += next === 'n' ? '\n' : next;
        i += 2;
      }
      labels[labelName] = value;
      i = skipBlanks(line, i);
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

function skipBlanks(line: string, from: number): number {
  let i = from;
  while (line[i] === ' ' || line[i] === '\t') i++;
  return i;
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
