/** What a process holds open, for leak checks in long-run tests. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export type ResourceCounts = Record<string, number>;

/** Active handles and requests by kind (TCPSocketWrap, Timeout, FSReqCallback, ...). */
export function countResources(): ResourceCounts {
  const counts: ResourceCounts = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

let gc: (() => void) | null = null;

/** A full garbage collection, also in a process started without --expose-gc. */
export async function collectGarbage(): Promise<void> {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  // Twice, with a turn of the event loop between: finalizers of the first pass free more in the second.
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
}
