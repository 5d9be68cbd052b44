/**
 * An accelerated long run with no Kafka: a demo cluster (rolling deploys over and over) folded into the
 * model and written to a recording, one simulated minute per refresh, for more than two simulated days. Every history the model keeps is bounded (the 24 h long history fills after
 * 1,440 refreshes), so once full, more refreshes must not hold more memory.
 */
import { Writable } from 'node:stream';
import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { createDemoSource } from '../../source/demo/index.js';
import { createModel } from '../../source/model/model.js';
import { createRecorder } from '../../source/record/writer.js';
import { collectGarbage } from '../support/resources.js';

const heapMb = async () => {
  await collectGarbage();
  return getHeapStatistics().used_heap_size / 2 ** 20;
};

describe('long run', () => {
  it('holds no more memory after 3,200 refreshes than after 1,600', async () => {
    let bytes = 0;
    const discard = new Writable({
      write(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done();
      },
    });
    const recorder = createRecorder(discard, { source: 'demo' });
    const model = createModel();
    const heap: number[] = [];
    let events = 0;
    // 2 s refreshes at speed 30: each refresh is one simulated minute.
    const source = createDemoSource({ scenario: 'rolling-deploy', speed: 30, intervalMs: 2000 });
    for (let i = 1; i <= 3200; i++) {
      const snapshot = await source.refresh();
      events += model.fold(snapshot).newEvents.length;
      recorder.writeSnapshot(snapshot);
      if (i === 1600 || i === 3200) heap.push(await heapMb());
    }
    await source.close();
    await recorder.close();
    const [full, later] = heap as [number, number];
    console.log(
      `long run: heap after 1,600 refreshes ${full.toFixed(1)} MB, after 3,200 ${later.toFixed(1)} MB; ` +
        `${events} events, ${(bytes / 2 ** 20).toFixed(0)} MB recorded`,
    );
    expect(events).toBeGreaterThan(0);
    expect(bytes).toBeGreaterThan(0);
    expect(later - full).toBeLessThan(5);
  }, 300_000);
});
