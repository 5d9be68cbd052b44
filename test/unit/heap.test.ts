import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { createHeapKeeper, type HeapPolicy, shouldCollect } from '../../source/heap.js';

const MB = 1024 * 1024;
const used = () => v8.getHeapStatistics().used_heap_size;

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
    const keeper = createHeapKeeper({ floorBytes: used() + 512 * MB, factor: 2 });
    expect(keeper.check()).toBe(false);
    expect(keeper.collections).toBe(0);
  });

  it("collects garbage over the policy with V8's full collection, and then goes by what stayed live", () => {
    let garbage: object[] | null = Array.from({ length: 400_000 }, (_, i) => ({ i, text: `row ${i}` }));
    const before = used();
    expect(before).toBeGreaterThan(16 * MB);
    const keeper = createHeapKeeper({ floorBytes: 8 * MB, factor: 2 });
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
