import { describe, expect, it } from 'vitest';
import {
  DEFAULT_METRIC_NAMES,
  METRIC_KEYS,
  parseNameOverrides,
  parseSelector,
  resolveNames,
} from '../../../source/metrics/names.js';

describe('metric names', () => {
  it('every default candidate is a valid selector and no default list is empty', () => {
    for (const key of METRIC_KEYS) {
      expect(DEFAULT_METRIC_NAMES[key].length).toBeGreaterThan(0);
      for (const candidate of DEFAULT_METRIC_NAMES[key]) expect(() => parseSelector(candidate)).not.toThrow();
    }
  });

  it('never uses the lifetime MeanRate of the request-handler Meter', () => {
    const idle = [
      ...DEFAULT_METRIC_NAMES.requestHandlerIdleCount,
      ...DEFAULT_METRIC_NAMES.requestHandlerIdleRate,
    ];
    // Strimzi exports MeanRate as ..._requesthandleravgidle_percent.
    expect(idle).not.toContain('kafka_server_kafkarequesthandlerpool_requesthandleravgidle_percent');
    expect(idle.some((n) => /meanrate/i.test(n))).toBe(false);
  });

  it('parses selectors with label matchers', () => {
    expect(
      parseSelector('kafka_server_ReplicaManager_Value{name="UnderReplicatedPartitions", x="y"}'),
    ).toEqual({
      name: 'kafka_server_ReplicaManager_Value',
      labels: { name: 'UnderReplicatedPartitions', x: 'y' },
    });
    expect(() => parseSelector('bad name')).toThrow(/invalid metric name/);
    expect(() => parseSelector('m{a=b}')).toThrow(/invalid label matcher/);
  });

  it('overrides replace one key and keep the other defaults', () => {
    const names = resolveNames(parseNameOverrides(['isrShrinks=my_shrinks_total|other_shrinks']));
    expect(names.isrShrinks).toEqual(['my_shrinks_total', 'other_shrinks']);
    expect(names.isrExpands).toEqual(DEFAULT_METRIC_NAMES.isrExpands);
  });

  it('rejects unknown keys and bad names in overrides', () => {
    expect(() => parseNameOverrides(['isrShrink=x'])).toThrow(/unknown metric key/);
    expect(() => parseNameOverrides(['isrShrinks=not valid'])).toThrow(/invalid metric name/);
  });
});
