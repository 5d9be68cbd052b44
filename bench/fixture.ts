/**
 * The collector benchmark's data on the test cluster: `topics` topics of 10 partitions, a few records in
 * every partition, and groups that each committed offsets on one topic's partitions (group g on topic
 * g mod topics). The commits are raw OffsetCommit requests with generation -1 (what a consumer with
 * no group membership sends) through kafkajs's own cluster object: thousands of joins and syncs through
 * kafkajs consumers or admin.setOffsets would take minutes. This is the bench's own setup writing to its
 * own cluster; kafkatop itself never writes.
 */
import { Kafka, logLevel } from 'kafkajs';

export const PARTITIONS_PER_TOPIC = 10;
export const RECORDS_PER_PARTITION = 20;

export const topicName = (t: number) => `bench.orders-${String(t).padStart(4, '0')}`;
export const groupName = (g: number) => `bench-group-${String(g).padStart(4, '0')}`;

interface CoordinatorBroker {
  offsetCommit(request: object): Promise<unknown>;
}
interface KafkajsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  findGroupCoordinator(request: { groupId: string }): Promise<CoordinatorBroker>;
}

function kafkaFor(bootstrap: string): Kafka {
  return new Kafka({ clientId: 'kafkatop-bench', brokers: bootstrap.split(','), logLevel: logLevel.NOTHING });
}

async function inParallel<T>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** The offsets topic is created and loaded on first use: NOT_COORDINATOR and friends pass. */
async function retrying(work: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= 60 || !(error as { retriable?: boolean }).retriable) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
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
  const kafka = kafkaFor(bootstrap);
  const symbol = Object.getOwnPropertySymbols(kafka).find(
    (s) => s.description === 'private:Kafka:createCluster',
  )!;
  const cluster = (kafka as unknown as Record<symbol, (o: object) => KafkajsCluster>)[symbol]!({});
  await cluster.connect();
  try {
    const groups = Array.from({ length: to - from }, (_, i) => from + i);
    await inParallel(groups, 16, async (g) => {
      const groupId = groupName(g);
      await retrying(async () => {
        const coordinator = await cluster.findGroupCoordinator({ groupId });
        await coordinator.offsetCommit({
          groupId,
          groupGenerationId: -1,
          memberId: '',
          topics: [
            {
              topic: topicName(g % topics),
              partitions: Array.from({ length: PARTITIONS_PER_TOPIC }, (_, partition) => ({
                partition,
                offset: String(RECORDS_PER_PARTITION - ((g + partition) % 7)),
              })),
            },
          ],
        });
      });
    });
  } finally {
    await cluster.disconnect();
  }
}
