import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfigPath, loadConfigFile, parseConfigFile } from '../../../source/config/file.js';
import { UsageError } from '../../../source/config/usage-error.js';

const parse = (value: unknown) => parseConfigFile(JSON.stringify(value), 'cfg.json');

describe('parseConfigFile', () => {
  it('reads named clusters; brokers as a list or a string', () => {
    const file = parse({
      current: 'prod',
      clusters: {
        prod: {
          brokers: ['a:9093', 'b:9093'],
          metrics: 'http://{host}:7071/metrics',
          tls: { ca: '/ca.pem' },
          sasl: { mechanism: 'scram-sha-512', username: 'u', passwordEnv: 'PROD_PW' },
        },
        dev: { brokers: 'localhost:9092' },
      },
    });
    expect(file.current).toBe('prod');
    expect(file.clusters.prod).toMatchObject({ brokers: 'a:9093,b:9093', tls: { ca: '/ca.pem' } });
    expect(file.clusters.dev!.brokers).toBe('localhost:9092');
  });

  it.each([
    [{ clusters: { a: { brokers: 'k', brokerz: 'x' } } }, /unknown key "brokerz" in clusters\.a/],
    [{ clusters: { a: { sasl: { password: 'x' } } } }, /unknown key "password" in clusters\.a\.sasl/],
    [{ clusters: { a: { tls: { insecure: 'yes' } } } }, /tls\.insecure must be true or false/],
    [{ clusters: { a: { sasl: { mechanism: 'gssapi' } } } }, /mechanism must be one of/],
    [{ current: 'nope', clusters: {} }, /current cluster "nope" is not in clusters/],
    [{ clusters: { a: { brokers: 5 } } }, /brokers must be/],
    [{ contexts: {} }, /an unknown key \(not shown\) in the top level/],
    [{ cluster: {} }, /unknown key "cluster" in the top level/],
    [[1, 2], /must hold a JSON object/],
  ])('rejects %j', (value, message) => {
    expect(() => parse(value)).toThrow(UsageError);
    expect(() => parse(value)).toThrow(message);
  });

  it('names the line and column of a JSON syntax error', () => {
    expect(() => parseConfigFile('{\n  "clusters": {,\n}', 'c.json')).toThrow(
      /c\.json is not valid JSON \(line 2, column \d+\)/,
    );
  });
});

describe('loadConfigFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafkatop-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('uses XDG_CONFIG_HOME, then HOME/.config', () => {
    expect(defaultConfigPath({ XDG_CONFIG_HOME: '/x' })).toBe('/x/kafkatop/config.json');
    expect(defaultConfigPath({ HOME: '/h' })).toBe('/h/.config/kafkatop/config.json');
  });

  it('a missing default file is no config; a missing named one is an error', () => {
    expect(loadConfigFile(undefined, { XDG_CONFIG_HOME: dir })).toBeNull();
    expect(() => loadConfigFile(join(dir, 'nope.json'), {})).toThrow(
      /cannot read --config .*nope\.json: no such file/,
    );
    expect(() => loadConfigFile(undefined, { KAFKATOP_CONFIG: join(dir, 'nope.json') })).toThrow(
      /cannot read KAFKATOP_CONFIG/,
    );
  });

  it('--config beats KAFKATOP_CONFIG beats the default', () => {
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    writeFileSync(a, JSON.stringify({ current: 'a', clusters: { a: { brokers: 'a:1' } } }));
    writeFileSync(b, JSON.stringify({ current: 'b', clusters: { b: { brokers: 'b:1' } } }));
    expect(loadConfigFile(a, { KAFKATOP_CONFIG: b })?.current).toBe('a');
    expect(loadConfigFile(undefined, { KAFKATOP_CONFIG: b })?.current).toBe('b');
  });
});
