import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../../source/cli/options.js';
import { createDemoSource } from '../../../source/demo/index.js';
import { createReplaySource } from '../../../source/record/index.js';
import { createSessionStore } from '../../../source/run/interactive.js';
import { startSession } from '../../../source/run/session.js';
import type { ClusterSnapshot } from '../../../source/snapshot.js';

const HEADER = JSON.stringify({
  type: 'header',
  format: 'kafkatop-recording',
  version: 1,
  startedAt: '2025-01-01T00:00:00Z',
  source: 'demo: steady',
});

async function lines(n: number, intervalMs: number) {
  const source = createDemoSource({ scenario: 'steady', seed: 2, intervalMs });
  const snapshots: ClusterSnapshot[] = [];
  for (let i = 0; i < n; i++) snapshots.push(await source.refresh());
  return [HEADER, ...snapshots.map((s) => JSON.stringify({ type: 'snapshot', ...s }))];
}

describe('the UI store a session feeds', () => {
  it("a replay shows the recording's own interval, marks the end and warns about a corrupt tail", async () => {
    const recorded = await lines(3, 1000);
    const replay = createReplaySource([...recorded, '{"type":"snap'], { speed: 64 });
    const options = resolveOptions({ replay: 'x.ndjson' }, {}, ['steady']);
    expect(options.intervalMs).toBe(2000);
    const session = startSession({ source: replay, replay, intervalMs: options.intervalMs });
    const store = createSessionStore({ source: replay, replay }, options, session);
    try {
      expect(store.getSnapshot().intervalMs).toBe(1000);
      expect(store.getSnapshot().recording).toBeNull();
      await new Promise<void>((resolve) => {
        const check = () => {
          if (store.getSnapshot().replay?.ended) resolve();
        };
        store.subscribe(check);
        check();
      });
      expect(store.getSnapshot().replay).toEqual({
        paused: false,
        speed: 64,
        index: 2,
        total: 3,
        ended: true,
        warning: 'skipped 1 corrupt line at the end',
      });
    } finally {
      await session.stop();
    }
  });

  it('--record shows the file it writes', async () => {
    const source = createDemoSource({ scenario: 'steady' });
    const options = resolveOptions({ demo: true, record: 'incident.ndjson' }, {}, ['steady']);
    const session = startSession({ source, intervalMs: options.intervalMs });
    try {
      const store = createSessionStore({ source }, options, session);
      expect(store.getSnapshot().recording).toEqual({ path: 'incident.ndjson' });
      expect(store.getSnapshot().intervalMs).toBe(2000);
    } finally {
      await session.stop();
    }
  });
});
