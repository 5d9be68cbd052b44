/**
 * Issue 7's fault suite: `kafkatop --headless --record` runs in its own process while each broker is paused
 * and resumed, killed and restarted, each metrics endpoint hangs, refuses connections, answers 404 and answers
 * garbage (through a proxy: the exporter lives inside the broker's JVM), and the whole cluster is down, at start
 * and mid-run. The recording must name what failed while it is down and stop naming it after recovery, the
 * other brokers' data must keep coming, and kafkatop must neither exit nor throw.
 *
 * Recovery time is measured from the end of a fault (resume, restart complete, endpoint restored) to the end of
 * the first refresh started after it that no longer names the fault, and printed for the closing note.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allSnapshots, readRecording } from '../../source/record/index.js';
import type { ClusterSnapshot, SnapshotError } from '../../source/snapshot.js';
import { testCluster } from '../cluster/test-cluster.js';
import { createTopic } from '../cluster/workload.js';
import { type MetricsProxy, type ProxyMode, startMetricsProxy } from '../support/metrics-proxy.js';

const cluster = testCluster();
const INTERVAL_MS = 1000;
const BROKERS = cluster.brokers.map((b) => b.id);
const NODES = [cluster.controller.id, ...BROKERS];
const dir = mkdtempSync(join(tmpdir(), 'kafkatop-faults-'));
const topic = `fault-recording-${randomUUID().slice(0, 8)}`;
const proxies = new Map<number, MetricsProxy>();

/** The expected error of each endpoint fault, as kafkatop words it. */
const ENDPOINT_FAULTS: Record<Exclude<ProxyMode, 'pass'>, RegExp> = {
  hang: /timed out/,
  closed: /connection refused/,
  '404': /HTTP 404/,
  garbage: /not Prometheus text/,
};

/** A kafkatop process recording to its own file, with the snapshots read back as they are written. */
class Recording {
  readonly file: string;
  readonly snapshots: ClusterSnapshot[] = [];
  stderr = '';
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private position = 0;
  private pending = '';

  constructor(name: string) {
    this.file = join(dir, `${name}.ndjson`);
    const metrics = NODES.map((id) => `${id}=${proxies.get(id)!.url}`).join(',');
    this.child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'source/cli/cli.tsx',
        '--brokers',
        cluster.bootstrap,
        '--metrics',
        metrics,
        '--headless',
        '--record',
        this.file,
        '--interval',
        `${INTERVAL_MS}ms`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    this.child.stderr!.on('data', (chunk) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        resolve();
      });
    });
  }

  get running(): boolean {
    return this.exitCode === null && this.exitSignal === null;
  }

  /** Reads the snapshot lines written since the last call (a line cut mid-write waits for the next). */
  poll(): void {
    if (!existsSync(this.file)) return;
    const fd = openSync(this.file, 'r');
    try {
      const chunk = Buffer.alloc(1 << 20);
      for (;;) {
        const read = readSync(fd, chunk, 0, chunk.length, this.position);
        if (read === 0) break;
        this.position += read;
        this.pending += chunk.subarray(0, read).toString('utf8');
      }
    } finally {
      closeSync(fd);
    }
    const lines = this.pending.split('\n');
    this.pending = lines.pop()!;
    for (const line of lines) {
      if (line.startsWith('{"type":"snapshot"')) this.snapshots.push(JSON.parse(line) as ClusterSnapshot);
    }
  }

  /** Waits for the first snapshot started at or after `since` that satisfies `test`. */
  async waitFor(
    what: string,
    since: number,
    test: (s: ClusterSnapshot) => boolean,
    timeoutMs = 90_000,
  ): Promise<ClusterSnapshot> {
    const deadline = Date.now() + timeoutMs;
    let checked = 0;
    for (;;) {
      this.poll();
      for (; checked < this.snapshots.length; checked++) {
        const s = this.snapshots[checked]!;
        if (Date.parse(s.takenAt) >= since && test(s)) return s;
      }
      if (!this.running)
        throw new Error(
          `kafkatop exited (${this.exitCode ?? this.exitSignal}) waiting for ${what}: ${this.stderr}`,
        );
      if (Date.now() > deadline) {
        const last = this.snapshots.at(-1);
        throw new Error(
          `timed out waiting for ${what}; last snapshot ${last?.takenAt} errors ${JSON.stringify(last?.errors)}`,
        );
      }
      await sleep(200);
    }
  }

  async stop(signal: NodeJS.Signals): Promise<void> {
    if (this.running) this.child.kill(signal);
    await this.exited;
    this.poll();
  }
}

const names = (errors: SnapshotError[], sources: string[]) =>
  errors.filter((e) => sources.includes(e.source));
const finishedAt = (s: ClusterSnapshot) => Date.parse(s.takenAt) + (s.durationMs ?? 0);

interface FaultResult {
  /** e.g. "broker pause", "endpoint 404". */
  kind: string;
  target: number;
  /** Error sources that name the failed node. */
  sources: string[];
  startedAt: number;
  endedAt: number;
  /** The first snapshot that named the fault, and the first one started after it ended that did not. */
  firstError: ClusterSnapshot;
  recovered: ClusterSnapshot;
  /** From the end of the fault to the end of the `recovered` refresh. */
  recoveryMs: number;
  /** For restarts, how long the broker took to be back (as the cluster helper sees it). */
  restartMs?: number;
}

interface Round {
  /** The broker no fault of the round touches: its data must keep coming. */
  untouched: number;
  faults: FaultResult[];
}

const rounds: Round[] = [];
let main: Recording;
let startedDown: Recording;
let brokersUpAt = 0;
let wholeDown: FaultResult;

/** Every broker's metrics are read and no error names any node: the cluster is whole again. */
function clean(s: ClusterSnapshot): boolean {
  return (
    s.errors.length === 0 &&
    BROKERS.every((id) => s.brokers.some((b) => b.id === id && b.error === null && b.metrics !== null))
  );
}

const clusterDown = (s: ClusterSnapshot) => s.errors.some((e) => e.source === 'cluster');

/** No error names `sources`, and the broker (when one is given) is in the snapshot with metrics. */
function healthy(sources: string[], broker?: number) {
  return (s: ClusterSnapshot) =>
    names(s.errors, sources).length === 0 &&
    !clusterDown(s) &&
    (broker === undefined || s.brokers.some((b) => b.id === broker && b.metrics !== null));
}

/** From the end of a fault: waits for the first refresh started after it that `ready` accepts. */
async function recovery(
  what: string,
  ready: (s: ClusterSnapshot) => boolean,
  fault: Omit<FaultResult, 'endedAt' | 'recovered' | 'recoveryMs'>,
): Promise<FaultResult> {
  const endedAt = Date.now();
  const recovered = await main.waitFor(what, endedAt, ready);
  return { ...fault, endedAt, recovered, recoveryMs: finishedAt(recovered) - endedAt };
}

async function endpointFault(id: number, mode: Exclude<ProxyMode, 'pass'>): Promise<FaultResult> {
  const sources = [`metrics:${id}`];
  const proxy = proxies.get(id)!;
  const startedAt = Date.now();
  await proxy.setMode(mode);
  const firstError = await main.waitFor(`${mode} on endpoint ${id}`, startedAt, (s) =>
    names(s.errors, sources).some((e) => ENDPOINT_FAULTS[mode].test(e.message)),
  );
  await proxy.setMode('pass');
  return recovery(`endpoint ${id} restored after ${mode}`, healthy(sources), {
    kind: `endpoint ${mode}`,
    target: id,
    sources,
    startedAt,
    firstError,
  });
}

async function endpointChain(id: number, modes: Exclude<ProxyMode, 'pass'>[]): Promise<FaultResult[]> {
  const done: FaultResult[] = [];
  for (const mode of modes) done.push(await endpointFault(id, mode));
  return done;
}

/** A paused broker: the JVM is SIGSTOPped, so its Kafka port and its metrics endpoint answer nothing. */
async function pauseFault(id: number): Promise<FaultResult> {
  const sources = [`broker:${id}`, `metrics:${id}`];
  const startedAt = Date.now();
  cluster.pauseBroker(id);
  let firstError: ClusterSnapshot;
  try {
    // The refresh that shows it has waited out a timeout: by then the pause has lasted about as long as
    // the controller's session timeout, long enough to be fenced.
    firstError = await main.waitFor(
      `broker ${id} paused`,
      startedAt,
      (s) => names(s.errors, sources).length > 0,
    );
  } finally {
    cluster.resumeBroker(id);
  }
  return recovery(`broker ${id} resumed`, healthy(sources, id), {
    kind: 'broker pause',
    target: id,
    sources,
    startedAt,
    firstError,
  });
}

/** A crashed broker (SIGKILL), restarted once kafkatop has shown it down. */
async function killFault(id: number): Promise<FaultResult> {
  const sources = [`broker:${id}`, `metrics:${id}`];
  const startedAt = Date.now();
  await cluster.killBroker(id);
  const firstError = await main.waitFor(
    `broker ${id} killed`,
    startedAt,
    (s) => names(s.errors, [`broker:${id}`]).length > 0,
  );
  const restartStarted = Date.now();
  await cluster.restartBroker(id);
  return recovery(`broker ${id} restarted`, healthy(sources, id), {
    kind: 'broker kill+restart',
    target: id,
    sources,
    startedAt,
    firstError,
    restartMs: Date.now() - restartStarted,
  });
}

async function round(untouched: number, ...parallel: Promise<FaultResult | FaultResult[]>[]): Promise<void> {
  rounds.push({ untouched, faults: (await Promise.all(parallel)).flat() });
}

const startAllBrokers = () => Promise.all(BROKERS.map((id) => cluster.restartBroker(id)));
const killAllBrokers = () => Promise.all(BROKERS.map((id) => cluster.killBroker(id)));

beforeAll(async () => {
  await createTopic(cluster.bootstrap, { topic, partitions: 6 });
  for (const node of [cluster.controller, ...cluster.brokers])
    proxies.set(node.id, await startMetricsProxy(node.metricsUrl));

  main = new Recording('faults');
  await main.waitFor('a clean first refresh', 0, clean, 120_000);

  // Each round breaks one broker and, meanwhile, other nodes' metrics endpoints; the third broker is left
  // alone, so its data shows that kafkatop keeps collecting around the faults.
  const [b1, b2, b3] = BROKERS as [number, number, number];
  const c = cluster.controller.id;
  await round(b3, pauseFault(b1), endpointChain(b2, ['hang', 'closed']));
  await round(b3, killFault(b1), endpointChain(b2, ['404', 'garbage']));
  await round(b1, pauseFault(b2), endpointChain(b3, ['hang', 'closed']));
  await round(b1, killFault(b2), endpointChain(b3, ['404', 'garbage']));
  await round(
    b2,
    pauseFault(b3),
    endpointChain(b1, ['hang', 'closed']),
    endpointChain(c, ['hang', 'closed']),
  );
  await round(b2, killFault(b3), endpointChain(b1, ['404', 'garbage']), endpointChain(c, ['404', 'garbage']));

  // The whole cluster down mid-run; a second kafkatop is started while it is down. Both must collect once
  // the brokers are back, without a restart.
  const downAt = Date.now();
  await killAllBrokers();
  const firstError = await main.waitFor('the cluster down mid-run', downAt, clusterDown);
  startedDown = new Recording('started-down');
  await startedDown.waitFor('a refresh of the kafkatop started while the cluster is down', 0, clusterDown);
  await startedDown.waitFor('a second refresh while down', 0, () => startedDown.snapshots.length >= 2);
  await main.waitFor('more refreshes while the cluster is down', finishedAt(firstError) + 5000, () => true);
  const restartStarted = Date.now();
  await startAllBrokers();
  brokersUpAt = Date.now();
  const recovered = await main.waitFor('a clean refresh after the cluster came back', brokersUpAt, clean);
  const recoveredDown = await startedDown.waitFor(
    'a clean refresh of the kafkatop started while down',
    brokersUpAt,
    clean,
  );
  wholeDown = {
    kind: 'whole cluster kill+restart',
    target: -1,
    sources: ['cluster', ...BROKERS.map((id) => `broker:${id}`)],
    startedAt: downAt,
    endedAt: brokersUpAt,
    firstError,
    recovered,
    recoveryMs: finishedAt(recovered) - brokersUpAt,
    restartMs: brokersUpAt - restartStarted,
  };
  // A few more refreshes of the whole cluster, so "gone after recovery" is seen over more than one.
  await Promise.all([
    main.waitFor('refreshes after recovery', finishedAt(recovered) + 3000, () => true),
    startedDown.waitFor('refreshes after recovery', finishedAt(recoveredDown) + 2000, () => true),
  ]);
  await startedDown.stop('SIGINT');
  await main.stop('SIGTERM');
}, 420_000);

afterAll(async () => {
  await startedDown?.stop('SIGKILL');
  await main?.stop('SIGKILL');
  for (const proxy of proxies.values()) await proxy.close();
  await cluster.ensureBrokersRunning();
  if (process.env.KAFKATOP_KEEP_FAULT_RECORDINGS) console.log(`recordings kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
});

const between = (rec: Recording, from: number, to: number) =>
  rec.snapshots.filter((s) => Date.parse(s.takenAt) >= from && finishedAt(s) <= to);
const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|<anonymous>)$/m;
const faults = () => rounds.flatMap((r) => r.faults);

describe(`kafkatop --headless --record through faults (Kafka ${cluster.version})`, () => {
  it('ran through every fault, exited 0 on SIGTERM and on SIGINT, and printed no stack trace', () => {
    for (const rec of [main, startedDown]) {
      expect(rec.exitCode, rec.stderr).toBe(0);
      expect(rec.stderr).not.toMatch(STACK_FRAME);
      expect(rec.stderr).not.toMatch(/uncaught|unhandled/i);
      expect(rec.stderr).toMatch(/recorded \d+ snapshots/);
      // The recording reads back whole through source/record, line for line what was seen live.
      const recording = readRecording(rec.file);
      expect(recording.badLines).toBe(0);
      expect(allSnapshots(recording).map((s) => s.takenAt)).toEqual(rec.snapshots.map((s) => s.takenAt));
    }
    expect(
      faults()
        .map((f) => `${f.kind} ${f.target}`)
        .sort(),
    ).toHaveLength(3 * 2 + 4 * 4);
  });

  it('names each failed broker and endpoint while it is down, with what went wrong', () => {
    for (const f of faults()) {
      const named = names(f.firstError.errors, f.sources);
      expect(named.length, `${f.kind} ${f.target}`).toBeGreaterThan(0);
      const mode = f.kind.replace('endpoint ', '') as keyof typeof ENDPOINT_FAULTS;
      if (mode in ENDPOINT_FAULTS) expect(named[0]!.message).toMatch(ENDPOINT_FAULTS[mode]);
      // Messages are short and single-line: no body bytes of a garbage page, no stack.
      for (const e of named) expect(e.message).not.toMatch(/[\u0000-\u001f\u007f]|<html|\n\s+at /);
    }
  });

  it('stops naming a fault once it is over, until another fault on the same node', () => {
    const all = faults();
    for (const f of all) {
      const next = all
        .filter((g) => g.target === f.target && g.startedAt > f.endedAt)
        .reduce((min, g) => Math.min(min, g.startedAt), wholeDown.startedAt);
      const after = between(main, Date.parse(f.recovered.takenAt), next);
      const still = after.filter((s) => names(s.errors, f.sources).length > 0);
      expect(
        still.map((s) => `${s.takenAt} ${JSON.stringify(names(s.errors, f.sources))}`),
        `${f.kind} ${f.target}`,
      ).toEqual([]);
    }
  });

  it("keeps collecting the untouched broker's data during every fault", () => {
    for (const r of rounds) {
      const from = Math.min(...r.faults.map((f) => f.startedAt));
      const to = Math.max(...r.faults.map((f) => f.endedAt));
      const during = between(main, from, to);
      const label = `round ${r.faults.map((f) => `${f.kind} ${f.target}`).join(', ')}; broker ${r.untouched}`;
      expect(during.length, label).toBeGreaterThanOrEqual(2);
      const missing = during.filter(
        (s) =>
          clusterDown(s) ||
          !s.brokers.some((b) => b.id === r.untouched && b.error === null && b.metrics !== null) ||
          names(s.errors, [`broker:${r.untouched}`, `metrics:${r.untouched}`]).length > 0,
      );
      expect(
        missing.map((s) => `${s.takenAt} ${JSON.stringify(s.errors)}`),
        label,
      ).toEqual([]);
    }
  });

  it('records the whole cluster down, mid-run and at start, and recovers from both without a restart', () => {
    const restartStarted = wholeDown.endedAt - wholeDown.restartMs!;
    const whileDown = between(main, Date.parse(wholeDown.firstError.takenAt), restartStarted);
    expect(whileDown.length).toBeGreaterThanOrEqual(2);
    expect(whileDown.filter((s) => !clusterDown(s) || s.brokers.length > 0)).toEqual([]);
    expect(clean(wholeDown.recovered)).toBe(true);

    const startedWhileDown = between(startedDown, 0, restartStarted);
    expect(startedWhileDown.length).toBeGreaterThanOrEqual(2);
    expect(startedWhileDown.filter((s) => !clusterDown(s) || s.brokers.length > 0)).toEqual([]);
    expect(startedDown.snapshots.slice(-2).every(clean)).toBe(true);
    expect(main.snapshots.slice(-2).every(clean)).toBe(true);
  });

  it('prints the recovery times for the closing note', () => {
    const startedDownClean = startedDown.snapshots.find(
      (s) => Date.parse(s.takenAt) >= brokersUpAt && clean(s),
    )!;
    const rows = [...faults(), wholeDown]
      .sort((a, b) => a.kind.localeCompare(b.kind) || a.target - b.target)
      .map(
        (r) =>
          `${r.kind.padEnd(28)} node ${String(r.target).padStart(2)}  detected ${String(finishedAt(r.firstError) - r.startedAt).padStart(6)} ms` +
          `  recovered ${String(r.recoveryMs).padStart(6)} ms (its refresh took ${r.recovered.durationMs} ms)` +
          `${r.restartMs === undefined ? '' : `  (brokers took ${r.restartMs} ms to restart)`}`,
      );
    rows.push(
      `${'started with cluster down'.padEnd(36)}  recovered ${String(finishedAt(startedDownClean) - brokersUpAt).padStart(6)} ms`,
    );
    console.log(
      `recovery after each fault, Kafka ${cluster.version}, interval ${INTERVAL_MS} ms (fault end → end of the first refresh no longer naming it):\n${rows.join('\n')}`,
    );
    expect(rows.length).toBe(faults().length + 2);
  });
});
