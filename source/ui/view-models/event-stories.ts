/**
 * Events as a story: one cause, one line. A storm of same-cause partition events (same kind, same
 * broker, same refresh: one broker leaving the ISR of 59 partitions) becomes one story with counts per
 * topic, the user's topics first, which the user can open into its partitions. Pure, and memoized on
 * the event log, which the model keeps as the same array while no event happens.
 */
import type { LeaderChangeEvent, ModelEvent } from '../../model/types.js';
import { sanitize } from '../sanitize.js';
import { type InternalTopics, internalRank } from './internal-topics.js';

/** Fewer same-cause events than this are shown one by one. */
export const STORM_MIN = 3;

/** Partition events that storms are made of: one line per partition otherwise. */
type PartitionEvent = Extract<
  ModelEvent,
  {
    kind:
      | 'isr-shrink'
      | 'isr-expand'
      | 'leader-change'
      | 'under-min-isr'
      | 'min-isr-restored'
      | 'partition-offline'
      | 'partition-online'
      | 'reassignment-start'
      | 'reassignment-end';
  }
>;

const STORM_KINDS = new Set<ModelEvent['kind']>([
  'isr-shrink',
  'isr-expand',
  'leader-change',
  'under-min-isr',
  'min-isr-restored',
  'partition-offline',
  'partition-online',
  'reassignment-start',
  'reassignment-end',
]);

export interface Storm {
  /** `storm:` and its cause (refresh, kind, broker): the same whether internal topics are hidden or not. */
  readonly id: string;
  readonly kind: PartitionEvent['kind'];
  readonly at: string;
  readonly broker: number | undefined;
  /** Its events in the order of `topics`, then by partition. */
  readonly events: readonly PartitionEvent[];
  /** Partitions per topic, the user's topics first, then the most partitions first. */
  readonly topics: readonly (readonly [topic: string, count: number])[];
}

export type StoryItem = { readonly event: ModelEvent } | { readonly storm: Storm };

export function isStormId(id: string): boolean {
  return id.startsWith('storm:');
}

function isPartitionEvent(e: ModelEvent): e is PartitionEvent {
  return STORM_KINDS.has(e.kind);
}

/** What makes events one cause. A leader move is about the broker it left, or the preferred one it returned to. */
function causeKey(e: PartitionEvent): string {
  if (e.kind === 'leader-change')
    return e.preferred ? `${e.at}|leader|to:${e.to}` : `${e.at}|leader|from:${e.from}`;
  return `${e.at}|${e.kind}|${e.broker ?? ''}`;
}

function stormOf(key: string, events: PartitionEvent[], internal: InternalTopics): Storm {
  const newest = events[0]!;
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.topic, (counts.get(e.topic) ?? 0) + 1);
  const topics = [...counts].sort(
    (a, b) =>
      internalRank(a[0], internal) - internalRank(b[0], internal) || b[1] - a[1] || (a[0] < b[0] ? -1 : 1),
  );
  const rank = new Map<string, number>();
  for (const [topic] of topics) rank.set(topic, rank.size);
  const sorted = [...events].sort(
    (a, b) => rank.get(a.topic)! - rank.get(b.topic)! || a.partition - b.partition,
  );
  return {
    id: `storm:${key}`,
    kind: newest.kind,
    at: newest.at,
    // A leader move's own broker is the new leader; the story's is the broker the cause is about.
    broker: newest.kind === 'leader-change' ? (newest.preferred ? newest.to : newest.from) : newest.broker,
    events: sorted,
    topics,
  };
}

function buildStories(
  events: readonly ModelEvent[],
  include: (e: ModelEvent) => boolean,
  internal: InternalTopics,
  hideInternal: boolean,
): StoryItem[] {
  // Newest first; a cause's members are gathered where its newest event stands.
  const groups = new Map<string, PartitionEvent[]>();
  const order: (ModelEvent | string)[] = [];
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (!include(e)) continue;
    if (!isPartitionEvent(e)) {
      order.push(e);
      continue;
    }
    if (hideInternal && internal.has(e.topic)) continue;
    const key = causeKey(e);
    const group = groups.get(key);
    if (group) group.push(e);
    else {
      groups.set(key, [e]);
      order.push(key);
    }
  }
  const items: StoryItem[] = [];
  for (const o of order) {
    if (typeof o !== 'string') {
      items.push({ event: o });
      continue;
    }
    const group = groups.get(o)!;
    if (group.length >= STORM_MIN) items.push({ storm: stormOf(o, group, internal) });
    else for (const event of group) items.push({ event });
  }
  return items;
}

const cache = new WeakMap<readonly ModelEvent[], Map<InternalTopics, StoryItem[][]>>();

/**
 * The stories of the events `include` accepts, newest first; memoized per event log, set and hiding
 * (so `include` must be one function for the life of the process, not made per call).
 */
export function eventStories(
  events: readonly ModelEvent[],
  include: (e: ModelEvent) => boolean,
  internal: InternalTopics,
  hideInternal: boolean,
): readonly StoryItem[] {
  let perSet = cache.get(events);
  if (!perSet) {
    perSet = new Map();
    cache.set(events, perSet);
  }
  let both = perSet.get(internal);
  if (!both) {
    both = [];
    perSet.set(internal, both);
  }
  const slot = hideInternal ? 1 : 0;
  let stories = both[slot];
  if (!stories) {
    stories = buildStories(events, include, internal, hideInternal);
    both[slot] = stories;
  }
  return stories;
}

function leaderStory(e: LeaderChangeEvent, counts: string): string {
  if (e.preferred && e.to >= 0) return `back to preferred ${e.to}: ${counts}`;
  if (e.from >= 0) return `moved off ${e.from}: ${counts}`;
  return `elected: ${counts}`;
}

/**
 * The story after its EVENT cell (`shrink ×59`) and before its BRKR cell (`2`), which carry the kind, the
 * count and the broker: e.g. `left ISR: pay 6, audit 3, __consumer_offsets 50`. The counts per topic are
 * the point, so they come first where a pane is narrow.
 */
export function stormText(storm: Storm): string {
  const counts = storm.topics.map(([topic, count]) => `${sanitize(topic)} ${count}`).join(', ');
  switch (storm.kind) {
    case 'isr-shrink':
      return `left ISR: ${counts}`;
    case 'isr-expand':
      return `rejoined ISR: ${counts}`;
    case 'leader-change':
      return leaderStory(storm.events[0] as LeaderChangeEvent, counts);
    case 'under-min-isr':
      return `under min ISR: ${counts}`;
    case 'min-isr-restored':
      return `back to min ISR: ${counts}`;
    case 'partition-offline':
      return `OFFLINE: ${counts}`;
    case 'partition-online':
      return `back online: ${counts}`;
    case 'reassignment-start':
      return `started moving: ${counts}`;
    case 'reassignment-end':
      return `finished moving: ${counts}`;
  }
}
