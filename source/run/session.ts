/**
 * A running session: a source refreshed on a schedule, each snapshot folded into the model, written to
 * the recording (snapshot, then the events it produced), and published to listeners (the UI store).
 * Live and demo sources run on the poller's interval; a replay runs on the recording's own clock.
 */
import type { Options } from '../cli/options.js';
import { createModel } from '../model/model.js';
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

export function startSession(options: SessionOptions): Session {
  const { source, recorder, replay } = options;
  let model: Model = createModel(options.model);
  let generation = replay?.generation ?? 0;
  const modelListeners = new Set<(m: ClusterModel) => void>();

  const publish = (snapshot: ClusterSnapshot) => {
    if (replay && replay.generation !== generation) {
      // After a seek the snapshots no longer continue the folded history: start the model afresh.
      generation = replay.generation;
      model = createModel(options.model);
    }
    const folded = model.fold(snapshot);
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

/** What a session takes from the options: its refresh interval and the model's settings. */
export function sessionSettings(options: Options): { intervalMs: number; model: ModelOptions } {
  const model: ModelOptions =
    options.historyLength === null
      ? { alertRules: options.alertRules }
      : { alertRules: options.alertRules, historyLength: options.historyLength };
  return { intervalMs: options.intervalMs, model };
}
