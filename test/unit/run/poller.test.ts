import { describe, expect, it } from 'vitest';
import { createPoller, type PollerTimers } from '../../../source/run/poller.js';
import type { ClusterSnapshot } from '../../../source/snapshot.js';

/** A hand-driven clock and timer queue: `advance(ms)` fires due timers in order. */
function fakeTime() {
  let now = 0;
  let nextId = 1;
  const pending = new Map<number, { at: number; cb: () => void }>();
  const timers: PollerTimers = {
    setTimeout(cb, ms) {
      const id = nextId++;
      pending.set(id, { at: now + ms, cb });
      return id;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
  };
  return {
    timers,
    now: () => now,
    pendingCount: () => pending.size,
    nextDueIn: () => Math.min(...[...pending.values()].map((t) => t.at - now)),
    async advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = [...pending.entries()]
          .filter(([, t]) => t.at <= end)
          .sort(([, a], [, b]) => a.at - b.at)[0];
        if (!due) break;
        pending.delete(due[0]);
        now = due[1].at;
        due[1].cb();
        await flush();
      }
      now = end;
      await flush();
    },
  };
}

async function flush() {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

function snapshot(errors: ClusterSnapshot['errors'] = []): ClusterSnapshot {
  return {
    schemaVersion: 2,
    takenAt: 't',
    clusterId: null,
    controllerId: null,
    brokers: [],
    topics: [],
    groups: [],
    errors,
  };
}

/** A source whose refreshes finish only when the test says so. */
function manualSource() {
  const calls: Array<(s: ClusterSnapshot) => void> = [];
  return {
    calls,
    source: {
      refresh: () => new Promise<ClusterSnapshot>((resolve) => calls.push(resolve)),
    },
  };
}

describe('poller', () => {
  it('refreshes at start and then every interval', async () => {
    const time = fakeTime();
    const { calls, source } = manualSource();
    const poller = createPoller({ source, intervalMs: 2000, timers: time.timers, now: time.now });
    const seen: ClusterSnapshot[] = [];
    poller.onSnapshot((s) => seen.push(s));
    poller.start();
    expect(calls).toHaveLength(1);
    calls[0]!(snapshot());
    await flush();
    expect(seen).toHaveLength(1);
    await time.advance(1999);
    expect(calls).toHaveLength(1);
    await time.advance(1);
    expect(calls).toHaveLength(2);
    calls[1]!(snapshot());
    await flush();
    expect(seen).toHaveLength(2);
    await poller.stop();
  });

  it('drops ticks that fall inside a slow refresh instead of queueing them', async () => {
    const time = fakeTime();
    const { calls, source } = manualSource();
    const poller = createPoller({ source, intervalMs: 1000, timers: time.timers, now: time.now });
    poller.start();
    await time.advance(3500); // the refresh is still running through three ticks
    expect(calls).toHaveLength(1);
    calls[0]!(snapshot());
    await flush();
    expect(poller.droppedTicks).toBe(3);
    // Back on the grid: the next refresh is at 4000, not immediately.
    expect(time.nextDueIn()).toBe(500);
    await time.advance(499);
    expect(calls).toHaveLength(1);
    await time.advance(1);
    expect(calls).toHaveLength(2);
    calls[1]!(snapshot());
    await poller.stop();
  });

  it('refreshNow while a refresh runs returns the running one instead of starting another', async () => {
    const time = fakeTime();
    const { calls, source } = manualSource();
    const poller = createPoller({ source, intervalMs: 1000, timers: time.timers, now: time.now });
    const first = poller.refreshNow();
    const second = poller.refreshNow();
    expect(second).toBe(first);
    expect(calls).toHaveLength(1);
    calls[0]!(snapshot());
    await first;
    // Not started: a manual refresh schedules nothing.
    expect(time.pendingCount()).toBe(0);
  });

  it('backs off exponentially while the cluster is down, capped, and recovers', async () => {
    const time = fakeTime();
    const { calls, source } = manualSource();
    const poller = createPoller({
      source,
      intervalMs: 1000,
      maxBackoffMs: 5000,
      timers: time.timers,
      now: time.now,
    });
    poller.start();
    const down = snapshot([{ source: 'cluster', message: 'no broker reachable' }]);
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      calls[i]!(down);
      await flush();
      delays.push(time.nextDueIn());
      await time.advance(time.nextDueIn());
    }
    expect(delays).toEqual([2000, 4000, 5000, 5000]);
    calls[4]!(snapshot([{ source: 'broker:2', message: 'down' }]));
    await flush();
    expect(time.nextDueIn()).toBe(1000);
    expect(poller.currentDelayMs).toBe(1000);
    await poller.stop();
  });

  it('never runs two refreshes at once, whatever mix of slow refreshes, ticks and manual refreshes', async () => {
    const time = fakeTime();
    const durations = [2500, 300, 1000, 4200, 10, 999, 1001, 3000];
    let active = 0;
    let maxActive = 0;
    let started = 0;
    const source = {
      refresh: () => {
        const ms = durations[started++ % durations.length]!;
        active++;
        maxActive = Math.max(maxActive, active);
        return new Promise<ClusterSnapshot>((resolve) => {
          time.timers.setTimeout(() => {
            active--;
            resolve(snapshot());
          }, ms);
        });
      },
    };
    const poller = createPoller({ source, intervalMs: 1000, timers: time.timers, now: time.now });
    poller.start();
    let manual = 0;
    for (let t = 0; t < 60_000; t += 250) {
      if (t % 750 === 0) {
        manual++;
        void poller.refreshNow();
      }
      await time.advance(250);
    }
    expect(maxActive).toBe(1);
    // Dropped, not queued: the refreshes fit end to end in the time, far fewer than the ticks and requests.
    const busyMs = Array.from({ length: started - 1 }, (_, i) => durations[i % durations.length]!).reduce(
      (a, b) => a + b,
      0,
    );
    expect(busyMs).toBeLessThanOrEqual(60_000);
    expect(started).toBeLessThan(60 + manual);
    expect(poller.droppedTicks).toBeGreaterThan(0);
    await poller.stop();
  });

  it('caps the default backoff at 10 s, so a recovered cluster shows within seconds', async () => {
    const time = fakeTime();
    const { calls, source } = manualSource();
    const poller = createPoller({ source, intervalMs: 1000, timers: time.timers, now: time.now });
    poller.start();
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      calls[i]!(snapshot([{ source: 'cluster', message: 'connection refused' }]));
      await flush();
      delays.push(time.nextDueIn());
      await time.advance(time.nextDueIn());
    }
    expect(delays).toEqual([2000, 4000, 8000, 10_000, 10_000, 10_000]);
    calls[6]!(snapshot());
    await poller.stop();
  });

  it('stop leaves no timers and delivers nothing afterwards', async () => {
    const time = fakeTime();
    const { calls, source } = manualSource();
    const poller = createPoller({ source, intervalMs: 1000, timers: time.timers, now: time.now });
    const seen: ClusterSnapshot[] = [];
    poller.onSnapshot((s) => seen.push(s));
    poller.start();
    const stopped = poller.stop();
    calls[0]!(snapshot());
    await stopped;
    expect(seen).toHaveLength(0);
    expect(time.pendingCount()).toBe(0);
    await time.advance(10_000);
    expect(calls).toHaveLength(1);
  });

  it('survives a source that throws and a listener that throws', async () => {
    const time = fakeTime();
    let n = 0;
    const source = {
      refresh: async () => {
        n++;
        if (n === 1) throw new Error('boom');
        return snapshot();
      },
    };
    const poller = createPoller({ source, intervalMs: 1000, timers: time.timers, now: time.now });
    const errors: unknown[] = [];
    const seen: ClusterSnapshot[] = [];
    poller.onError((e) => errors.push(e));
    poller.onSnapshot(() => {
      throw new Error('listener bug');
    });
    poller.onSnapshot((s) => seen.push(s));
    poller.start();
    await flush();
    expect(errors).toHaveLength(1);
    expect(time.nextDueIn()).toBe(2000); // a throw counts as a wholesale failure
    await time.advance(2000);
    expect(seen).toHaveLength(1);
    await poller.stop();
    expect(time.pendingCount()).toBe(0);
  });
});
