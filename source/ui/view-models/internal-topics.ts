/**
 * Internal topics are the cluster's plumbing (`__consumer_offsets`, `__transaction_state`,
 * `__share_group_state`, and whatever the cluster marks internal): every list ranks them after the
 * user's own topics, and a key hides them.
 */
import type { TopicState } from '../../model/types.js';

const KNOWN_INTERNAL = new Set(['__consumer_offsets', '__transaction_state', '__share_group_state']);

export type InternalTopics = ReadonlySet<string>;

let last: InternalTopics = KNOWN_INTERNAL;
const byTopics = new WeakMap<readonly TopicState[], InternalTopics>();

/**
 * The internal topics' names. The same set object while the names stay the same, so views memoized on
 * it (the event stories) are not rebuilt by a refresh that changed no topic's kind.
 */
export function internalTopics(topics: readonly TopicState[]): InternalTopics {
  const hit = byTopics.get(topics);
  if (hit) return hit;
  let changed = false;
  let count = KNOWN_INTERNAL.size;
  for (const t of topics) {
    if (!t.internal || KNOWN_INTERNAL.has(t.name)) continue;
    count++;
    if (!last.has(t.name)) changed = true;
  }
  if (changed || count !== last.size) {
    const next = new Set(KNOWN_INTERNAL);
    for (const t of topics) if (t.internal) next.add(t.name);
    last = next;
  }
  byTopics.set(topics, last);
  return last;
}

/** Sort key: the user's topics (0) before internal ones (1). */
export function internalRank(topic: string, internal: InternalTopics): 0 | 1 {
  return internal.has(topic) ? 1 : 0;
}
