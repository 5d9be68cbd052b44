import { describe, expect, it } from 'vitest';
import { parseBrokers, parseDuration, resolveOptions, UsageError } from '../../../source/cli/options.js';

const scenarios = ['steady', 'rolling-deploy'];
const resolve = (flags: Parameters<typeof resolveOptions>[0], env: Record<string, string> = {}) =>
  resolveOptions(flags, env, scenarios);

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['2s', 2000],
    ['1.5m', 90_000],
    ['1h', 3_600_000],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text, 'interval')).toBe(ms));

  it('refuses a number without a unit, as the config file does, with a hint', () => {
    expect(() => parseDuration('1', 'interval')).toThrow(
      '--interval "1" has no unit; give a unit: 1s, 500ms, 1m',
    );
    expect(() => parseDuration('2.5', 'timeout')).toThrow(/--timeout "2.5" has no unit/);
  });

  it.each(['', 'soon', '-1s', '0s', '2 days'])('rejects %j with the flag named', (text) => {
    expect(() => parseDuration(text, 'interval')).toThrow(/--interval/);
  });
});

describe('parseBrokers', () => {
  it('defaults the port and keeps order', () => {
    expect(parseBrokers('a.example:9093, b ,[::1]:19092')).toEqual([
      'a.example:9093',
      'b:9092',
      '[::1]:19092',
    ]);
  });
  it.each(['', ',', 'host:99999', 'ho st:1', 'h:p'])('rejects %j', (text) => {
    expect(() => parseBrokers(text)).toThrow(UsageError);
  });
});

describe('resolveOptions', () => {
  it('refuses an --interval below 250ms, which costs a core for nothing anyone can read', () => {
    expect(() => resolve({ demo: true, interval: '1ms' })).toThrow(
      '--interval 1ms is too short: at least 250ms',
    );
    expect(() => resolve({ demo: true, interval: '249ms' })).toThrow(/too short/);
    expect(resolve({ demo: true, interval: '250ms' }).intervalMs).toBe(250);
  });

  it('--record or --replay with an empty file name is a usage error, not ignored', () => {
    expect(() => resolve({ demo: true, record: '' })).toThrow('--record needs a file: --record FILE');
    expect(() => resolve({ replay: ' ' })).toThrow('--replay needs a file: --replay FILE');
    expect(resolve({ demo: true, record: 'x.ndjson' }).record).toBe('x.ndjson');
  });

  it('live from flags or KAFKATOP_BROKERS', () => {
    expect(resolve({ brokers: 'k:1' }).mode).toEqual({ kind: 'live', brokers: ['k:1'] });
    expect(resolve({}, { KAFKATOP_BROKERS: 'k:2' }).mode).toEqual({ kind: 'live', brokers: ['k:2'] });
  });

  it('says what to do when no cluster is given', () => {
    expect(() => resolve({})).toThrow(/--brokers.*--demo/);
  });

  it('demo defaults and scenario validation', () => {
    expect(resolve({ demo: true }).mode).toEqual({ kind: 'demo', scenario: 'steady', seed: 1, speed: 1 });
    expect(() => resolve({ demo: true, scenario: 'nope' })).toThrow(/steady, rolling-deploy/);
    expect(() => resolve({ brokers: 'k:1', scenario: 'steady' })).toThrow(/only apply with --demo/);
  });

  it('output modes', () => {
    expect(resolve({ demo: true }).output).toBe('ui');
    expect(resolve({ demo: true, once: true }).output).toBe('once-table');
    expect(resolve({ demo: true, once: true, json: true }).output).toBe('once-json');
    expect(resolve({ demo: true, headless: true, record: 'f' }).output).toBe('headless');
  });

  it.each([
    [{ json: true, demo: true }, /--json needs --once/],
    [{ headless: true, demo: true }, /--record/],
    [{ demo: true, replay: 'x' }, /cannot be used together/],
    [{ demo: true, brokers: 'k' }, /cannot be used with --brokers/],
    [{ brokers: 'k', metrics: 'u', prometheus: 'p' }, /either --metrics or --prometheus/],
    [{ demo: true, metrics: 'u' }, /only apply to a live cluster/],
    [{ demo: true, speed: 0 }, /--speed/],
    [{ demo: true, duration: '5s' }, /--duration only applies with --headless/],
  ])('rejects %j', (flags, message) => {
    expect(() => resolve(flags)).toThrow(message);
  });

  it('colour follows --no-color and a non-empty NO_COLOR', () => {
    expect(resolve({ demo: true }).color).toBe(true);
    expect(resolve({ demo: true, color: false }).color).toBe(false);
    expect(resolve({ demo: true }, { NO_COLOR: '1' }).color).toBe(false);
    expect(resolve({ demo: true }, { NO_COLOR: '' }).color).toBe(true);
  });

  it('times in local time unless --utc', () => {
    expect(resolve({ demo: true }).utc).toBe(false);
    expect(resolve({ demo: true, utc: true }).utc).toBe(true);
  });
});

describe('metric name overrides', () => {
  it('need a metrics source', () => {
    expect(() => resolve({ brokers: 'k', metricName: ['isrShrinks=x'] })).toThrow(/--metric-name needs/);
    expect(() => resolve({ brokers: 'k', metrics: 'm', brokerLabel: 'b' })).toThrow(
      /--broker-label needs --prometheus/,
    );
    expect(
      resolve({ brokers: 'k', prometheus: 'http://p', metricName: ['a=b'], brokerLabel: 'id' }),
    ).toMatchObject({
      metricNames: ['a=b'],
      brokerLabel: 'id',
    });
  });
});

describe('booleans not given', () => {
  it('an absent --color (undefined, as the CLI passes it) keeps colour on', () => {
    expect(resolve({ demo: true, color: undefined }).color).toBe(true);
  });
});

describe('--stuck-lso', () => {
  it('bounds how long a last stable offset may stand still before it is a hanging transaction', async () => {
    const { sessionSettings } = await import('../../../source/run/session.js');
    const set = resolve({ demo: true, stuckLso: '90s' });
    expect(set.stuckLsoMs).toBe(90_000);
    expect(sessionSettings(set).model.stuckLsoMs).toBe(90_000);
    // Unset, the model takes the brokers' transaction.max.timeout.ms.
    expect(sessionSettings(resolve({ demo: true })).model).not.toHaveProperty('stuckLsoMs');
    expect(() => resolve({ demo: true, stuckLso: '90' })).toThrow(/--stuck-lso "90" has no unit/);
  });
});
