import { logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createLimit } from '../../../source/kafka/limit.js';
import { createLogRing } from '../../../source/kafka/log-ring.js';
import { createRedactor, oneLine } from '../../../source/kafka/text.js';

describe('text', () => {
  it('strips control characters and bidi overrides into one line', () => {
    expect(oneLine('bad\u001b[2Jgroup\nname\u202e!')).toBe('bad [2Jgroup name !');
  });

  it('redacts secrets wherever they appear', () => {
    const redact = createRedactor(['s3cret', undefined, '']);
    expect(redact('SASL PLAIN failed for user=alice password=s3cret (s3cret)')).toBe(
      'SASL PLAIN failed for user=alice password=*** (***)',
    );
  });
});

describe('log ring', () => {
  it('keeps the most recent lines, cleaned', () => {
    const ring = createLogRing(2);
    const log = ring.logCreator(createRedactor(['pw']))(logLevel.INFO);
    for (const message of ['one', 'two', 'three pw\nx']) {
      log({
        namespace: 'Connection',
        level: logLevel.ERROR,
        label: 'ERROR',
        log: { message, timestamp: 't' },
      });
    }
    expect(ring.lines()).toEqual([
      { time: 't', level: 'error', namespace: 'Connection', message: 'two' },
      { time: 't', level: 'error', namespace: 'Connection', message: 'three *** x' },
    ]);
  });
});

describe('createLimit', () => {
  it('never runs more than max tasks at once and runs them all', async () => {
    const limit = createLimit(2);
    let active = 0;
    let peak = 0;
    const task = (i: number) => async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 5));
      active--;
      return i;
    };
    const results = await Promise.all([0, 1, 2, 3, 4].map((i) => limit(task(i))));
    expect(results).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
  });

  it('keeps going after a task fails', async () => {
    const limit = createLimit(1);
    await expect(limit(() => Promise.reject(new Error('x')))).rejects.toThrow('x');
    await expect(limit(async () => 1)).resolves.toBe(1);
  });
});
