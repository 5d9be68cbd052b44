/**
 * `kafkatop check`'s verdict, as monitoring plugins give one (0 OK, 1 warning, 2 critical, 3 unknown): the
 * alert rules as the model evaluated them, plus down brokers, which no rule measures. A check watches for
 * seconds, so a rule's `for` (minutes) could never elapse: a pending alert counts as a problem, unless the
 * check watched at least that long, when only a firing one does.
 */

import type { ClusterModel, Severity } from './types.js';

export type HealthStatus = 'ok' | 'warning' | 'critical' | 'unknown';

export interface HealthProblem {
  readonly severity: Severity;
  /** Raw text (group ids, hosts): sanitize before a terminal sees it. */
  readonly text: string;
}

export interface Health {
  readonly status: HealthStatus;
  /** Critical first. */
  readonly problems: readonly HealthProblem[];
}

export const HEALTH_EXIT_CODE: Record<HealthStatus, number> = { ok: 0, warning: 1, critical: 2, unknown: 3 };

/**
 * `watchedMs`: how long the model was fed; `keepFor`: --for was given, so a rule whose `for` it covers must
 * have fired to count.
 */
export function health(model: ClusterModel, watchedMs: number, keepFor: boolean): Health {
  if (model.snapshot === null || model.staleness.stale) {
    const error = model.staleness.lastError?.message;
    return {
      status: 'unknown',
      problems: [{ severity: 'critical', text: `cannot reach the cluster${error ? `: ${error}` : ''}` }],
    };
  }
  const problems: HealthProblem[] = [];
  for (const b of model.brokers)
    if (!b.up)
      problems.push({ severity: 'critical', text: `broker ${b.id} down${b.error ? `: ${b.error}` : ''}` });
  for (const a of model.alerts) {
    const honourFor = keepFor && a.rule.forMs <= watchedMs;
    for (const i of a.instances) {
      if (honourFor && i.phase !== 'firing') continue;
      const op = a.rule.op;
      problems.push({
        severity: a.rule.severity,
        text: `${a.rule.name} ${i.subject}: ${i.value} ${op} ${a.rule.threshold} (${a.rule.description})`,
      });
    }
  }
  problems.sort((x, y) => (x.severity === y.severity ? 0 : x.severity === 'critical' ? -1 : 1));
  const status: HealthStatus = problems.some((p) => p.severity === 'critical')
    ? 'critical'
    : problems.length > 0
      ? 'warning'
      : 'ok';
  return { status, problems };
}
