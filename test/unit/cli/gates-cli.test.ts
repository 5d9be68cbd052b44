import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const home = mkdtempSync(join(tmpdir(), 'kafkatop-gates-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** Runs kafkatop as a deploy script would; resolves with its exit code and output instead of throwing. */
async function kafkatop(...args: string[]) {
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
        },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// Port 1: nothing listens, the connection is refused at once.
const DOWN = ['--brokers', '127.0.0.1:1'];

describe('the gates on the command line', () => {
  it('kafkatop wait --help documents the conditions and exit codes, exit 0', async () => {
    const { code, stdout } = await kafkatop('wait', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('kafkatop wait broker ID --up');
    expect(stdout).toMatch(/3 {2}the cluster was unreachable for the whole timeout/);
  }, 60_000);

  it('kafkatop --help lists the commands and the scoping flags', async () => {
    const { stdout } = await kafkatop('--help');
    for (const c of [
      'can-restart BROKER_ID',
      'wait settled',
      'wait broker ID --up',
      'wait group ID',
      'check [--for',
      '--group REGEX',
      '--topic REGEX',
    ])
      expect(stdout).toContain(c);
  }, 60_000);

  it('bad usage exits 2 with the usual two lines', async () => {
    const { code, stderr } = await kafkatop('wait', 'broker', '2', '--demo');
    expect(code).toBe(2);
    expect(stderr).toBe(
      "kafkatop: wait broker needs --up: kafkatop wait broker 2 --up\nTry 'kafkatop --help'.\n",
    );
  }, 60_000);

  it('can-restart and check exit 3 when the cluster cannot be reached', async () => {
    const [restart, check] = await Promise.all([
      kafkatop('can-restart', '1', ...DOWN),
      kafkatop('check', '--for', '1s', ...DOWN),
    ]);
    expect(restart.code).toBe(3);
    expect(restart.stderr).toMatch(/^kafkatop: cannot reach the cluster: .*ECONNREFUSED/);
    expect(check.code).toBe(3);
    expect(check.stdout).toMatch(/^UNKNOWN: 1 problem\nCRITICAL cannot reach the cluster: /);
  }, 60_000);

  it('can-restart answers from the demo cluster, and says the quorum was not checked', async () => {
    const { code, stdout } = await kafkatop('can-restart', '1', '--demo');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^broker 1: safe to restart: every one of the \d+ partitions/);
    expect(stdout).toContain('quorum not checked: the cluster did not answer DescribeQuorum');
  }, 60_000);
});
