import { describe, expect, it } from 'vitest';
import { parseMetricsFlag } from '../../../source/metrics/flags.js';

describe('parseMetricsFlag', () => {
  it('takes a template with {host} or {id}', () => {
    expect(parseMetricsFlag('http://{host}:7071/metrics')).toEqual({
      template: 'http://{host}:7071/metrics',
    });
    expect(parseMetricsFlag('http://kafka-{id}.svc:7071/metrics')).toEqual({
      template: 'http://kafka-{id}.svc:7071/metrics',
    });
  });

  it('takes an explicit id=URL list, including ids that are not brokers', () => {
    const parsed = parseMetricsFlag(
      '1=http://a:7071/metrics, 2=http://b:7071/metrics?x=1,2,100=http://c:7071/metrics',
    );
    expect(parsed).toEqual({
      urls: new Map([
        [1, 'http://a:7071/metrics'],
        [2, 'http://b:7071/metrics?x=1,2'],
        [100, 'http://c:7071/metrics'],
      ]),
    });
  });

  it('rejects a plain URL, duplicates, bad URLs and other schemes with clear messages', () => {
    expect(() => parseMetricsFlag('http://a:7071/metrics')).toThrow(/\{host\} or \{id\}/);
    expect(() => parseMetricsFlag('1=http://a/m,1=http://b/m')).toThrow(/listed twice/);
    expect(() => parseMetricsFlag('1=not-a-url')).toThrow(/not a URL/);
    expect(() => parseMetricsFlag('1=ftp://a/m')).toThrow(/only http and https/);
    expect(() => parseMetricsFlag('')).toThrow(/needs a URL/);
  });

  it('does not echo credentials of a URL it cannot parse', () => {
    expect(() => parseMetricsFlag('1=http://user:secret@exa mple/m')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('secret') }),
    );
  });
});
