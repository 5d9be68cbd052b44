import { describe, expect, it } from 'vitest';
import { createDemoSource } from '../../../source/demo/index.js';
import { createModel } from '../../../source/model/model.js';
import type { ClusterModel } from '../../../source/model/types.js';
import { createReplaySource } from '../../../source/record/index.js';
import { startSession } from '../../../source/run/session.js';
import type { ClusterSnapshot } from '../../../source/snapshot.js';

const HEADER = JSON.stringify({
  type: 'header',
  format: 'kafkatop-recording',
  version: 1,
  startedAt: '2025-01-01T00:00:00Z',
  source: 'demo: rolling-deploy',
});

async function recording(n: number) {
  const source = createDemoSource({ scenario: 'rolling-deploy', seed: 8, intervalMs: 2000 });
  const snapshots: ClusterSnapshot[] = [];
  for (let i = 0; i < n; i++) snapshots.push(await source.refresh());
  return { snapshots, lines: [HEADER, ...snapshots.map((s) => JSON.stringify({ type: 'snapshot', ...s }))] };
}

/** What a straight replay from the first snapshot shows at `index`. */
function straight(
  snapshots: readonly ClusterSnapshot[],
  index: number,
  historyLength?: number,
): ClusterModel {
  const model = createModel(historyLength === undefined ? {} : { historyLength });
  for (let i = 0; i < index; i++) model.fold(snapshots[i]!);
  return model.fold(snapshots[index]!);
}

/** The parts of a model a seek used to lose: sparklines, time lag, statuses, settled. */
const history = (m: ClusterModel) => ({
  settled: m.settled,
  groups: m.groups.map((g) => ({
    id: g.groupId,
    lag: g.lagHistory.values(),
    status: g.status,
    timeLag: g.partitions.map((p) => p.timeLagMs),
  })),
});

describe('replay session', () => {
  it('keeps the history across seeks back and forward, as a straight replay has it', async () => {
    const { snapshots, lines } = await recording(40);
    const replay = createReplaySource(lines, { paused: true });
    const session = startSession({ source: replay, replay, intervalMs: 2000 });
    const next = () =>
      new Promise<ClusterModel>((resolve) => {
        const off = session.onModel((m) => {
          off();
          resolve(m);
        });
      });
    try {
      await next();
      for (const target of [30, 20, 35, 5]) {
        const published = next();
        replay.seek({ index: target });
        session.refreshNow();
        const model = await published;
        expect(replay.position.index).toBe(target);
        expect(history(model)).toEqual(history(straight(snapshots, target)));
        expect(model.groups[0]!.lagHistory.values()).toHaveLength(target + 1);
      }
    } finally {
      await session.stop();
    }
  });

  it('rebuilds at most the history the model keeps', async () => {
    const { snapshots, lines } = await recording(40);
    const replay = createReplaySource(lines, { paused: true });
    const session = startSession({ source: replay, replay, intervalMs: 2000, model: { historyLength: 10 } });
    try {
      await new Promise<void>((resolve) => session.onModel(() => resolve()));
      const published = new Promise<ClusterModel>((resolve) => session.onModel(resolve));
      replay.seek({ index: 35 });
      session.refreshNow();
      const model = await published;
      const lag = model.groups[0]!.lagHistory.values();
      expect(lag).toEqual(straight(snapshots, 35, 10).groups[0]!.lagHistory.values());
      expect(lag).toHaveLength(10);
    } finally {
      await session.stop();
    }
  });
});

describe('recordedLine', () => {
  it('says how many snapshots and events went where', async () => {
    const { createRecorder } = await import('../../../source/record/index.js');
    const { PassThrough } = await import('node:stream');
    const { recordedLine } = await import('../../../source/run/session.js');
    const { snapshots } = await recording(2);
    const rec = createRecorder(new PassThrough().resume());
    rec.writeSnapshot(snapshots[0]!);
    rec.writeSnapshot(snapshots[1]!);
    rec.writeEvent({ kind: 'broker-down', id: 'b', at: snapshots[1]!.takenAt, brokerId: 1 } as never);
    expect(recordedLine(rec, 'incident.ndjson')).toBe(
      'kafkatop: recorded 2 snapshots and 1 event to incident.ndjson\n',
    );
  });
});
