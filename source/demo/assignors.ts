/**
 * Simplified versions of the Java consumer's assignors, enough that partitions move the way they do in a
 * real cluster: range hands out contiguous blocks per topic (eager, so everything is revoked first),
 * roundrobin deals partitions across all topics, cooperative-sticky keeps what it can.
 */

import type { AssignorName } from './model.js';
import { partitionKey } from './model.js';

export interface TopicPartitionCount {
  topic: string;
  partitions: number;
}

/** Returns `topic:partition` → member id. Member ids are sorted first, as the group leader does. */
export function assign(
  assignor: AssignorName,
  memberIds: readonly string[],
  topics: readonly TopicPartitionCount[],
  previous: ReadonlyMap<string, string>,
): Map<string, string> {
  const members = [...memberIds].sort();
  const result = new Map<string, string>();
  if (members.length === 0) return result;
  if (assignor === 'range') {
    for (const { topic, partitions } of topics) {
      const per = Math.floor(partitions / members.length);
      const extra = partitions % members.length;
      let p = 0;
      members.forEach((member, i) => {
        const n = per + (i < extra ? 1 : 0);
        for (let k = 0; k < n; k++) result.set(partitionKey(topic, p++), member);
      });
    }
    return result;
  }
  const all: string[] = [];
  for (const { topic, partitions } of topics) {
    for (let p = 0; p < partitions; p++) all.push(partitionKey(topic, p));
  }
  if (assignor === 'roundrobin') {
    all.forEach((key, i) => {
      result.set(key, members[i % members.length] as string);
    });
    return result;
  }
  // Sticky: keep previous owners up to their fair share, then give the rest to the least loaded.
  const quota = Math.ceil(all.length / members.length);
  const load = new Map<string, number>(members.map((m) => [m, 0]));
  const unassigned: string[] = [];
  for (const key of all) {
    const owner = previous.get(key);
    const owned = owner === undefined ? undefined : load.get(owner);
    if (owner !== undefined && owned !== undefined && owned < quota) {
      result.set(key, owner);
      load.set(owner, owned + 1);
    } else {
      unassigned.push(key);
    }
  }
  for (const key of unassigned) {
    let best = members[0] as string;
    for (const m of members) if ((load.get(m) ?? 0) < (load.get(best) ?? 0)) best = m;
    result.set(key, best);
    load.set(best, (load.get(best) ?? 0) + 1);
  }
  return result;
}
