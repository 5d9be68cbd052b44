/**
 * Log-start offsets and topic configs change slowly: log start moves when retention deletes a segment
 * (checked every 5 min by default, log.retention.check.interval.ms) or on DeleteRecords, configs when an
 * operator alters them. Reading them on every refresh cost most of a refresh's CPU (a ListOffsets round for
 * every partition, DescribeConfigs for every topic) for values that rarely differ from the last read.
 *
 * So they are read in full every `periodMs` and carried into the refreshes in between. A topic or partition
 * with no carried value (new since the last read, or whose read failed) is read at once, in the refresh that
 * first sees it. A carried log start above the log end just read belongs to a topic deleted and re-created
 * under the same name (Metadata v6 carries no topic id): it is dropped and read again.
 *
 * What this costs: a log start that moved up is seen up to `periodMs` late, so a committed offset that
 * falls below it (data lost to retention) is flagged up to `periodMs` late; a stale log start is never
 * above the true one, so no data loss is flagged that did not happen. A changed min.insync.replicas or
 * retention config is seen up to `periodMs` late.
 */
import { type Collected, type OffsetTable, setOffset } from './collected.js';

export const SLOWLY_CHANGING_PERIOD_MS = 30_000;

/** What one refresh reads of the slowly changing data. */
export interface SlowlyChangingRead {
  /** Everything is read; what this refresh reads replaces every carried value. */
  readonly full: boolean;
  readonly startedAtMs: number;
  /**
   * Log starts carried from earlier reads, which this refresh does not read again (null on a full read).
   * A table rather than a predicate closure made per refresh (docs/performance.md, "Closures on hot paths").
   */
  readonly carriedLogStart: OffsetTable | null;
  /** Topics whose configs this refresh reads. */
  readonly configTopics: string[];
}

export interface SlowlyChanging {
  /**
   * Once the refresh has its metadata: says what to read, and (between full reads) fills `collected` with
   * the carried values of every topic and partition in that metadata.
   */
  begin(collected: Collected, nowMs: number): SlowlyChangingRead;
  /** Once the reads and the log-end offsets are in: keeps what was read for the next refreshes. */
  end(collected: Collected, read: SlowlyChangingRead): void;
}

/** Whether `carried` holds a log start for each partition with a leader, and for no other. */
function carriesEveryOnlinePartition(
  carried: ReadonlyMap<number, number>,
  partitions: readonly { partitionId: number; leader: number }[],
): boolean {
  let online = 0;
  for (const { partitionId, leader } of partitions) {
    if (leader < 0) continue;
    if (!carried.has(partitionId)) return false;
    online++;
  }
  return online === carried.size;
}

export function createSlowlyChanging(periodMs = SLOWLY_CHANGING_PERIOD_MS): SlowlyChanging {
  let logStart: OffsetTable = new Map();
  let configs = new Map<string, Record<string, string>>();
  let lastFullReadAt: number | null = null;

  return {
    begin(collected, nowMs) {
      const topics = collected.metadata?.topicMetadata ?? [];
      if (lastFullReadAt === null || nowMs - lastFullReadAt >= periodMs) {
        return {
          full: true,
          startedAtMs: nowMs,
          carriedLogStart: null,
          configTopics: topics.map((t) => t.topic),
        };
      }
      const configTopics: string[] = [];
      for (const { topic, partitionMetadata } of topics) {
        const carriedConfigs = configs.get(topic);
        // Shared, not copied: nothing writes into a topic's configs, and the snapshot gets its own copy.
        if (carriedConfigs) collected.configs.set(topic, carriedConfigs);
        else configTopics.push(topic);
        const carried = logStart.get(topic);
        if (!carried) continue;
        // Shared rather than copied when it is what the copy would be, as between full reads it mostly is:
        // end() writes the same values back into it, and deletes from both alike.
        if (carriesEveryOnlinePartition(carried, partitionMetadata)) {
          collected.logStart.set(topic, carried);
          continue;
        }
        for (const { partitionId, leader } of partitionMetadata) {
          const offset = carried.get(partitionId);
          // An offline partition shows no offsets, as when every refresh read them.
          if (offset === undefined || leader < 0) continue;
          setOffset(collected.logStart, topic, partitionId, offset);
        }
      }
      return {
        full: false,
        startedAtMs: nowMs,
        carriedLogStart: logStart,
        configTopics,
      };
    },

    end(collected, read) {
      for (const [topic, partitions] of collected.logStart) {
        const ends = collected.logEnd.get(topic);
        if (!ends) continue;
        // keys() and get(), not entries(): no [key, value] array per partition per refresh.
        for (const partition of partitions.keys()) {
          const end = ends.get(partition);
          if (end !== undefined && partitions.get(partition)! > end) {
            partitions.delete(partition);
            logStart.get(topic)?.delete(partition);
          }
        }
      }
      if (read.full) {
        logStart = new Map();
        configs = new Map();
        // A full read cut short leaves gaps: those are read as missing on the next refreshes, and the
        // period restarts from here either way, so a failing broker is not re-read in full every refresh.
        if (lastFullReadAt === null || read.startedAtMs > lastFullReadAt) lastFullReadAt = read.startedAtMs;
      }
      for (const [topic, partitions] of collected.logStart) {
        if (partitions.size === 0) continue;
        const carried = logStart.get(topic);
        // `collected` is dropped after this refresh, so its table can be kept as is.
        if (!carried) logStart.set(topic, partitions);
        else if (carried !== partitions)
          for (const [partition, offset] of partitions) carried.set(partition, offset);
      }
      for (const topic of read.configTopics) {
        const values = collected.configs.get(topic);
        if (values) configs.set(topic, values);
      }
    },
  };
}
