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
 */
import v8 from 'node:v8';
import vm from 'node:vm';

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

let exposedGc: (() => void) | null = null;

/** V8's full collection, exposed without a command-line flag (kafkatop runs as a plain `node` script). */
function fullGc(): () => void {
  if (!exposedGc) {
    v8.setFlagsFromString('--expose-gc');
    exposedGc = vm.runInNewContext('gc') as () => void;
  }
  return exposedGc;
}

export function createHeapKeeper(
  policy: HeapPolicy = HEAP_POLICY,
  used: () => number = () => v8.getHeapStatistics().used_heap_size,
): HeapKeeper {
  const gc = fullGc();
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
 * Young-generation collections (scavenges) run on the main thread alone. V8 splits each scavenge into up
 * to min(semi-space MB + 1, 8, worker threads + 1) parallel tasks, and Node gives V8 4 worker threads
 * whatever the machine has: on a 2-core host a scavenge of the few MB a refresh leaves alive ran as 5 tasks
 * on 2 cores, and handing work between them cost more CPU than the copying did. One task is the path V8
 * itself takes near its heap limit, and the flag is read at each scavenge, so it is safe to set now (V8's
 * own tests set it at run time). Idle CPU with the UI at 100 groups: 2.94% → 2.47% side by side
 * (docs/performance.md, "Sixth round"). Mark-compact stays concurrent: its flags cannot change once V8 runs.
 */
export function scavengeOnMainThread(): void {
  v8.setFlagsFromString('--no-parallel-scavenge');
}

/**
 * For long runs: scavenges on the main thread, and the heap checked after each refresh the session
 * publishes, once the listeners (the UI) are done.
 */
export function keepHeapAfterRefreshes(
  session: { onModel(listener: () => void): () => void },
  keeper: HeapKeeper = createHeapKeeper(),
): () => void {
  scavengeOnMainThread();
  return session.onModel(() => {
    setImmediate(() => keeper.check());
  });
}
