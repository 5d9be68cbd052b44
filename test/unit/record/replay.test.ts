import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDemoSource } from '../../../source/demo/index.js';
import type { ModelEvent } from '../../../source/model/types.js';
import { createRecorder, createReplaySource, RecordingError } from '../../../source/record/index.js';
import type { ClusterSnapshot } from '../../../source/snapshot.js';

const dir = mkdtempSync(join(tmpdir(), 'kafkatop-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = JSON.stringify({
  type: 'header',
  format: 'kafkatop-recording',
  version: 1,
  startedAt: '2025-01-01T00:00:00Z',
  source: 'demo: rolling-deploy',
});

async function recorded(n: number, intervalMs = 2000) {
  const source = createDemoSource({ scenario: 'rolling-deploy', seed: 8, intervalMs });
  const snapshots: ClusterSnapshot[] = [];
  for (let i = 0; i < n; i++) snapshots.push(await source.refresh());
  const lines = [HEADER, ...snapshots.map((s) => JSON.stringify({ type: 'snapshot', ...s }))];
  return { snapshots, lines };
}

describe('replay source', () => {
  it('yields the recorded snapshots in order, then ends on the last', async () => {
    const { snapshots, lines } = await recorded(5);
    const replay = createReplaySource(lines);
    expect(replay.position).toMatchObject({ index: -1, count: 5, at: null });
    expect(replay.label).toContain('demo: rolling-deploy');
    for (let i = 0; i < 5; i++) {
      expect(replay.ended).toBe(false);
      expect(await replay.refresh()).toEqual(snapshots[i]);
      expect(replay.position.index).toBe(i);
      expect(replay.position.at).toBe(snapshots[i]!.takenAt);
    }
    expect(replay.ended).toBe(true);
    expect(replay.nextDelayMs()).toBeNull();
    expect(await replay.refresh()).toEqual(snapshots[4]);
    expect(replay.position.firstAt).toBe(snapshots[0]!.takenAt);
    expect(replay.position.lastAt).toBe(snapshots[4]!.takenAt);
  });

  it('paces by the recording clock divided by speed', async () => {
    const { lines } = await recorded(4, 3000);
    const replay = createReplaySource(lines);
    expect(replay.nextDelayMs()).toBe(0);
    await replay.refresh();
    expect(replay.nextDelayMs()).toBe(3000);
    replay.speed = 4;
    expect(replay.nextDelayMs()).toBe(750);
    replay.speed = 1000;
    expect(replay.speed).toBe(64);
    expect(() => {
      replay.speed = 0;
    }).toThrow(RangeError);
  });

  it("knows the recording's own interval, whatever gaps it has", async () => {
    const { lines } = await recorded(6, 1000);
    expect(createReplaySource(lines).intervalMs).toBe(1000);
    // A suspended recording (an hour-long gap) does not change it; one snapshot has none.
    const { snapshots } = await recorded(4, 1000);
    const late = {
      ...snapshots[3]!,
      takenAt: new Date(Date.parse(snapshots[2]!.takenAt) + 3_600_000).toISOString(),
    };
    const suspended = [
      HEADER,
      ...[...snapshots.slice(0, 3), late].map((s) => JSON.stringify({ type: 'snapshot', ...s })),
    ];
    expect(createReplaySource(suspended).intervalMs).toBe(1000);
    expect(createReplaySource(lines.slice(0, 2)).intervalMs).toBeNull();
  });

  it('warns about a corrupt tail', async () => {
    const { lines } = await recorded(3);
    expect(createReplaySource(lines).warning).toBeNull();
    const torn = createReplaySource([...lines, lines[3]!.slice(0, 100)]);
    expect(torn.warning).toBe('skipped 1 corrupt line at the end');
  });

  it('caps long gaps in the recording', async () => {
    const { snapshots } = await recorded(2);
    const late = {
      ...snapshots[1]!,
      takenAt: new Date(Date.parse(snapshots[0]!.takenAt) + 3_600_000).toISOString(),
    };
    const lines = [
      HEADER,
      JSON.stringify({ type: 'snapshot', ...snapshots[0] }),
      JSON.stringify({ type: 'snapshot', ...late }),
    ];
    const replay = createReplaySource(lines, { maxGapMs: 5000, speed: 2 });
    await replay.refresh();
    expect(replay.nextDelayMs()).toBe(2500);
  });

  it('pauses, steps one snapshot at a time, and resumes', async () => {
    const { snapshots, lines } = await recorded(6);
    const replay = createReplaySource(lines, { paused: true });
    // The first frame still comes, so the UI has something to show.
    expect(replay.nextDelayMs()).toBe(0);
    expect(await replay.refresh()).toEqual(snapshots[0]);
    expect(replay.nextDelayMs()).toBeNull();
    expect(await replay.refresh()).toEqual(snapshots[0]);
    expect(replay.step()).toBe(true);
    expect(replay.nextDelayMs()).toBe(0);
    expect(await replay.refresh()).toEqual(snapshots[1]);
    expect(await replay.refresh()).toEqual(snapshots[1]);
    replay.resume();
    expect(replay.paused).toBe(false);
    expect(replay.nextDelayMs()).toBe(2000);
    expect(await replay.refresh()).toEqual(snapshots[2]);
    replay.pause();
    expect(await replay.refresh()).toEqual(snapshots[2]);
  });

  it('seeks by index and by fraction', async () => {
    const { snapshots, lines } = await recorded(11);
    const replay = createReplaySource(lines);
    await replay.refresh();
    replay.pause();
    replay.seek({ fraction: 0.5 });
    expect(await replay.refresh()).toEqual(snapshots[5]);
    replay.seek({ index: 2 });
    expect(await replay.refresh()).toEqual(snapshots[2]);
    replay.seek({ index: 99 });
    expect(await replay.refresh()).toEqual(snapshots[10]);
    expect(replay.ended).toBe(true);
    expect(replay.step()).toBe(false);
    replay.seek({ fraction: -1 });
    expect(await replay.refresh()).toEqual(snapshots[0]);
  });

  it('replays a file written by the recorder, with its events per position', async () => {
    const path = join(dir, 'deploy.ndjson');
    const rec = createRecorder(path, { source: 'demo: rolling-deploy' });
    const { snapshots } = await recorded(8);
    const leave = (s: ClusterSnapshot): ModelEvent => ({
      kind: 'member-leave',
      id: `leave:${s.takenAt}`,
      at: s.takenAt,
      group: 'billing',
      memberId: 'm',
      clientId: 'c',
      host: '/10.0.3.1',
    });
    snapshots.forEach((s, i) => {
      rec.writeSnapshot(s);
      if (i === 3) rec.writeEvent(leave(s));
    });
    await rec.close();
    const replay = createReplaySource(path);
    expect(replay.label).toBe('replay: deploy.ndjson (demo: rolling-deploy)');
    expect(replay.eventsAt(3)).toEqual([leave(snapshots[3]!)]);
    expect(replay.eventsAt(2)).toEqual([]);
    expect(replay.eventsAt(100)).toEqual([]);
    const out: ClusterSnapshot[] = [];
    while (!replay.ended) out.push(await replay.refresh());
    expect(out).toEqual(snapshots);
  });

  it('never throws when the file changes under it', async () => {
    const path = join(dir, 'truncated.ndjson');
    const { snapshots, lines } = await recorded(3);
    writeFileSync(path, `${lines.join('\n')}\n`);
    const replay = createReplaySource(path);
    expect(await replay.refresh()).toEqual(snapshots[0]);
    writeFileSync(path, lines[0]!);
    const broken = await replay.refresh();
    expect(broken.takenAt).toBe(snapshots[0]!.takenAt);
    expect(broken.errors).toEqual([
      { source: 'replay', message: expect.stringMatching(/snapshot 2 of the recording is unreadable/) },
    ]);
    expect(replay.position.index).toBe(1);
  });

  it('refuses a recording with no snapshots', () => {
    expect(() => createReplaySource([HEADER])).toThrow(/no snapshots/);
    expect(() => createReplaySource(join(dir, 'absent.ndjson'))).toThrow(RecordingError);
  });
});
