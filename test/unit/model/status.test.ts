import { describe, expect, it } from 'vitest';
import { cluster, consume, groupPartitionOf, produce, steps } from '../../fixtures/snapshots/builders.js';
import { foldAll } from './helpers.js';

const options = { statusWindow: 5, stallAfterMs: 10_000 };

function run(members: number, each: (d: ReturnType<typeof cluster>, i: number) => void, count = 12) {
  const s0 = cluster({ topics: { orders: 2 }, groups: { app: { topic: 'orders', members } } });
  return foldAll([s0, ...steps(s0, count, 2000, each)], options).model.groups[0]!;
}

describe('Burrow consumer status', () => {
  it('OK when the consumer keeps up', () => {
    const g = run(1, (d) => {
      produce(d, 'orders', 100);
      consume(d, 'app', 100);
    });
    expect(g.status).toBe('OK');
    expect(g.partitions[0]!.statusReason).toBe('caught up');
  });

  it('OK while lag falls', () => {
    const s0 = cluster({ topics: { orders: 1 }, groups: { app: { topic: 'orders' } } });
    const behind = steps(s0, 1, 2000, (d) => produce(d, 'orders', 10_000));
    const snaps = [
      s0,
      ...behind,
      ...steps(behind[0]!, 8, 2000, (d) => {
        produce(d, 'orders', 100);
        consume(d, 'app', 500);
      }),
    ];
    const g = foldAll(snaps, options).model.groups[0]!;
    expect(g.status).toBe('OK');
    expect(g.statusReason).toBe('orders-0: consuming');
  });

  it('WARN when lag keeps rising although the consumer commits', () => {
    const g = run(1, (d) => {
      produce(d, 'orders', 300);
      consume(d, 'app', 100);
    });
    expect(g.status).toBe('WARN');
    expect(g.statusReason).toMatch(/^orders-\d: lag rising over the last 5 commits/);
  });

  it('not WARN when lag fell at one commit of the window, as in Burrow', () => {
    const g = run(1, (d, i) => {
      produce(d, 'orders', 300);
      consume(d, 'app', i === 8 ? 700 : 100);
    });
    expect(g.status).toBe('OK');
  });

  it('not WARN before the window is full', () => {
    const rising = (d: ReturnType<typeof cluster>) => {
      produce(d, 'orders', 300);
      consume(d, 'app', 100);
    };
    // Folded from the first refresh that is already behind: every commit in the window has lag > 0.
    const s0 = cluster({ topics: { orders: 2 }, groups: { app: { topic: 'orders', members: 1 } } });
    const status = (commits: number) =>
      foldAll(steps(s0, commits, 2000, rising), options).model.groups[0]!.status;
    expect(status(options.statusWindow - 1)).toBe('OK');
    expect(status(options.statusWindow)).toBe('WARN');
  });

  it('STALL when a member owns the partition but its committed offset does not move', () => {
    const g = run(1, (d) => {
      produce(d, 'orders', 100);
    });
    expect(g.status).toBe('STALL');
    expect(g.partitions[0]!.statusReason).toMatch(
      /^committed offset stuck at 0 since 2026-01-01T00:00:00.000Z with lag 1200$/,
    );
  });

  it('STOP when nobody owns the partition and nothing commits', () => {
    const g = run(0, (d) => {
      produce(d, 'orders', 100);
    });
    expect(g.state).toBe('Empty');
    expect(g.status).toBe('STOP');
    expect(g.partitions[1]!.statusReason).toMatch(
      /^no commit since 2026-01-01T00:00:00.000Z and no member owns the partition/,
    );
  });

  it('REWIND when the committed offset goes back', () => {
    const g = run(1, (d, i) => {
      produce(d, 'orders', 100);
      if (i === 9) groupPartitionOf(d, 'app', 'orders', 1).committedOffset = 50;
      else consume(d, 'app', 50, 0);
      if (i < 9) consume(d, 'app', 50, 1);
    });
    expect(g.partitions[1]!.status).toBe('REWIND');
    expect(g.partitions[1]!.statusReason).toBe('committed offset went back from 450 to 50');
    // The group takes its worst partition's status.
    expect(g.partitions[0]!.status).toBe('WARN');
    expect(g.status).toBe('REWIND');
    expect(g.statusReason).toMatch(/^orders-1: /);
  });

  it('a STALL is not declared before stallAfterMs has passed', () => {
    expect(run(1, (d) => produce(d, 'orders', 100), 5).status).toBe('OK');
    expect(run(1, (d) => produce(d, 'orders', 100), 6).status).toBe('STALL');
  });
});
