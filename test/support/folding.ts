/**
 * Refreshes folded into a model back to back in the background, as the screen folds them, for integration
 * tests that judge what the model made of a change (its events) while the test drives the real cluster.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createModel } from '../../source/model/index.js';
import type { ModelEvent } from '../../source/model/types.js';
import type { ClusterSnapshot } from '../../source/snapshot.js';

export interface Folding {
  /** Every event folded so far, in order. */
  readonly events: ModelEvent[];
  /** The first snapshot folded after this call for which `ready` holds; its events are in `events` by then. */
  until(ready: (s: ClusterSnapshot) => boolean, what: string, timeoutMs?: number): Promise<ClusterSnapshot>;
  /** Stops after the refresh in flight. */
  stop(): Promise<void>;
}

/** Folds `collect()`'s snapshots, `everyMs` apart, until `stop()`. */
export function startFolding(collect: () => Promise<ClusterSnapshot>, everyMs = 500): Folding {
  const model = createModel({});
  const events: ModelEvent[] = [];
  let latest: { seq: number; snapshot: ClusterSnapshot } | null = null;
  let failed: unknown = null;
  let folding = true;
  const loop = (async () => {
    for (let seq = 0; folding; seq++) {
      const snapshot = await collect();
      events.push(...model.fold(snapshot).newEvents);
      latest = { seq, snapshot };
      await sleep(everyMs);
    }
  })().catch((error: unknown) => {
    failed = error;
  });
  return {
    events,
    async until(ready, what, timeoutMs = 60_000) {
      const after = latest?.seq ?? -1;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (failed) throw failed;
        const l: { seq: number; snapshot: ClusterSnapshot } | null = latest;
        if (l && l.seq > after && ready(l.snapshot)) return l.snapshot;
        if (Date.now() > deadline) throw new Error(`${what}: not reached in ${timeoutMs} ms`);
        await sleep(100);
      }
    },
    async stop() {
      folding = false;
      await loop;
    },
  };
}
