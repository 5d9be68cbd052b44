/**
 * Stage 1: one Metadata request for all topics, with auto topic creation off (Metadata v4+ carries the
 * flag; kafkajs encodes an empty topic list as null, which means "all topics").
 */
import type { SnapshotError } from '../snapshot.js';
import { type AnswerMemo, createAnswerMemo } from './answer-memo.js';
import type { RawMetadata } from './collected.js';
import type { StageContext } from './context.js';
import { ProtocolReader } from './protocol-reader.js';
import { errorMessage } from './text.js';
import { errorType, LEADER_NOT_AVAILABLE, REPLICA_NOT_AVAILABLE, sendRaw } from './wire.js';

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

/**
 * Where a Metadata answer (v1 to v8, the versions before flexible encoding; kafkajs asks for at most v6)
 * carries controller_id, or -1. The answer reads: throttle_time_ms (v3+), brokers (node_id, host, port,
 * rack from v1), cluster_id (v2+), controller_id. kafkatop does not read it: a KRaft broker names a random
 * broker there, and only the metrics know the active controller.
 */
export function metadataControllerIdAt(payload: Buffer, apiVersion: number): number {
  if (apiVersion < 1 || apiVersion > 8) return -1;
  try {
    const input = new ProtocolReader(payload, 'Metadata response');
    if (apiVersion >= 3) input.skip(4);
    const brokers = input.int32();
    for (let i = 0; i < brokers; i++) {
      input.skip(4);
      input.skip(input.int16());
      input.skip(4);
      skipNullableString(input);
    }
    if (apiVersion >= 2) skipNullableString(input);
    return input.offsetNow();
  } catch {
    return -1;
  }
}

function skipNullableString(input: ProtocolReader): void {
  const length = input.int16();
  if (length > 0) input.skip(length);
}

interface ReadAnswer {
  readonly metadata: RawMetadata;
  readonly errors: readonly SnapshotError[];
}

/**
 * What each decoded answer gives the refresh. An unchanged answer is the same decoded object (the memo), so
 * its refreshes get the same `collected.metadata`, and what is derived from it is kept too (offsets.ts).
 */
const readAnswers = new WeakMap<RawMetadata, ReadAnswer>();

function readAnswer(metadata: RawMetadata, inScope: ((topic: string) => boolean) | undefined): ReadAnswer {
  const errors: SnapshotError[] = [];
  // Out of scope (--topic) is as if absent: no error of theirs, and no offsets or configs asked for them.
  const topics = inScope ? metadata.topicMetadata.filter((t) => inScope(t.topic)) : metadata.topicMetadata;
  for (const topic of topics) {
    if (topic.topicErrorCode !== 0) {
      errors.push({
        source: `topic:${topic.topic}`,
        message: `Metadata: ${errorType(topic.topicErrorCode)}`,
      });
      continue;
    }
    const odd = topic.partitionMetadata.filter(partitionFailed);
    if (odd.length > 0) {
      errors.push({
        source: `topic:${topic.topic}`,
        message: `Metadata: ${odd.map((p) => `partition ${p.partitionId} ${errorType(p.partitionErrorCode)}`).join(', ')}`,
      });
    }
  }
  return {
    // A topic that failed as a whole (e.g. being deleted) has no partitions worth showing.
    metadata: { ...metadata, topicMetadata: topics.filter(topicAnswered) },
    errors,
  };
}

/** Keeps the last Metadata answer across refreshes, so an unchanged one is not decoded again. */
export function createMetadataMemo(): AnswerMemo {
  return createAnswerMemo(metadataControllerIdAt);
}

/** `memo` (createMetadataMemo) keeps the last answer across refreshes. */
export async function collectMetadata(ctx: StageContext, memo?: AnswerMemo): Promise<boolean> {
  const { connections, collected, clean } = ctx;
  let metadata: RawMetadata;
  try {
    ({ result: metadata } = await connections.anyBroker((broker) =>
      sendRaw<RawMetadata>(broker, 'Metadata', { topics: [], allowAutoTopicCreation: false }, memo),
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
  let read = readAnswers.get(metadata);
  if (!read) {
    // One answer object belongs to one collector's memo, hence to one scope: keying by it alone is enough.
    read = readAnswer(metadata, ctx.topicInScope);
    readAnswers.set(metadata, read);
  }
  collected.metadata = read.metadata;
  collected.errors.push(...read.errors);
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
