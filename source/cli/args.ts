/**
 * The command line's flags as meow takes them, and the checks meow does not make well: meow prints an unknown
 * flag without our prefix, silently drops a number flag given no value and throws a bare Error for a flag given
 * twice. Pure: every bad command line is a UsageError (exit 2) before anything runs.
 */
import { UsageError } from '../config/usage-error.js';

interface FlagSpec {
  readonly type: 'string' | 'number' | 'boolean';
  readonly shortFlag?: string;
  readonly isMultiple?: boolean;
  /** What the value is, for "needs a value" messages (as in --help). */
  readonly value?: string;
}

export const FLAGS = {
  brokers: { type: 'string', shortFlag: 'b', value: 'HOST:PORT,...' },
  metrics: { type: 'string', value: 'URL-TEMPLATE|LIST' },
  prometheus: { type: 'string', value: 'URL' },
  brokerLabel: { type: 'string', value: 'NAME' },
  metricName: { type: 'string', isMultiple: true, value: 'KEY=NAME' },
  interval: { type: 'string', value: 'DURATION' },
  timeout: { type: 'string', value: 'DURATION' },
  once: { type: 'boolean' },
  json: { type: 'boolean' },
  record: { type: 'string', value: 'FILE' },
  headless: { type: 'boolean' },
  duration: { type: 'string', value: 'DURATION' },
  history: { type: 'string', value: 'DURATION' },
  stuckLso: { type: 'string', value: 'DURATION' },
  color: { type: 'boolean' },
  ascii: { type: 'boolean' },
  utc: { type: 'boolean' },
  demo: { type: 'boolean' },
  scenario: { type: 'string', value: 'NAME' },
  seed: { type: 'number', value: 'N' },
  replay: { type: 'string', value: 'FILE' },
  speed: { type: 'number', value: 'X' },
  config: { type: 'string', value: 'FILE' },
  cluster: { type: 'string', value: 'NAME' },
  printConfig: { type: 'boolean' },
  tls: { type: 'boolean' },
  tlsCa: { type: 'string', value: 'FILE' },
  tlsCert: { type: 'string', value: 'FILE' },
  tlsKey: { type: 'string', value: 'FILE' },
  tlsInsecure: { type: 'boolean' },
  saslMechanism: { type: 'string', value: 'NAME' },
  saslUsername: { type: 'string', value: 'NAME' },
  saslPasswordFile: { type: 'string', value: 'FILE' },
  oauthTokenCommand: { type: 'string', value: 'CMD' },
  oauthTokenFile: { type: 'string', value: 'FILE' },
  awsRegion: { type: 'string', value: 'REGION' },
  up: { type: 'boolean' },
  members: { type: 'number', value: 'N' },
  maxLag: { type: 'number', value: 'N' },
  maxTimeLag: { type: 'string', value: 'DURATION' },
  for: { type: 'string', value: 'DURATION' },
  group: { type: 'string', isMultiple: true, value: 'REGEX' },
  topic: { type: 'string', isMultiple: true, value: 'REGEX' },
} as const satisfies Record<string, FlagSpec>;

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const BY_NAME = new Map<string, FlagSpec & { name: string }>();
for (const [key, spec] of Object.entries(FLAGS) as [string, FlagSpec][]) {
  BY_NAME.set(kebab(key), { ...spec, name: kebab(key) });
}
const BY_SHORT = new Map(
  [...BY_NAME.values()].flatMap((f) => (f.shortFlag ? [[f.shortFlag, f] as const] : [])),
);
/** meow answers these itself. */
const BUILT_IN = new Set(['help', 'version']);

const isNegativeNumber = (token: string) => /^-(?:\d+|\d*\.\d+)$/.test(token);
const looksLikeFlag = (token: string | undefined) =>
  token === undefined || (token.startsWith('-') && token.length > 1 && !isNegativeNumber(token));

/** Throws a UsageError naming the first flag that is unknown, lacks its value or is given twice. */
export function checkArgv(argv: readonly string[]): void {
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') return;
    if (!token.startsWith('-') || token === '-' || isNegativeNumber(token)) continue;
    let name: string;
    let inline: boolean;
    let flag: (FlagSpec & { name: string }) | undefined;
    if (token.startsWith('--')) {
      const eq = token.indexOf('=');
      name = token.slice(2, eq < 0 ? undefined : eq);
      inline = eq >= 0;
      if (BUILT_IN.has(name)) continue;
      flag = BY_NAME.get(name);
      if (!flag && name.startsWith('no-')) {
        const negated = BY_NAME.get(name.slice(3));
        if (negated?.type === 'boolean') flag = negated;
      }
    } else {
      name = token.slice(1, 2);
      inline = token.length > 2;
      flag = BY_SHORT.get(name);
    }
    if (!flag) throw new UsageError(`unknown flag ${token.startsWith('--') ? `--${name}` : `-${name}`}`);
    if (seen.has(flag.name) && !flag.isMultiple)
      throw new UsageError(`--${flag.name} can be given only once`);
    seen.add(flag.name);
    if (flag.type === 'boolean' || inline) continue;
    if (looksLikeFlag(argv[i + 1]))
      throw new UsageError(
        `--${flag.name} needs ${flag.value === 'FILE' ? 'a file' : 'a value'}: --${flag.name} ${flag.value ?? 'VALUE'}`,
      );
    i++;
  }
}
