/**
 * Stage 1: one Metadata request for all topics, with auto topic creation off (Metadata v4+ carries the
 * flag; kafkajs encodes an empty topic list as null, which means "all topics").
 */
import type { RawMetadata } from './collected.js';
import type { StageContext } from './context.js';
import { errorType, LEADER_NOT_AVAILABLE, REPLICA_NOT_AVAILABLE, sendRaw } from './internals.js';
import { errorMessage } from './text.js';

/** Partition error codes that describe cluster state (shown by leader/isr), not a failed refresh. */
const STATE_CODES = new Set([0, LEADER_NOT_AVAILABLE, REPLICA_NOT_AVAILABLE]);

type TopicMetadata = RawMetadata['topicMetadata'][number];

// Module-level, not closures made per refresh (docs/performance.md, "Closures on hot paths").
function topicAnswered(t: TopicMetadata): boolean {
  return t.topicErrorCode === 0;
}

function partitionFailed(p: TopicMetadata['partitionMetadata'][number]): boolean {
  return !STATE_CODES.has(p.partitionErrorCode);
}

export async function collectMetadata(ctx: StageContext): Promise<boolean> {
  const { connections, collected, clean } = ctx;
  let metadata: RawMetadata;
  try {
    ({ result: metadata } = await connections.anyBroker((broker) =>
      sendRaw<RawMetadata>(broker, 'Metadata', { topics: [], allowAutoTopicCreation: false }),
    ));
  } catch (error) {
    collected.errors.push({ source: 'cluster', message: clean(errorMessage(error)) });
    return false;
  }
  // A live cluster always names at least one broker. An empty answer is what kafkajs reads back after the
  // broker rejected its authentication without closing the connection (a bad OAUTHBEARER token): treat it
  // as the failure it is, not as an empty cluster.
  if (metadata.brokers.length === 0) {
    collected.errors.push({
      source: 'cluster',
      message: 'Metadata named no brokers: authentication was probably rejected',
    });
    return false;
  }
  collected.metadata = {
    ...metadata,
    // A topic that failed as a whole (e.g. being deleted) has no partitions worth showing.
    topicMetadata: metadata.topicMetadata.filter(topicAnswered),
  };
  for (const topic of metadata.topicMetadata) {
    if (topic.topicErrorCode !== 0) {
      collected.errors.push({
        source: `topic:${topic.topic}`,
        message: `Metadata: ${errorType(topic.topicErrorCode)}`,
      });
      continue;
    }
    const odd = topic.partitionMetadata.filter(partitionFailed);
    if (odd.length > 0) {
      collected.errors.push({
        source: `topic:${topic.topic}`,
        message: `Metadata: ${odd.map((p) => `partition ${p.partitionId} ${errorType(p.partitionErrorCode)}`).join(', ')}`,
      });
    }
  }
  try {
    await connections.sync(metadata.brokers);
  } catch (error) {
    collected.errors.push({
      source: 'cluster',
      message: clean(`connecting to brokers: ${errorMessage(error)}`),
    });
    return false;
  }
  return true;
}
