import { describe, expect, it } from 'vitest';
import { resolveOptions, UsageError } from '../../../source/cli/options.js';
import { formatEffectiveConfig } from '../../../source/cli/print.js';
import { alertRules, parseAlertOverrides } from '../../../source/config/alerts.js';
import { parseConfigFile } from '../../../source/config/file.js';
import { createModel, DEFAULT_ALERT_RULES } from '../../../source/model/index.js';
import { sessionSettings } from '../../../source/run/session.js';
import { cluster, groupPartitionOf, partitionOf, steps } from '../../fixtures/snapshots/builders.js';

const parse = (alerts: unknown) => parseAlertOverrides(alerts, 'alerts', 'c.json');
const rule = (rules: ReturnType<typeof alertRules>, name: string) => rules.find((r) => r.name === name);

describe('alert thresholds from the config file', () => {
  it('reads each threshold in its own unit: messages, a duration, a percentage', () => {
    const rules = alertRules(
      parse({
        ConsumerGroupLagHigh: { threshold: 50_000, for: '10m' },
        ConsumerGroupTimeLagHigh: { threshold: '90s' },
        RequestHandlerIdleLow: { threshold: '25%', for: '1m', severity: 'critical' },
        OfflinePartitions: { enabled: false },
      }),
    );
    expect(rule(rules, 'ConsumerGroupLagHigh')).toMatchObject({ threshold: 50_000, forMs: 600_000 });
    expect(rule(rules, 'ConsumerGroupLagHigh')!.description).toBe(
      'Group total lag > 50,000 for 10m (config file)',
    );
    expect(rule(rules, 'ConsumerGroupTimeLagHigh')).toMatchObject({ threshold: 90_000, forMs: 2 * 60_000 });
    expect(rule(rules, 'RequestHandlerIdleLow')).toMatchObject({
      threshold: 0.25,
      forMs: 60_000,
      severity: 'critical',
    });
    expect(rule(rules, 'OfflinePartitions')).toBeUndefined();
    expect(rules).toHaveLength(DEFAULT_ALERT_RULES.length - 1);
    // Untouched rules are the built-in objects themselves.
    expect(rule(rules, 'UnderReplicatedPartitions')).toBe(
      DEFAULT_ALERT_RULES.find((r) => r.name === 'UnderReplicatedPartitions'),
    );
  });

  it('a cluster layer overrides the top level field by field', () => {
    const rules = alertRules(
      parse({
        ConsumerGroupLagHigh: { threshold: 50_000, for: '10m' },
        OfflinePartitions: { enabled: false },
      }),
      parse({ ConsumerGroupLagHigh: { threshold: 5_000 }, OfflinePartitions: { enabled: true } }),
    );
    expect(rule(rules, 'ConsumerGroupLagHigh')).toMatchObject({ threshold: 5_000, forMs: 600_000 });
    expect(rule(rules, 'OfflinePartitions')).toBeDefined();
  });

  it.each([
    [{ NoSuchAlert: {} }, /unknown alert "NoSuchAlert"; alerts: ConsumerGroupLagHigh, /],
    [{ ConsumerGroupLagHigh: 5 }, /ConsumerGroupLagHigh must be an object/],
    [{ ConsumerGroupLagHigh: { threshhold: 5 } }, /unknown key; allowed: threshold, for, severity, enabled/],
    [{ ConsumerGroupLagHigh: { threshold: '5k' } }, /threshold must be a number of messages/],
    [{ ConsumerGroupLagHigh: { threshold: -1 } }, /threshold must be a number/],
    [{ ConsumerGroupTimeLagHigh: { threshold: 300 } }, /threshold must be a duration such as "10m"/],
    [{ RequestHandlerIdleLow: { threshold: 0.2 } }, /threshold must be a percentage such as "20%"/],
    [{ RequestHandlerIdleLow: { threshold: '120%' } }, /percentage/],
    [{ ConsumerGroupLagHigh: { for: 300 } }, /for must be a duration such as "5m"/],
    [{ ConsumerGroupLagHigh: { severity: 'page' } }, /severity must be "warning" or "critical"/],
    [{ ConsumerGroupLagHigh: { enabled: 'no' } }, /enabled must be true or false/],
    [[], /alerts must be an object of alert names/],
  ])('refuses %j with a usage error naming the place', (alerts, message) => {
    expect(() => parse(alerts)).toThrow(UsageError);
    expect(() => parse(alerts)).toThrow(message);
  });

  it('is read from the file at the top level and per cluster, and shown by --print-config', () => {
    const file = parseConfigFile(
      JSON.stringify({
        alerts: { ConsumerGroupLagHigh: { threshold: 50_000 } },
        clusters: {
          prod: { brokers: 'k:9092', alerts: { ConsumerGroupLagHigh: { for: '1m' } } },
          dev: { brokers: 'd:9092' },
        },
      }),
      'c.json',
    );
    const prod = resolveOptions({ cluster: 'prod' }, {}, ['steady'], file);
    expect(rule(prod.alertRules, 'ConsumerGroupLagHigh')).toMatchObject({ threshold: 50_000, forMs: 60_000 });
    const dev = resolveOptions({ cluster: 'dev' }, {}, ['steady'], file);
    expect(rule(dev.alertRules, 'ConsumerGroupLagHigh')).toMatchObject({ threshold: 50_000, forMs: 300_000 });
    // The top level holds for the demo and replays too.
    const demo = resolveOptions({ demo: true }, {}, ['steady'], file);
    expect(rule(demo.alertRules, 'ConsumerGroupLagHigh')!.threshold).toBe(50_000);

    const printed = JSON.parse(formatEffectiveConfig(prod)) as { alerts: Array<Record<string, unknown>> };
    expect(printed.alerts).toContainEqual({
      name: 'ConsumerGroupLagHigh',
      severity: 'warning',
      threshold: 50_000,
      forMs: 60_000,
    });
  });

  it('the model fires on the configured threshold, not the built-in one', () => {
    const file = parseConfigFile(
      JSON.stringify({ alerts: { ConsumerGroupLagHigh: { threshold: 500, for: '1m' } } }),
      'c.json',
    );
    const options = resolveOptions({ demo: true }, {}, ['steady'], file);
    const model = createModel(sessionSettings(options).model);
    const base = cluster({ topics: { orders: 1 }, groups: { app: { topic: 'orders' } } });
    // Lag 1,000: far below the built-in 100,000, above the configured 500; held for 2 minutes.
    const snaps = steps(base, 5, 30_000, (d) => {
      partitionOf(d, 'orders', 0).logEndOffset = 1_000;
      groupPartitionOf(d, 'app', 'orders', 0).committedOffset = 0;
    });
    let fired = false;
    for (const s of [base, ...snaps]) {
      fired ||= model
        .fold(s)
        .newEvents.some((e) => e.kind === 'alert-firing' && e.alert === 'ConsumerGroupLagHigh');
    }
    expect(fired).toBe(true);
  });
});

describe('--history', () => {
  const resolve = (history: string, interval = '2s') =>
    resolveOptions({ demo: true, history, interval }, {}, ['steady']);

  it('is a number of refreshes at the interval', () => {
    expect(resolve('1h').historyLength).toBe(1800);
    expect(resolve('15m', '5s').historyLength).toBe(180);
    expect(resolveOptions({ demo: true }, {}, ['steady']).historyLength).toBeNull();
    expect(sessionSettings(resolve('1h')).model.historyLength).toBe(1800);
  });

  it.each([
    ['25h', /at most 24h/],
    ['10s', /at least 10 refreshes/],
    ['long', /--history "long" is not a duration/],
  ])('refuses %s', (history, message) => {
    expect(() => resolve(history)).toThrow(message);
  });
});
