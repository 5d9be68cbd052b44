/**
 * `kafkatop wait CONDITION`: refresh on the interval until the condition holds (exit 0), the timeout passes
 * (exit 1, with what still blocked), or the cluster stayed unreachable the whole time (exit 3). One line per
 * refresh says what still blocks; on a terminal it rewrites itself in place; with --json it is an NDJSON
 * object, so a deploy script can log or parse it.
 */

import type { Command } from '../cli/commands.js';
import type { Options } from '../cli/options.js';
import type { BuiltSource } from '../cli/sources.js';
import { conditionText, evaluateGate, type GateResult } from '../model/gates.js';
import type { ClusterModel } from '../model/types.js';
import { sanitize } from '../ui/sanitize.js';
import { sessionSettings, startSession } from './session.js';

export interface WaitIo {
  readonly write: (text: string) => void;
  /** Rewrite one progress line in place instead of printing one per refresh. */
  readonly tty: boolean;
  readonly now: () => number;
}

const processIo = (): WaitIo => ({
  write: (text) => process.stdout.write(text),
  tty: process.stdout.isTTY === true,
  now: Date.now,
});

export function formatElapsed(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

export type WaitOutcome = 'met' | 'timeout' | 'unreachable';

export const WAIT_EXIT_CODE: Record<WaitOutcome, number> = { met: 0, timeout: 1, unreachable: 3 };

/** Reachable at least once: a timeout is then 1 (the condition never held), not 3 (never saw the cluster). */
const reached = (model: ClusterModel) => model.snapshot !== null;

export async function runWait(
  { source }: BuiltSource,
  options: Options,
  command: Extract<Command, { kind: 'wait' }>,
  io: WaitIo = processIo(),
): Promise<number> {
  const what = sanitize(conditionText(command.condition));
  const started = io.now();
  const session = startSession({ source, ...sessionSettings(options) });
  let last: GateResult = { met: false, blocking: ['no refresh yet'] };
  let sawCluster = false;
  let progressShown = false;

  const outcome = await new Promise<WaitOutcome>((resolve) => {
    const timer = setTimeout(() => resolve(sawCluster ? 'timeout' : 'unreachable'), command.timeoutMs);
    session.onModel((model) => {
      sawCluster ||= reached(model);
      last = evaluateGate(model, command.condition);
      const elapsedMs = io.now() - started;
      if (options.json) {
        io.write(
          `${JSON.stringify({ at: new Date(io.now()).toISOString(), elapsedMs, condition: conditionText(command.condition), met: last.met, blocking: last.blocking })}\n`,
        );
      } else {
        const text = last.met
          ? `${what}: met after ${formatElapsed(elapsedMs)}`
          : `[${formatElapsed(elapsedMs)}] waiting for ${what}: ${last.blocking.map(sanitize).join('; ')}`;
        io.write(io.tty ? `\r\x1b[K${text}` : `${text}\n`);
        progressShown = io.tty;
      }
      if (last.met) {
        clearTimeout(timer);
        resolve('met');
      }
    });
  });

  await session.stop();
  await source.close();
  if (progressShown) io.write('\n');
  if (outcome !== 'met') {
    const why = last.blocking.map(sanitize).join('; ');
    const line =
      outcome === 'timeout'
        ? `timed out after ${formatElapsed(command.timeoutMs)} waiting for ${what}; still blocked by: ${why}`
        : `cluster unreachable for the whole ${formatElapsed(command.timeoutMs)} waiting for ${what}: ${why}`;
    if (options.json)
      io.write(
        `${JSON.stringify({ condition: conditionText(command.condition), outcome, blocking: last.blocking })}\n`,
      );
    process.stderr.write(`kafkatop: ${line}\n`);
  }
  return WAIT_EXIT_CODE[outcome];
}
