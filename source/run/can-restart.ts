/**
 * `kafkatop can-restart BROKER_ID`: one refresh, folded, then the restart-safety decision. Exit 0 safe, 1 not
 * safe (the partitions and why), 3 when the cluster cannot be reached, as `wait` and `check` do.
 */

import type { Options } from '../cli/options.js';
import type { BuiltSource } from '../cli/sources.js';
import { createModel } from '../model/model.js';
import { blockerText, type RestartSafety, restartSafety } from '../model/restart-safety.js';
import { sanitize } from '../ui/sanitize.js';
import { isClusterDown } from './poller.js';
import { sessionSettings } from './session.js';

/** Partitions listed before "and N more": the first ones tell what to fix; a script can ask --json for all. */
const LISTED = 20;

export function formatRestartSafety(s: RestartSafety): string {
  const lines: string[] = [];
  const id = s.brokerId;
  if (s.unknownBroker)
    lines.push(`broker ${id}: not safe to restart: broker ${id} is not in the cluster's metadata`);
  else if (s.safe) {
    lines.push(
      `broker ${id}: safe to restart: every one of the ${s.hosted} partitions it hosts keeps min.insync.replicas in sync without it`,
    );
    if (s.quorumVoter)
      lines.push(`node ${id} votes in the controller quorum, which keeps a majority in sync without it`);
  } else {
    const n = s.blockers.length;
    lines.push(
      `broker ${id}: not safe to restart: ${n ? `${n} partition${n === 1 ? '' : 's'}` : 'the controller quorum'}`,
    );
    if (s.quorumBlock) lines.push(`  ${s.quorumBlock}`);
    for (const b of s.blockers.slice(0, LISTED))
      lines.push(`  ${sanitize(b.topic)}-${b.partition}: ${blockerText(b, id)}`);
    if (n > LISTED) lines.push(`  and ${n - LISTED} more`);
  }
  if (s.unavoidable.length > 0) {
    const n = s.unavoidable.length;
    const named = s.unavoidable.slice(0, LISTED).map((p) => `${sanitize(p.topic)}-${p.partition}`);
    lines.push(
      `note: ${n} partition${n === 1 ? '' : 's'} with no more replicas than min.insync.replicas cannot stay available through any restart of broker ${id}: ${named.join(', ')}${n > LISTED ? `, and ${n - LISTED} more` : ''}`,
    );
  }
  lines.push(...s.notChecked);
  return `${lines.join('\n')}\n`;
}

export async function runCanRestart(
  { source }: BuiltSource,
  options: Options,
  brokerId: number,
): Promise<number> {
  try {
    const snapshot = await source.refresh();
    if (isClusterDown(snapshot)) {
      const reason = snapshot.errors.find((e) => e.source === 'cluster')?.message ?? 'unknown error';
      process.stderr.write(`kafkatop: cannot reach the cluster: ${sanitize(reason)}\n`);
      return 3;
    }
    const model = createModel(sessionSettings(options).model).fold(snapshot);
    const safety = restartSafety(model, brokerId);
    process.stdout.write(options.json ? `${JSON.stringify(safety)}\n` : formatRestartSafety(safety));
    return safety.safe ? 0 : 1;
  } finally {
    await source.close();
  }
}
