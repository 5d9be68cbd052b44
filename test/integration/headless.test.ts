/**
 * The whole pipeline against the real cluster, as a user runs it: `kafkatop --headless --record` in its own
 * process while a group is rolled, a broker is killed and restarted, and a consumer falls behind. The recording
 * must hold the events (issue 4), and replaying it through the model must give the same events (issue 6).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../../source/model/model.js';
import type { ClusterModel, ModelEvent } from '../../source/model/types.js';
import { createReplaySource } from '../../source/record/index.js';
import type { ClusterSnapshot } from '../../source/snapshot.js';
import { type ConsumerGroup, startConsumerGroup } from '../cluster/consumer-group.js';
import { testCluster } from '../cluster/test-cluster.js';
import { createTopic, type RateProducer, startProducer } from '../cluster/workload.js';

const cluster = testCluster();
const INTERVAL_MS = 1000;
const KILLED = 2;
const dir = mkdtempSync(join(tmpdir(), 'kafkatop-headless-'));
const recordingFile = join(dir, 'run.ndjson');
const id = randomUUID().slice(0, 8);
const rolled = { topic: `rolled-${id}`, group: `rolled-${id}` };
const slow = { topic: `slow-${id}`, group: `slow-${id}` };

let kafkatop: ChildProcess;
let stderr = '';
let exitCode: number | null = null;
const producers: RateProducer[] = [];
const groups: ConsumerGroup[] = [];
let killedAt = 0;

interface Line {
  type: string;
  event?: ModelEvent;
  takenAt?: string;
}
let lines: Line[] = [];
const events = () => lines.filter((l) => l.type === 'event').map((l) => l.event!);

async function recordedSnapshots(count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = existsSync(recordingFile) ? readFileSync(recordingFile, 'utf8') : '';
    if ((text.match(/^\{"type":"snapshot"/gm) ?? []).length >= count) return;
    if (exitCode !== null) throw new Error(`kafkatop exited with ${exitCode}: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`kafkatop recorded fewer than ${count} refreshes: ${stderr}`);
    await sleep(200);
  }
}

function metricsFlag(): string {
  const nodes = [cluster.controller, ...cluster.brokers];
  return nodes.map((n) => `${n.id}=${n.metricsUrl}`).join(',');
}

beforeAll(async () => {
  await createTopic(cluster.bootstrap, { topic: rolled.topic, partitions: 6 });
  await createTopic(cluster.bootstrap, { topic: slow.topic, partitions: 1 });
  producers.push(await startProducer(cluster.bootstrap, { topic: rolled.topic, ratePerSec: 60 }));
  producers.push(await startProducer(cluster.bootstrap, { topic: slow.topic, ratePerSec: 60 }));
  groups.push(
    await startConsumerGroup(cluster.info, {
      groupId: rolled.group,
      topics: [rolled.topic],
      members: 3,
      clientIdPrefix: `app-${id}`,
    }),
  );
  // 20 records/s against 60 produced: lag and time lag grow for as long as the test runs.
  groups.push(
    await startConsumerGroup(cluster.info, {
      groupId: slow.group,
      topics: [slow.topic],
      delayMsPerRecord: 50,
      maxPollRecords: 5,
    }),
  );

  kafkatop = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'source/cli/cli.tsx',
      '--brokers',
      cluster.bootstrap,
      '--metrics',
      metricsFlag(),
      '--headless',
      '--record',
      recordingFile,
      '--interval',
      `${INTERVAL_MS}ms`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  kafkatop.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => {
    kafkatop.once('exit', (code) => {
      exitCode = code;
      resolve();
    });
  });

  try {
    // kafkatop must have seen the group before the first member restarts (starting it takes a while on a
    // loaded machine): wait for a few recorded refreshes.
    await recordedSnapshots(3, 120_000);
    await groups[0]!.rollingRestart(2 * INTERVAL_MS);
    await sleep(3 * INTERVAL_MS);
    killedAt = Date.now();
    await cluster.killBroker(KILLED);
    // The controller fences the broker after its session timeout; then every ISR it was in shrinks.
    await sleep(15_000);
    await cluster.restartBroker(KILLED);
    await sleep(15_000);
  } finally {
    kafkatop.kill('SIGTERM');
    await exited;
  }
  lines = readFileSync(recordingFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);
}, 300_000);

afterAll(async () => {
  await Promise.all(producers.map((p) => p.stop()));
  await Promise.all(groups.map((g) => g.stop()));
  rmSync(dir, { recursive: true, force: true });
});

describe(`kafkatop --headless --record against Kafka ${cluster.version}`, () => {
  it('ran until SIGTERM and exited cleanly, with a line per refresh on stderr', () => {
    expect(exitCode, stderr).toBe(0);
    expect(stderr).toMatch(/refresh \d+/);
    expect(stderr).toMatch(/recorded \d+ snapshots/);
    expect(lines[0]?.type).toBe('header');
    expect(lines.filter((l) => l.type === 'snapshot').length).toBeGreaterThan(20);
  });

  it('records a leave, a join and a rebalance for every member of a rolling restart', () => {
    const ofGroup = events().filter((e) => 'group' in e && e.group === rolled.group);
    const story = ofGroup.map((e) => `${e.at} ${e.kind} ${'clientId' in e ? e.clientId : ''}`).join('\n');
    for (let i = 0; i < 3; i++) {
      const clientId = `app-${id}-${i}`;
      expect(
        ofGroup.some((e) => e.kind === 'member-leave' && e.clientId === clientId),
        `member-leave ${clientId} in:\n${story}`,
      ).toBe(true);
      // Every member joins twice: at the start and after its restart.
      expect(
        ofGroup.filter((e) => e.kind === 'member-join' && e.clientId === clientId).length,
        `member-join ${clientId}`,
      ).toBeGreaterThanOrEqual(1);
    }
    expect(ofGroup.filter((e) => e.kind === 'rebalance-end').length).toBeGreaterThanOrEqual(3);
    expect(ofGroup.some((e) => e.kind === 'assignment-move')).toBe(true);
  });

  it('records an isr-shrink naming the killed broker for every partition it replicated, then isr-expand', () => {
    const snapshots = lines.filter((l) => l.type === 'snapshot') as unknown as ClusterSnapshot[];
    const before = snapshots.filter((s) => Date.parse(s.takenAt) < killedAt).at(-1)!;
    const replicated = before.topics
      .filter((t) => t.name === rolled.topic || t.name === slow.topic)
      .flatMap((t) =>
        t.partitions.filter((p) => p.isr.includes(KILLED)).map((p) => `${t.name}-${p.partition}`),
      );
    expect(replicated.length).toBeGreaterThan(0);

    const shrinks = events().filter(
      (e): e is Extract<ModelEvent, { kind: 'isr-shrink' }> =>
        e.kind === 'isr-shrink' && e.removed.includes(KILLED),
    );
    const expands = events().filter(
      (e): e is Extract<ModelEvent, { kind: 'isr-expand' }> =>
        e.kind === 'isr-expand' && e.added.includes(KILLED),
    );
    const shrunk = new Set(shrinks.map((e) => `${e.topic}-${e.partition}`));
    const expanded = new Set(expands.map((e) => `${e.topic}-${e.partition}`));
    for (const tp of replicated) {
      expect(shrunk.has(tp), `isr-shrink for ${tp}`).toBe(true);
      expect(expanded.has(tp), `isr-expand for ${tp}`).toBe(true);
    }
    // Kafka drops the broker from each ISR either when a leader sees it lag (replica.lag.time.max.ms) or when
    // the controller fences it (broker.session.timeout.ms): kafkatop must show every shrink within two refreshes
    // after that.
    const config = cluster.info.brokerConfig;
    const kafkaMs = Math.max(
      Number(config['replica.lag.time.max.ms']),
      Number(config['broker.session.timeout.ms']),
    );
    for (const e of shrinks.filter((e) => replicated.includes(`${e.topic}-${e.partition}`))) {
      expect(Date.parse(e.at) - killedAt, `${e.topic}-${e.partition}`).toBeLessThanOrEqual(
        kafkaMs + 2 * INTERVAL_MS + 5000,
      );
    }
    expect(events().some((e) => e.kind === 'broker-down' && e.broker === KILLED)).toBe(true);
    expect(events().some((e) => e.kind === 'broker-up' && e.broker === KILLED)).toBe(true);
  });

  it('replaying the recording through the model gives the same events, and shows the slow consumer', async () => {
    const replay = createReplaySource(recordingFile);
    const model = createModel();
    const replayed: ModelEvent[] = [];
    const timeLags: number[] = [];
    let last: ClusterModel = model.get();
    while (!replay.ended) {
      last = model.fold(await replay.refresh());
      replayed.push(...last.newEvents);
      const lag = last.groups.find((g) => g.groupId === slow.group)?.timeLagMs;
      if (lag !== null && lag !== undefined) timeLags.push(lag);
    }
    await replay.close();
    const key = (e: ModelEvent) => `${e.kind} ${e.at} ${JSON.stringify(e)}`;
    expect(replayed.map(key)).toEqual(events().map(key));

    const slowGroup = last.groups.find((g) => g.groupId === slow.group)!;
    expect(slowGroup.totalLag).toBeGreaterThan(200);
    // Falling behind, on the signals built to hold through noise: the 90 s lag trend and the ETA. Burrow's WARN
    // (the status) needs the lag to rise at every commit of its window, which the broker kill and restart above
    // can break for a refresh (the slow topic's producer stalls while its leader moves): CI once read OK here.
    expect(slowGroup.lagTrend).toBe('rising');
    expect(slowGroup.eta.kind).toBe('not-catching-up');
    // Time lag rises while the consumer falls behind.
    expect(timeLags.at(-1)!).toBeGreaterThan(timeLags[Math.floor(timeLags.length / 3)]!);
  });
});
