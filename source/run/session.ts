/**
 * A running session: a source refreshed on a schedule, each snapshot folded into the model, written to
 * the recording (snapshot, then the events it produced), and published to listeners (the UI store).
 * Live and demo sources run on the poller's interval; a replay runs on the recording's own clock.
 */
import type { Options } from '../cli/options.js';
import { createModel, DEFAULT_HISTORY_LENGTH } from '../model/model.js';
import type { ClusterModel, Model, ModelOptions } from '../model/types.js';
import type { ReplaySource } from '../record/replay.js';
import { createRecorder, type Recorder } from '../record/writer.js';
import type { ClusterSnapshot, SnapshotSource } from '../snapshot.js';
import { createPoller } from './poller.js';

export interface SessionOptions {
  source: SnapshotSource;
  intervalMs: number;
  /** Set when `source` is a replay: it is then driven by `nextDelayMs()` instead of the interval. */
  replay?: ReplaySource;
  recorder?: Recorder;
  model?: ModelOptions;
  /** Applied to each snapshot read from `replay` before it is folded (--group/--topic on a replay). */
  scope?: (snapshot: ClusterSnapshot) => ClusterSnapshot;
}

export interface Session {
  readonly model: ClusterModel;
  onModel(listener: (model: ClusterModel) => void): () => void;
  refreshNow(): void;
  /** Stops refreshing; resolves once a refresh in flight has settled. */
  stop(): Promise<void>;
}

/** While a replay is paused or ended, how often to look again. */
const REPLAY_IDLE_POLL_MS = 100;

/**
 * Longest rebuild after a seek, in snapshots (at the default history, 450). Folding a snapshot read from the
 * file costs ~1.2 ms (a 2 h recording at 2 s, 3,600 snapshots of the broker-failure demo: 4.2 s from the
 * start, too long for a key), so a seek back, or far forward, rebuilds at most the model's history (0.4 to
 * 1.2 s for 450 on a shared 2-core machine): the charts, rates, time lag and statuses come out as a straight
 * replay has them. Only what is older (the day-long trend, events before that) starts where the rebuild does.
 * A short seek forward folds the snapshots it skips.
 */
export function replayRebuildLimit(model: ModelOptions | undefined): number {
  return Math.min(model?.historyLength ?? DEFAULT_HISTORY_LENGTH, 1800);
}

export function startSession(options: SessionOptions): Session {
  const { source, recorder, replay } = options;
  let model: Model = createModel(options.model);
  /** Replay: index of the snapshot last folded, so a seek can fold what it skipped or rebuild. */
  let foldedIndex = -1;
  const rebuildLimit = replayRebuildLimit(options.model);
  const modelListeners = new Set<(m: ClusterModel) => void>();

  /** Brings the model to just before snapshot `index` of the replay: the history a straight replay has there. */
  const catchUp = (replay: ReplaySource, index: number) => {
    if (index === foldedIndex + 1) return;
    let from = foldedIndex + 1;
    if (index < from || index - from > rebuildLimit) {
      model = createModel(options.model);
      from = Math.max(0, index - rebuildLimit);
    }
    for (let i = from; i < index; i++) {
      try {
        const read = replay.recording.snapshot(i);
        model.fold(options.scope ? options.scope(read) : read);
      } catch {
        // The file changed under us: the replay source reports it on the snapshot it yields.
      }
    }
  };

  const publish = (snapshot: ClusterSnapshot) => {
    if (replay) {
      const index = replay.position.index;
      // The same snapshot again (a seek that could not move): folding it twice would fake a refresh.
      if (index === foldedIndex) return;
      catchUp(replay, index);
      foldedIndex = index;
    }
    const folded = model.fold(replay && options.scope ? options.scope(snapshot) : snapshot);
    if (recorder) {
      recorder.writeSnapshot(snapshot);
      for (const event of folded.newEvents) recorder.writeEvent(event);
    }
    for (const listener of [...modelListeners]) listener(folded);
  };

  let refreshNow: () => void;
  let stop: () => Promise<void>;

  if (replay) {
    let timer: NodeJS.Timeout | null = null;
    let stopped = false;
    let inFlight: Promise<void> | null = null;
    const schedule = () => {
      if (stopped) return;
      const delay = replay.nextDelayMs();
      timer = setTimeout(delay === null ? schedule : step, delay ?? REPLAY_IDLE_POLL_MS);
    };
    const step = () => {
      inFlight = replay.refresh().then(publish, () => undefined);
      void inFlight.finally(() => {
        inFlight = null;
        schedule();
      });
    };
    refreshNow = () => {
      if (inFlight || stopped) return;
      if (timer) clearTimeout(timer);
      step();
    };
    stop = async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
    };
    step();
  } else {
    const poller = createPoller({ source, intervalMs: options.intervalMs });
    poller.onSnapshot(publish);
    refreshNow = () => void poller.refreshNow();
    stop = () => poller.stop();
    poller.start();
  }

  return {
    get model() {
      return model.get();
    },
    onModel(listener) {
      modelListeners.add(listener);
      return () => modelListeners.delete(listener);
    },
    refreshNow: () => refreshNow(),
    stop: () => stop(),
  };
}

/**
 * Opens `--record FILE` for a session. Null when the file cannot be written: the reason is on stderr and the
 * source is closed, so the caller only has to exit 1.
 */
export async function openRecording(file: string, source: SnapshotSource): Promise<Recorder | null> {
  const recorder = createRecorder(file, { source: source.label });
  const openError = await recorder.ready;
  if (openError === null) return recorder;
  process.stderr.write(`kafkatop: cannot write ${file}: ${openError}\n`);
  await source.close();
  return null;
}

/** The word at exit: what a recording holds and where, and a write failure if there was one. */
export function recordedLine(recorder: Recorder, file: string): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return (
    `kafkatop: recorded ${plural(recorder.snapshots, 'snapshot')} and ${plural(recorder.events, 'event')} to ${file}` +
    `${recorder.error ? ` (write failed: ${recorder.error})` : ''}\n`
  );
}

/** What a session takes from the options: its refresh interval and the model's settings. */
export function sessionSettings(options: Options): { intervalMs: number; model: ModelOptions } {
  const model: ModelOptions = {
    alertRules: options.alertRules,
    ...(options.historyLength === null ? {} : { historyLength: options.historyLength }),
    ...(options.stuckLsoMs === null ? {} : { stuckLsoMs: options.stuckLsoMs }),
  };
  return { intervalMs: options.intervalMs, model };
}
