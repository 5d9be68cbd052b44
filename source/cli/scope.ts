/**
 * --group REGEX and --topic REGEX: which groups and topics kafkatop looks at, so a cluster with 20,000 groups
 * can be watched through the 50 that matter. Each flag is repeatable; a pattern starting with `!` excludes.
 * A name is in scope when it matches some include (or there is none) and no exclude. Patterns match the whole
 * name, as Kafka's own tools match a regex: `billing` is that group only, `billing.*` its family.
 *
 * The live collector asks only about what is in scope (kafka/groups.ts, kafka/metadata.ts); every source's
 * snapshots are filtered too (`scopeSnapshot`), so a demo, a replay and a group's offsets on topics out of
 * scope follow the same rule.
 */

import { UsageError } from '../config/usage-error.js';
import type { ClusterSnapshot, GroupSnapshot } from '../snapshot.js';

export type InScope = (name: string) => boolean;

export interface Scope {
  readonly group: InScope | null;
  readonly topic: InScope | null;
}

/** Names remembered per matcher: a regex per group per refresh is what 20,000 groups would cost otherwise. */
const REMEMBERED = 50_000;

/** Null when no pattern was given (everything in scope); a UsageError naming the flag for a bad regex. */
export function scopeOf(patterns: readonly string[], flag: string): InScope | null {
  if (patterns.length === 0) return null;
  const include: RegExp[] = [];
  const exclude: RegExp[] = [];
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const source = negated ? raw.slice(1) : raw;
    if (source === '') throw new UsageError(`--${flag} needs a regular expression: --${flag} REGEX`);
    let regex: RegExp;
    try {
      regex = new RegExp(`^(?:${source})$`, 'u');
    } catch (error) {
      throw new UsageError(
        `--${flag} ${JSON.stringify(raw)} is not a regular expression: ${(error as Error).message}`,
      );
    }
    (negated ? exclude : include).push(regex);
  }
  const memo = new Map<string, boolean>();
  return (name) => {
    let hit = memo.get(name);
    if (hit === undefined) {
      hit = (include.length === 0 || include.some((r) => r.test(name))) && !exclude.some((r) => r.test(name));
      if (memo.size >= REMEMBERED) memo.clear();
      memo.set(name, hit);
    }
    return hit;
  };
}

export const NO_SCOPE: Scope = { group: null, topic: null };

/**
 * The snapshot with what is out of scope left out: topics, groups, and a group's partitions on topics out of
 * scope. Returns `snapshot` itself when nothing is out of scope (the live collector has already left most
 * out); never writes into it (snapshots share objects with the collector's memos).
 */
export function scopeSnapshot(snapshot: ClusterSnapshot, scope: Scope): ClusterSnapshot {
  const { group, topic } = scope;
  if (!group && !topic) return snapshot;
  const topics =
    topic && snapshot.topics.some((t) => !topic(t.name))
      ? snapshot.topics.filter((t) => topic(t.name))
      : snapshot.topics;
  let groups =
    group && snapshot.groups.some((g) => !group(g.groupId))
      ? snapshot.groups.filter((g) => group(g.groupId))
      : snapshot.groups;
  if (topic && groups.some((g) => g.partitions.some((p) => !topic(p.topic)))) {
    groups = groups.map((g) => scopeGroup(g, topic));
  }
  if (topics === snapshot.topics && groups === snapshot.groups) return snapshot;
  return { ...snapshot, topics, groups };
}

function scopeGroup(g: GroupSnapshot, topic: InScope): GroupSnapshot {
  if (g.partitions.every((p) => topic(p.topic))) return g;
  const partitions = g.partitions.filter((p) => topic(p.topic));
  let totalLag = 0;
  for (const p of partitions) totalLag += p.lag ?? 0;
  return {
    ...g,
    partitions,
    totalLag,
    members: g.members.map((m) => ({ ...m, assignment: m.assignment.filter((a) => topic(a.topic)) })),
  };
}
