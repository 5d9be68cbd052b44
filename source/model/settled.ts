/**
 * "Settled": the signal to move on during a rolling deploy or to close an incident. All brokers
 * up, no offline or under-replicated partitions (so ISRs are full), no group rebalancing, and
 * every lagging group's lag not rising over the last few refreshes. Empty and KIP-848 groups do
 * not block it: offset-only groups and stopped consumers would otherwise keep it false forever.
 */

import type { BrokerState, GroupState, Settled, TopicState } from './types.js';

const MAX_REASONS = 5;

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
    else if (g.totalLag > 0 && g.lagTrend === 'rising') add(`group ${g.groupId} lag rising`);
  }
  if (more > 0) reasons.push(`and ${more} more`);
  return { settled: reasons.length === 0, reasons };
}
