import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseCommand } from '../../../source/cli/commands.js';
import { type Options, parseDuration, resolveOptions } from '../../../source/cli/options.js';
import { runWait, type WaitIo } from '../../../source/run/wait.js';
import type { ClusterSnapshot, SnapshotSource } from '../../../source/snapshot.js';
import { cluster, groupOf, reassign, step } from '../../fixtures/snapshots/builders.js';

afterEach(() => vi.restoreAllMocks());

const s0 = cluster({
  brokers: 3,
  topics: { orders: 3 },
  groups: { billing: { topic: 'orders', members: 3 } },
});

/** Yields the scripted snapshots, then repeats the last one, each a refresh later. */
function scripted(snapshots: ClusterSnapshot[]): SnapshotSource & { closed: boolean } {
  let i = 0;
  let last = snapshots[0]!;
  return {
    label: 'scripted',
    closed: false,
    async refresh() {
      last = i < snapshots.length ? snapshots[i++]! : step(last, 2000);
      return last;
    },
    async close() {
      this.closed = true;
    },
  };
}

const down = (at: ClusterSnapshot) =>
  step(at, 2000, (d) => {
    d.brokers = [];
    d.topics = [];
    d.groups = [];
    d.errors = [{ source: 'cluster', message: 'connect ECONNREFUSED 127.0.0.1:1' }];
  });

async function wait(source: SnapshotSource, input: string[], flags: Record<string, unknown> = {}) {
  const options: Options = {
    ...resolveOptions({ demo: true, ...flags }, {}, ['steady'], null, input),
    intervalMs: 10,
  };
  const command = parseCommand(input, flags, parseDuration);
  if (command?.kind !== 'wait') throw new Error('not a wait');
  const out: string[] = [];
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const io: WaitIo = { write: (t) => out.push(t), tty: false, now: Date.now };
  const code = await runWait({ source }, options, command, io);
  return { code, out: out.join(''), stderr: stderr.mock.calls.map((c) => String(c[0])).join('') };
}

describe('runWait', () => {
  it('exits 0 once the group is back to 3 members and Stable, printing what blocked on each refresh', async () => {
    const rebalancing = step(s0, 2000, (d) => {
      groupOf(d, 'billing').state = 'PreparingRebalance';
      reassign(d, 'billing', ['a', 'b']);
    });
    const two = step(rebalancing, 2000, (d) => {
      groupOf(d, 'billing').state = 'Stable';
    });
    const three = step(two, 2000, (d) => reassign(d, 'billing', ['a', 'b', 'c']));
    const source = scripted([rebalancing, two, three]);
    const { code, out } = await wait(source, ['wait', 'group', 'billing'], { members: 3 });
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^\[0s\] waiting for group billing: group billing PreparingRebalance; group billing has 2 of 3 members$/,
    );
    expect(lines[1]).toMatch(/waiting for group billing: group billing has 2 of 3 members$/);
    expect(lines[2]).toMatch(/^group billing: met after \d+s$/);
    expect(source.closed).toBe(true);
  });

  it('exits 1 on timeout, saying what still blocked', async () => {
    const { code, stderr } = await wait(scripted([s0]), ['wait', 'broker', '7'], {
      up: true,
      timeout: '100ms',
    });
    expect(code).toBe(1);
    expect(stderr).toBe(
      'kafkatop: timed out after 0s waiting for broker 7 up; still blocked by: broker 7 not in metadata\n',
    );
  });

  it('exits 3 when the cluster was unreachable for the whole timeout', async () => {
    const { code, stderr } = await wait(scripted([down(s0)]), ['wait', 'settled'], { timeout: '100ms' });
    expect(code).toBe(3);
    expect(stderr).toMatch(
      /^kafkatop: cluster unreachable for the whole 0s waiting for settled: cluster unreachable: connect ECONNREFUSED/,
    );
  });

  it('exits 1, not 3, when the cluster was reached and then lost', async () => {
    const { code } = await wait(scripted([s0, down(s0)]), ['wait', 'group', 'nope'], { timeout: '100ms' });
    expect(code).toBe(1);
  });

  it('--json: one object per refresh, and the outcome', async () => {
    const { code, out } = await wait(scripted([s0]), ['wait', 'group', 'nope'], {
      timeout: '50ms',
      json: true,
    });
    expect(code).toBe(1);
    const objects = out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(objects[0]).toMatchObject({
      condition: 'group nope',
      met: false,
      blocking: ['group nope not found'],
    });
    expect(objects.at(-1)).toEqual({
      condition: 'group nope',
      outcome: 'timeout',
      blocking: ['group nope not found'],
    });
  });

  it('rewrites one progress line on a terminal, and sanitizes what it prints', async () => {
    const hostile = 'g\u001b[2Jx';
    const out: string[] = [];
    const options: Options = { ...resolveOptions({ demo: true }, {}, ['steady']), intervalMs: 10 };
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const condition = {
      kind: 'group',
      groupId: hostile,
      members: null,
      maxLag: null,
      maxTimeLagMs: null,
    } as const;
    const code = await runWait(
      { source: scripted([s0]) },
      options,
      { kind: 'wait', condition, timeoutMs: 60 },
      {
        write: (t) => out.push(t),
        tty: true,
        now: Date.now,
      },
    );
    expect(code).toBe(1);
    expect(out[0]).toMatch(/^\r\u001b\[K\[0s\] waiting for group g.*x: group g.*x not found$/);
    expect(out.join('')).not.toContain('\u001b[2J');
    expect(out.at(-1)).toBe('\n');
  });
});
