/**
 * Every error path we can reach with a known secret in play: the secret must never come back in a message,
 * a printed config or a snapshot.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LiveSource } from '../../../source/cli/live.js';
import { resolveOptions } from '../../../source/cli/options.js';
import { formatEffectiveConfig } from '../../../source/cli/print.js';
import { redactLiveSource } from '../../../source/cli/redact-source.js';
import { createSource } from '../../../source/cli/sources.js';
import { AWS_SIGNER_PACKAGE, buildKafkaAuth } from '../../../source/config/auth.js';
import { parseConfigFile } from '../../../source/config/file.js';
import { readToken, redact, runShellCommand } from '../../../source/config/secrets.js';
import { NO_CONNECTION_SETTINGS } from '../../../source/config/types.js';
import type { ClusterSnapshot } from '../../../source/snapshot.js';

const SECRET = 'Tr0ub4dor&3-known-secret';
const dir = mkdtempSync(join(tmpdir(), 'kafkatop-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const passwordFile = join(dir, 'password');
writeFileSync(passwordFile, `${SECRET}\n`);

/** Runs `fn` and returns every text it produced: the result (as JSON) or the error message. */
async function outcome(fn: () => unknown): Promise<string> {
  try {
    const value = await fn();
    return JSON.stringify(value) ?? '';
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
}

const scram = (password: { env: string } | { file: string }) => ({
  ...NO_CONNECTION_SETTINGS,
  sasl: { mechanism: 'scram-sha-512' as const, username: 'alice', password },
});

describe('secrets never appear in errors', () => {
  const env = { KAFKATOP_SASL_PASSWORD: SECRET, OTHER: SECRET };

  it.each<[string, () => unknown, RegExp]>([
    [
      'a usage error with the password in the environment',
      () => resolveOptions({ brokers: 'k:1', saslMechanism: 'plain' }, env, []),
      /needs a username/,
    ],
    [
      'an unknown key holding the secret',
      () => parseConfigFile(JSON.stringify({ clusters: { a: { sasl: { password: SECRET } } } }), 'c.json'),
      /unknown key "password"/,
    ],
    [
      'a top-level unknown key holding the secret',
      () => parseConfigFile(JSON.stringify({ [SECRET]: 1 }), 'c.json'),
      /unknown key/,
    ],
    [
      'broken JSON around the secret',
      () => parseConfigFile(`{"clusters": {"a": {"sasl": {"password": "${SECRET}" ]}}`, 'c.json'),
      /not valid JSON/,
    ],
    ['JSON that is only the secret', () => parseConfigFile(SECRET, 'c.json'), /not valid JSON/],
    [
      'a wrong type holding the secret',
      () => parseConfigFile(JSON.stringify({ clusters: { a: { tls: { insecure: SECRET } } } }), 'c.json'),
      /true or false/,
    ],
    [
      'an empty password variable',
      () => buildKafkaAuth(scram({ env: 'UNSET' }), { env }),
      /UNSET is not set/,
    ],
    [
      'a missing password file',
      () => buildKafkaAuth(scram({ file: join(dir, 'nope') }), { env }),
      /no such file/,
    ],
    ['a password file that is a directory', () => buildKafkaAuth(scram({ file: dir }), { env }), /EISDIR/],
    [
      'a token command that prints the secret and fails',
      () => readToken({ command: `echo ${SECRET}; echo ${SECRET} >&2; exit 3` }),
      /exit code 3/,
    ],
    [
      'a token that is not one word',
      () => readToken({ command: `echo "${SECRET} ${SECRET}"` }),
      /single word/,
    ],
    ['a token command that hangs', () => runShellCommand(`echo ${SECRET}; sleep 5`, 200), /timed out/],
    [
      'the AWS signer missing',
      () =>
        buildKafkaAuth(
          { ...NO_CONNECTION_SETTINGS, sasl: { mechanism: 'aws', region: SECRET } },
          { env, importModule: () => import(`${AWS_SIGNER_PACKAGE}-not-installed`) },
        ),
      /install aws-msk-iam-sasl-signer-js/,
    ],
    [
      'the AWS signer without a region',
      () => buildKafkaAuth({ ...NO_CONNECTION_SETTINGS, sasl: { mechanism: 'aws', region: null } }, { env }),
      /needs a region/,
    ],
    [
      'a missing client key',
      () =>
        buildKafkaAuth(
          {
            ...NO_CONNECTION_SETTINGS,
            tls: { ca: null, cert: passwordFile, key: join(dir, 'nope') } as never,
          },
          { env },
        ),
      /--tls-key/,
    ],
  ])('%s', async (_name, fn, expected) => {
    const text = await outcome(fn);
    expect(text).toMatch(expected);
    expect(text).not.toContain(SECRET);
  });

  it('a missing signer is a clear message even when the package really is not installed', async () => {
    const text = await outcome(() =>
      buildKafkaAuth({ ...NO_CONNECTION_SETTINGS, sasl: { mechanism: 'aws', region: 'eu-west-1' } }, { env }),
    );
    // This checkout does not have the optional package: the default import must fail cleanly.
    expect(text).toMatch(/install aws-msk-iam-sasl-signer-js .* to use --sasl-mechanism aws/);
  });

  it('the password is read from the environment or a file (trailing newline dropped)', async () => {
    const fromFile = await buildKafkaAuth(scram({ file: passwordFile }), { env: {} });
    expect(fromFile.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'alice', password: SECRET });
    const fromEnv = await buildKafkaAuth(scram({ env: 'OTHER' }), { env });
    expect(fromEnv.secrets()).toEqual([SECRET]);
  });

  it('the OAUTHBEARER token file is re-read at every authentication', async () => {
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, 'token-one\n');
    const auth = await buildKafkaAuth(
      { ...NO_CONNECTION_SETTINGS, sasl: { mechanism: 'oauthbearer', token: { file: tokenFile } } },
      { env: {} },
    );
    const provider = (auth.sasl as { oauthBearerProvider: () => Promise<{ value: string }> })
      .oauthBearerProvider;
    expect(await provider()).toEqual({ value: 'token-one' });
    writeFileSync(tokenFile, 'token-two');
    expect(await provider()).toEqual({ value: 'token-two' });
    expect(auth.secrets()).toEqual(expect.arrayContaining(['token-one', 'token-two']));
  });

  it('--print-config masks a password that comes from a file', () => {
    const options = resolveOptions(
      { brokers: 'k:1', saslMechanism: 'plain', saslUsername: 'u', saslPasswordFile: passwordFile },
      env,
      [],
    );
    const printed = formatEffectiveConfig(options);
    expect(printed).toContain('"password": "****"');
    expect(printed).not.toContain(SECRET);
  });

  it('a real kafkajs connection failure with SASL configured carries no secret', async () => {
    const options = resolveOptions(
      { brokers: '127.0.0.1:1', saslMechanism: 'scram-sha-512', saslUsername: 'alice', timeout: '3s' },
      env,
      [],
    );
    const built = await createSource(options, env);
    if ('error' in built) throw new Error(built.error);
    const snapshot = await built.source.refresh();
    await built.source.close();
    const text = JSON.stringify(snapshot);
    expect(snapshot.errors.length).toBeGreaterThan(0);
    expect(text).toMatch(/ECONNREFUSED/);
    expect(text).not.toContain(SECRET);
  }, 30_000);

  it('whatever a live source reports goes through redaction (errors, broker and group errors, log)', async () => {
    const leaky: ClusterSnapshot = {
      errors: [{ source: 'cluster', message: `auth failed for ${SECRET}` }],
      brokers: [{ id: 1, error: `x${SECRET}y` }],
      groups: [{ groupId: 'g', error: SECRET }],
    } as unknown as ClusterSnapshot;
    const inner = {
      label: 'k:1',
      log: { lines: () => [{ time: '', level: 'error', namespace: 'n', message: `token ${SECRET}` }] },
      refresh: async () => leaky,
      close: async () => {},
    } as unknown as LiveSource;
    const source = redactLiveSource(inner, () => [SECRET]);
    const text = JSON.stringify([await source.refresh(), source.log.lines()]);
    expect(text).not.toContain(SECRET);
    expect(text.match(/\*\*\*\*/g)).toHaveLength(4);
  });

  it('redact covers overlapping secrets, longest first', () => {
    expect(redact('ab abc', ['ab', 'abc'])).toBe('**** ****');
  });
});
