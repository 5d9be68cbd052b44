/**
 * Turns parsed command-line flags into validated options. Pure: no I/O, so every bad-input path is a unit
 * test. Anything wrong throws a UsageError whose message is printed as is (exit code 2).
 */

import { alertRules } from '../config/alerts.js';
import { durationMs } from '../config/duration.js';
import type { ConfigFile } from '../config/file.js';
import { type ConnectionFlags, resolveConnection } from '../config/resolve.js';
import { type ConnectionSettings, NO_CONNECTION_SETTINGS } from '../config/types.js';
import { UsageError } from '../config/usage-error.js';
import type { AlertRule } from '../model/types.js';
import { type Command, type CommandFlags, parseCommand } from './commands.js';
import { scopeOf } from './scope.js';

export { UsageError };

export type Mode =
  | { kind: 'live'; brokers: string[] }
  | { kind: 'demo'; scenario: string; seed: number; speed: number }
  | { kind: 'replay'; file: string; speed: number };

export type Output = 'ui' | 'once-table' | 'once-json' | 'headless';

export interface Options {
  mode: Mode;
  output: Output;
  /** A gate (`can-restart`, `wait`, `check`) instead of the screen or --once; null when none. */
  command: Command | null;
  /** With a command: NDJSON or JSON instead of lines for people. */
  json: boolean;
  intervalMs: number;
  /** Headless run length; null runs until interrupted. */
  durationMs: number | null;
  record: string | null;
  metrics: string | null;
  prometheus: string | null;
  /** `key=name|name` overrides of the metric names (docs/metrics.md). */
  metricNames: string[];
  /** Prometheus label holding the broker id. */
  brokerLabel: string | null;
  color: boolean;
  ascii: boolean;
  /** Times in UTC (labelled so) instead of local time. */
  utc: boolean;
  /** Per-refresh timeout: a refresh never takes longer than this. */
  timeoutMs: number;
  /** TLS and SASL for a live cluster; secrets only as references (docs/configuration.md). */
  connection: ConnectionSettings;
  /** Print the effective configuration (secrets masked) and exit. */
  printConfig: boolean;
  /** The built-in alert rules with the config file's thresholds applied. */
  alertRules: AlertRule[];
  /** Refreshes of history the model keeps (from --history); null keeps the model's default. */
  historyLength: number | null;
  /** --stuck-lso: how long an unmoved last stable offset may stand below the log end; null: the brokers' own bound. */
  stuckLsoMs: number | null;
  /** --group and --topic patterns as given (`!` excludes), checked to compile (cli/scope.ts). */
  groupPatterns: string[];
  topicPatterns: string[];
}

export interface RawFlags extends ConnectionFlags, CommandFlags {
  config?: string;
  printConfig?: boolean;
  metricName?: string[];
  brokerLabel?: string;
  interval?: string;
  timeout?: string;
  once?: boolean;
  json?: boolean;
  demo?: boolean;
  scenario?: string;
  seed?: number;
  speed?: number;
  replay?: string;
  record?: string;
  headless?: boolean;
  duration?: string;
  history?: string;
  stuckLso?: string;
  color?: boolean;
  ascii?: boolean;
  utc?: boolean;
  group?: string[];
  topic?: string[];
}

/**
 * "500ms", "2s", "1.5m", "1h". A bare number is refused, as in the config file: `--interval 1` read as 1 s
 * by one user is 1 ms to the next.
 */
export function parseDuration(text: string, flag: string): number {
  const ms = durationMs(text, null);
  if (ms === null) {
    const bare = durationMs(text, 's') !== null;
    throw new UsageError(
      bare
        ? `--${flag} ${JSON.stringify(text)} has no unit; give a unit: ${text.trim()}s, 500ms, 1m`
        : `--${flag} ${JSON.stringify(text)} is not a duration (examples: 500ms, 2s, 1m)`,
    );
  }
  if (!(ms > 0)) throw new UsageError(`--${flag} must be greater than zero`);
  return Math.round(ms);
}

/**
 * Shortest --interval. A refresh costs a round of requests to every broker and a frame; below this kafkatop
 * spends a core refreshing (70% CPU at 1ms) and the cluster answers faster than anyone can read.
 */
export const MIN_INTERVAL_MS = 250;

/** "host:port,host:port"; a missing port means 9092. */
export function parseBrokers(text: string): string[] {
  const brokers = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (brokers.length === 0) throw new UsageError('--brokers needs at least one HOST:PORT');
  return brokers.map((b) => {
    const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?$/.exec(b);
    if (!match) throw new UsageError(`--brokers: ${JSON.stringify(b)} is not HOST:PORT`);
    const port = match[2] === undefined ? 9092 : Number(match[2]);
    if (port < 1 || port > 65535) throw new UsageError(`--brokers: port ${port} is out of range`);
    return `${match[1]}:${port}`;
  });
}

/** Flags that only make sense against a live cluster. */
const CONNECTION_FLAGS: Array<[keyof RawFlags, string]> = [
  ['config', '--config'],
  ['cluster', '--cluster'],
  ['tls', '--tls'],
  ['tlsCa', '--tls-ca'],
  ['tlsCert', '--tls-cert'],
  ['tlsKey', '--tls-key'],
  ['tlsInsecure', '--tls-insecure'],
  ['saslMechanism', '--sasl-mechanism'],
  ['saslUsername', '--sasl-username'],
  ['saslPasswordFile', '--sasl-password-file'],
  ['oauthTokenCommand', '--oauth-token-command'],
  ['oauthTokenFile', '--oauth-token-file'],
  ['awsRegion', '--aws-region'],
];

/**
 * `configFile` is the parsed config file (config/file.ts reads it), or null. Precedence for every setting:
 * flags, then environment, then the config file's cluster.
 */
export function resolveOptions(
  flags: RawFlags,
  env: Record<string, string | undefined>,
  scenarios: readonly string[],
  configFile: ConfigFile | null = null,
  input: readonly string[] = [],
): Options {
  const command = parseCommand(input, flags, parseDuration);
  const groupPatterns = flags.group ?? [];
  const topicPatterns = flags.topic ?? [];
  scopeOf(groupPatterns, 'group');
  scopeOf(topicPatterns, 'topic');
  for (const flag of ['record', 'replay'] as const) {
    if (flags[flag]?.trim() === '') throw new UsageError(`--${flag} needs a file: --${flag} FILE`);
  }
  const sources = [flags.demo ? '--demo' : null, flags.replay ? '--replay' : null].filter(Boolean);
  if (sources.length > 1) throw new UsageError(`${sources.join(' and ')} cannot be used together`);
  if (sources.length === 1 && flags.brokers)
    throw new UsageError(`${sources[0]} cannot be used with --brokers`);

  let resolved = {
    brokers: undefined as string | undefined,
    metrics: flags.metrics,
    prometheus: flags.prometheus,
    connection: NO_CONNECTION_SETTINGS,
  };
  if (sources.length === 1) {
    const stray = CONNECTION_FLAGS.filter(([key]) => flags[key] !== undefined).map(([, name]) => name);
    if (stray.length > 0)
      throw new UsageError(`${stray.join(', ')}: only for a live cluster, not --demo or --replay`);
  } else {
    resolved = resolveConnection(flags, env, configFile);
  }
  const brokersText = resolved.brokers;
  const metrics = resolved.metrics;
  const prometheus = resolved.prometheus;

  const speed = flags.speed ?? 1;
  if (!(speed > 0) || !Number.isFinite(speed)) throw new UsageError('--speed must be a number above 0');

  let mode: Mode;
  if (flags.demo) {
    const scenario = flags.scenario ?? 'steady';
    if (!scenarios.includes(scenario)) {
      throw new UsageError(`unknown --scenario ${JSON.stringify(scenario)}; one of: ${scenarios.join(', ')}`);
    }
    const seed = flags.seed ?? 1;
    if (!Number.isInteger(seed)) throw new UsageError('--seed must be an integer');
    mode = { kind: 'demo', scenario, seed, speed };
  } else if (flags.replay) {
    mode = { kind: 'replay', file: flags.replay, speed };
  } else if (brokersText) {
    mode = { kind: 'live', brokers: parseBrokers(brokersText) };
  } else {
    throw new UsageError(
      'no cluster given: use --brokers HOST:PORT (or KAFKATOP_BROKERS), --cluster NAME from the config file, or --demo to try it',
    );
  }
  if (mode.kind !== 'demo' && (flags.scenario !== undefined || flags.seed !== undefined)) {
    throw new UsageError('--scenario and --seed only apply with --demo');
  }

  if (command) {
    const other = (['once', 'headless', 'record'] as const).find((f) => flags[f] !== undefined);
    if (other) throw new UsageError(`--${other} cannot be used with kafkatop ${command.kind}`);
  } else if (flags.json && !flags.once) throw new UsageError('--json needs --once');
  if (flags.once && flags.headless) throw new UsageError('--once and --headless cannot be used together');
  if (flags.headless && !flags.record) throw new UsageError('--headless needs --record FILE');
  if (flags.duration !== undefined && !flags.headless)
    throw new UsageError('--duration only applies with --headless');
  if (metrics && prometheus) throw new UsageError('use either --metrics or --prometheus, not both');
  if (mode.kind !== 'live' && (metrics || prometheus)) {
    throw new UsageError('--metrics and --prometheus only apply to a live cluster (--brokers)');
  }
  const metricNames = flags.metricName ?? [];
  if (metricNames.length > 0 && !metrics && !prometheus) {
    throw new UsageError('--metric-name needs --metrics or --prometheus');
  }
  if (flags.brokerLabel !== undefined && !prometheus)
    throw new UsageError('--broker-label needs --prometheus');
  if (mode.kind === 'replay' && flags.record) throw new UsageError('--record cannot be used with --replay');

  const output: Output = flags.once
    ? flags.json
      ? 'once-json'
      : 'once-table'
    : flags.headless
      ? 'headless'
      : 'ui';
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  const intervalMs = parseDuration(flags.interval ?? '2s', 'interval');
  if (intervalMs < MIN_INTERVAL_MS)
    throw new UsageError(`--interval ${flags.interval} is too short: at least ${MIN_INTERVAL_MS}ms`);
  // The file's top-level thresholds hold for every source; a cluster's own only for that cluster.
  const clusterName = resolved.connection.cluster;
  const clusterEntry = clusterName === null ? undefined : configFile?.clusters[clusterName];
  // wait's --timeout bounds the whole wait; each refresh keeps the usual bound, never longer than the wait.
  const refreshTimeoutMs =
    command?.kind === 'wait'
      ? Math.min(DEFAULT_REFRESH_TIMEOUT_MS, command.timeoutMs)
      : parseDuration(flags.timeout ?? '10s', 'timeout');
  return {
    mode,
    output,
    command,
    json: command !== null && flags.json === true,
    intervalMs,
    durationMs: flags.duration === undefined ? null : parseDuration(flags.duration, 'duration'),
    record: flags.record ?? null,
    metrics: metrics ?? null,
    prometheus: prometheus ?? null,
    metricNames,
    brokerLabel: flags.brokerLabel ?? null,
    color: flags.color !== false && !noColor,
    ascii: flags.ascii ?? false,
    utc: flags.utc ?? false,
    timeoutMs: refreshTimeoutMs,
    connection: resolved.connection,
    printConfig: flags.printConfig ?? false,
    alertRules: alertRules(configFile?.alerts ?? undefined, clusterEntry?.alerts),
    historyLength: flags.history === undefined ? null : historyLength(flags.history, intervalMs),
    stuckLsoMs: flags.stuckLso === undefined ? null : parseDuration(flags.stuckLso, 'stuck-lso'),
    groupPatterns,
    topicPatterns,
  };
}

const DEFAULT_REFRESH_TIMEOUT_MS = 10_000;

/** Longest --history: a day. Past that, per-partition history would cost more memory than it is worth. */
const MAX_HISTORY_MS = 24 * 3_600_000;

/** --history as a number of refreshes at the interval (at least 10, so rates and trends have points). */
function historyLength(text: string, intervalMs: number): number {
  const ms = parseDuration(text, 'history');
  if (ms > MAX_HISTORY_MS) throw new UsageError('--history is at most 24h');
  if (ms < intervalMs * 10) throw new UsageError('--history must cover at least 10 refreshes of --interval');
  return Math.ceil(ms / intervalMs);
}
