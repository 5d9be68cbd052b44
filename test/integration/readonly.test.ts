/**
 * The read-only guarantee on the main test cluster: record its topics (names, partitions, configs), its
 * groups and every group's committed offsets; run kafkatop `--once --json`, `--headless --record` for ~10 s
 * and the interactive UI (in a pseudo-terminal from `script`, quit with `q`); record again: nothing changed.
 * The brokers run with auto.create.topics.enable=true, so a metadata request naming a topic would show up.
 */
import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigResourceTypes } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '../../source/snapshot.js';
import { testCluster } from '../cluster/test-cluster.js';
import { createTopic, kafkaFor, whileCoordinatorMoves } from '../cluster/workload.js';

const cluster = testCluster();
const dir = mkdtempSync(join(tmpdir(), 'kafkatop-readonly-'));
const id = randomUUID().slice(0, 8);
const topic = `readonly-${id}`;
const group = `readonly-${id}`;
const COMMITTED = [10, 0, 25, 7];
const env = { ...process.env, HOME: dir, XDG_CONFIG_HOME: '', KAFKATOP_CONFIG: '', KAFKATOP_BROKERS: '' };

interface ClusterState {
  topics: Record<
    string,
    { partitions: number; replicas: number[][]; configs: Record<string, string | null> }
  >;
  groups: string[];
  offsets: Record<string, string[]>;
}

/** What kafkatop must not change, read with the test's own admin client (which only reads, too). */
async function recordState(): Promise<ClusterState> {
  const admin = kafkaFor(cluster.bootstrap, 'kafkatop-readonly-check').admin();
  await admin.connect();
  try {
    const names = (await admin.listTopics()).sort();
    const metadata = await admin.fetchTopicMetadata({ topics: names });
    const described = await admin.describeConfigs({
      resources: names.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
      includeSynonyms: false,
    });
    const topics: ClusterState['topics'] = {};
    for (const t of metadata.topics) {
      const resource = described.resources.find((r) => r.resourceName === t.name);
      topics[t.name] = {
        partitions: t.partitions.length,
        replicas: t.partitions.sort((a, b) => a.partitionId - b.partitionId).map((p) => p.replicas),
        configs: Object.fromEntries(
          (resource?.configEntries ?? []).map((e) => [e.configName, e.configValue]),
        ),
      };
    }
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).sort();
    const offsets: ClusterState['offsets'] = {};
    for (const groupId of groups) {
      const fetched = await whileCoordinatorMoves(() => admin.fetchOffsets({ groupId }));
      offsets[groupId] = fetched
        .flatMap((t) => t.partitions.map((p) => `${t.topic}/${p.partition}=${p.offset}`))
        .sort();
    }
    return { topics, groups, offsets };
  } finally {
    await admin.disconnect();
  }
}

function run(args: string[], timeoutMs = 100_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'source/cli/cli.tsx', ...args],
      // Killed before the test's own timeout, so a hang fails with kafkatop's stderr rather than silently.
      { timeout: timeoutMs, env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (error as { code?: number }).code : 0;
        resolve({ code: typeof code === 'number' ? code : -1, stdout, stderr });
      },
    );
  });
}

const metricsFlag = () =>
  [cluster.controller, ...cluster.brokers].map((n) => `${n.id}=${n.metricsUrl}`).join(',');

let before: ClusterState;

beforeAll(async () => {
  await createTopic(cluster.bootstrap, { topic, partitions: COMMITTED.length });
  const kafka = kafkaFor(cluster.bootstrap, 'kafkatop-readonly-setup');
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  await producer.send({
    topic,
    messages: Array.from({ length: 200 }, (_, i) => ({ partition: i % COMMITTED.length, value: `m${i}` })),
  });
  await producer.disconnect();
  // A group with committed offsets and no member: nothing but kafkatop could move them.
  const admin = kafka.admin();
  await admin.connect();
  await whileCoordinatorMoves(() =>
    admin.setOffsets({
      groupId: group,
      topic,
      partitions: COMMITTED.map((offset, partition) => ({ partition, offset: String(offset) })),
    }),
  );
  await admin.disconnect();
  before = await recordState();
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kafkatop changes nothing on the cluster', () => {
  it('the starting state has our topic, our group and its offsets', () => {
    expect(before.topics[topic]?.partitions).toBe(COMMITTED.length);
    expect(before.offsets[group]).toEqual(COMMITTED.map((o, p) => `${topic}/${p}=${o}`));
  });

  it('--once --json sees the group and its offsets', async () => {
    const result = await run([
      '--brokers',
      cluster.bootstrap,
      '--metrics',
      metricsFlag(),
      '--once',
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const snapshot = JSON.parse(result.stdout) as ClusterSnapshot;
    const seen = snapshot.groups.find((g) => g.groupId === group);
    expect(seen?.partitions.map((p) => p.committedOffset)).toEqual(COMMITTED);
  });

  it('--headless --record for ~10 s', async () => {
    const file = join(dir, 'run.ndjson');
    const result = await run([
      '--brokers',
      cluster.bootstrap,
      '--metrics',
      metricsFlag(),
      '--headless',
      '--record',
      file,
      '--duration',
      '10s',
      '--interval',
      '1s',
    ]);
    expect(result.code, `exit ${result.code}; stderr: ${result.stderr}`).toBe(0);
    const snapshots = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => l.type === 'snapshot') as ClusterSnapshot[];
    // Refreshes with metrics can take seconds each on a loaded machine: two show it kept refreshing.
    expect(snapshots.length).toBeGreaterThanOrEqual(2);
    expect(snapshots.at(-1)!.groups.some((g) => g.groupId === group)).toBe(true);
  }, 150_000);

  it('the interactive UI in a pseudo-terminal for ~10 s, quit with q', async () => {
    // `script` gives kafkatop a real TTY; the size is set first so the layout is not "too small".
    const command = `stty rows 40 cols 140; exec ${process.execPath} --import tsx source/cli/cli.tsx --brokers ${cluster.bootstrap} --interval 1s`;
    const child = spawn('script', ['-qefc', command, '/dev/null'], {
      env: { ...env, TERM: 'xterm-256color' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await sleep(10_000);
    child.stdin.write('q');
    const code = await Promise.race([exited, sleep(30_000).then(() => 'hung' as const)]);
    if (code === 'hung') child.kill('SIGKILL');
    expect(code).toBe(0);
    // It drew the cluster: the alternate screen was entered and a broker's address was shown.
    expect(output).toContain('\u001b[?1049h');
    expect(output).toContain(`127.0.0.1:${cluster.brokers[0]!.port}`);
  }, 90_000);

  it('afterwards: same topics, partitions and configs, same groups, same committed offsets', async () => {
    const after = await recordState();
    expect(Object.keys(after.topics).sort()).toEqual(Object.keys(before.topics).sort());
    expect(after.topics).toEqual(before.topics);
    expect(after.groups).toEqual(before.groups);
    expect(after.offsets).toEqual(before.offsets);
  });
});
