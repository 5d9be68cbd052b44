/**
 * A group's events between two refreshes: members joining and leaving, partitions moving between members,
 * rebalances starting and ending (seen, or inferred from what changed in between).
 */

import type { GroupSnapshot, MemberSnapshot, StreamsMemberTasks } from '../snapshot.js';
import type { EventCollector } from './events.js';
import type { GroupTrack } from './fold-groups.js';
import { isRebalancing, knowsMembers } from './kafka-facts.js';
import { groupEpochBumped, isKip848, watchStuckMembers } from './kip848-rebalance.js';

const FIFTEEN_MINUTES = 15 * 60_000;
/** Rebalance end times kept per group: enough to count a burst. */
const MAX_REBALANCE_MARKS = 200;

/** Same members with the same assignments, compared without allocating. */
export function sameMembers(a: readonly MemberSnapshot[], b: readonly MemberSnapshot[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.memberId !== y.memberId || x.clientId !== y.clientId || x.host !== y.host) return false;
    // A streams member's standby, warm-up and target tasks move without its active partitions.
    if (x.tasks !== y.tasks && !sameTasks(x.tasks, y.tasks)) return false;
    if (x.assignment.length !== y.assignment.length) return false;
    for (let j = 0; j < x.assignment.length; j++) {
      const p = x.assignment[j]!;
      const q = y.assignment[j]!;
      if (p.topic !== q.topic || p.partitions.length !== q.partitions.length) return false;
      for (let k = 0; k < p.partitions.length; k++) if (p.partitions[k] !== q.partitions[k]) return false;
    }
  }
  return true;
}

function sameTasks(a: StreamsMemberTasks | undefined, b: StreamsMemberTasks | undefined): boolean {
  if (!a || !b) return a === b;
  return (
    sameIds(a.active, b.active) &&
    sameIds(a.standby, b.standby) &&
    sameIds(a.warmup, b.warmup) &&
    sameIds(a.targetActive, b.targetActive) &&
    sameIds(a.targetStandby, b.targetStandby) &&
    sameIds(a.targetWarmup, b.targetWarmup)
  );
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function diffGroup(
  track: GroupTrack,
  cur: GroupSnapshot,
  membersSame: boolean,
  nowMs: number,
  events: EventCollector,
): void {
  const prev = track.prev;
  const group = cur.groupId;
  const wasRebalancing = isRebalancing(prev.state);
  const rebalancing = isRebalancing(cur.state);

  let membersChanged = false;
  if (!membersSame && knowsMembers(prev) && knowsMembers(cur)) {
    const before = new Map(prev.members.map((m) => [m.memberId, m]));
    const after = new Map(cur.members.map((m) => [m.memberId, m]));
    for (const [id, m] of before) {
      if (after.has(id)) continue;
      membersChanged = true;
      events.emit({ kind: 'member-leave', group, memberId: id, clientId: m.clientId, host: m.host });
    }
    for (const [id, m] of after) {
      if (before.has(id)) continue;
      membersChanged = true;
      events.emit({ kind: 'member-join', group, memberId: id, clientId: m.clientId, host: m.host });
    }
  }

  // Assignments are only filled in Stable refreshes: compare each Stable one with the last.
  let moved = 0;
  if (cur.state === 'Stable' && knowsMembers(cur)) {
    const owners = track.owners;
    const before = track.stableOwners;
    // The owner table is rebuilt only when members change: the same table means nothing moved.
    if (before !== null && before !== owners) {
      const move = (
        topic: string,
        partition: number,
        from: MemberSnapshot | null,
        to: MemberSnapshot | null,
      ) => {
        moved++;
        events.emit({
          kind: 'assignment-move',
          group,
          topic,
          partition,
          fromMember: from?.memberId ?? null,
          toMember: to?.memberId ?? null,
          fromClientId: from?.clientId ?? null,
          toClientId: to?.clientId ?? null,
        });
      };
      before.forEach((from, topic, partition) => {
        const to = owners.get(topic, partition) ?? null;
        if (from.memberId !== to?.memberId) move(topic, partition, from, to);
      });
      owners.forEach((to, topic, partition) => {
        if (before.get(topic, partition) === undefined) move(topic, partition, null, to);
      });
    }
    track.stableOwners = owners;
  }

  if (!wasRebalancing && rebalancing) {
    track.rebalance = { startMs: nowMs, states: [prev.state, cur.state] };
    events.emit({ kind: 'rebalance-start', group, fromState: prev.state, state: cur.state });
  } else if (wasRebalancing && rebalancing) {
    const r = track.rebalance;
    if (r && r.states[r.states.length - 1] !== cur.state) r.states.push(cur.state);
  } else if (wasRebalancing && !rebalancing) {
    const r = track.rebalance;
    events.emit({
      kind: 'rebalance-end',
      group,
      states: r ? [...r.states, cur.state] : [prev.state, cur.state],
      durationMs: r ? nowMs - r.startMs : null,
      observed: true,
    });
    track.rebalance = null;
    track.rebalanceEnds.push(nowMs);
  } else if (membersChanged || moved > 0 || groupEpochBumped(prev, cur)) {
    // Neither refresh saw it, but members, partitions or the group epoch changed: it happened in between.
    events.emit({
      kind: 'rebalance-end',
      group,
      states: [prev.state, cur.state],
      durationMs: null,
      observed: false,
    });
    track.rebalanceEnds.push(nowMs);
  }
  if (isKip848(cur)) {
    track.kip848 ??= { behindAlone: new Map(), reported: new Set() };
    watchStuckMembers(track.kip848, cur, nowMs, events);
  }
  while (
    track.rebalanceEnds.length > 0 &&
    (nowMs - track.rebalanceEnds[0]! > FIFTEEN_MINUTES || track.rebalanceEnds.length > MAX_REBALANCE_MARKS)
  ) {
    track.rebalanceEnds.shift();
  }
}
