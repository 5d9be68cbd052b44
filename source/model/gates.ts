/**
 * The conditions `kafkatop wait` waits for, judged on one folded model: met, or what still blocks. Pure;
 * the runner refreshes and asks again. Each blocking reason is raw text (group ids, topic names): the caller
 * sanitizes it before a terminal sees it.
 */

import type { ClusterModel, GroupState } from './types.js';

export type WaitCondition =
  | { readonly kind: 'settled' }
  /** Back in metadata, up, and in the ISR of every partition it is a replica of. */
  | { readonly kind: 'broker-up'; readonly brokerId: number }
  | {
      readonly kind: 'group';
      readonly groupId: string;
      /** At least this many members (a deploy may surge above it). */
      readonly members: number | null;
      readonly maxLag: number | null;
      readonly maxTimeLagMs: number | null;
    };

export interface GateResult {
  readonly met: boolean;
  /** Why not, most important first; empty when met. */
  readonly blocking: readonly string[];
}

/** Partitions named in a reason before "and N more": a line stays readable with hundreds lagging. */
const NAMED = 3;

export function conditionText(c: WaitCondition): string {
  switch (c.kind) {
    case 'settled':
      return 'settled';
    case 'broker-up':
      return `broker ${c.brokerId} up`;
    case 'group':
      return `group ${c.groupId}`;
  }
}

export function evaluateGate(model: ClusterModel, c: WaitCondition): GateResult {
  if (model.snapshot === null || model.staleness.stale) {
    const error = model.staleness.lastError?.message;
    return { met: false, blocking: [`cluster unreachable${error ? `: ${error}` : ''}`] };
  }
  const blocking =
    c.kind === 'settled'
      ? [...model.settled.reasons]
      : c.kind === 'broker-up'
        ? brokerUp(model, c.brokerId)
        : group(model, c);
  return { met: blocking.length === 0, blocking };
}

function brokerUp(model: ClusterModel, id: number): string[] {
  const b = model.brokers.find((x) => x.id === id);
  if (!b) return [`broker ${id} not in metadata`];
  if (!b.up) return [`broker ${id} down${b.error ? `: ${b.error}` : ''}`];
  const missing: string[] = [];
  for (const t of model.topics)
    for (const p of t.partitions)
      if (p.replicas.includes(id) && !p.isr.includes(id)) missing.push(`${t.name}-${p.partition}`);
  if (missing.length === 0) return [];
  const more = missing.length - NAMED;
  return [
    `broker ${id} not in the ISR of ${missing.length} partition${missing.length === 1 ? '' : 's'}: ${missing.slice(0, NAMED).join(', ')}${more > 0 ? `, and ${more} more` : ''}`,
  ];
}

function group(model: ClusterModel, c: Extract<WaitCondition, { kind: 'group' }>): string[] {
  const g = model.groups.find((x) => x.groupId === c.groupId);
  if (!g) return [`group ${c.groupId} not found`];
  const out: string[] = [];
  if (g.error) out.push(`group ${c.groupId}: ${g.error}`);
  // A KIP-848 group is described by ConsumerGroupDescribe (it then carries epochs) on Kafka 4; where that is
  // not served, DescribeGroups reports 'Dead' and no members: say so instead of waiting on them.
  const described = !g.consumerProtocol || (g.epochs !== undefined && g.epochs !== null);
  if (!described) {
    if (c.members !== null) out.push(`group ${c.groupId} uses the consumer protocol: members not collected`);
  } else if (g.state !== 'Stable') out.push(`group ${c.groupId} ${g.state}`);
  if (c.members !== null && described && g.members.length < c.members)
    out.push(`group ${c.groupId} has ${g.members.length} of ${c.members} members`);
  if (c.maxLag !== null && g.totalLag > c.maxLag)
    out.push(`group ${c.groupId} lag ${g.totalLag} above ${c.maxLag}`);
  if (c.maxTimeLagMs !== null) {
    const behind = timeLag(g);
    if (behind === null) out.push(`group ${c.groupId} time lag not known yet`);
    else if (behind > c.maxTimeLagMs)
      out.push(
        `group ${c.groupId} ${Math.round(behind / 1000)}s behind, above ${Math.round(c.maxTimeLagMs / 1000)}s`,
      );
  }
  return out;
}

/** A group with no lag is 0 behind even before the model has two log ends to interpolate between. */
const timeLag = (g: GroupState) => (g.totalLag === 0 ? 0 : g.timeLagMs);
