import { describe, expect, it } from 'vitest';
import { parseExposition, parseSampleLine, parseValue } from '../../../source/metrics/parse.js';
import { fixture } from './helpers.js';

describe('parseSampleLine', () => {
  it('reads a bare name and value', () => {
    expect(parseSampleLine('kafka_server_replicamanager_underreplicatedpartitions 3.0')).toEqual({
      name: 'kafka_server_replicamanager_underreplicatedpartitions',
      labels: {},
      value: 3,
    });
  });

  it('reads labels with escapes, the 0.x trailing comma and a timestamp', () => {
    const sample = parseSampleLine('m{a="x\\"y",b="back\\\\slash",c="new\\nline",} 1.5e3 1700000000000');
    expect(sample).toEqual({
      name: 'm',
      labels: { a: 'x"y', b: 'back\\slash', c: 'new\nline' },
      value: 1500,
      timestamp: 1700000000000,
    });
  });

  it('keeps commas, braces and spaces inside label values', () => {
    expect(parseSampleLine('m{topic="a,b}c d"} 1')?.labels).toEqual({ topic: 'a,b}c d' });
  });

  it('reads NaN and infinities', () => {
    expect(parseSampleLine('m NaN')?.value).toBeNaN();
    expect(parseSampleLine('m +Inf')?.value).toBe(Number.POSITIVE_INFINITY);
    expect(parseSampleLine('m -Inf')?.value).toBe(Number.NEGATIVE_INFINITY);
  });

  it.each([
    ['no value', 'kafka_metric'],
    ['value not a number', 'kafka_metric abc'],
    ['unterminated label value', 'm{a="x} 1'],
    ['label without quotes', 'm{a=x} 1'],
    ['name starting with a digit', '1abc 2'],
    ['three fields', 'm 1 2 3'],
    ['non-integer timestamp', 'm 1 12.5x'],
    ['html', '<html><body>'],
    ['junk after braces', 'm{a="b"}x 1'],
  ])('rejects %s', (_label, line) => {
    expect(parseSampleLine(line)).toBeNull();
  });
});

describe('parseValue', () => {
  it('accepts Go float syntax used by exporters and nothing else', () => {
    expect(parseValue('4.32031007860E11')).toBe(432031007860);
    expect(parseValue('-0.5')).toBe(-0.5);
    expect(parseValue('.5')).toBe(0.5);
    expect(parseValue('0x10')).toBeNull();
    expect(parseValue('')).toBeNull();
    expect(parseValue('1,5')).toBeNull();
  });
});

describe('parseExposition', () => {
  it('parses a Strimzi-rules page from exporter 1.x with its types', () => {
    const page = parseExposition(fixture('strimzi-exporter-1x.prom'));
    expect(page.skipped).toBe(0);
    expect(page.truncated).toBe(false);
    expect(page.samples).toHaveLength(12);
    expect(page.types.get('kafka_server_replicamanager_isrshrinks_total')).toBe('counter');
    const idle = page.samples.find((s) => s.name.endsWith('requesthandleravgidlepercent_count_total'));
    expect(idle?.value).toBe(432031007860);
  });

  it('skips and counts garbage lines between good ones', () => {
    const page = parseExposition('good 1\n<html>\n\n# just a comment\nalso_good{a="b"} 2\nbad{ 3\n');
    expect(page.samples.map((s) => s.name)).toEqual(['good', 'also_good']);
    expect(page.skipped).toBe(2);
  });

  it('finds no samples in an HTML error page', () => {
    const page = parseExposition(fixture('garbage.txt'));
    expect(page.samples).toHaveLength(0);
    expect(page.skipped).toBeGreaterThan(0);
  });

  it('drops a last line without its newline, since its value may be cut short', () => {
    const page = parseExposition(fixture('truncated.prom'));
    expect(page.truncated).toBe(true);
    expect(page.samples.map((s) => s.name)).toEqual([
      'kafka_server_replicamanager_underreplicatedpartitions',
    ]);
  });

  it('accepts CRLF line ends', () => {
    const page = parseExposition('a 1\r\nb 2\r\n');
    expect(page.samples.map((s) => [s.name, s.value])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });
});
