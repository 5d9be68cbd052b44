/**
 * The refresh loop, k9s style: refresh every `intervalMs`, never two at once. A tick that comes due
 * while a refresh is still running is dropped, not queued: the next refresh starts on the next tick of
 * the original grid. When a refresh fails wholesale (the cluster is unreachable) the delay doubles up to
 * `maxBackoffMs`, and the first good refresh restores the interval. Source-agnostic; freezing the view
 * is the UI's business.
 */
import type { ClusterSnapshot } from '../snapshot.js';

export interface PollerTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface PollerOptions {
  source: { refresh(): Promise<ClusterSnapshot> };
  intervalMs: number;
  /** Cap of the failure backoff (default 10 s, never below the interval). */
  maxBackoffMs?: number;
  /** Default: any error from `cluster`. */
  isWholesaleFailure?: (snapshot: ClusterSnapshot) => boolean;
  now?: () => number;
  timers?: PollerTimers;
}

export interface Poller {
  /** Refreshes at once, then on every tick. */
  start(): void;
  /** Runs a refresh now; while one is running, returns that one instead of starting another. */
  refreshNow(): Promise<void>;
  /** Clears every timer; resolves once a refresh in flight has settled. Nothing is delivered after. */
  stop(): Promise<void>;
  onSnapshot(listener: (snapshot: ClusterSnapshot) => void): () => void;
  /** Called when the source broke its promise and threw. */
  onError(listener: (error: unknown) => void): () => void;
  /** Delay before the next refresh as of now: the interval, or the backoff while failing. */
  readonly currentDelayMs: number;
  /** Ticks dropped because a refresh was still running. */
  readonly droppedTicks: number;
}

/**
 * A monitor is watched while the cluster comes back: the cap bounds how long the screen can stay stale
 * after it has. A failed refresh of a down cluster is one refused connection (or one timed-out request),
 * so retrying every 10 s costs the cluster nothing.
 */
export const DEFAULT_MAX_BACKOFF_MS = 10_000;

export function isClusterDown(snapshot: ClusterSnapshot): boolean {
  return snapshot.errors.some((e) => e.source === 'cluster');
}

export function createPoller(options: PollerOptions): Poller {
  const { source, intervalMs } = options;
  if (!(intervalMs > 0)) throw new Error(`interval must be positive, got ${intervalMs}`);
  const maxBackoffMs = Math.max(intervalMs, options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS);
  const wholesale = options.isWholesaleFailure ?? isClusterDown;
  const now = options.now ?? Date.now;
  const timers: PollerTimers = options.timers ?? {
    setTimeout: (cb, ms) => setTimeout(cb, ms),
    clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  };

  const snapshotListeners = new Set<(s: ClusterSnapshot) => void>();
  const errorListeners = new Set<(e: unknown) => void>();
  let running = false;
  let stopped = false;
  let timer: unknown = null;
  let inFlight: Promise<void> | null = null;
  let failures = 0;
  let dropped = 0;

  const delay = () => (failures === 0 ? intervalMs : Math.min(maxBackoffMs, intervalMs * 2 ** failures));

  const disarm = () => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
  };

  const arm = (ms: number) => {
    disarm();
    if (running) timer = timers.setTimeout(tick, ms);
  };

  function tick() {
    timer = null;
    void refresh();
  }

  function refresh(): Promise<void> {
    if (inFlight) return inFlight;
    disarm();
    const started = now();
    inFlight = (async () => {
      let failed = false;
      try {
        const snapshot = await source.refresh();
        failed = wholesale(snapshot);
        if (!stopped) emit(snapshotListeners, snapshot);
      } catch (error) {
        failed = true;
        if (!stopped) emit(errorListeners, error);
      } finally {
        failures = failed ? failures + 1 : 0;
        inFlight = null;
      }
      if (failed) {
        arm(delay());
      } else {
        // Stay on the grid of the interval: ticks that fell inside a long refresh are dropped.
        const elapsed = Math.max(0, now() - started);
        dropped += Math.floor(elapsed / intervalMs);
        arm(intervalMs - (elapsed % intervalMs));
      }
    })();
    return inFlight;
  }

  return {
    start() {
      if (running) return;
      running = true;
      stopped = false;
      void refresh();
    },
    refreshNow: () => refresh(),
    async stop() {
      running = false;
      stopped = true;
      disarm();
      await inFlight;
      disarm();
    },
    onSnapshot(listener) {
      snapshotListeners.add(listener);
      return () => snapshotListeners.delete(listener);
    },
    onError(listener) {
      errorListeners.add(listener);
      return () => errorListeners.delete(listener);
    },
    get currentDelayMs() {
      return delay();
    },
    get droppedTicks() {
      return dropped;
    },
  };
}

function emit<T>(listeners: Set<(value: T) => void>, value: T): void {
  for (const listener of listeners) {
    try {
      listener(value);
    } catch {
      // A broken listener must not stop the loop or starve the others.
    }
  }
}
