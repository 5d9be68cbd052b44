import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);

/** Runs kafkatop as a user would; resolves with its exit code and output instead of throwing. */
async function kafkatop(...args: string[]) {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', 'source/cli.tsx', ...args], {
      timeout: 60_000,
      env: { ...process.env, KAFKATOP_BROKERS: '' },
    });
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
    expect(stderr).toMatch(/^kafkatop: --interval "soon" is not a duration/);
    expect(stderr).not.toMatch(/\bat .*\.ts:\d+/);
  }, 60_000);

  it('exits 2 on an unknown flag', async () => {
    const { code, stderr } = await kafkatop('--demo', '--bogus');
    expect(code).toBe(2);
    expect(stderr).toContain('--bogus');
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
    expect(snapshot.schemaVersion).toBe(1);
    expect(snapshot.groups.length).toBeGreaterThan(0);
  }, 60_000);

  it('--once exits 1 with the reason when no broker answers', async () => {
    // Port 1 on loopback: connection refused at once.
    const { code, stdout, stderr } = await kafkatop('--brokers', '127.0.0.1:1', '--once', '--timeout', '5s');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^kafkatop: cannot reach the cluster: .+/);
  }, 60_000);
});
