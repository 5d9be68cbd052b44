/**
 * Kafka 4 as Kafka 4 sees itself, on the real test cluster: a consumer-protocol group of Java consumers
 * (`group.protocol=consumer`), a share group of ConsoleShareConsumers and a Kafka Streams app in a streams
 * group, described by the collector and by `kafkatop --once` and compared row by row with what Kafka 4.4's
 * own tools print (ConsumerGroupCommand, ShareGroupCommand, StreamsGroupCommand; share and streams lag with
 * their consumers paused); a member-by-member restart as the model's events tell it; the controller from the
 * quorum compared with MetadataQuorumCommand describe --status. On Kafka 3.9.1, which serves none of the new
 * group types, nothing is shown as an error or a dead group, and the quorum still names the controller.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafkaCollector, type KafkaCollector } from '../../source/kafka/collector.js';
import type { ModelEvent } from '../../source/model/types.js';
import type { ClusterSnapshot, GroupSnapshot } from '../../source/snapshot.js';
import { type ConsumerGroup, startConsumerGroup } from '../cluster/consumer-group.js';
import { isKafka3 } from '../cluster/fetch.js';
import {
  assignmentCell as assignment,
  CONSUMER_GROUPS,
  CONSUMER_MEMBER_COLUMNS,
  committedRows,
  consumerMemberRows,
  kafkatopOnce,
  onceRows,
  SHARE_GROUPS,
  SHARE_PARTITION_COLUMNS,
  STREAMS_GROUPS,
  STREAMS_OFFSET_COLUMNS,
  sharePartitionRows,
  streamsMemberRows,
  streamsMemberToolRows,
  table,
  tool,
  toolRows,
} from '../cluster/kafka-tools.js';
import { type ShareConsumers, startShareConsumers } from '../cluster/share-consumer.js';
import { type StreamsApp, startStreamsApp } from '../cluster/streams-app.js';
import { testCluster } from '../cluster/test-cluster.js';
import { createTopic, kafkaFor } from '../cluster/workload.js';
import { startFolding } from '../support/folding.js';

const cluster = testCluster();
const kafka4 = !isKafka3(cluster.version);
const id = randomUUID().slice(0, 8);
const topic = `k4-${id}-orders`;
const consumerGroup = `k4-${id}-consumer`;
const shareGroup = `k4-${id}-share`;
const classicGroup = `k4-${id}-classic`;
const streamsGroup = `k4-${id}-streams`;
const streamsOut = `k4-${id}-copy`;

let collector: KafkaCollector;
let members: ConsumerGroup | null = null;
let sharers: ShareConsumers | null = null;
let classic: Consumer | null = null;
let streams: StreamsApp | null = null;

/** Collects until `ready` holds, returning that snapshot. */
async function collectUntil(ready: (s: ClusterSnapshot) => boolean, what: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const snapshot = await collector.collect();
    if (ready(snapshot)) return snapshot;
    if (Date.now() > deadline) {
      const ours = snapshot.groups.filter((g) => g.groupId.includes(id));
      throw new Error(
        `${what}: not reached; groups ${JSON.stringify(ours)}; errors ${JSON.stringify(snapshot.errors)}`,
      );
    }
    await sleep(500);
  }
}

const group = (s: ClusterSnapshot, groupId: string): GroupSnapshot | undefined =>
  s.groups.find((g) => g.groupId === groupId);

/** Writes `count` records to the test topic, acknowledged by every replica. */
async function produce(count: number): Promise<void> {
  const producer = kafkaFor(cluster.bootstrap, 'k4-producer').producer();
  await producer.connect();
  await producer.send({
    topic,
    acks: -1,
    messages: Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: 'v' })),
  });
  await producer.disconnect();
}

/** A group tool's `--describe` of one group, with `flags` (`--members`, `--verbose`, …). */
const describeGroup = (main: string, groupId: string, ...flags: string[]) =>
  tool(cluster.version, main, [
    '--bootstrap-server',
    cluster.bootstrap,
    '--describe',
    ...flags,
    '--group',
    groupId,
  ]);

beforeAll(async () => {
  await createTopic(cluster.bootstrap, { topic, partitions: 6 });
  collector = createKafkaCollector({ brokers: cluster.bootstrap.split(','), refreshTimeoutMs: 20_000 });
  if (kafka4) {
    await createTopic(cluster.bootstrap, { topic: streamsOut, partitions: 6 });
    sharers = startShareConsumers(cluster.info, { groupId: shareGroup, topic, members: 2 });
    [members, streams] = await Promise.all([
      startConsumerGroup(cluster.info, {
        groupId: consumerGroup,
        topics: [topic],
        members: 3,
        protocol: 'consumer',
      }),
      startStreamsApp(cluster.info, {
        applicationId: streamsGroup,
        input: topic,
        output: streamsOut,
        instances: 2,
      }),
    ]);
  } else {
    classic = kafkaFor(cluster.bootstrap, 'k4-classic').consumer({ groupId: classicGroup });
    await classic.connect();
    await classic.subscribe({ topics: [topic], fromBeginning: true });
    await classic.run({ eachMessage: async () => {} });
  }
});

afterAll(async () => {
  await Promise.all([members?.stop(), sharers?.stop(), streams?.stop(), classic?.disconnect()]);
  await collector?.close();
});

const shareLag = (s: ClusterSnapshot) =>
  group(s, shareGroup)?.partitions.reduce((n, p) => n + (p.lag ?? 0), 0) ?? 0;

describe.runIf(kafka4)('Kafka 4.4: consumer-protocol and share groups', () => {
  it('describes a consumer-protocol group as ConsumerGroupCommand --describe --members --verbose --state does, and --once prints its members as the tool does', async () => {
    const converged = (g: GroupSnapshot | undefined) =>
      g?.state === 'Stable' &&
      g.members.length === 3 &&
      g.members.every(
        (m) =>
          m.memberEpoch === g.assignmentEpoch && assignment(m.assignment) === assignment(m.targetAssignment),
      );
    const snapshot = await collectUntil(
      (s) => converged(group(s, consumerGroup)),
      'consumer group converged',
    );
    const ours = group(snapshot, consumerGroup)!;
    const [membersOut, stateOut, once] = await Promise.all([
      describeGroup(CONSUMER_GROUPS, consumerGroup, '--members', '--verbose'),
      describeGroup(CONSUMER_GROUPS, consumerGroup, '--state', '--verbose'),
      kafkatopOnce(cluster.bootstrap),
    ]);
    const state = table(stateOut, consumerGroup)[0]!;
    expect({
      type: ours.type,
      state: ours.state,
      assignor: ours.protocol,
      groupEpoch: String(ours.groupEpoch),
      assignmentEpoch: String(ours.assignmentEpoch),
      members: String(ours.members.length),
    }).toEqual({
      type: 'consumer',
      state: state.STATE,
      assignor: state['ASSIGNMENT-STRATEGY'],
      groupEpoch: state['GROUP-EPOCH'],
      assignmentEpoch: state['TARGET-ASSIGNMENT-EPOCH'],
      members: state['#MEMBERS'],
    });
    // Column for column: the tool prints none that the comparison, and --once, leave out.
    expect(Object.keys(table(membersOut, consumerGroup)[0] ?? {})).toEqual([
      'GROUP',
      ...CONSUMER_MEMBER_COLUMNS,
    ]);
    const rows = toolRows(membersOut, consumerGroup, CONSUMER_MEMBER_COLUMNS);
    expect(rows).toHaveLength(3);
    expect(consumerMemberRows(ours)).toEqual(rows);
    // --once, run as a script runs it, prints the tool's member rows under the group.
    expect(onceRows(once, consumerGroup, CONSUMER_MEMBER_COLUMNS)).toEqual(rows);
    // Every partition has its owner, from the current assignment; no error for the group.
    const owners = new Map(ours.members.map((m) => [m.memberId, m]));
    expect(
      ours.partitions.filter((p) => p.topic === topic && p.memberId !== null && owners.has(p.memberId)),
    ).toHaveLength(6);
    expect(ours.error).toBeNull();
  });

  it('shows a share group’s members, and with them paused, per partition the start offset and lag ShareGroupCommand --describe prints, in the snapshot and in --once', async () => {
    await collectUntil((s) => group(s, shareGroup)?.members.length === 2, 'share group with 2 members');
    // A share-partition gets its start offset when its first records are fetched.
    await produce(60);
    const started = await collectUntil(
      (s) => (group(s, shareGroup)?.partitions.filter((p) => p.startOffset != null).length ?? 0) === 6,
      'share-partitions started',
    );
    const withMembers = group(started, shareGroup)!;
    expect(withMembers).toMatchObject({
      type: 'share',
      protocolType: 'share',
      protocol: 'simple',
      error: null,
    });
    expect(withMembers.members.map((m) => m.clientId).sort()).toEqual(sharers!.clientIds);
    expect(withMembers.state).not.toBe('Dead');

    // Consumers paused (SIGSTOP): still members until their session times out (45 s), acknowledging nothing,
    // so the broker's lag rises by what a producer writes and then holds still.
    await sharers!.pause();
    try {
      expect(sharers!.paused()).toBe(true);
      const before = shareLag(await collector.collect());
      await produce(120);
      const backlog = await collectUntil((s) => shareLag(s) >= before + 120, 'share lag of the backlog');
      const [out, once] = await Promise.all([
        describeGroup(SHARE_GROUPS, shareGroup),
        kafkatopOnce(cluster.bootstrap),
      ]);
      const after = await collector.collect();
      expect(Object.keys(table(out, shareGroup)[0] ?? {})).toEqual(['GROUP', ...SHARE_PARTITION_COLUMNS]);
      const rows = toolRows(out, shareGroup, SHARE_PARTITION_COLUMNS);
      expect(rows).toHaveLength(6);
      expect(sharePartitionRows(group(backlog, shareGroup)!)).toEqual(rows);
      expect(sharePartitionRows(group(after, shareGroup)!)).toEqual(rows);
      expect(onceRows(once, shareGroup, SHARE_PARTITION_COLUMNS)).toEqual(rows);
      // Paused, not gone: both members still listed, the lag theirs.
      const share = group(after, shareGroup)!;
      expect(share.members.map((m) => m.clientId).sort()).toEqual(sharers!.clientIds);
      expect(sharers!.paused()).toBe(true);
      expect(share.partitions.every((p) => p.committedOffset === null)).toBe(true);
      expect(share.totalLag).toBeGreaterThanOrEqual(before + 120);
    } finally {
      sharers!.resume();
    }
  });
});

describe.runIf(kafka4)('Kafka 4.4: streams groups and a rolling restart', () => {
  it('describes a streams group: members with their tasks, epochs, state, and with the app paused its committed offsets and lag, as StreamsGroupCommand --describe', async () => {
    const tasks = (g: GroupSnapshot) => g.members.flatMap((m) => m.tasks?.active ?? []).sort();
    const caughtUp = (g: GroupSnapshot) =>
      g.partitions.filter((p) => p.topic === topic && p.committedOffset !== null && p.lag === 0).length === 6;
    await collectUntil((s) => {
      const g = group(s, streamsGroup);
      return g?.state === 'Stable' && g.members.length === 2 && tasks(g).length === 6 && caughtUp(g);
    }, 'streams group Stable with 6 tasks, caught up');
    // Paused (SIGSTOP), the app commits nothing while a producer writes: a lag that holds still while the
    // tools and the collector ask, each at its own moment.
    await streams!.pause();
    try {
      await produce(60);
      const ours = group(
        await collectUntil(
          (s) => (group(s, streamsGroup)?.totalLag ?? 0) >= 60,
          'streams lag of the backlog',
        ),
        streamsGroup,
      )!;
      const [stateOut, membersOut, offsetsOut] = await Promise.all([
        describeGroup(STREAMS_GROUPS, streamsGroup, '--state', '--verbose'),
        describeGroup(STREAMS_GROUPS, streamsGroup, '--members', '--verbose'),
        describeGroup(STREAMS_GROUPS, streamsGroup, '--offsets', '--verbose'),
      ]);
      expect(ours).toMatchObject({ type: 'streams', protocolType: 'streams', error: null });
      expect(tasks(ours)).toEqual(['0_0', '0_1', '0_2', '0_3', '0_4', '0_5']);
      const state = table(stateOut, streamsGroup)[0]!;
      expect([
        ours.state,
        String(ours.groupEpoch),
        String(ours.assignmentEpoch),
        String(ours.members.length),
      ]).toEqual([state.STATE, state['GROUP-EPOCH'], state['TARGET-ASSIGNMENT-EPOCH'], state['#MEMBERS']]);
      // Each member's tasks, current and target, with its epoch and process.
      expect(streamsMemberRows(ours)).toEqual(streamsMemberToolRows(membersOut, streamsGroup));
      // Per partition: committed offset, log end and lag, all committed (a partition without a commit the
      // tool counts as lagging by its whole log, kafkatop as `no commit`).
      expect(committedRows(ours)).toEqual(toolRows(offsetsOut, streamsGroup, STREAMS_OFFSET_COLUMNS));
      expect(ours.totalLag).toBeGreaterThanOrEqual(60);
      // Every partition of the input owned by a task.
      expect(ours.partitions.filter((p) => p.topic === topic && p.memberId !== null)).toHaveLength(6);
    } finally {
      streams!.resume();
    }
  });

  it('a member-by-member restart of a consumer-protocol group: for each member a leave, a join and a rebalance that ends with a duration', {
    timeout: 240_000,
  }, async () => {
    // Refreshes folded back to back in the background, as the screen folds them, while members restart.
    const folding = startFolding(() => collector.collect());
    const { events } = folding;
    const converged = (s: ClusterSnapshot) => {
      const g = group(s, consumerGroup);
      return (
        g?.state === 'Stable' &&
        g.members.length === 3 &&
        g.members.every((m) => m.memberEpoch === g.assignmentEpoch)
      );
    };
    const idOf = (s: ClusterSnapshot, clientId: string) =>
      group(s, consumerGroup)?.members.find((m) => m.clientId === clientId)?.memberId;
    const ofGroup = <K extends ModelEvent['kind']>(kind: K, list = events) =>
      list.filter(
        (e): e is Extract<ModelEvent, { kind: K }> =>
          e.kind === kind && 'group' in e && e.group === consumerGroup,
      );
    const restarts: { clientId: string; left: string; joined: string; from: number; to: number }[] = [];
    try {
      let last = await folding.until(converged, 'converged before');
      for (let i = 0; i < 3; i++) {
        const clientId = members!.members[i]!.clientId;
        const left = idOf(last, clientId)!;
        const from = events.length;
        await members!.stopMember(i);
        await members!.startMember(i);
        // Converged again, with the restarted member under its new id.
        last = await folding.until(
          (s) => converged(s) && idOf(s, clientId) !== undefined && idOf(s, clientId) !== left,
          `converged after restarting member ${i}`,
        );
        restarts.push({ clientId, left, joined: idOf(last, clientId)!, from, to: events.length });
      }
    } finally {
      await folding.stop();
    }
    // Each restart, in the events folded while it ran: the old member's leave, the new one's join, and a
    // rebalance whose start and end two refreshes saw.
    for (const r of restarts) {
      const seen = <K extends ModelEvent['kind']>(kind: K) => ofGroup(kind, events.slice(r.from, r.to));
      const ends = seen('rebalance-end').map((e) => `${e.states.join('>')} ${e.durationMs ?? 'between'} ms`);
      const seenFacts = {
        restarted: r.clientId,
        left: seen('member-leave').map((e) => [e.memberId, e.clientId]),
        joined: seen('member-join').map((e) => [e.memberId, e.clientId]),
        endWithDuration: seen('rebalance-end').some(
          (e) => e.observed && e.durationMs !== null && e.durationMs > 0,
        ),
      };
      expect(seenFacts, `rebalance ends: ${ends.join('; ')}`).toEqual({
        restarted: r.clientId,
        left: [[r.left, r.clientId]],
        joined: [[r.joined, r.clientId]],
        endWithDuration: true,
      });
    }
    // And nothing else joined or left.
    const ids = (kind: 'member-leave' | 'member-join') =>
      ofGroup(kind)
        .map((e) => e.memberId)
        .sort();
    expect([ids('member-leave'), ids('member-join')]).toEqual([
      restarts.map((r) => r.left).sort(),
      restarts.map((r) => r.joined).sort(),
    ]);
  });
});

describe('the quorum', () => {
  it('names the active controller MetadataQuorumCommand describe --status names, with voters and observers', async () => {
    const snapshot = await collector.collect();
    const out = await tool(cluster.version, 'org.apache.kafka.tools.MetadataQuorumCommand', [
      '--bootstrap-server',
      cluster.bootstrap,
      'describe',
      '--status',
    ]);
    const field = (name: string) => new RegExp(`^${name}:\\s+(.*)$`, 'm').exec(out)?.[1] ?? '';
    const ids = (text: string) =>
      [...text.matchAll(/"id":\s*(\d+)/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
    expect(snapshot.controllerId).toBe(Number(field('LeaderId')));
    expect(snapshot.quorum?.leaderEpoch).toBe(Number(field('LeaderEpoch')));
    expect(snapshot.quorum?.voters.map((v) => v.id)).toEqual(ids(field('CurrentVoters')));
    expect(snapshot.quorum?.observers.map((o) => o.id)).toEqual(ids(field('CurrentObservers')));
    expect(snapshot.controllerId).toBe(cluster.controller.id);
    expect(snapshot.errors.filter((e) => e.source === 'quorum')).toEqual([]);
  });
});

describe.runIf(!kafka4)('Kafka 3.9.1: nothing unsupported shows as an error or a dead group', () => {
  it('lists a classic group typed classic, described the classic way, with no group error', async () => {
    const snapshot = await collectUntil(
      (s) => group(s, classicGroup)?.state === 'Stable',
      'classic group Stable',
    );
    const ours = group(snapshot, classicGroup)!;
    expect(ours).toMatchObject({
      type: 'classic',
      state: 'Stable',
      protocol: 'RoundRobinAssigner',
      error: null,
    });
    expect(ours.members).toHaveLength(1);
    expect(snapshot.groups.filter((g) => g.state === 'Dead')).toEqual([]);
    expect(snapshot.errors.filter((e) => e.source.startsWith('group:') || e.source === 'quorum')).toEqual([]);
  });
});
