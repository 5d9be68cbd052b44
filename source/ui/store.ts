/**
 * The UI's external store: the poller and the model live outside React and publish here; components
 * read it through useSyncExternalStore. A new state object is made only when something changed, so an
 * unchanged model causes no render at all.
 */

import type { ClusterModel } from '../model/types.js';

/** Replay controls the wiring passes in when playing a recording. */
export interface ReplayControls {
  pause(): void;
  resume(): void;
  /** One snapshot forward; pauses. */
  step(): void;
  /** Move by `snapshots` (negative: back). */
  seek(snapshots: number): void;
  setSpeed(speed: number): void;
}

/** What the header shows about the replay. The wiring calls `setReplay` whenever it changes. */
export interface ReplayStatus {
  readonly paused: boolean;
  readonly speed: number;
  /** Index of the snapshot shown (0-based) and how many the recording holds. */
  readonly index: number;
  readonly total: number;
  /** The last snapshot is shown and nothing follows. */
  readonly ended: boolean;
  /** What the reader skipped, e.g. `skipped 3 corrupt lines at the end`; null for a clean recording. */
  readonly warning: string | null;
}

/** A `--record` in progress. */
export interface RecordingStatus {
  readonly path: string;
}

export interface UiState {
  readonly model: ClusterModel | null;
  /** Source description, e.g. "127.0.0.1:9092" or "demo: rolling-deploy" (trusted: not from the cluster). */
  readonly label: string;
  /** The refresh interval; a replay's is the recording's own. */
  readonly intervalMs: number;
  readonly replay: ReplayStatus | null;
  /** Set while `--record` writes a file: the header shows REC. */
  readonly recording: RecordingStatus | null;
}

export interface UiStoreOptions {
  label: string;
  intervalMs: number;
  /** Trigger a refresh now; an overlapping refresh should be dropped by the poller, not queued. */
  refreshNow?: () => void;
  replay?: ReplayControls;
  recording?: RecordingStatus | null;
  /** Clock for data age, epoch ms (default Date.now). Replays pass the recording's clock. */
  clock?: () => number;
}

export interface UiStore {
  subscribe(listener: () => void): () => void;
  getSnapshot(): UiState;
  /** Publish a newly folded model; ignored when it is the same object as the current one. */
  setModel(model: ClusterModel): void;
  setReplay(status: ReplayStatus | null): void;
  readonly refreshNow: () => void;
  readonly replay: ReplayControls | null;
  readonly clock: () => number;
}

export function createUiStore(options: UiStoreOptions): UiStore {
  let state: UiState = {
    model: null,
    label: options.label,
    intervalMs: options.intervalMs,
    replay: null,
    recording: options.recording ?? null,
  };
  const listeners = new Set<() => void>();
  const publish = (next: UiState) => {
    state = next;
    for (const listener of [...listeners]) listener();
  };
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => state,
    setModel(model) {
      if (model !== state.model) publish({ ...state, model });
    },
    setReplay(status) {
      const old = state.replay;
      if (
        old === status ||
        (old &&
          status &&
          old.paused === status.paused &&
          old.speed === status.speed &&
          old.index === status.index &&
          old.total === status.total &&
          old.ended === status.ended &&
          old.warning === status.warning)
      ) {
        return;
      }
      publish({ ...state, replay: status });
    },
    refreshNow: options.refreshNow ?? (() => {}),
    replay: options.replay ?? null,
    clock: options.clock ?? Date.now,
  };
}
