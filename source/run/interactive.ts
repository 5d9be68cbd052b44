/**
 * The full-screen UI: a session feeds folded models into the UI store; `--record` also writes them.
 * A replay gets its own clock (the recording's time) and the replay keys.
 */
import { constants as osConstants } from 'node:os';
import type { Options } from '../cli/options.js';
import type { BuiltSource } from '../cli/sources.js';
import type { Recorder, ReplaySource } from '../record/index.js';
import { createUiStore, type ReplayControls, runUi, sanitize, type UiStore } from '../ui/index.js';
import { keepHeapAfterRefreshes } from './heap.js';
import { openRecording, recordedLine, type Session, sessionSettings, startSession } from './session.js';

/** Replay keys move the recording's cursor; `sync` shows the new position and speed in the header at once. */
function replayControls(replay: ReplaySource, refreshNow: () => void, sync: () => void): ReplayControls {
  return {
    pause: () => {
      replay.pause();
      sync();
    },
    resume: () => {
      replay.resume();
      sync();
    },
    step: () => {
      if (replay.step()) refreshNow();
    },
    seek: (snapshots) => {
      replay.seek({ index: Math.max(0, replay.position.index + snapshots) });
      refreshNow();
    },
    setSpeed: (speed) => {
      replay.speed = speed;
      sync();
    },
  };
}

/** The UI store for a session: the recording's own interval and clock in a replay, REC while recording. */
export function createSessionStore(
  { source, replay, clock }: BuiltSource,
  options: Options,
  session: Session,
): UiStore {
  const store = createUiStore({
    label: source.label,
    intervalMs: replay?.intervalMs ?? options.intervalMs,
    refreshNow: () => session.refreshNow(),
    replay: replay
      ? replayControls(
          replay,
          () => session.refreshNow(),
          () => syncReplay(),
        )
      : undefined,
    recording: options.record ? { path: options.record } : null,
    // Data age in a replay is measured on the recording's clock, not the wall clock.
    clock: replay ? () => Date.parse(replay.position.at ?? '') || Date.now() : clock,
  });
  const syncReplay = () => {
    if (!replay) return;
    store.setReplay({
      paused: replay.paused,
      speed: replay.speed,
      index: replay.position.index,
      total: replay.position.count,
      ended: replay.ended,
      warning: replay.warning,
    });
  };
  session.onModel((model) => {
    store.setModel(model);
    syncReplay();
  });
  return store;
}

export async function runInteractive(built: BuiltSource, options: Options): Promise<number> {
  const { source, replay } = built;
  let recorder: Recorder | undefined;
  if (options.record) {
    const opened = await openRecording(options.record, source);
    if (!opened) return 1;
    recorder = opened;
  }
  const session = startSession({ source, replay, recorder, scope: built.scope, ...sessionSettings(options) });
  keepHeapAfterRefreshes(session);
  const store = createSessionStore(built, options, session);

  const result = await runUi({ store, ascii: options.ascii, color: options.color, utc: options.utc });
  await session.stop();
  await source.close();
  await recorder?.close();
  // Anything that tried to print while the UI owned the screen is shown once the terminal is back.
  for (const line of result.console.slice(-20)) process.stderr.write(`${sanitize(line)}\n`);
  if (recorder && options.record) process.stderr.write(recordedLine(recorder, options.record));
  // Like a shell: a quit by signal exits 128 + its number (130 for SIGINT, 143 for SIGTERM).
  const failed = recorder?.error ? 1 : 0;
  return result.signal ? 128 + (osConstants.signals[result.signal] ?? 0) : failed;
}
