/**
 * The config file: named clusters, like kubectl contexts or kcat's config. JSON (no YAML parser is a
 * dependency). Default `$XDG_CONFIG_HOME/kafkatop/config.json` (else `~/.config/kafkatop/config.json`);
 * `--config FILE` or `KAFKATOP_CONFIG` name another one. Unknown keys are errors: a typo such as
 * "pasword" must not silently connect without a password.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type AlertOverrides, parseAlertOverrides } from './alerts.js';
import { SASL_MECHANISMS, type SaslMechanism } from './types.js';
import { UsageError } from './usage-error.js';

export interface ClusterEntry {
  brokers?: string;
  metrics?: string;
  prometheus?: string;
  tls?: {
    ca?: string;
    cert?: string;
    key?: string;
    insecure?: boolean;
  };
  sasl?: {
    mechanism?: SaslMechanism;
    username?: string;
    passwordEnv?: string;
    passwordFile?: string;
    tokenCommand?: string;
    tokenFile?: string;
    region?: string;
  };
  /** Alert thresholds for this cluster, over the file's top-level ones (docs/configuration.md). */
  alerts?: AlertOverrides;
}

export interface ConfigFile {
  path: string;
  current: string | null;
  clusters: Record<string, ClusterEntry>;
  /** Alert thresholds for every cluster. */
  alerts: AlertOverrides | null;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}

function checkKeys(value: Json, allowed: readonly string[], where: string, path: string): void {
  for (const key of Object.keys(value)) {
    if (allowed.includes(key)) continue;
    // Never a value, and a key only when it is a near-miss of a known one: a pasted secret can be a key too.
    const near =
      key.length <= 24 && allowed.some((a) => editDistance(key.toLowerCase(), a.toLowerCase()) <= 3);
    const named = near ? `unknown key ${JSON.stringify(key)}` : 'an unknown key (not shown)';
    throw new UsageError(`${path}: ${named} in ${where}; allowed: ${allowed.join(', ')}`);
  }
}

function stringAt(value: Json, key: string, where: string, path: string): string | undefined {
  const v = value[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '')
    throw new UsageError(`${path}: ${where}.${key} must be a non-empty string`);
  return v;
}

function objectAt(value: Json, key: string, where: string, path: string): Json | undefined {
  const v = value[key];
  if (v === undefined) return undefined;
  if (!isObject(v)) throw new UsageError(`${path}: ${where}.${key} must be an object`);
  return v;
}

/** Where a JSON syntax error is, as line and column, without quoting the text (it may hold a secret). */
function syntaxErrorPlace(text: string, error: unknown): string {
  const match = /position (\d+)/.exec(error instanceof Error ? error.message : '');
  if (!match) return 'not valid JSON';
  const before = text.slice(0, Number(match[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `not valid JSON (line ${line}, column ${column})`;
}

function parseCluster(value: unknown, name: string, path: string): ClusterEntry {
  const where = `clusters.${name}`;
  if (!isObject(value)) throw new UsageError(`${path}: ${where} must be an object`);
  checkKeys(value, ['brokers', 'metrics', 'prometheus', 'tls', 'sasl', 'alerts'], where, path);
  const entry: ClusterEntry = {};
  const brokers = value.brokers;
  if (Array.isArray(brokers) && brokers.length > 0 && brokers.every((b) => typeof b === 'string' && b)) {
    entry.brokers = brokers.join(',');
  } else if (typeof brokers === 'string' && brokers !== '') {
    entry.brokers = brokers;
  } else if (brokers !== undefined) {
    throw new UsageError(`${path}: ${where}.brokers must be "HOST:PORT,..." or a list of "HOST:PORT"`);
  }
  entry.metrics = stringAt(value, 'metrics', where, path);
  entry.prometheus = stringAt(value, 'prometheus', where, path);

  const tls = objectAt(value, 'tls', where, path);
  if (tls) {
    checkKeys(tls, ['ca', 'cert', 'key', 'insecure'], `${where}.tls`, path);
    if (tls.insecure !== undefined && typeof tls.insecure !== 'boolean') {
      throw new UsageError(`${path}: ${where}.tls.insecure must be true or false`);
    }
    entry.tls = {
      ca: stringAt(tls, 'ca', `${where}.tls`, path),
      cert: stringAt(tls, 'cert', `${where}.tls`, path),
      key: stringAt(tls, 'key', `${where}.tls`, path),
      insecure: tls.insecure as boolean | undefined,
    };
  }
  const sasl = objectAt(value, 'sasl', where, path);
  if (sasl) {
    const w = `${where}.sasl`;
    checkKeys(
      sasl,
      ['mechanism', 'username', 'passwordEnv', 'passwordFile', 'tokenCommand', 'tokenFile', 'region'],
      w,
      path,
    );
    const mechanism = stringAt(sasl, 'mechanism', w, path);
    if (mechanism !== undefined && !(SASL_MECHANISMS as readonly string[]).includes(mechanism)) {
      throw new UsageError(`${path}: ${w}.mechanism must be one of ${SASL_MECHANISMS.join(', ')}`);
    }
    entry.sasl = {
      mechanism: mechanism as SaslMechanism | undefined,
      username: stringAt(sasl, 'username', w, path),
      passwordEnv: stringAt(sasl, 'passwordEnv', w, path),
      passwordFile: stringAt(sasl, 'passwordFile', w, path),
      tokenCommand: stringAt(sasl, 'tokenCommand', w, path),
      tokenFile: stringAt(sasl, 'tokenFile', w, path),
      region: stringAt(sasl, 'region', w, path),
    };
  }
  if (value.alerts !== undefined) entry.alerts = parseAlertOverrides(value.alerts, `${where}.alerts`, path);
  return entry;
}

/** Parses and validates a config file's text. Pure; every problem is a UsageError naming the file. */
export function parseConfigFile(text: string, path: string): ConfigFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`config file ${path} is ${syntaxErrorPlace(text, error)}`);
  }
  if (!isObject(raw)) throw new UsageError(`config file ${path} must hold a JSON object`);
  checkKeys(raw, ['current', 'clusters', 'alerts'], 'the top level', path);
  const clustersRaw = raw.clusters ?? {};
  if (!isObject(clustersRaw)) throw new UsageError(`${path}: clusters must be an object of named clusters`);
  const clusters: Record<string, ClusterEntry> = {};
  for (const [name, value] of Object.entries(clustersRaw)) clusters[name] = parseCluster(value, name, path);
  const current = stringAt(raw, 'current', 'config', path) ?? null;
  if (current !== null && !(current in clusters)) {
    throw new UsageError(`${path}: current cluster ${JSON.stringify(current)} is not in clusters`);
  }
  const alerts = raw.alerts === undefined ? null : parseAlertOverrides(raw.alerts, 'alerts', path);
  return { path, current, clusters, alerts };
}

export function defaultConfigPath(env: Record<string, string | undefined>): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'kafkatop', 'config.json');
}

/**
 * Reads the config file `--config` or `KAFKATOP_CONFIG` names (it must exist), else the default one if it
 * exists. Null when there is none.
 */
export function loadConfigFile(
  flag: string | undefined,
  env: Record<string, string | undefined>,
): ConfigFile | null {
  const explicit = flag ?? (env.KAFKATOP_CONFIG || undefined);
  const path = explicit ?? defaultConfigPath(env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (explicit === undefined && code === 'ENOENT') return null;
    const how = flag !== undefined ? '--config' : explicit !== undefined ? 'KAFKATOP_CONFIG' : 'config file';
    throw new UsageError(
      `cannot read ${how} ${path}: ${code === 'ENOENT' ? 'no such file' : (code ?? 'error')}`,
    );
  }
  return parseConfigFile(text, path);
}
