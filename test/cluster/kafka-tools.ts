/**
 * Kafka's own tools (ConsumerGroupCommand, ShareGroupCommand, StreamsGroupCommand, MetadataQuorumCommand)
 * run from the cached jars, and their tables read back, for tests that compare kafkatop with them.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { kafkaLibsDir } from './fetch.js';

const run = promisify(execFile);

/** One of Kafka's tools, its log off; retried once, as its admin client can time out on a loaded machine. */
export async function tool(version: string, main: string, args: string[]): Promise<string> {
  let last = '';
  for (let attempt = 0; attempt < 2; attempt++) {
    const { stdout, stderr } = await run(
      'java',
      ['-Dlog4j2.rootLogger.level=OFF', '-cp', `${kafkaLibsDir(version)}/*`, main, ...args],
      { maxBuffer: 4 * 1024 * 1024, timeout: 90_000 },
    ).catch((error: { stdout?: string; stderr?: string }) => ({
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    }));
    if (stdout.trim() !== '') return stdout;
    last = stderr;
  }
  throw new Error(`${main} printed nothing:\n${last.slice(-2000)}`);
}

/** Rows of a tool's table as objects keyed by its header (columns split on runs of spaces). */
export function table(stdout: string, groupId: string): Record<string, string>[] {
  const lines = stdout.split('\n').map((l) => l.trim());
  const out: Record<string, string>[] = [];
  let header: string[] | null = null;
  for (const line of lines) {
    // Split as the rows are: `COORDINATOR (ID)` is two headers over `host:port  (id)`.
    if (line.startsWith('GROUP ')) header = line.split(/\s+/);
    else if (header && line.startsWith(`${groupId} `)) {
      const cells = line.split(/\s+/);
      out.push(Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])));
    }
  }
  return out;
}
