/**
 * The collector benchmark's data on the test cluster: `topics` topics of 10 partitions, a few records in
 * every partition, and groups that each committed offsets on one topic's partitions (group g on topic
 * g mod topics). The commits are raw OffsetCommit requests with generation -1 (what a consumer with
 * no group membership sends) through kafkajs's own cluster object: thousands of joins and syncs through
 * kafkajs consumers or admin.setOffsets would take minutes. This is the bench's own setup writing to its
 * own cluster; kafkatop itself never writes.
 */
import { Kafka, logLevel } from 'kafkajs';
import { commitOffsets } from '../test/cluster/workload.js';

export const PARTITIONS_PER_TOPIC = 10;
export const RECORDS_PER_PARTITION = 20;

export const topicName = (t: number) => `bench.orders-${String(t).padStart(4, '0')}`;
export const groupName = (g: number) => `bench-group-${String(g).padStart(4, '0')}`;

function kafkaFor(bootstrap: string): Kafka {
  return new Kafka({ clientId: 'kafkatop-bench', brokers: bootstrap.split(','), logLevel: logLevel.NOTHING });
}

export async function createTopics(
  bootstrap: string,
  topics: number,
  replicationFactor: number,
): Promise<void> {
  const admin = kafkaFor(bootstrap).admin();
  await admin.connect();
  try {
    const names = Array.from({ length: topics }, (_, t) => topicName(t));
    for (let i = 0; i < names.length; i += 50) {
      await admin.createTopics({
        topics: names
          .slice(i, i + 50)
          .map((topic) => ({ topic, numPartitions: PARTITIONS_PER_TOPIC, replicationFactor })),
        waitForLeaders: false,
        timeout: 60_000,
      });
    }
    // Every partition led before producing: a fresh topic's metadata propagates for a while.
    const deadline = Date.now() + 300_000;
    for (;;) {
      const metadata = await admin.fetchTopicMetadata({ topics: names }).catch(() => null);
      const led =
        metadata?.topics.reduce((n, t) => n + t.partitions.filter((p) => p.leader >= 0).length, 0) ?? 0;
      if (led === topics * PARTITIONS_PER_TOPIC) break;
      if (Date.now() > deadline) throw new Error(`only ${led} partitions have a leader`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await admin.disconnect();
  }
}

export async function produceRecords(bootstrap: string, topics: number): Promise<void> {
  const producer = kafkaFor(bootstrap).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const value = Buffer.alloc(100, 'x');
    for (let t = 0; t < topics; t += 20) {
      const topicMessages = [];
      for (let u = t; u < Math.min(topics, t + 20); u++) {
        const messages = [];
        for (let p = 0; p < PARTITIONS_PER_TOPIC; p++) {
          for (let r = 0; r < RECORDS_PER_PARTITION; r++) messages.push({ partition: p, value });
        }
        topicMessages.push({ topic: topicName(u), messages });
      }
      // Fresh partitions move leaders for a while after creation; kafkajs gives up after 5 retries.
      for (let attempt = 1; ; attempt++) {
        try {
          await producer.sendBatch({ topicMessages, acks: 1 });
          break;
        } catch (error) {
          if (attempt >= 10) throw error;
          await new Promise((r) => setTimeout(r, 2000));
        }
      }
    }
  } finally {
    await producer.disconnect();
  }
}

/** Groups [from, to) commit offsets on every partition of their topic, some behind the log end. */
export async function commitGroups(
  bootstrap: string,
  topics: number,
  from: number,
  to: number,
): Promise<void> {
  const groups = Array.from({ length: to - from }, (_, i) => from + i);
  await commitOffsets(
    bootstrap,
    groups.map((g) => ({
      groupId: groupName(g),
      offsets: {
        [topicName(g % topics)]: Object.fromEntries(
          Array.from({ length: PARTITIONS_PER_TOPIC }, (_, partition) => [
            partition,
            RECORDS_PER_PARTITION - ((g + partition) % 7),
          ]),
        ),
      },
    })),
  );
}
