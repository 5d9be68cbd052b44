/**
 * The gates a deploy script calls, against the real cluster and run as a script runs them: `kafkatop
 * can-restart`, `wait` and `check` as child processes, judged by their exit codes and by the cluster's own
 * ISRs as a broker's Metadata answer gives them (test/cluster/cluster-state.ts), never by kafkatop's view of it.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafkaCollector } from '../../source/kafka/collector.js';
import { clusterStateReader } from '../cluster/cluster-state.js';
import { startConsumerGroup } from '../cluster/consumer-group.js';
import { testCluster } from '../cluster/test-cluster.js';
import {
  commitOffsets,
  createTopic,
  eventually,
  type RateProducer,
  startProducer,
} from '../cluster/workload.js';

const cluster = testCluster();
const home = mkdtempSync(join(tmpdir(), 'kafkatop-gates-'));
const run = randomUUID().slice(0, 8);

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall time the process exited (epoch ms). */
  endedAt: number;
}

/** Starts kafkatop as a deploy script does; `output()` is its stdout so far. `brokers`: the whole cluster. */
function start(args: string[], brokers = cluster.bootstrap): { done: Promise<Ran>; output(): string } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'source/cli/cli.tsx', '--brokers', brokers, '--interval', '500ms', ...args],
    {
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: '', KAFKATOP_CONFIG: '', KAFKATOP_CLUSTER: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  // A hung gate must fail the test, not outlive it.
  const guard = setTimeout(() => child.kill('SIGKILL'), 170_000);
  const done = new Promise<Ran>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code: code ?? -1, stdout, stderr, endedAt: Date.now() });
    });
  });
  return { done, output: () => stdout };
}

const kafkatop = (args: string[], brokers?: string) => start(args, brokers).done;

/** On failure, says what kafkatop printed: why a gate said no is the whole point of a gate. */
const expectExit = (ran: Ran, code: number) =>
  expect(ran.code, `exit ${ran.code}, stdout:\n${ran.stdout}\nstderr:\n${ran.stderr}`).toBe(code);

const addressesOf = (ids: readonly number[]) =>
  cluster.brokers.filter((b) => ids.includes(b.id)).map((b) => `127.0.0.1:${b.port}`);

/** A client that asks only the given brokers: a paused seed broker answers nothing until resumed. */
function adminOf(ids: readonly number[]) {
  return new Kafka({
    clientId: 'gates-test',
    brokers: addressesOf(ids),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: 4000,
    retry: { retries: 2, initialRetryTime: 100 },
  }).admin();
}

/** A port nothing listens on: bound, then released. */
async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  // Earlier files kill and pause brokers: start from a cluster whose ISRs are full, as the README's loop does.
  await cluster.ensureBrokersRunning();
  expectExit(await kafkatop(['wait', 'settled', '--timeout', '2m']), 0);
});

afterAll(async () => {
  await cluster.ensureBrokersRunning();
  rmSync(home, { recursive: true, force: true });
});

describe('exit codes when nothing can be decided', () => {
  it('wait exits 1 on timeout naming what blocked, and 3 with the cluster down; check says unknown (3)', async () => {
    const down = `127.0.0.1:${await unusedPort()}`;
    const [timeout, unreachable, check] = await Promise.all([
      kafkatop(['wait', 'group', `absent-${run}`, '--timeout', '3s']),
      kafkatop(['wait', 'settled', '--timeout', '3s'], down),
      kafkatop(['check', '--for', '1s'], down),
    ]);
    expectExit(timeout, 1);
    expect(timeout.stderr).toContain(`still blocked by: group absent-${run} not found`);
    expectExit(unreachable, 3);
    expect(unreachable.stderr).toMatch(/cluster unreachable for the whole 3s waiting for settled/);
    expectExit(check, 3);
    expect(check.stdout).toMatch(/^UNKNOWN/);
  });
});

describe('check', () => {
  it('OK on a healthy cluster (0); warning (1) for a lagging group, even though its rule needs minutes to fire', async () => {
    expectExit(await kafkatop(['check', '--for', '2s']), 0);
    const topic = `check-${run}`;
    const group = `check-lagging-${run}`;
    await createTopic(cluster.bootstrap, { topic, partitions: 1 });
    const producer = await startProducer(cluster.bootstrap, { topic, ratePerSec: 500 });
    await eventually('200 messages written', async () => (producer.sent >= 200 ? true : undefined));
    await producer.stop();
    await commitOffsets(cluster.bootstrap, [{ groupId: group, offsets: { [topic]: { 0: 0 } } }]);
    // The 100k default threshold would take a long produce: the config file lowers it, as a user would.
    const config = join(home, 'config.json');
    writeFileSync(config, JSON.stringify({ alerts: { ConsumerGroupLagHigh: { threshold: 100 } } }));
    const warning = await kafkatop(['check', '--for', '2s', '--config', config]);
    expectExit(warning, 1);
    expect(warning.stdout).toMatch(new RegExp(`^WARNING ConsumerGroupLagHigh ${group}: \\d+ > 100`, 'm'));
    const json = JSON.parse((await kafkatop(['check', '--for', '2s', '--config', config, '--json'])).stdout);
    expect(json.status).toBe('warning');
    expect(json.groups.find((g: { groupId: string }) => g.groupId === group)).toMatchObject({
      totalLag: expect.any(Number),
    });
  });
});

describe('can-restart', () => {
  let producer: RateProducer | undefined;
  afterAll(async () => {
    await producer?.stop();
    // Resumes a paused broker and restarts a stopped one.
    await cluster.ensureBrokersRunning();
  });

  it('yes when healthy; no, naming the partition, for a broker in an ISR of exactly min.insync.replicas, whose restart then fails acks=all writes', async () => {
    const topic = `min-isr-${run}`;
    const admin = adminOf([1, 2]);
    await admin.connect();
    try {
      await admin.createTopics({
        topics: [
          {
            topic,
            replicaAssignment: [{ partition: 0, replicas: [1, 2, 3] }],
            configEntries: [{ name: 'min.insync.replicas', value: '2' }],
          },
        ],
      });
      // Brokers 1 and 2 only: a paused broker 3 would answer nothing.
      const state = clusterStateReader(addressesOf([1, 2]));
      const isr = async () => {
        const { brokers, partitions } = await state.read([topic]);
        return { fenced: !brokers.includes(3), isr: [...(partitions[0]?.isr ?? [])].sort().join() };
      };
      try {
        await eventually('a full ISR', async () => ((await isr()).isr === '1,2,3' ? true : undefined));
        expectExit(await kafkatop(['can-restart', '1']), 0);

        // A paused follower falls out of the ISR (replica.lag.time.max.ms) and is fenced: ISR 1,2 = min ISR.
        cluster.pauseBroker(3);
        await eventually('broker 3 out of the ISR and fenced', async () => {
          const now = await isr();
          return now.fenced && now.isr === '1,2' ? true : undefined;
        });
      } finally {
        await state.close();
      }
      const live = addressesOf([1, 2]).join(',');
      // One retry: a NOT_ENOUGH_REPLICAS send fails in about a second instead of kafkajs's 30 s of retries.
      producer = await startProducer(live, {
        topic,
        ratePerSec: 50,
        clientId: `gates-producer-${run}`,
        retries: 1,
      });
      const [one, oneJson, two, check] = await Promise.all([
        kafkatop(['can-restart', '1'], live),
        kafkatop(['can-restart', '1', '--json'], live),
        kafkatop(['can-restart', '2', '--json'], live),
        kafkatop(['check', '--for', '2s'], live),
      ]);
      expectExit(one, 1);
      // Every partition with broker 3 in its ISR is now at min ISR (earlier files leave dozens): the text lists
      // the first 20 and counts the rest, --json gives them all.
      expect(one.stdout).toMatch(/^broker 1: not safe to restart: \d+ partitions?$/m);
      expect(one.stdout).toMatch(
        /^ {2}\S+-\d+: broker 1 is in an ISR of exactly min\.insync\.replicas=2: acks=all writes would fail \(ISR /m,
      );
      expectExit(oneJson, 1);
      expect(JSON.parse(oneJson.stdout).blockers).toContainEqual(
        expect.objectContaining({ topic, partition: 0, reason: 'at-min-isr' }),
      );
      // The test cluster's only voter is the dedicated controller (node 0): brokers observe the quorum.
      expect(one.stdout).not.toContain('quorum not checked');
      expect(JSON.parse(two.stdout).quorumVoter).toBe(false);
      expectExit(two, 1);
      expect(JSON.parse(two.stdout).blockers).toContainEqual(
        expect.objectContaining({ topic, partition: 0, reason: 'at-min-isr' }),
      );
      // Under-replicated is critical (pending: its 1 m `for` cannot elapse in 2 s).
      expectExit(check, 2);
      // At exactly min ISR acks=all writes still succeed: the gate protects this state, it is not broken yet.
      await eventually('acks=all writes at min ISR', async () => (producer!.sent >= 20 ? true : undefined));
      expect(producer.failed).toBe(0);

      // Ignore the gate: stop broker 2. The ISR drops below min.insync.replicas and acks=all sends fail.
      await cluster.stopBroker(2);
      await eventually(
        'a failed acks=all send',
        async () => (producer!.failed > 0 ? true : undefined),
        60_000,
      );
      expect(String(producer.lastError)).toMatch(/NOT_ENOUGH_REPLICAS|not enough replicas|in-sync/i);
    } finally {
      await admin.disconnect();
    }
    await producer.stop();
    producer = undefined;
    cluster.resumeBroker(3);
    await cluster.ensureBrokersRunning();
    expectExit(await kafkatop(['wait', 'settled', '--timeout', '2m']), 0);
  });
});

describe('wait group', () => {
  it('during a member-by-member restart of a 3-member group, exits 0 only once the member is back and the group Stable', async () => {
    const topic = `deploy-${run}`;
    const groupId = `deploy-group-${run}`;
    await createTopic(cluster.bootstrap, { topic, partitions: 6 });
    const group = await startConsumerGroup(cluster.info, { groupId, topics: [topic], members: 3 });
    const admin = adminOf([1, 2, 3]);
    await admin.connect();
    try {
      for (let i = 0; i < 3; i++) {
        await group.stopMember(i);
        const waiting = start(['wait', 'group', groupId, '--members', '3', '--timeout', '2m']);
        // What the cluster itself says the moment the gate opens: Stable, with the restarted member back in.
        let exited = false;
        const atExit = waiting.done.then(async () => {
          exited = true;
          return (await admin.describeGroups([groupId])).groups[0]!;
        });
        // The gate holds (the group is short of a member, or rebalancing) while the member is away.
        await eventually('the gate holding', async () =>
          waiting.output().includes(`waiting for group ${groupId}: `) ? true : undefined,
        );
        expect(exited).toBe(false);
        await group.startMember(i);
        const ran = await waiting.done;
        expectExit(ran, 0);
        expect(ran.stdout).toMatch(new RegExp(`^group ${groupId}: met after`, 'm'));
        const described = await atExit;
        expect({
          state: described.state,
          members: described.members.map((m) => m.clientId).sort(),
        }).toEqual({ state: 'Stable', members: group.members.map((m) => m.clientId).sort() });
      }
    } finally {
      await admin.disconnect();
      await group.stop();
    }
  });
});

describe('scoping', () => {
  it('--group and --topic: a refresh asks about fewer groups and topics, and the snapshot holds only those', async () => {
    const topic = `scope-${run}`;
    await createTopic(cluster.bootstrap, { topic, partitions: 3 });
    // 2,000 groups committed on the topic, watched through 50 of them.
    const ids = Array.from({ length: 2000 }, (_, i) => `scope-${run}-${i}`);
    await commitOffsets(
      cluster.bootstrap,
      ids.map((groupId) => ({ groupId, offsets: { [topic]: { 0: 0, 1: 0, 2: 0 } } })),
    );
    const inScope = (groupId: string) =>
      /-(?:[0-9]|[1-4][0-9])$/.test(groupId) && groupId.startsWith(`scope-${run}-`);
    const refresh = async (scoped: boolean) => {
      const collector = createKafkaCollector({
        brokers: cluster.bootstrap.split(','),
        ...(scoped ? { groupInScope: inScope, topicInScope: (t: string) => t === topic } : {}),
      });
      try {
        await collector.collect();
        // The second refresh: configs and log starts are carried, as in a long run.
        return await collector.collect();
      } finally {
        await collector.close();
      }
    };
    const admin = adminOf([1, 2, 3]);
    await admin.connect();
    try {
      const all = await refresh(false);
      const scoped = await refresh(true);
      expect(all.groups.filter((g) => g.groupId.startsWith(`scope-${run}-`))).toHaveLength(2000);
      expect(scoped.groups.map((g) => g.groupId).sort()).toEqual(ids.filter(inScope).sort());
      expect(scoped.topics.map((t) => t.name)).toEqual([topic]);
      expect(scoped.errors).toEqual([]);
      const stats = (s: typeof all) => `${s.stats!.kafkaRequests} requests, ${s.stats!.kafkaBytesIn} bytes`;
      process.stderr.write(`[scoping] 2000 groups: ${stats(all)}; scoped to 50: ${stats(scoped)}\n`);
      expect(scoped.stats!.kafkaRequests).toBeLessThan(all.stats!.kafkaRequests);
      expect(scoped.stats!.kafkaBytesIn!).toBeLessThan(all.stats!.kafkaBytesIn! / 4);
    } finally {
      // Later files count groups: leave the cluster as it was.
      await admin.deleteGroups(ids).catch(() => undefined);
      await admin.disconnect();
    }
  });
});

describe('the README rolling restart', () => {
  it('restarts all three brokers one after another under acks=all writes: no failed send, no offline partition, each gate held until the broker was back in every ISR', async () => {
    const topic = `rolling-${run}`;
    await createTopic(cluster.bootstrap, { topic, partitions: 6, minInsyncReplicas: 2 });
    const producer = await startProducer(cluster.bootstrap, {
      topic,
      ratePerSec: 200,
      clientId: `rolling-${run}`,
    });
    // The cluster's own ISRs, sampled: [time, broker ids missing from some ISR, a partition of `topic` offline].
    const samples: { at: number; missing: Set<number>; offline: boolean }[] = [];
    const unanswered: string[] = [];
    let watching = true;
    const state = clusterStateReader(addressesOf([1, 2, 3]));
    const watcher = (async () => {
      while (watching) {
        const at = Date.now();
        try {
          const { partitions } = await state.read();
          const missing = new Set<number>();
          let offline = false;
          for (const p of partitions) {
            for (const r of p.replicas) if (!p.isr.includes(r)) missing.add(r);
            if (p.topic === topic && p.leader < 0) offline = true;
          }
          samples.push({ at, missing, offline });
        } catch (error) {
          // No broker answered (it asks the others when one is going away): kept to say so on failure.
          unanswered.push(`${new Date(at).toISOString()} ${String(error)}`);
        }
        await sleep(100);
      }
    })();
    try {
      // The README's loop: wait settled, can-restart, restart, wait broker --up; then wait settled once more.
      let previous: { id: number; upAt: number } | null = null;
      const settledSince = async (p: typeof previous) => {
        expectExit(await kafkatop(['wait', 'settled', '--timeout', '2m']), 0);
        if (!p) return;
        // From the moment its gate opened to the next restart, the cluster's own metadata had the previous
        // broker in every ISR.
        await eventually('a sample of the cluster after the gate opened', async () =>
          samples.some((s) => s.at > p.upAt + 500) ? true : undefined,
        );
        const after = samples.filter((s) => s.at > p.upAt + 500);
        expect(after.filter((s) => s.missing.has(p.id))).toEqual([]);
      };
      for (const id of [1, 2, 3]) {
        await settledSince(previous);
        expectExit(await kafkatop(['can-restart', String(id)]), 0);
        const restartedAt = Date.now();
        await cluster.restartBroker(id);
        const up = await kafkatop(['wait', 'broker', String(id), '--up', '--timeout', '2m']);
        expectExit(up, 0);
        // The cluster saw the broker out of some ISR after the restart began: the gate had something to hold.
        const during = samples.filter((s) => s.at > restartedAt && s.at < up.endedAt);
        expect(
          during.some((s) => s.missing.has(id)),
          `${during.length} samples while broker ${id} restarted; unanswered: ${unanswered.join('\n')}`,
        ).toBe(true);
        previous = { id, upAt: up.endedAt };
      }
      await settledSince(previous);
    } finally {
      watching = false;
      await watcher;
      await state.close();
      await producer.stop();
    }
    expect(samples.filter((s) => s.offline)).toEqual([]);
    expect({ failed: producer.failed, lastError: String(producer.lastError) }).toEqual({
      failed: 0,
      lastError: 'null',
    });
    expect(producer.sent).toBeGreaterThan(0);
  });
});
