/**
 * Log start, log end and last stable offsets: one ListOffsets request per partition leader for all its
 * partitions across every topic. The request cannot name a partition twice and its isolation level is the
 * whole request's, so earliest, latest (high watermark, READ_UNCOMMITTED) and stable (last stable offset,
 * READ_COMMITTED) are three rounds; latest and stable are sent together, with the same partition lists.
 */
import { noteBrokerError, type OffsetTable, type RawMetadata, setOffset } from './collected.js';
import type { StageContext } from './context.js';
import type { InternalBroker } from './kafkajs-internals.js';
import {
  decodeListOffsets,
  encodeListOffsets,
  LIST_OFFSETS_API_KEY,
  LIST_OFFSETS_MAX_VERSION,
  LIST_OFFSETS_MIN_VERSION,
} from './list-offsets.js';
import { errorMessage } from './text.js';
import {
  EARLIEST_TIMESTAMP,
  errorType,
  LATEST_TIMESTAMP,
  maxVersion,
  READ_COMMITTED,
  READ_UNCOMMITTED,
  sendEncoded,
  sendRaw,
} from './wire.js';

interface ListOffsetsResponse {
  responses: Array<{
    topic: string;
    partitions: Array<{ partition: number; errorCode: number; offset: string }>;
  }>;
}

type Which = 'earliest' | 'latest' | 'stable';

/**
 * The last request body sent to each broker, per timestamp: asked again for the same partitions (the
 * usual case, as leaders rarely move) it is sent as is instead of being encoded again.
 */
const lastRequests = new WeakMap<
  InternalBroker,
  Map<Which, { topics: Map<string, number[]>; partitions: string; body: Buffer }>
>();

/**
 * Partitions to ask each leader about: all of them but those in `skip` (the log starts carried between
 * full reads, slowly-changing.ts).
 */
export function partitionsByLeader(
  metadata: RawMetadata | null,
  skip: OffsetTable | null = null,
): Map<number, Map<string, number[]>> {
  const byLeader = new Map<number, Map<string, number[]>>();
  for (const topic of metadata?.topicMetadata ?? []) {
    for (const p of topic.partitionMetadata) {
      if (p.leader < 0) continue; // offline partition: nobody to ask
      if (skip?.get(topic.topic)?.has(p.partitionId)) continue;
      let topics = byLeader.get(p.leader);
      if (!topics) {
        topics = new Map();
        byLeader.set(p.leader, topics);
      }
      const list = topics.get(topic.topic) ?? [];
      list.push(p.partitionId);
      topics.set(topic.topic, list);
    }
  }
  return byLeader;
}

/**
 * All partitions by leader, kept per metadata object: refreshes with an unchanged Metadata answer share one
 * (metadata.ts), and so do the request bodies built from it (`requestBody`).
 */
const allByLeader = new WeakMap<RawMetadata, Map<number, Map<string, number[]>>>();

function leadersOf(
  metadata: RawMetadata | null,
  skip: OffsetTable | null,
): Map<number, Map<string, number[]>> {
  if (metadata === null || skip !== null) return partitionsByLeader(metadata, skip);
  let byLeader = allByLeader.get(metadata);
  if (!byLeader) {
    byLeader = partitionsByLeader(metadata);
    allByLeader.set(metadata, byLeader);
  }
  return byLeader;
}

export async function collectLogOffsets(
  ctx: StageContext,
  which: Which,
  skip: OffsetTable | null = null,
): Promise<void> {
  const table: OffsetTable =
    which === 'earliest'
      ? ctx.collected.logStart
      : which === 'latest'
        ? ctx.collected.logEnd
        : ctx.collected.lastStable;
  const timestamp = which === 'earliest' ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP;
  const isolation = which === 'stable' ? READ_COMMITTED : READ_UNCOMMITTED;
  const failedByTopic = new Map<string, string[]>();
  const answer = (topic: string, partition: number, errorCode: number, offset: number) => {
    if (errorCode === 0) setOffset(table, topic, partition, offset);
    else {
      const list = failedByTopic.get(topic) ?? [];
      list.push(`${partition} ${errorType(errorCode)}`);
      failedByTopic.set(topic, list);
    }
  };

  await Promise.all(
    [...leadersOf(ctx.collected.metadata, skip)].map(([leader, topics]) =>
      ctx.limit(async () => {
        const broker = ctx.connections.get(leader);
        if (!broker) {
          noteBrokerError(ctx.collected, leader, 'leader not in cluster metadata');
          return;
        }
        try {
          const version = Math.min(await maxVersion(broker, LIST_OFFSETS_API_KEY), LIST_OFFSETS_MAX_VERSION);
          if (version >= LIST_OFFSETS_MIN_VERSION) {
            await sendEncoded(broker, {
              apiName: 'ListOffsets',
              apiKey: LIST_OFFSETS_API_KEY,
              apiVersion: version,
              body: requestBody(broker, which, topics, timestamp, isolation),
              decode: (payload) => decodeListOffsets(payload, version, answer),
            });
            return;
          }
          const { responses } = await sendRaw<ListOffsetsResponse>(broker, 'ListOffsets', {
            replicaId: -1,
            isolationLevel: isolation,
            topics: [...topics].map(([topic, partitions]) => ({
              topic,
              partitions: partitions.map((partition) => ({ partition, timestamp })),
            })),
          });
          for (const { topic, partitions } of responses) {
            for (const { partition, errorCode, offset } of partitions) {
              answer(topic, partition, errorCode, Number(offset));
            }
          }
        } catch (error) {
          noteBrokerError(ctx.collected, leader, ctx.clean(`ListOffsets: ${errorMessage(error)}`));
        }
      }),
    ),
  );
  for (const [topic, failures] of failedByTopic) {
    ctx.collected.errors.push({
      source: `topic:${topic}`,
      message: `ListOffsets (${which}): partition ${failures.join(', ')}`,
    });
  }
}

function requestBody(
  broker: InternalBroker,
  which: Which,
  topics: Map<string, number[]>,
  timestamp: number,
  isolation: number,
): Buffer {
  let sent = lastRequests.get(broker);
  if (!sent) {
    sent = new Map();
    lastRequests.set(broker, sent);
  }
  const last = sent.get(which);
  // The same partitions object: the same metadata (leadersOf), so the same request.
  if (last?.topics === topics) return last.body;
  let partitions = '';
  for (const [topic, list] of topics) partitions += `${topic}\u0000${list.join(',')}\u0000`;
  if (last?.partitions === partitions) {
    last.topics = topics;
    return last.body;
  }
  const body = encodeListOffsets(topics, timestamp, isolation);
  sent.set(which, { topics, partitions, body });
  return body;
}
