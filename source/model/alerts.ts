/**
 * Built-in alert rules, equivalent to the usual Prometheus rules for Kafka, and their evaluation
 * with Prometheus semantics: a condition that holds becomes pending, fires once it has held for
 * `forMs`, and resolves (with an event) as soon as it stops holding or its subject disappears.
 */

import type { AlertInstance, AlertMetric, AlertPhase, AlertRule, AlertState } from './types.js';

const MINUTE = 60_000;

export const DEFAULT_ALERT_RULES: readonly AlertRule[] = Object.freeze([
  {
    name: 'ConsumerGroupLagHigh',
    severity: 'warning',
    metric: 'group-lag',
    op: '>',
    threshold: 100_000,
    forMs: 5 * MINUTE,
    description: 'Group total lag above 100k messages for 5 minutes',
  },
  {
    name: 'ConsumerGroupLagCritical',
    severity: 'critical',
    metric: 'group-lag',
    op: '>',
    threshold: 1_000_000,
    forMs: 2 * MINUTE,
    description: 'Group total lag above 1M messages for 2 minutes',
  },
  {
    name: 'ConsumerGroupTimeLagHigh',
    severity: 'warning',
    metric: 'group-time-lag',
    op: '>',
    threshold: 5 * MINUTE,
    forMs: 2 * MINUTE,
    description: 'Group with consumers more than 5 minutes behind for 2 minutes (not Empty)',
  },
  {
    name: 'ConsumerGroupTimeLagCritical',
    severity: 'critical',
    metric: 'group-time-lag',
    op: '>',
    threshold: 30 * MINUTE,
    forMs: 2 * MINUTE,
    description: 'Group with consumers more than 30 minutes behind for 2 minutes (not Empty)',
  },
  {
    name: 'UnderReplicatedPartitions',
    severity: 'critical',
    metric: 'under-replicated',
    op: '>',
    threshold: 0,
    forMs: 1 * MINUTE,
    description: 'A broker reports under-replicated partitions for 1 minute',
  },
  {
    name: 'RequestHandlerIdleLow',
    severity: 'warning',
    metric: 'request-handler-idle',
    op: '<',
    threshold: 0.2,
    forMs: 5 * MINUTE,
    description: 'Request handlers less than 20% idle for 5 minutes',
  },
  {
    name: 'UnderMinIsrPartitions',
    severity: 'critical',
    metric: 'under-min-isr',
    op: '>',
    threshold: 0,
    forMs: 0,
    description: 'Partitions below min.insync.replicas: acks=all producers fail',
  },
  {
    name: 'OfflinePartitions',
    severity: 'critical',
    metric: 'offline-partitions',
    op: '>',
    threshold: 0,
    forMs: 0,
    description: 'Partitions without a leader',
  },
  {
    name: 'LogDirUsableLow',
    severity: 'critical',
    metric: 'log-dir-usable',
    op: '<',
    threshold: 0.1,
    forMs: 5 * MINUTE,
    description: 'A broker log dir with less than 10% of its volume usable for 5 minutes',
  },
  {
    name: 'LogDirFullSoon',
    severity: 'warning',
    metric: 'log-dir-full-in',
    op: '<',
    threshold: 24 * 60 * MINUTE,
    forMs: 10 * MINUTE,
    description: 'A broker log dir full within 24 hours at the rate of the last 10 minutes',
  },
  {
    name: 'HangingTransaction',
    severity: 'critical',
    metric: 'stuck-lso',
    op: '>',
    threshold: 0,
    forMs: 0,
    description:
      'A last stable offset stuck longer than a transaction may stay open: read_committed consumers stall',
  },
] satisfies AlertRule[]);

/** The current value of every metric per subject, computed once per fold. */
export type MetricValues = ReadonlyMap<AlertMetric, ReadonlyMap<string, number>>;

interface Tracked {
  pendingSinceMs: number;
  firingSinceMs: number | null;
  value: number;
}

export interface AlertTransition {
  readonly kind: 'alert-firing' | 'alert-resolved';
  readonly rule: AlertRule;
  readonly subject: string;
  readonly value: number;
  readonly pendingSinceMs: number;
  readonly firingForMs: number;
}

const PHASE_RANK: Readonly<Record<AlertPhase, number>> = { inactive: 0, pending: 1, firing: 2 };

export class AlertEvaluator {
  private readonly tracked: Map<string, Tracked>[];
  private states: readonly AlertState[];

  constructor(private readonly rules: readonly AlertRule[]) {
    this.tracked = rules.map(() => new Map());
    this.states = rules.map((rule) => ({ rule, phase: 'inactive' as const, since: null, instances: [] }));
  }

  get current(): readonly AlertState[] {
    return this.states;
  }

  evaluate(values: MetricValues, nowMs: number, iso: (ms: number) => string): AlertTransition[] {
    const transitions: AlertTransition[] = [];
    const next: AlertState[] = [];
    let changed = false;
    // A loop, not a closure made per refresh (docs/performance.md, "Closures on hot paths").
    for (let r = 0; r < this.rules.length; r++) {
      const rule = this.rules[r]!;
      const tracked = this.tracked[r]!;
      const bySubject = values.get(rule.metric);
      const holding = new Set<string>();
      if (bySubject) {
        for (const [subject, value] of bySubject) {
          if (!(rule.op === '>' ? value > rule.threshold : value < rule.threshold)) continue;
          holding.add(subject);
          let t = tracked.get(subject);
          if (!t) {
            t = { pendingSinceMs: nowMs, firingSinceMs: null, value };
            tracked.set(subject, t);
          }
          t.value = value;
          if (t.firingSinceMs === null && nowMs - t.pendingSinceMs >= rule.forMs) {
            t.firingSinceMs = nowMs;
            transitions.push({
              kind: 'alert-firing',
              rule,
              subject,
              value,
              pendingSinceMs: t.pendingSinceMs,
              firingForMs: 0,
            });
          }
        }
      }
      for (const [subject, t] of tracked) {
        if (holding.has(subject)) continue;
        tracked.delete(subject);
        if (t.firingSinceMs !== null) {
          transitions.push({
            kind: 'alert-resolved',
            rule,
            subject,
            value: bySubject?.get(subject) ?? t.value,
            pendingSinceMs: t.pendingSinceMs,
            firingForMs: nowMs - t.firingSinceMs,
          });
        }
      }
      const prev = this.states[r]!;
      if (tracked.size === 0 && prev.instances.length === 0) {
        next.push(prev);
        continue;
      }
      changed = true;
      const instances: AlertInstance[] = [];
      let phase: AlertPhase = 'inactive';
      let sinceMs: number | null = null;
      for (const [subject, t] of [...tracked].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
        const p = t.firingSinceMs === null ? 'pending' : 'firing';
        const s = t.firingSinceMs ?? t.pendingSinceMs;
        instances.push({ subject, phase: p, since: iso(s), value: t.value });
        if (PHASE_RANK[p] > PHASE_RANK[phase]) {
          phase = p;
          sinceMs = s;
        } else if (p === phase && sinceMs !== null && s < sinceMs) {
          sinceMs = s;
        }
      }
      next.push({ rule, phase, since: sinceMs === null ? null : iso(sinceMs), instances });
    }
    if (changed) this.states = next;
    return transitions;
  }
}
