/**
 * What Kafka 4 adds to the views, as cells: a group's type tag, its member count when members are unknown,
 * its epochs, and a broker's place in the metadata quorum. Shared by the groups pane and the group and
 * broker views; every string from the cluster passes `sanitize`.
 */
import type { QuorumReplicaState, QuorumState } from '../../model/quorum.js';
import type { ClusterModel, GroupState } from '../../model/types.js';
import { formatCount, formatDuration } from '../format.js';
import type { Glyphs } from '../glyphs.js';
import type { Cell } from './table.js';

/** ` [consumer]`, ` [share]`, ` [streams]` after a group id; nothing for a classic group. */
export function groupTypeTag(g: GroupState): string {
  const type = g.type ?? (g.consumerProtocol ? 'consumer' : 'classic');
  return type === 'classic' ? '' : ` [${type}]`;
}

/** A consumer-protocol group only DescribeGroups saw (a broker without ConsumerGroupDescribe): its members are unknown. */
export function membersUnknown(g: GroupState): boolean {
  return g.consumerProtocol && !g.epochs && g.members.length === 0;
}

/** Members known: a number; unknown: `–` (`-` with --ascii), never 848. */
export function memberCount(g: GroupState, glyphs: Glyphs): string {
  return membersUnknown(g) ? glyphs.unknown : String(g.members.length);
}

/** `epoch 4/4` (group/assignment), the topology epoch and partitions pending revocation, where known. */
export function epochCells(g: GroupState): Cell[] {
  const e = g.epochs;
  if (!e) return [];
  const moving = e.group > e.assignment;
  return [
    { text: `type ${g.type ?? 'consumer'}` },
    {
      text: `epoch ${e.group}/${e.assignment}${moving ? ' (assigning)' : ''}`,
      tone: moving ? 'warn' : undefined,
    },
    ...(e.topology === undefined ? [] : [{ text: `topology epoch ${e.topology}` }]),
    ...(e.pendingRevocations > 0
      ? [{ text: `${e.pendingRevocations} partition(s) pending revocation`, tone: 'warn' as const }]
      : []),
    // A share group commits nothing: what its partitions show as committed is where acknowledging got to.
    ...(g.type === 'share'
      ? [{ text: 'committed = share-partition start offset', tone: 'muted' as const }]
      : []),
  ];
}

/** The leader's log end offset, where the leader is among the replicas. */
export function leaderLogEnd(q: QuorumState): number | null {
  for (const r of q.replicas) if (r.role === 'leader') return r.logEndOffset;
  return null;
}

/**
 * A replica's lag as `kafka-metadata-quorum.sh describe --replication` prints it: the leader's log end
 * minus its own; against the high watermark (the model's) while the leader is not listed.
 */
export function quorumLag(r: QuorumReplicaState, leaderEnd: number | null): number {
  return leaderEnd === null ? r.lag : Math.max(0, leaderEnd - r.logEndOffset);
}

/** Voters, and those not falling behind (the leader counts): the quorum commits while they are a majority. */
export function votersCaughtUp(q: QuorumState): { voters: number; caughtUp: number; majority: boolean } {
  let voters = 0;
  let caughtUp = 0;
  for (const r of q.replicas) {
    if (r.role === 'observer') continue;
    voters++;
    if (!r.behind) caughtUp++;
  }
  return { voters, caughtUp, majority: voters > 0 && caughtUp > voters / 2 };
}

/** A broker's line about the metadata quorum: its role, its lag, its last fetch; flagged when behind. */
export function quorumCells(model: ClusterModel, brokerId: number, glyphs: Glyphs): Cell[] {
  const q = model.quorum;
  const r = q?.replicas.find((x) => x.id === brokerId);
  if (!q || !r) return [];
  const fetched = r.lastFetchAgeMs === null ? '' : `, fetched ${formatDuration(r.lastFetchAgeMs)} ago`;
  return [
    {
      text: `metadata ${r.role === 'leader' ? `leader (epoch ${q.leaderEpoch})` : r.role}: lag ${quorumLag(r, leaderLogEnd(q))}${fetched}`,
      tone: r.behind ? 'warn' : 'muted',
    },
    ...(r.behind ? [{ text: `${glyphs.warn} metadata falling behind`, tone: 'warn' as const }] : []),
  ];
}

/** The key that opens the quorum view (keymap.ts, `quorum`; a test holds them together). */
export const QUORUM_KEY = 'Q';

/**
 * `quorum (Q): voters 0,4,5, metadata behind on 2  `: the key to the quorum view (before what a narrow
 * pane cuts), the controllers (not in the broker list) and the replicas whose metadata falls behind;
 * nothing without a quorum.
 */
export function quorumSummary(model: ClusterModel): string {
  const q = model.quorum;
  if (!q) return '';
  const voters: number[] = [];
  const behind: number[] = [];
  for (const r of q.replicas) {
    if (r.role !== 'observer') voters.push(r.id);
    if (r.behind) behind.push(r.id);
  }
  return `quorum (${QUORUM_KEY}): voters ${voters.join(',')}${behind.length > 0 ? `, metadata behind on ${behind.join(',')}` : ''}  `;
}

/**
 * A group's total lag; `–` for a share group whose broker computes no lag (Kafka 4.1), whose total of 0
 * means unknown (its lag history has a gap there).
 */
export function totalLagText(g: GroupState): string {
  return g.type === 'share' && g.lagHistory.last === null ? '–' : formatCount(g.totalLag);
}
