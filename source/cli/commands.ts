/**
 * The gates a deploy script calls: `can-restart BROKER_ID`, `wait settled | broker ID --up | group ID`, and
 * `check`. Pure: the words after `kafkatop` and their flags → a Command, or a UsageError (exit 2).
 */

import { UsageError } from '../config/usage-error.js';
import type { WaitCondition } from '../model/gates.js';

export type Command =
  | { readonly kind: 'can-restart'; readonly brokerId: number }
  | { readonly kind: 'wait'; readonly condition: WaitCondition; readonly timeoutMs: number }
  /** `forMs`: how long to watch; `forGiven`: --for was given, so alert rules whose `for` it covers keep it. */
  | { readonly kind: 'check'; readonly forMs: number; readonly forGiven: boolean };

export const COMMAND_NAMES = ['can-restart', 'wait', 'check'] as const;

export interface CommandFlags {
  up?: boolean;
  members?: number;
  maxLag?: number;
  maxTimeLag?: string;
  for?: string;
  timeout?: string;
}

/** How long `wait` waits by default: a broker restart and its ISR catch-up, with room to spare. */
export const DEFAULT_WAIT_TIMEOUT_MS = 10 * 60_000;
/** How long `check` watches by default: a few refreshes, enough for rates and trends to exist. */
export const DEFAULT_CHECK_MS = 10_000;

const brokerId = (text: string | undefined, usage: string): number => {
  if (text === undefined) throw new UsageError(`${usage} needs a broker id`);
  if (!/^\d+$/.test(text)) throw new UsageError(`${JSON.stringify(text)} is not a broker id`);
  return Number(text);
};

const count = (n: number | undefined, flag: string): number | null => {
  if (n === undefined) return null;
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${flag} must be a whole number, 0 or more`);
  return n;
};

/**
 * `input`: the words after the flags are taken out. `duration` parses a flag's value ("2s"): options.ts's,
 * passed in so both read durations the same way. Null when no command was given (the screen, --once, ...).
 */
export function parseCommand(
  input: readonly string[],
  flags: CommandFlags,
  duration: (text: string, flag: string) => number,
): Command | null {
  const [name, ...rest] = input;
  const only = (used: (keyof CommandFlags)[], where: string) => {
    const stray = used.filter((k) => flags[k] !== undefined);
    if (stray.length > 0) throw new UsageError(`--${kebab(stray[0]!)} only applies to ${where}`);
  };
  const extra = (args: readonly string[]) => {
    if (args.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args[0])}`);
  };
  if (name === undefined) {
    only(['up', 'members', 'maxLag', 'maxTimeLag', 'for'], 'kafkatop wait or check');
    return null;
  }
  switch (name) {
    case 'can-restart': {
      only(['up', 'members', 'maxLag', 'maxTimeLag', 'for'], 'kafkatop wait or check');
      const id = brokerId(rest[0], 'can-restart');
      extra(rest.slice(1));
      return { kind: 'can-restart', brokerId: id };
    }
    case 'check': {
      only(['up', 'members', 'maxLag', 'maxTimeLag'], 'kafkatop wait');
      extra(rest);
      return {
        kind: 'check',
        forMs: flags.for === undefined ? DEFAULT_CHECK_MS : duration(flags.for, 'for'),
        forGiven: flags.for !== undefined,
      };
    }
    case 'wait': {
      only(['for'], 'kafkatop check');
      const timeoutMs =
        flags.timeout === undefined ? DEFAULT_WAIT_TIMEOUT_MS : duration(flags.timeout, 'timeout');
      const [what, target, ...more] = rest;
      extra(more);
      let condition: WaitCondition;
      if (what === 'settled') {
        extra(target === undefined ? [] : [target]);
        only(['up', 'members', 'maxLag', 'maxTimeLag'], 'wait broker or wait group');
        condition = { kind: 'settled' };
      } else if (what === 'broker') {
        only(['members', 'maxLag', 'maxTimeLag'], 'wait group');
        const id = brokerId(target, 'wait broker');
        if (!flags.up) throw new UsageError(`wait broker needs --up: kafkatop wait broker ${id} --up`);
        condition = { kind: 'broker-up', brokerId: id };
      } else if (what === 'group') {
        only(['up'], 'wait broker');
        if (target === undefined || target === '') throw new UsageError('wait group needs a group id');
        condition = {
          kind: 'group',
          groupId: target,
          members: count(flags.members, 'members'),
          maxLag: count(flags.maxLag, 'max-lag'),
          maxTimeLagMs: flags.maxTimeLag === undefined ? null : duration(flags.maxTimeLag, 'max-time-lag'),
        };
      } else {
        throw new UsageError(
          what === undefined
            ? 'wait needs what to wait for: settled, broker ID --up, or group ID'
            : `cannot wait for ${JSON.stringify(what)}: settled, broker ID --up, or group ID`,
        );
      }
      return { kind: 'wait', condition, timeoutMs };
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(name)}; commands: ${COMMAND_NAMES.join(', ')}`);
  }
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
