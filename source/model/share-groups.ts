/** Share groups (KIP-932): what the model reads differently from consumer groups. */
import type { GroupSnapshot } from '../snapshot.js';

/**
 * A share group whose broker computes no lag (DescribeShareGroupOffsets v0, Kafka 4.1): its total lag of 0
 * means unknown, and its lag history gets a gap, never a 0.
 */
export function shareLagUnknown(g: GroupSnapshot): boolean {
  if (g.type !== 'share' || g.partitions.length === 0) return false;
  for (const p of g.partitions) if (p.lag !== null) return false;
  return true;
}
