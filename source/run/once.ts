/** `--once`: one refresh, printed as JSON or as a table. Exit 1 when the cluster could not be reached. */

import type { Options } from '../cli/options.js';
import type { BuiltSource } from '../cli/sources.js';
import { sanitize } from '../ui/sanitize.js';
import { formatOnce } from './once-format.js';
import { isClusterDown } from './poller.js';

export async function runOnce({ source }: BuiltSource, options: Options): Promise<number> {
  try {
    const snapshot = await source.refresh();
    if (isClusterDown(snapshot)) {
      const reason = snapshot.errors.find((e) => e.source === 'cluster')?.message ?? 'unknown error';
      process.stderr.write(`kafkatop: cannot reach the cluster: ${sanitize(reason)}\n`);
      return 1;
    }
    process.stdout.write(
      options.output === 'once-json' ? `${JSON.stringify(snapshot, null, 2)}\n` : formatOnce(snapshot),
    );
    return 0;
  } finally {
    await source.close();
  }
}
