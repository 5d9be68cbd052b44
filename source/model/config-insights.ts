/**
 * Insights on configs the operator chose, not alerts: things that are fine today and hurt on the day a
 * broker is lost or a disk fills. Each is a fact about the snapshot (pure), shown in the topic, group and
 * broker views and by `--once`.
 *
 * - replication factor below 3: one broker lost leaves one copy, or none;
 * - min.insync.replicas ≥ replication factor: any one broker down blocks every acks=all write;
 * - min.insync.replicas = 1 with RF ≥ 3: acks=all is acknowledged by the leader alone, the silent data loss
 *   min.insync.replicas exists to prevent;
 * - unclean.leader.election.enable=true: an out-of-sync replica may become leader and drop acknowledged writes;
 * - more than ~4,000 partition replicas on a broker: the practical ceiling (recovery and controller work grow
 *   with it);
 * - a group whose partitions do not divide evenly over its members: some members read more than others.
 */
import type { PartitionSnapshot, TopicPartitions } from '../snapshot.js';

export const REPLICAS_PER_BROKER_CEILING = 4000;

export type TopicConfigInsight =
  | { readonly kind: 'replication-below-3'; readonly replicationFactor: number }
  | { readonly kind: 'min-isr-blocks-on-loss'; readonly minIsr: number; readonly replicationFactor: number }
  | { readonly kind: 'min-isr-one'; readonly replicationFactor: number }
  | { readonly kind: 'unclean-leader-election' };

/** A topic's replication factor: its partitions' replica count, not counting replicas being added. */
export function replicationFactorOf(
  partitions: readonly Pick<PartitionSnapshot, 'replicas' | 'reassignment'>[],
): number | null {
  let rf: number | null = null;
  for (const p of partitions) {
    const n = p.replicas.length - (p.reassignment?.adding.length ?? 0);
    if (rf === null || n < rf) rf = n;
  }
  return rf;
}

const NONE: readonly TopicConfigInsight[] = Object.freeze([]);

export function topicConfigInsights(
  configs: Readonly<Record<string, string>>,
  replicationFactor: number | null,
): readonly TopicConfigInsight[] {
  const out: TopicConfigInsight[] = [];
  const minIsr = Number(configs['min.insync.replicas'] ?? Number.NaN);
  if (replicationFactor !== null) {
    if (replicationFactor < 3) out.push({ kind: 'replication-below-3', replicationFactor });
    if (Number.isFinite(minIsr) && minIsr >= replicationFactor)
      out.push({ kind: 'min-isr-blocks-on-loss', minIsr, replicationFactor });
    if (minIsr === 1 && replicationFactor >= 3) out.push({ kind: 'min-isr-one', replicationFactor });
  }
  if (configs['unclean.leader.election.enable'] === 'true') out.push({ kind: 'unclean-leader-election' });
  return out.length === 0 ? NONE : out;
}

/** One line per insight, for the topic view and `--once`. */
export function configInsightText(i: TopicConfigInsight): string {
  switch (i.kind) {
    case 'replication-below-3':
      return `replication factor ${i.replicationFactor}: one broker lost leaves ${i.replicationFactor - 1 === 0 ? 'no copy' : 'one copy'}`;
    case 'min-isr-blocks-on-loss':
      return `min.insync.replicas ${i.minIsr} ≥ replication factor ${i.replicationFactor}: any broker down blocks acks=all writes`;
    case 'min-isr-one':
      return `min.insync.replicas 1 with replication factor ${i.replicationFactor}: acks=all waits for the leader alone`;
    case 'unclean-leader-election':
      return 'unclean.leader.election.enable=true: an out-of-sync replica may lead and drop acknowledged writes';
  }
}

/** Partition replicas per broker above the practical ceiling, from the snapshot's replica lists. */
export function brokersOverReplicaCeiling(
  topics: readonly { partitions: readonly Pick<PartitionSnapshot, 'replicas'>[] }[],
  ceiling = REPLICAS_PER_BROKER_CEILING,
): Map<number, number> {
  const counts = new Map<number, number>();
  for (const t of topics)
    for (const p of t.partitions) for (const r of p.replicas) counts.set(r, (counts.get(r) ?? 0) + 1);
  for (const [id, n] of counts) if (n <= ceiling) counts.delete(id);
  return counts;
}

/**
 * Partitions that do not divide evenly over a group's members, from the group's assignment: the members
 * that get one more read more (and lag first when the load grows).
 */
export interface UnevenAssignment {
  /** Range divides each topic on its own: the topic. null where all the group's partitions are spread together. */
  readonly topic: string | null;
  /** The topics those partitions are from (the one topic for range). */
  readonly topics: readonly string[];
  readonly partitions: number;
  readonly members: number;
  /** Most and fewest of those partitions a member holds. */
  readonly max: number;
  readonly min: number;
}

const EVEN: readonly UnevenAssignment[] = Object.freeze([]);

/**
 * The uneven spreads of a Stable consumer group's assignment. Range assigns each topic on its own (a topic of
 * 10 partitions over 3 members gives 4, 3, 3 however the other topics divide), as does KIP-848's server-side
 * range; roundrobin, sticky, cooperative-sticky and KIP-848's uniform spread all the subscribed partitions
 * together, so only the total counts. Partitions are counted from the assignment (what the members read),
 * and every member is taken to subscribe to every topic the group reads, the usual case (subscriptions are
 * not in the snapshot). Uneven is max ≠ min: the partition count not divisible by the member count, or an
 * assignment that leaves members further apart than the division must.
 *
 * Classic and consumer-protocol groups only: a share group's members share partitions (assignment is not
 * exclusive, records are handed out one by one), and a streams group assigns tasks, not partitions; Connect
 * groups report no partitions. Elsewhere than Stable the assignment is in flux or not reported.
 */
export function unevenAssignments(
  protocolType: string,
  state: string,
  assignor: string,
  members: readonly { readonly assignment: readonly TopicPartitions[] }[],
): readonly UnevenAssignment[] {
  if (protocolType !== 'consumer' || state !== 'Stable' || members.length === 0) return EVEN;
  // Per topic for range, else one spread over everything: held per member.
  const counts = new Map<string | null, number[]>();
  const topics: string[] = [];
  const perTopic = assignor === 'range';
  for (let i = 0; i < members.length; i++) {
    for (const a of members[i]!.assignment) {
      if (a.partitions.length === 0) continue;
      if (!topics.includes(a.topic)) topics.push(a.topic);
      const key = perTopic ? a.topic : null;
      let held = counts.get(key);
      if (held === undefined) {
        held = new Array<number>(members.length).fill(0);
        counts.set(key, held);
      }
      held[i]! += a.partitions.length;
    }
  }
  const out: UnevenAssignment[] = [];
  for (const [topic, held] of counts) {
    let partitions = 0;
    let max = 0;
    let min = Number.POSITIVE_INFINITY;
    for (const n of held) {
      partitions += n;
      if (n > max) max = n;
      if (n < min) min = n;
    }
    if (max !== min)
      out.push({
        topic,
        topics: topic === null ? topics : [topic],
        partitions,
        members: members.length,
        max,
        min,
      });
  }
  return out.length === 0 ? EVEN : out;
}

/**
 * "orders: 10 partitions over 3 members: 1 member gets one more (skew 4-3 = 1)"; without the topic where the
 * reader is looking at that topic (`named` false). Unsanitized.
 */
export function unevenAssignmentText(u: UnevenAssignment, named = true): string {
  const extra = u.partitions % u.members;
  const spread =
    u.topic === null && u.topics.length > 1
      ? `${u.partitions} partitions of ${u.topics.length} topics`
      : `${u.partitions} partitions`;
  const what = `${u.topic === null || !named ? '' : `${u.topic}: `}${spread} over ${u.members} members`;
  const skew = `(skew ${u.max}-${u.min} = ${u.max - u.min})`;
  if (extra === 0) return `${what} divide evenly, but are assigned unevenly ${skew}`;
  return `${what}: ${extra} ${extra === 1 ? 'member gets' : 'members get'} one more ${skew}`;
}
