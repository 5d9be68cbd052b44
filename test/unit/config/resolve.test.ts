import { describe, expect, it } from 'vitest';
import { resolveOptions, UsageError } from '../../../source/cli/options.js';
import { formatEffectiveConfig } from '../../../source/cli/print.js';
import { parseConfigFile } from '../../../source/config/file.js';

const file = parseConfigFile(
  JSON.stringify({
    current: 'prod',
    clusters: {
      prod: {
        brokers: ['p1:9096'],
        metrics: 'http://{host}:7071/metrics',
        tls: { ca: '/etc/prod-ca.pem' },
        sasl: { mechanism: 'scram-sha-512', username: 'svc', passwordEnv: 'PROD_KAFKA_PASSWORD' },
      },
      staging: {
        brokers: 's1:9092',
        sasl: { mechanism: 'oauthbearer', tokenFile: '/run/token' },
      },
    },
  }),
  '/home/u/.config/kafkatop/config.json',
);
const resolve = (flags: Parameters<typeof resolveOptions>[0], env: Record<string, string> = {}) =>
  resolveOptions(flags, env, ['steady'], file);

describe('config file clusters', () => {
  it('the current cluster applies when no brokers are given', () => {
    const options = resolve({});
    expect(options.mode).toEqual({ kind: 'live', brokers: ['p1:9096'] });
    expect(options.metrics).toBe('http://{host}:7071/metrics');
    expect(options.connection).toEqual({
      cluster: 'prod',
      configFile: '/home/u/.config/kafkatop/config.json',
      tls: { ca: '/etc/prod-ca.pem', cert: null, key: null, insecure: false },
      sasl: { mechanism: 'scram-sha-512', username: 'svc', password: { env: 'PROD_KAFKA_PASSWORD' } },
    });
  });

  it('--cluster or KAFKATOP_CLUSTER picks another; unknown names list the known ones', () => {
    expect(resolve({ cluster: 'staging' }).connection.sasl).toEqual({
      mechanism: 'oauthbearer',
      token: { file: '/run/token' },
    });
    expect(resolve({}, { KAFKATOP_CLUSTER: 'staging' }).connection.cluster).toBe('staging');
    expect(() => resolve({ cluster: 'qa' })).toThrow(/--cluster "qa" is not in .*; clusters: prod, staging/);
    expect(() => resolveOptions({ cluster: 'qa' }, {}, [], null)).toThrow(/no config file/);
  });

  it('flags beat the environment, which beats the file', () => {
    const env = { KAFKATOP_SASL_USERNAME: 'env-user', KAFKATOP_SASL_PASSWORD: 'x', KAFKATOP_BROKERS: 'e:1' };
    const fromEnv = resolve({ cluster: 'prod' }, env);
    expect(fromEnv.mode).toEqual({ kind: 'live', brokers: ['e:1'] });
    expect(fromEnv.connection.sasl).toEqual({
      mechanism: 'scram-sha-512',
      username: 'env-user',
      password: { env: 'KAFKATOP_SASL_PASSWORD' },
    });
    const fromFlags = resolve(
      { cluster: 'prod', brokers: 'f:1', saslUsername: 'flag-user', saslPasswordFile: '/pw', tlsCa: '/ca2' },
      env,
    );
    expect(fromFlags.mode).toEqual({ kind: 'live', brokers: ['f:1'] });
    expect(fromFlags.connection.sasl).toMatchObject({ username: 'flag-user', password: { file: '/pw' } });
    expect(fromFlags.connection.tls?.ca).toBe('/ca2');
  });

  it('an empty KAFKATOP_SASL_PASSWORD counts as unset', () => {
    expect(resolve({}, { KAFKATOP_SASL_PASSWORD: '' }).connection.sasl).toMatchObject({
      password: { env: 'PROD_KAFKA_PASSWORD' },
    });
  });

  it('brokers from a flag or KAFKATOP_BROKERS mean that cluster, not the current one', () => {
    expect(resolve({ brokers: 'x:1' }).connection).toMatchObject({ cluster: null, tls: null, sasl: null });
    expect(resolve({}, { KAFKATOP_BROKERS: 'x:1' }).metrics).toBeNull();
  });

  it('--metrics on the command line replaces --prometheus from the file (not both)', () => {
    const withProm = parseConfigFile(
      JSON.stringify({ current: 'a', clusters: { a: { brokers: 'a:1', prometheus: 'http://prom' } } }),
      'c.json',
    );
    const options = resolveOptions({ metrics: 'http://{host}:1/metrics' }, {}, [], withProm);
    expect([options.metrics, options.prometheus]).toEqual(['http://{host}:1/metrics', null]);
  });
});

describe('TLS and SASL flags', () => {
  const live = (flags: Parameters<typeof resolveOptions>[0], env: Record<string, string> = {}) =>
    resolveOptions({ brokers: 'k:1', ...flags }, env, [], null);

  it('TLS: on with --tls or any TLS file; mTLS needs cert and key', () => {
    expect(live({}).connection.tls).toBeNull();
    expect(live({ tls: true }).connection.tls).toEqual({ ca: null, cert: null, key: null, insecure: false });
    expect(live({ tlsCa: '/ca' }).connection.tls?.ca).toBe('/ca');
    expect(live({ tlsInsecure: true }).connection.tls?.insecure).toBe(true);
    expect(() => live({ tlsCert: '/c' })).toThrow(/both --tls-cert and --tls-key/);
    expect(() => live({ tls: false, tlsCa: '/ca' })).toThrow(/--no-tls/);
  });

  it('SASL mechanisms and what each needs', () => {
    expect(() => live({ saslMechanism: 'gssapi' })).toThrow(/one of: plain, scram-sha-256/);
    expect(() => live({ saslMechanism: 'plain' })).toThrow(/needs a username/);
    expect(() => live({ saslMechanism: 'plain', saslUsername: 'u' })).toThrow(/needs a password/);
    expect(
      live({ saslMechanism: 'SCRAM-SHA-256', saslUsername: 'u' }, { KAFKATOP_SASL_PASSWORD: 'p' }).connection
        .sasl,
    ).toEqual({ mechanism: 'scram-sha-256', username: 'u', password: { env: 'KAFKATOP_SASL_PASSWORD' } });
    expect(() => live({ saslMechanism: 'oauthbearer' })).toThrow(
      /--oauth-token-command CMD or --oauth-token-file/,
    );
    expect(() => live({ saslMechanism: 'oauthbearer', oauthTokenCommand: 'x', oauthTokenFile: 'y' })).toThrow(
      /not both/,
    );
    expect(live({ saslMechanism: 'oauthbearer', oauthTokenCommand: 'get-token' }).connection.sasl).toEqual({
      mechanism: 'oauthbearer',
      token: { command: 'get-token' },
    });
    // MSK IAM listeners are TLS-only.
    expect(live({ saslMechanism: 'aws' }, { AWS_REGION: 'eu-west-1' }).connection).toMatchObject({
      sasl: { mechanism: 'aws', region: 'eu-west-1' },
      tls: { insecure: false },
    });
    expect(() => live({ saslUsername: 'u' })).toThrow(/--sasl-username need --sasl-mechanism/);
  });

  it('connection flags are rejected with --demo and --replay', () => {
    expect(() => resolveOptions({ demo: true, tls: true }, {}, ['steady'], null)).toThrow(UsageError);
    expect(() => resolveOptions({ replay: 'f', saslMechanism: 'plain' }, {}, [], null)).toThrow(
      /--sasl-mechanism: only for a live cluster/,
    );
  });
});

describe('--print-config', () => {
  it('masks the password and says where it comes from', () => {
    const options = resolveOptions(
      { printConfig: true },
      { PROD_KAFKA_PASSWORD: 'prod-secret-value' },
      [],
      file,
    );
    expect(options.printConfig).toBe(true);
    const printed = JSON.parse(formatEffectiveConfig(options));
    expect(printed).toMatchObject({
      cluster: 'prod',
      brokers: ['p1:9096'],
      sasl: {
        mechanism: 'scram-sha-512',
        username: 'svc',
        password: '****',
        passwordEnv: 'PROD_KAFKA_PASSWORD',
      },
      tls: { ca: '/etc/prod-ca.pem' },
    });
    expect(formatEffectiveConfig(options)).not.toContain('prod-secret-value');
  });
});
