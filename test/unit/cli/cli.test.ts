import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
// An empty home, so no user config file changes what these runs do.
const home = mkdtempSync(join(tmpdir(), 'kafkatop-cli-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const SECRET = 'cli-test-secret-9f3b';

/** Runs kafkatop as a user would; resolves with its exit code and output instead of throwing. */
async function kafkatop(...args: string[]) {
  return kafkatopWith({}, ...args);
}

async function kafkatopWith(env: Record<string, string>, ...args: string[]) {
  try {
    const { stdout, stderr } = await exec(
      process.execPath,
      ['--import', 'tsx', 'source/cli/cli.tsx', ...args],
      {
        timeout: 60_000,
        env: {
          ...process.env,
          HOME: home,
          XDG_CONFIG_HOME: '',
          KAFKATOP_CONFIG: '',
          KAFKATOP_CLUSTER: '',
          KAFKATOP_BROKERS: '',
          ...env,
        },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('kafkatop command line', () => {
  it('exits 2 with one clear line on a bad flag value, no stack trace', async () => {
    const { code, stderr } = await kafkatop('--demo', '--interval', 'soon');
    expect(code).toBe(2);
    expect(stderr).toMatch(/^kafkatop: --interval "soon" is not a duration.*\nTry 'kafkatop --help'\.\n$/);
    expect(stderr).not.toMatch(/\bat .*\.ts:\d+/);
  }, 60_000);

  it('exits 2 on an unknown flag, prefixed and with a hint', async () => {
    const { code, stderr } = await kafkatop('--demo', '--bogus');
    expect(code).toBe(2);
    expect(stderr).toBe("kafkatop: unknown flag --bogus\nTry 'kafkatop --help'.\n");
  }, 60_000);

  it('without a TTY the screen is refused with one line naming what scripts use, exit 2', async () => {
    // execFile pipes stdin and stdout: no TTY, as in a script or `kafkatop --demo </dev/null`.
    const { code, stdout, stderr } = await kafkatop('--demo');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'kafkatop: the screen needs a terminal (stdin and stdout must be a TTY); use --once or --headless --record FILE for scripts\n',
    );
  }, 60_000);

  it('--once --replay warns on stderr about a torn tail of the recording', async () => {
    const { createDemoSource } = await import('../../../source/demo/index.js');
    const snapshot = await createDemoSource({ scenario: 'steady' }).refresh();
    const file = join(home, 'torn.ndjson');
    const header = {
      type: 'header',
      format: 'kafkatop-recording',
      version: 1,
      startedAt: '',
      source: 'demo',
    };
    const line = JSON.stringify({ type: 'snapshot', ...snapshot });
    writeFileSync(file, [JSON.stringify(header), line, line.slice(0, 200)].join('\n'));
    const { code, stderr } = await kafkatop('--replay', file, '--once');
    expect(code).toBe(0);
    expect(stderr).toBe('kafkatop: warning: skipped 1 corrupt line at the end of the recording\n');
  }, 60_000);

  it('says how to start when no cluster is given', async () => {
    const { code, stderr } = await kafkatop();
    expect(code).toBe(2);
    expect(stderr).toContain('--demo');
  }, 60_000);

  it('--once --json prints one versioned snapshot and exits 0', async () => {
    const { code, stdout } = await kafkatop('--demo', '--once', '--json');
    expect(code).toBe(0);
    const snapshot = JSON.parse(stdout);
    expect(snapshot.schemaVersion).toBe(2);
    expect(snapshot.groups.length).toBeGreaterThan(0);
  }, 60_000);

  it('--once exits 1 with the reason when no broker answers', async () => {
    // Port 1 on loopback: connection refused at once.
    const { code, stdout, stderr } = await kafkatop('--brokers', '127.0.0.1:1', '--once', '--timeout', '5s');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^kafkatop: cannot reach the cluster: .+/);
  }, 60_000);

  it('--print-config prints the effective config with the password masked, exit 0', async () => {
    const { code, stdout, stderr } = await kafkatopWith(
      { KAFKATOP_SASL_PASSWORD: SECRET },
      '--brokers',
      'k:9093',
      '--sasl-mechanism',
      'scram-sha-512',
      '--sasl-username',
      'alice',
      '--tls',
      '--print-config',
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      brokers: ['k:9093'],
      tls: { ca: null, insecure: false },
      sasl: {
        mechanism: 'scram-sha-512',
        username: 'alice',
        password: '****',
        passwordEnv: 'KAFKATOP_SASL_PASSWORD',
      },
    });
    expect(stdout + stderr).not.toContain(SECRET);
  }, 60_000);

  it('a config file that is not JSON, or has unknown keys, exits 2 naming the file and no secret', async () => {
    const bad = join(home, 'bad.json');
    writeFileSync(bad, `{"clusters": {"p": {"sasl": {"password": "${SECRET}"}}}`);
    const broken = await kafkatop('--config', bad);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(
      /^kafkatop: config file .*bad\.json is not valid JSON \(line 1, column \d+\)/,
    );
    expect(broken.stderr).not.toContain(SECRET);

    writeFileSync(bad, JSON.stringify({ clusters: { p: { brokers: 'k:1', sasl: { password: SECRET } } } }));
    const unknown = await kafkatopWith({ KAFKATOP_CONFIG: bad }, '--cluster', 'p');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown key "password" in clusters\.p\.sasl/);
    expect(unknown.stderr).not.toContain(SECRET);
  }, 60_000);

  it('--cluster picks a named cluster; an unknown name exits 2 with the known ones', async () => {
    const config = join(home, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({ current: 'a', clusters: { a: { brokers: 'a:1' }, b: { brokers: ['b:1', 'b:2'] } } }),
    );
    const picked = await kafkatop('--config', config, '--cluster', 'b', '--print-config');
    expect(picked.code).toBe(0);
    expect(JSON.parse(picked.stdout)).toMatchObject({ cluster: 'b', brokers: ['b:1', 'b:2'] });
    const unknown = await kafkatop('--config', config, '--cluster', 'c');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--cluster "c" is not in .*config\.json; clusters: a, b/);
  }, 60_000);

  it('a missing password file exits 2 naming the file; --once with SASL to no broker exits 1; no secret', async () => {
    const missing = await kafkatopWith(
      { KAFKATOP_SASL_PASSWORD: SECRET },
      '--brokers',
      '127.0.0.1:1',
      '--sasl-mechanism',
      'plain',
      '--sasl-username',
      'u',
      '--sasl-password-file',
      join(home, 'nope'),
      '--once',
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read SASL password file .*nope: no such file/);
    const down = await kafkatopWith(
      { KAFKATOP_SASL_PASSWORD: SECRET },
      '--brokers',
      '127.0.0.1:1',
      '--sasl-mechanism',
      'plain',
      '--sasl-username',
      'u',
      '--once',
      '--json',
      '--timeout',
      '5s',
    );
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^kafkatop: cannot reach the cluster: /);
    for (const run of [missing, down]) expect(run.stdout + run.stderr).not.toContain(SECRET);
  }, 60_000);
});
