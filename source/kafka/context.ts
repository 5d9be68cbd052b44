import type { Collected } from './collected.js';
import type { Connections } from './connections.js';

/** What every stage of a refresh works with. */
export interface StageContext {
  connections: Connections;
  /** Bounds the requests in flight across the whole refresh. */
  limit: <T>(task: () => Promise<T>) => Promise<T>;
  /** Redacts secrets and control characters from a message. */
  clean: (text: string) => string;
  collected: Collected;
  /** --group scope: groups it refuses are neither described nor asked for offsets. Absent: every group. */
  groupInScope?: (groupId: string) => boolean;
  /** --topic scope: topics it refuses are dropped from metadata, so no offsets or configs are read. */
  topicInScope?: (topic: string) => boolean;
}
