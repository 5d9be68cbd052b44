/**
 * Insights on configs the operator chose, not alerts: things that are fine today and hurt on the day a
 * broker is lost or a disk fills. Each is a fact about the snapshot (pure), shown in the topic and broker
 * views and by `--once`.
 *
 * - replication factor below 3: one broker lost leaves one copy, or none;
 * - min.insync.replicas ≥ replication factor: any one broker down blocks every acks=all write;
 * - min.insync.replicas = 1 with RF ≥ 3: acks=all is acknowledged by the leader alone, the silent data loss
 *   min.insync.replicas exists to prevent;
 * - unclean.leader.election.enable=true: an out-of-sync replica may become leader and drop acknowledged writes;
 * - more than ~4,000 partition replicas on a broker: the practical ceiling (recovery and controller work grow
 *   with it).
 */
import type { PartitionSnapshot } from '../snapshot.js';

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
