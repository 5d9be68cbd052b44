import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createHeapKeeper, exposedGc, type HeapPolicy, shouldCollect } from '../../../source/run/heap.js';

const MB = 1024 * 1024;
const used = () => v8.getHeapStatistics().used_heap_size;
// The tests run without --expose-gc: V8's collector, exposed here for them alone (kafkatop's launcher
// passes the flag; source/ never changes V8 flags).
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

describe('heap policy', () => {
  const policy: HeapPolicy = { floorBytes: 96 * MB, factor: 2 };

  it('never collects below the floor, whatever is live', () => {
    expect(shouldCollect(90 * MB, 10 * MB, policy)).toBe(false);
    expect(shouldCollect(97 * MB, 10 * MB, policy)).toBe(true);
  });

  it('above the floor, collects once in use passes the factor times what was live', () => {
    expect(shouldCollect(150 * MB, 80 * MB, policy)).toBe(false);
    expect(shouldCollect(161 * MB, 80 * MB, policy)).toBe(true);
  });
});

describe('heap keeper', () => {
  it('leaves a heap under the floor alone', () => {
    const keeper = createHeapKeeper(gc, { floorBytes: used() + 512 * MB, factor: 2 });
    expect(keeper.check()).toBe(false);
    expect(keeper.collections).toBe(0);
  });

  it("collects garbage over the policy with V8's full collection, and then goes by what stayed live", () => {
    let garbage: object[] | null = Array.from({ length: 400_000 }, (_, i) => ({ i, text: `row ${i}` }));
    const before = used();
    expect(before).toBeGreaterThan(16 * MB);
    const keeper = createHeapKeeper(gc, { floorBytes: 8 * MB, factor: 2 });
    garbage = null;
    expect(garbage).toBeNull();
    expect(keeper.check()).toBe(true);
    expect(keeper.collections).toBe(1);
    const after = used();
    expect(after).toBeLessThan(before - 8 * MB);
    // Nothing new allocated: what is in use now is what was live, under twice itself.
    expect(keeper.check()).toBe(false);
    expect(keeper.collections).toBe(1);
  });
});

describe('exposed gc', () => {
  it('is what the launcher exposes as globalThis.gc, or null', () => {
    const saved = (globalThis as { gc?: unknown }).gc;
    (globalThis as { gc?: unknown }).gc = undefined;
    expect(exposedGc()).toBeNull();
    (globalThis as { gc?: unknown }).gc = gc;
    expect(exposedGc()).toBe(gc);
    (globalThis as { gc?: unknown }).gc = saved;
  });
});
