import { describe, expect, it } from 'vitest';
import { DEFAULT_CHECK_MS, DEFAULT_WAIT_TIMEOUT_MS, parseCommand } from '../../../source/cli/commands.js';
import { parseDuration, resolveOptions, UsageError } from '../../../source/cli/options.js';

const parse = (input: string[], flags: Parameters<typeof parseCommand>[1] = {}) =>
  parseCommand(input, flags, parseDuration);

describe('parseCommand', () => {
  it('no command: the screen, --once or --headless', () => {
    expect(parse([])).toBeNull();
  });

  it('can-restart BROKER_ID', () => {
    expect(parse(['can-restart', '2'])).toEqual({ kind: 'can-restart', brokerId: 2 });
  });

  it('wait settled, with the 10 m default timeout', () => {
    expect(parse(['wait', 'settled'])).toEqual({
      kind: 'wait',
      condition: { kind: 'settled' },
      timeoutMs: DEFAULT_WAIT_TIMEOUT_MS,
    });
  });

  it('wait broker ID --up', () => {
    expect(parse(['wait', 'broker', '3'], { up: true, timeout: '5m' })).toEqual({
      kind: 'wait',
      condition: { kind: 'broker-up', brokerId: 3 },
      timeoutMs: 300_000,
    });
  });

  it('wait group ID with its bounds', () => {
    expect(parse(['wait', 'group', 'billing'], { members: 3, maxLag: 0, maxTimeLag: '30s' })).toEqual({
      kind: 'wait',
      condition: { kind: 'group', groupId: 'billing', members: 3, maxLag: 0, maxTimeLagMs: 30_000 },
      timeoutMs: DEFAULT_WAIT_TIMEOUT_MS,
    });
  });

  it('check, default 10 s; --for sets how long and keeps the rules it covers', () => {
    expect(parse(['check'])).toEqual({ kind: 'check', forMs: DEFAULT_CHECK_MS, forGiven: false });
    expect(parse(['check'], { for: '5m' })).toEqual({ kind: 'check', forMs: 300_000, forGiven: true });
  });

  it.each([
    [['frob'], {}, 'unknown command "frob"; commands: can-restart, wait, check'],
    [['can-restart'], {}, 'can-restart needs a broker id'],
    [['can-restart', 'two'], {}, '"two" is not a broker id'],
    [['can-restart', '1', '2'], {}, 'unexpected argument "2"'],
    [['wait'], {}, 'wait needs what to wait for: settled, broker ID --up, or group ID'],
    [['wait', 'forever'], {}, 'cannot wait for "forever": settled, broker ID --up, or group ID'],
    [['wait', 'broker', '2'], {}, 'wait broker needs --up: kafkatop wait broker 2 --up'],
    [['wait', 'group'], {}, 'wait group needs a group id'],
    [['wait', 'settled', 'now'], {}, 'unexpected argument "now"'],
    [['wait', 'group', 'g'], { members: -1 }, '--members must be a whole number, 0 or more'],
    [['wait', 'group', 'g'], { up: true }, '--up only applies to wait broker'],
    [['wait', 'broker', '1'], { up: true, members: 2 }, '--members only applies to wait group'],
    [['wait', 'settled'], { for: '1m' }, '--for only applies to kafkatop check'],
    [['wait', 'settled'], { timeout: '10' }, '--timeout "10" has no unit; give a unit: 10s, 500ms, 1m'],
    [['check'], { maxLag: 3 }, '--max-lag only applies to kafkatop wait'],
    [[], { up: true }, '--up only applies to kafkatop wait or check'],
  ] as const)('%j %j: %s', (input, flags, message) => {
    expect(() => parse([...input], flags)).toThrow(new UsageError(message));
  });
});

describe('resolveOptions with a command', () => {
  const resolve = (flags: Parameters<typeof resolveOptions>[0], input: string[]) =>
    resolveOptions(flags, {}, ['steady'], null, input);

  it('wait --timeout bounds the whole wait; a refresh keeps its own 10 s bound', () => {
    const o = resolve({ demo: true, timeout: '2m' }, ['wait', 'settled']);
    expect(o.command).toMatchObject({ kind: 'wait', timeoutMs: 120_000 });
    expect(o.timeoutMs).toBe(10_000);
    expect(resolve({ demo: true, timeout: '3s' }, ['wait', 'settled']).timeoutMs).toBe(3000);
  });

  it('--json goes with a command as with --once; --once, --headless and --record do not', () => {
    expect(resolve({ demo: true, json: true }, ['check']).json).toBe(true);
    expect(resolve({ demo: true }, ['check']).json).toBe(false);
    expect(() => resolve({ demo: true, once: true }, ['check'])).toThrow(
      '--once cannot be used with kafkatop check',
    );
    expect(() => resolve({ demo: true, record: 'f' }, ['wait', 'settled'])).toThrow(
      '--record cannot be used with kafkatop wait',
    );
  });
});
