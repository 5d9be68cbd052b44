/**
 * Disk: every broker's log directories (DescribeLogDirs, one request per broker) and each partition's size
 * on its leader. Sizes and headroom change slowly: read on the slowly changing data's full read (every 30 s,
 * slowly-changing.ts) and carried into the refreshes between, so a refresh costs nothing more in between.
 */
import type { LogDirSnapshot, PartitionReassignment } from '../snapshot.js';
import { type Collected, noteBrokerError, type OffsetTable, setOffset } from './collected.js';
import type { StageContext } from './context.js';
import { describeLogDirs } from './describe-log-dirs.js';
import { errorMessage } from './text.js';
import { errorType } from './wire.js';

export interface LogDirWatch {
  logDirs: Map<number, LogDirSnapshot[]>;
  sizes: OffsetTable;
  copied: OffsetTable;
}

const NOT_MOVING: ReadonlyMap<string, ReadonlyMap<number, PartitionReassignment>> = new Map();

export function createLogDirWatch(): LogDirWatch {
  return { logDirs: new Map(), sizes: new Map(), copied: new Map() };
}

/** topic -> partition -> leader, for keeping only the leader's replica size. */
function leaders(collected: Collected): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  for (const t of collected.metadata?.topicMetadata ?? []) {
    const byPartition = new Map<number, number>();
    for (const p of t.partitionMetadata) byPartition.set(p.partitionId, p.leader);
    out.set(t.topic, byPartition);
  }
  return out;
}

/**
 * `moving`: the reassignments seen last (reassignments.ts; they run alongside): the sizes of their adding
 * replicas are their progress.
 */
export async function collectLogDirs(
  ctx: StageContext,
  watch: LogDirWatch,
  fullRead: boolean,
  moving: ReadonlyMap<string, ReadonlyMap<number, PartitionReassignment>> = NOT_MOVING,
): Promise<void> {
  const collected = ctx.collected;
  if (fullRead) {
    const leaderOf = leaders(collected);
    const sizes: OffsetTable = new Map();
    const copied: OffsetTable = new Map();
    const logDirs = new Map<number, LogDirSnapshot[]>();
    await Promise.all(
      ctx.connections.nodeIds().map((nodeId) =>
        ctx.limit(async () => {
          const broker = ctx.connections.get(nodeId);
          if (!broker) return;
          try {
            const answer = await describeLogDirs(broker, (_dir, topic, partition, size, _lag, future) => {
              if (future) return;
              if (leaderOf.get(topic)?.get(partition) === nodeId) setOffset(sizes, topic, partition, size);
              // Its offset lag reads 0 while a throttled new replica has copied nothing: its size tells.
              if (moving.get(topic)?.get(partition)?.adding.includes(nodeId)) {
                const least = copied.get(topic)?.get(partition);
                if (least === undefined || size < least) setOffset(copied, topic, partition, size);
              }
            });
            if (answer === null) return;
            if (answer.errorCode !== 0) throw new Error(errorType(answer.errorCode));
            logDirs.set(
              nodeId,
              answer.logDirs.map((d) => ({
                path: d.path,
                totalBytes: d.totalBytes,
                usableBytes: d.usableBytes,
                cordoned: d.cordoned,
                error: d.errorCode === 0 ? null : errorType(d.errorCode),
              })),
            );
          } catch (error) {
            // Kept: the last read of this broker's dirs stands until one succeeds.
            const last = watch.logDirs.get(nodeId);
            if (last) logDirs.set(nodeId, last);
            noteBrokerError(collected, nodeId, ctx.clean(`DescribeLogDirs: ${errorMessage(error)}`));
          }
        }),
      ),
    );
    watch.logDirs = logDirs;
    watch.sizes = sizes;
    watch.copied = copied;
  }
  collected.logDirs = watch.logDirs;
  collected.sizes = watch.sizes;
  collected.copied = watch.copied;
}
