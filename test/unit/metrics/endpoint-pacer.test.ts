import { describe, expect, it } from 'vitest';
import { createEndpointPacer } from '../../../source/metrics/endpoint-pacer.js';

/** A request the test answers by hand, and a clock the test moves. */
function harness(options: { maxMs?: number } = {}) {
  let now = 0;
  const pacer = createEndpointPacer<string>({ clock: () => now, ...options });
  const sent: Array<{
    signal: AbortSignal;
    answer: (value: string, costMs?: number | null) => void;
    fail: (value: string) => void;
  }> = [];
  const send = (signal: AbortSignal) =>
    new Promise<{ value: string; costMs: number | null } | { value: string; failed: true }>((resolve) => {
      sent.push({
        signal,
        answer: (value, costMs = null) => resolve({ value, costMs }),
        fail: (value) => resolve({ value, failed: true }),
      });
    });
  const expired = () => AbortSignal.abort();
  const open = () => new AbortController().signal;
  return {
    pacer,
    sent,
    send,
    expired,
    open,
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('endpoint pacer', () => {
  it('sends no second request while one is in flight: a later refresh waits for the same one', async () => {
    const h = harness();
    const first = await h.pacer.run('b1', h.now(), h.expired(), h.send);
    expect(first).toEqual({ result: null, held: false, waitingMs: 0 });
    h.advance(2000);
    const second = h.pacer.run('b1', h.now(), h.open(), h.send);
    h.advance(500);
    h.sent[0]!.answer('walk 1');
    expect(await second).toEqual({ result: 'walk 1', held: false, waitingMs: 0 });
    expect(h.sent).toHaveLength(1);
    expect(h.sent[0]!.signal.aborted).toBe(false);
  });

  it('after an answer, waits spacing × its cost before the next request and hands the answer again', async () => {
    const h = harness();
    const run = h.pacer.run('b1', h.now(), h.open(), h.send);
    h.sent[0]!.answer('slow walk', 10_000);
    expect((await run).result).toBe('slow walk');
    h.advance(39_000);
    expect(await h.pacer.run('b1', h.now(), h.open(), h.send)).toEqual({
      result: 'slow walk',
      held: true,
      waitingMs: 0,
    });
    expect(h.sent).toHaveLength(1);
    h.advance(1000);
    const next = h.pacer.run('b1', h.now(), h.open(), h.send);
    expect(h.sent).toHaveLength(2);
    h.sent[1]!.answer('next walk', 10);
    expect((await next).result).toBe('next walk');
    // A cheap endpoint is asked again at the next refresh.
    h.advance(100);
    void h.pacer.run('b1', h.now(), h.open(), h.send);
    expect(h.sent).toHaveLength(3);
  });

  it('without a reported cost, paces by the time the answer took', async () => {
    const h = harness();
    const run = h.pacer.run('b1', h.now(), h.open(), h.send);
    h.advance(3000);
    h.sent[0]!.answer('answer', null);
    await run;
    // 4 × 3 s after it started: held until 12 s.
    h.advance(8000);
    expect((await h.pacer.run('b1', h.now(), h.open(), h.send)).held).toBe(true);
    h.advance(1000);
    void h.pacer.run('b1', h.now(), h.open(), h.send);
    expect(h.sent).toHaveLength(2);
  });

  it('retries a failed request at the next refresh and never hands a failure back as held', async () => {
    const h = harness();
    const run = h.pacer.run('b1', h.now(), h.open(), h.send);
    h.sent[0]!.fail('connection refused');
    expect(await run).toEqual({ result: 'connection refused', held: false, waitingMs: 0 });
    h.advance(10);
    void h.pacer.run('b1', h.now(), h.open(), h.send);
    expect(h.sent).toHaveLength(2);
  });

  it('tells how long an unanswered request has been running', async () => {
    const h = harness();
    await h.pacer.run('b1', h.now(), h.expired(), h.send);
    h.advance(7000);
    expect(await h.pacer.run('b1', h.now(), h.expired(), h.send)).toEqual({
      result: null,
      held: false,
      waitingMs: 7000,
    });
  });

  it('paces each endpoint on its own', async () => {
    const h = harness();
    void h.pacer.run('b1', h.now(), h.expired(), h.send);
    const other = h.pacer.run('b2', h.now(), h.open(), h.send);
    expect(h.sent).toHaveLength(2);
    h.sent[1]!.answer('b2 answer', 1);
    expect((await other).result).toBe('b2 answer');
  });

  it('ends a request at maxMs and on close', async () => {
    const h = harness({ maxMs: 20 });
    void h.pacer.run('b1', h.now(), h.expired(), h.send);
    await new Promise((r) => setTimeout(r, 60));
    expect(h.sent[0]!.signal.aborted).toBe(true);
    expect(String((h.sent[0]!.signal.reason as Error).message)).toBe('timed out after 20 ms');

    const c = harness();
    void c.pacer.run('b1', c.now(), c.expired(), c.send);
    c.pacer.close();
    expect(c.sent[0]!.signal.aborted).toBe(true);
    // After close nothing is remembered: the next refresh sends a new request.
    void c.pacer.run('b1', c.now(), c.expired(), c.send);
    expect(c.sent).toHaveLength(2);
  });
});
