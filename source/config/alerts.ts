/**
 * Alert thresholds from the config file: the built-in rules (model/alerts.ts) changed by name, at the top
 * level for every cluster and per cluster on top of that. Only thresholds, `for`, severity and on/off can
 * change: the rules' conditions are the ones kafkatop knows how to evaluate.
 */

import { DEFAULT_ALERT_RULES } from '../model/alerts.js';
import type { AlertRule, Severity } from '../model/types.js';
import { durationMs } from './duration.js';
import { UsageError } from './usage-error.js';

export interface AlertOverride {
  threshold?: number;
  forMs?: number;
  severity?: Severity;
  enabled?: boolean;
}

export type AlertOverrides = Record<string, AlertOverride>;

const RULE_NAMES = DEFAULT_ALERT_RULES.map((r) => r.name);
/** "90s", "5m", "1h". A bare number is refused: seconds or milliseconds would be a guess. */
function requiredUnit(value: unknown): number | null {
  const ms = durationMs(value, null);
  return ms === null ? null : Math.round(ms);
}

/** A threshold in the rule's own unit: messages, a duration for time lag, a percentage for idle. */
function threshold(rule: AlertRule, value: unknown, where: string): number {
  const bad = (want: string) => new UsageError(`${where}.threshold must be ${want}`);
  switch (rule.metric) {
    case 'group-time-lag':
    case 'log-dir-full-in': {
      const ms = requiredUnit(value);
      if (ms === null) throw bad('a duration such as "10m"');
      return ms;
    }
    case 'request-handler-idle':
    case 'log-dir-usable': {
      const match = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(value) : null;
      const percent = match ? Number(match[1]) : Number.NaN;
      if (!(percent >= 0 && percent <= 100)) throw bad('a percentage such as "20%"');
      return percent / 100;
    }
    default:
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw bad('a number of messages or partitions, 0 or more');
      }
      return value;
  }
}

/** Parses the `alerts` object of the config file (or of one of its clusters). */
export function parseAlertOverrides(value: unknown, where: string, path: string): AlertOverrides {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${path}: ${where} must be an object of alert names`);
  }
  const overrides: AlertOverrides = {};
  for (const [name, raw] of Object.entries(value)) {
    const rule = DEFAULT_ALERT_RULES.find((r) => r.name === name);
    if (!rule) {
      throw new UsageError(
        `${path}: ${where} names an unknown alert ${JSON.stringify(name.slice(0, 40))}; alerts: ${RULE_NAMES.join(', ')}`,
      );
    }
    const at = `${path}: ${where}.${name}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new UsageError(`${at} must be an object`);
    }
    const fields = raw as Record<string, unknown>;
    const unknown = Object.keys(fields).filter(
      (k) => !['threshold', 'for', 'severity', 'enabled'].includes(k),
    );
    if (unknown.length > 0) {
      throw new UsageError(`${at}: unknown key; allowed: threshold, for, severity, enabled`);
    }
    const override: AlertOverride = {};
    if (fields.threshold !== undefined) override.threshold = threshold(rule, fields.threshold, at);
    if (fields.for !== undefined) {
      const ms = fields.for === '0' || fields.for === 0 ? 0 : requiredUnit(fields.for);
      if (ms === null) throw new UsageError(`${at}.for must be a duration such as "5m" (or 0)`);
      override.forMs = ms;
    }
    if (fields.severity !== undefined) {
      if (fields.severity !== 'warning' && fields.severity !== 'critical') {
        throw new UsageError(`${at}.severity must be "warning" or "critical"`);
      }
      override.severity = fields.severity;
    }
    if (fields.enabled !== undefined) {
      if (typeof fields.enabled !== 'boolean') throw new UsageError(`${at}.enabled must be true or false`);
      override.enabled = fields.enabled;
    }
    overrides[name] = override;
  }
  return overrides;
}

/** The built-in rules with each layer's overrides applied in order; disabled rules left out. */
export function alertRules(...layers: Array<AlertOverrides | undefined>): AlertRule[] {
  const rules: AlertRule[] = [];
  for (const rule of DEFAULT_ALERT_RULES) {
    const merged = Object.assign({}, ...layers.map((l) => l?.[rule.name] ?? {})) as AlertOverride;
    if (merged.enabled === false) continue;
    const changed = merged.threshold !== undefined || merged.forMs !== undefined || merged.severity;
    rules.push(
      changed
        ? {
            ...rule,
            threshold: merged.threshold ?? rule.threshold,
            forMs: merged.forMs ?? rule.forMs,
            severity: merged.severity ?? rule.severity,
            description: describe(rule.metric, rule.op, merged, rule),
          }
        : rule,
    );
  }
  return rules;
}

const SUBJECTS: Record<AlertRule['metric'], string> = {
  'group-lag': 'Group total lag',
  'group-time-lag': 'Group time lag',
  'under-replicated': 'Under-replicated partitions on a broker',
  'request-handler-idle': 'Request-handler idle',
  'under-min-isr': 'Partitions under min.insync.replicas',
  'offline-partitions': 'Offline partitions',
  'log-dir-usable': 'Usable share of a log dir',
  'log-dir-full-in': 'Time until a log dir is full',
  'stuck-lso': 'Partitions with a stuck last stable offset',
};

function durationText(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** The description of a changed rule, so help and alert lists show the threshold in force. */
function describe(metric: AlertRule['metric'], op: string, merged: AlertOverride, rule: AlertRule): string {
  const value = merged.threshold ?? rule.threshold;
  const forMs = merged.forMs ?? rule.forMs;
  const shown =
    metric === 'group-time-lag' || metric === 'log-dir-full-in'
      ? durationText(value)
      : metric === 'request-handler-idle' || metric === 'log-dir-usable'
        ? `${Math.round(value * 1000) / 10}%`
        : value.toLocaleString('en-US');
  const held = forMs > 0 ? ` for ${durationText(forMs)}` : '';
  return `${SUBJECTS[metric]} ${op} ${shown}${held} (config file)`;
}
