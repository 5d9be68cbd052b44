/**
 * `kafkatop check`: watch the cluster for a few refreshes (default 10 s, or --for), then one line per problem
 * and the exit code a monitoring plugin gives: 0 OK, 1 warning, 2 critical, 3 unknown (cluster unreachable).
 * --json adds the alerts as the model holds them and every group's status and time lag.
 */

import type { Command } from '../cli/commands.js';
import type { Options } from '../cli/options.js';
import type { BuiltSource } from '../cli/sources.js';
import { HEALTH_EXIT_CODE, type Health, health } from '../model/health.js';
import type { ClusterModel } from '../model/types.js';
import { sanitize } from '../ui/sanitize.js';
import { sessionSettings, startSession } from './session.js';

export function formatHealth(h: Health): string {
  const head = `${h.status.toUpperCase()}: ${h.problems.length === 0 ? 'no problems' : `${h.problems.length} problem${h.problems.length === 1 ? '' : 's'}`}`;
  return `${[head, ...h.problems.map((p) => `${p.severity.toUpperCase()} ${sanitize(p.text)}`)].join('\n')}\n`;
}

export function healthJson(h: Health, model: ClusterModel): unknown {
  return {
    status: h.status,
    problems: h.problems,
    at: model.at,
    brokers: model.brokers.map((b) => ({ id: b.id, up: b.up })),
    alerts: model.alerts.map((a) => ({
      name: a.rule.name,
      severity: a.rule.severity,
      phase: a.phase,
      instances: a.instances,
    })),
    groups: model.groups.map((g) => ({
      groupId: g.groupId,
      state: g.state,
      status: g.status,
      statusReason: g.statusReason,
      totalLag: g.totalLag,
      timeLagMs: g.timeLagMs,
      timeLagEstimated: g.timeLagEstimated,
    })),
    settled: model.settled,
  };
}

export async function runCheck(
  { source }: BuiltSource,
  options: Options,
  command: Extract<Command, { kind: 'check' }>,
): Promise<number> {
  const session = startSession({ source, ...sessionSettings(options) });
  // What the model saw, first good refresh to last: a rule's `for` can only have elapsed within that.
  let firstAtMs: number | null = null;
  let firstFold: () => void = () => {};
  const folded = new Promise<void>((resolve) => {
    firstFold = resolve;
  });
  session.onModel((m) => {
    firstAtMs ??= m.atMs;
    firstFold();
  });
  await new Promise((resolve) => setTimeout(resolve, command.forMs));
  // A first refresh slower than --for (a broker timing out) still gets its answer, within the refresh bound.
  let bound: NodeJS.Timeout | undefined;
  await Promise.race([folded, new Promise((resolve) => (bound = setTimeout(resolve, options.timeoutMs)))]);
  clearTimeout(bound);
  await session.stop();
  await source.close();
  const model = session.model;
  const watchedMs = firstAtMs === null || model.atMs === null ? 0 : model.atMs - firstAtMs;
  const h = health(model, watchedMs, command.forGiven);
  process.stdout.write(options.json ? `${JSON.stringify(healthJson(h, model))}\n` : formatHealth(h));
  return HEALTH_EXIT_CODE[h.status];
}
