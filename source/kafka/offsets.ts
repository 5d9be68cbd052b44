/**
 * Log start and log end offsets: one ListOffsets request per partition leader for all its partitions
 * across every topic (the request cannot name a partition twice, so earliest and latest are two rounds).
 */
import { noteBrokerError, type OffsetTable, setOffset } from './collected.js';
import type { StageContext } from './context.js';
import { EARLIEST_TIMESTAMP, errorType, LATEST_TIMESTAMP, READ_UNCOMMITTED, sendRaw } from './internals.js';
import { errorMessage } from './text.js';

interface ListOffsetsResponse {
  responses: Array<{
    topic: string;
    partitions: Array<{ partition: number; errorCode: number; offset: string }>;
  }>;
}

/** Partitions to ask each leader about: all of them, or those `wanted` says. */
export function partitionsByLeader(
  ctx: StageContext,
  wanted: (topic: string, partition: number) => boolean = () => true,
): Map<number, Map<string, number[]>> {
  const byLeader = new Map<number, Map<string, number[]>>();
  for (const topic of ctx.collected.metadata?.topicMetadata ?? []) {
    for (const p of topic.partitionMetadata) {
      if (p.leader < 0) continue; // offline partition: nobody to ask
      if (!wanted(topic.topic, p.partitionId)) continue;
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

export async function collectLogOffsets(
  ctx: StageContext,
  which: 'earliest' | 'latest',
  wanted?: (topic: string, partition: number) => boolean,
): Promise<void> {
  const table: OffsetTable = which === 'earliest' ? ctx.collected.logStart : ctx.collected.logEnd;
  const timestamp = which === 'earliest' ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP;
  const failedByTopic = new Map<string, string[]>();

  await Promise.all(
    [...partitionsByLeader(ctx, wanted)].map(([leader, topics]) =>
      ctx.limit(async () => {
        const broker = ctx.connections.get(leader);
        if (!broker) {
          noteBrokerError(ctx.collected, leader, 'leader not in cluster metadata');
          return;
        }
        try {
          const { responses } = await sendRaw<ListOffsetsResponse>(broker, 'ListOffsets', {
            replicaId: -1,
            isolationLevel: READ_UNCOMMITTED,
            topics: [...topics].map(([topic, partitions]) => ({
              topic,
              partitions: partitions.map((partition) => ({ partition, timestamp })),
            })),
          });
          for (const { topic, partitions } of responses) {
            for (const { partition, errorCode, offset } of partitions) {
              if (errorCode === 0) setOffset(table, topic, partition, Number(offset));
              else {
                const list = failedByTopic.get(topic) ?? [];
                list.push(`${partition} ${errorType(errorCode)}`);
                failedByTopic.set(topic, list);
              }
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
