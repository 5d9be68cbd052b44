/**
 * `--headless --record FILE`: refresh and record without a UI until --duration passes or a signal comes.
 * Progress goes to stderr, one line per refresh, so a CI job or a tmux pane shows it is alive.
 */
import type { Options } from '../cli/options.js';
import type { BuiltSource } from '../cli/sources.js';
import { sanitize } from '../ui/sanitize.js';
import { keepHeapAfterRefreshes } from './heap.js';
import { openRecording, recordedLine, sessionSettings, startSession } from './session.js';

export async function runHeadless({ source, replay }: BuiltSource, options: Options): Promise<number> {
  const recorder = await openRecording(options.record!, source);
  if (!recorder) return 1;
  const session = startSession({ source, replay, recorder, ...sessionSettings(options) });
  keepHeapAfterRefreshes(session);
  let refreshes = 0;
  session.onModel((model) => {
    refreshes++;
    const errors = model.snapshot?.errors.length ?? 0;
    const stale = model.staleness.stale
      ? `  stale: ${sanitize(model.staleness.lastError?.message ?? '')}`
      : '';
    process.stderr.write(
      `${model.at ?? '-'}  refresh ${refreshes}  events +${model.newEvents.length}  errors ${errors}${stale}\n`,
    );
  });

  await new Promise<void>((resolve) => {
    const timer = options.durationMs === null ? null : setTimeout(resolve, options.durationMs);
    const onSignal = () => {
      if (timer) clearTimeout(timer);
      resolve();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  await session.stop();
  await source.close();
  await recorder.close();
  process.stderr.write(recordedLine(recorder, options.record!));
  return recorder.error ? 1 : 0;
}
