/**
 * "Settled": the signal to move on during a rolling deploy or to close an incident. All brokers
 * up, no offline or under-replicated partitions (so ISRs are full), no group rebalancing, and
 * no consuming group's lag rising (lag-trend.ts: a trend over 90 s, with hysteresis). Every condition
 * is a state of this refresh or that windowed trend, so settled returns on the refresh the last one
 * clears. Empty groups and STOP consumers do not block it: they would keep it false forever.
 */

import type { BrokerState, GroupState, Settled, TopicState } from './types.js';

const MAX_REASONS = 5;

/**
 * A group whose lag can be expected to fall: not Empty (offsets only, or a batch job between runs), not
 * a classic group gone Dead, and not STOP (no commit for the whole window and no member owns the
 * partition). Those are reported by their status; their lag rising is no news about the cluster.
 */
function consuming(g: GroupState): boolean {
  if (g.state === 'Empty' || (g.state === 'Dead' && !g.consumerProtocol)) return false;
  return g.status !== 'STOP';
}

export function settledState(
  brokers: readonly BrokerState[],
  topics: readonly TopicState[],
  groups: readonly GroupState[],
): Settled {
  const reasons: string[] = [];
  let more = 0;
  const add = (reason: string) => {
    if (reasons.length < MAX_REASONS) reasons.push(reason);
    else more++;
  };
  for (const b of brokers) if (!b.up) add(`broker ${b.id} down`);
  let offline = 0;
  let urp = 0;
  for (const t of topics) {
    offline += t.offlineCount;
    urp += t.underReplicatedCount;
  }
  if (offline > 0) add(`${offline} offline partition${offline === 1 ? '' : 's'}`);
  if (urp > 0) add(`${urp} under-replicated partition${urp === 1 ? '' : 's'}`);
  for (const g of groups) {
    if (g.rebalancing) add(`group ${g.groupId} ${g.state}`);
    else if (g.lagTrend === 'rising' && consuming(g)) add(`group ${g.groupId} lag rising`);
  }
  if (more > 0) reasons.push(`and ${more} more`);
  return { settled: reasons.length === 0, reasons };
}
