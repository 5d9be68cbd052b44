/**
 * Each demo scenario folded through the real model: the events and statuses it promises come out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDemoSource, type DemoOptions } from '../../../source/demo/index.js';
import { createModel } from '../../../source/model/index.js';
import type { ClusterModel, ModelEvent } from '../../../source/model/types.js';
import { createRecorder, createReplaySource } from '../../../source/record/index.js';
import type { ClusterSnapshot } from '../../../source/snapshot.js';

interface Run {
  snapshots: ClusterSnapshot[];
  models: ClusterModel[];
  events: ModelEvent[];
}

async function fold(options: DemoOptions, refreshes: number): Promise<Run> {
  const source = createDemoSource(options);
  const model = createModel();
  const run: Run = { snapshots: [], models: [], events: [] };
  for (let i = 0; i < refreshes; i++) {
    const snapshot = await source.refresh();
    const m = model.fold(snapshot);
    run.snapshots.push(snapshot);
    run.models.push(m);
    run.events.push(...m.newEvents);
  }
  return run;
}

function only<K extends ModelEvent['kind']>(
  events: ModelEvent[],
  kind: K,
): Extract<ModelEvent, { kind: K }>[] {
  return events.filter((e): e is Extract<ModelEvent, { kind: K }> => e.kind === kind);
}

/** Folding a few hundred snapshots takes seconds on a busy machine; this is room, not a timing goal. */
const SLOW = 60_000;

const dir = mkdtempSync(join(tmpdir(), 'kafkatop-demo-model-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('demo scenarios through the model', () => {
  it(
    'rolling-deploy: a leave, a join and two rebalances for each member of billing',
    async () => {
      const run = await fold({ scenario: 'rolling-deploy', seed: 11 }, 140);
      const billing = (s: ClusterSnapshot) => s.groups.find((g) => g.groupId === 'billing')!;
      const original = billing(run.snapshots[0]!).members.map((m) => m.memberId);
      const final = billing(run.snapshots.at(-1)!).members.map((m) => m.memberId);

      const leaves = only(run.events, 'member-leave').filter((e) => e.group === 'billing');
      const joins = only(run.events, 'member-join').filter((e) => e.group === 'billing');
      expect(leaves.map((e) => e.memberId).sort()).toEqual([...original].sort());
      expect(joins.map((e) => e.memberId).sort()).toEqual([...final].sort());
      for (const e of [...leaves, ...joins]) {
        expect(e.clientId).toMatch(/^consumer-billing-\d$/);
        expect(e.host).toMatch(/^\/10\.0\.3\.\d+$/);
      }

      const starts = only(run.events, 'rebalance-start').filter((e) => e.group === 'billing');
      const ends = only(run.events, 'rebalance-end').filter((e) => e.group === 'billing');
      expect(starts).toHaveLength(12);
      expect(ends).toHaveLength(12);
      for (const e of ends) {
        expect(e.observed).toBe(true);
        expect(e.states).toEqual(['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Stable']);
        expect(e.durationMs).toBeGreaterThan(0);
      }
      expect(only(run.events, 'assignment-move').filter((e) => e.group === 'billing').length).toBeGreaterThan(
        12,
      );
      // Nobody else rebalanced.
      const others = run.events.filter(
        (e) => 'group' in e && e.group !== 'billing' && e.kind.startsWith('member'),
      );
      expect(others).toEqual([]);
      expect(run.models.at(-1)!.groups.find((g) => g.groupId === 'billing')!.rebalancesLast15m).toBe(12);
    },
    SLOW,
  );

  it(
    'broker-failure: broker-down, isr-shrink on every partition it replicated, then isr-expand and broker-up',
    async () => {
      const run = await fold({ scenario: 'broker-failure', seed: 5 }, 140);
      const down = only(run.events, 'broker-down');
      expect(down).toHaveLength(1);
      const victim = down[0]!.broker;
      const downAt = run.snapshots.findIndex((s) => !s.brokers.some((b) => b.id === victim));
      const replicated = run.snapshots[0]!.topics.flatMap((t) =>
        t.partitions.filter((p) => p.replicas.includes(victim)).map((p) => `${t.name}:${p.partition}`),
      );

      const shrinks = only(run.events, 'isr-shrink').filter((e) => e.removed.includes(victim));
      expect(shrinks.map((e) => `${e.topic}:${e.partition}`).sort()).toEqual([...replicated].sort());
      // Within two refresh intervals of the failure.
      const deadline = Date.parse(run.snapshots[downAt]!.takenAt) + 2 * 2000;
      for (const e of shrinks) expect(Date.parse(e.at)).toBeLessThanOrEqual(deadline);
      expect(only(run.events, 'leader-change').some((e) => e.from === victim)).toBe(true);
      expect(only(run.events, 'under-min-isr').length).toBeGreaterThan(0);
      expect(only(run.events, 'min-isr-restored').length).toBe(only(run.events, 'under-min-isr').length);

      expect(only(run.events, 'broker-up').map((e) => e.broker)).toEqual([victim]);
      const expands = only(run.events, 'isr-expand').filter((e) => e.added.includes(victim));
      expect(expands.map((e) => `${e.topic}:${e.partition}`).sort()).toEqual([...replicated].sort());
      const firing = only(run.events, 'alert-firing').map((e) => e.alert);
      expect(firing).toContain('UnderReplicatedPartitions');
      expect(firing).toContain('UnderMinIsrPartitions');
      // Leaders come back to the preferred replicas only after the election.
      expect(only(run.events, 'leader-change').some((e) => e.to === victim && e.preferred)).toBe(true);
    },
    SLOW,
  );

  it(
    'slow-consumer: analytics-etl goes WARN while lag and time lag grow, then STALL once commits stop',
    async () => {
      const run = await fold({ scenario: 'slow-consumer', seed: 2 }, 130);
      const etl = run.models.map((m) => m.groups.find((g) => g.groupId === 'analytics-etl')!);
      const statuses = etl.map((g) => g.status);
      const firstWarn = statuses.indexOf('WARN', 12);
      const firstStall = statuses.indexOf('STALL');
      expect(firstWarn).toBeGreaterThan(10);
      expect(firstStall).toBeGreaterThan(firstWarn);
      expect(statuses.slice(firstWarn + 10, firstStall).every((s) => s === 'WARN')).toBe(true);
      expect(statuses.slice(firstStall).every((s) => s === 'STALL')).toBe(true);
      const timeLags = etl.map((g) => g.timeLagMs ?? 0);
      expect(timeLags[firstStall]).toBeGreaterThan(30_000);
      expect(timeLags.at(-1)).toBeGreaterThan(timeLags[firstStall]!);
      expect(etl.at(-1)!.eta.kind).toBe('not-catching-up');
      // The other group on clickstream stays healthy.
      expect(run.models.at(-1)!.groups.find((g) => g.groupId === 'clickstream-sessionizer')!.status).not.toBe(
        'STALL',
      );
    },
    SLOW,
  );

  it(
    'hot-broker: the request-handler idle alert fires for broker 2',
    async () => {
      const run = await fold({ scenario: 'hot-broker', seed: 4, speed: 5 }, 80);
      const firing = only(run.events, 'alert-firing').filter((e) => e.alert === 'RequestHandlerIdleLow');
      expect(firing.map((e) => e.subject)).toEqual(['broker:2']);
      expect(firing[0]!.value).toBeLessThan(0.2);
    },
    SLOW,
  );

  it(
    'steady: no broker, ISR or rebalance events',
    async () => {
      const run = await fold({ scenario: 'steady', seed: 6 }, 100);
      const noisy = run.events.filter((e) =>
        /^(isr|broker|rebalance|member|leader|under|partition)/.test(e.kind),
      );
      expect(noisy).toEqual([]);
    },
    SLOW,
  );

  it.each([
    ['rolling-deploy', 70],
    ['broker-failure', 90],
  ] as const)(
    '%s: replaying its recording gives the same events as the live run',
    async (scenario, n) => {
      const path = join(dir, `${scenario}.ndjson`);
      const live = createDemoSource({ scenario, seed: 21 });
      const liveModel = createModel();
      const recorder = createRecorder(path, { source: live.label });
      const liveEvents: ModelEvent[][] = [];
      for (let i = 0; i < n; i++) {
        const snapshot = await live.refresh();
        const m = liveModel.fold(snapshot);
        recorder.writeSnapshot(snapshot);
        for (const e of m.newEvents) recorder.writeEvent(e);
        liveEvents.push([...m.newEvents]);
      }
      await recorder.close();
      expect(recorder.error).toBeNull();
      expect(liveEvents.flat().length).toBeGreaterThan(10);

      const replay = createReplaySource(path, { speed: 64 });
      const replayModel = createModel();
      const replayed: ModelEvent[][] = [];
      while (!replay.ended) {
        const m = replayModel.fold(await replay.refresh());
        expect(m.newEvents).toEqual(replay.eventsAt(replay.position.index));
        replayed.push([...m.newEvents]);
      }
      expect(replayed).toEqual(liveEvents);
    },
    SLOW,
  );
});
