/**
 * Keeps kafkatop's heap near what it really holds. V8 lets the old generation grow to up to ~4× what was
 * live after its last full collection before collecting again. A monitor allocates a new snapshot and
 * new view-models every refresh, which live until the next one (so they are promoted) and then die: at
 * 1,000 groups 44 MB was live, but V8 let ~130 MB of garbage build up, and resident memory reached
 * 250–330 MB (docs/performance.md).
 *
 * So after each refresh, once the heap in use is over `factor` × what was live after the last full
 * collection, and over `floorBytes`, kafkatop collects. Below the floor V8 keeps its own pace and nothing
 * is spent: at 100 groups, with the UI and a full history, the heap in use peaked at 59 MB.
 *
 * Node 24's V8 lets the heap grow further still: at 1,000 groups without this bound kafkatop held 226 MB
 * of heap for ~55 MB live, and 440 MB resident (docs/performance.md, "Ninth round"). The collection is
 * V8's own `gc()`, which the launcher exposes with `--expose-gc` (the bin's shebang, `npm start`); no V8
 * flag is changed at run time.
 */
import v8 from 'node:v8';

const MB = 1024 * 1024;

export interface HeapPolicy {
  /** Never collect below this many bytes in use. */
  readonly floorBytes: number;
  /** Collect once in use exceeds this multiple of what was live after the last full collection. */
  readonly factor: number;
}

export const HEAP_POLICY: HeapPolicy = { floorBytes: 64 * MB, factor: 1.75 };

export function shouldCollect(usedBytes: number, liveBytes: number, policy: HeapPolicy): boolean {
  return usedBytes > Math.max(policy.floorBytes, liveBytes * policy.factor);
}

export interface HeapKeeper {
  /** Called after each refresh: collects when the policy says so. Returns whether it did. */
  check(): boolean;
  readonly collections: number;
}

/** V8's full collection, where the launcher exposed it (`node --expose-gc`, as bin and `npm start` do). */
export function exposedGc(): (() => void) | null {
  const gc = (globalThis as { gc?: unknown }).gc;
  return typeof gc === 'function' ? (gc as () => void) : null;
}

export function createHeapKeeper(
  gc: () => void,
  policy: HeapPolicy = HEAP_POLICY,
  used: () => number = () => v8.getHeapStatistics().used_heap_size,
): HeapKeeper {
  // Until kafkatop has collected once, nothing is known to be live: the floor alone decides.
  let live = 0;
  let collections = 0;
  return {
    check() {
      const now = used();
      // V8's own collections shrink the heap too; what it kept is at most what is in use now.
      if (now < live) live = now;
      if (!shouldCollect(now, live, policy)) return false;
      gc();
      live = used();
      collections++;
      return true;
    },
    get collections() {
      return collections;
    },
  };
}

/**
 * For long runs: the heap checked after each refresh the session publishes, once the listeners (the UI)
 * are done. Without an exposed collector (kafkatop started as `node dist/cli/cli.js` without
 * `--expose-gc`) V8 keeps its own pace.
 */
export function keepHeapAfterRefreshes(session: { onModel(listener: () => void): () => void }): () => void {
  const gc = exposedGc();
  if (!gc) return () => {};
  const keeper = createHeapKeeper(gc);
  return session.onModel(() => {
    setImmediate(() => keeper.check());
  });
}
