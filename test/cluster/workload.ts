/**
 * Workload helpers for integration tests and demos against the test cluster: topics, a producer
 * at a given rate, and in-process kafkajs consumers. Java consumer groups (any assignor,
 * cooperative-sticky included, and KIP-848) are in consumer-group.ts.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { type Admin, type Consumer, Kafka, logLevel, type Producer } from 'kafkajs';

export function kafkaFor(bootstrap: string, clientId = 'kafkatop-test'): Kafka {
  return new Kafka({ clientId, brokers: bootstrap.split(','), logLevel: logLevel.NOTHING });
}

export interface CreateTopicOptions {
  topic: string;
  partitions?: number;
  /** Default 3 (every broker). */
  replicationFactor?: number;
  /** Default 2, so one broker down still accepts acks=all writes and two down do not. */
  minInsyncReplicas?: number;
  config?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * Creates a topic and waits until every broker's metadata shows all its partitions with a leader
 * and a full ISR. (kafkajs' own `waitForLeaders` gives up on the UNKNOWN_TOPIC_OR_PARTITION a
 * broker answers while the new topic is still propagating, which Kafka 4.x does routinely.)
 */
export async function createTopic(bootstrap: string, options: CreateTopicOptions): Promise<void> {
  const partitions = options.partitions ?? 3;
  const replicationFactor = options.replicationFactor ?? 3;
  const configEntries = Object.entries({
    'min.insync.replicas': String(options.minInsyncReplicas ?? 2),
    ...options.config,
  }).map(([name, value]) => ({ name, value }));
  const admin = kafkaFor(bootstrap).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [{ topic: options.topic, numPartitions: partitions, replicationFactor, configEntries }],
      waitForLeaders: false,
    });
  } finally {
    await admin.disconnect();
  }
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (const broker of bootstrap.split(',')) {
    const single = kafkaFor(broker).admin();
    await single.connect();
    try {
      for (;;) {
        const ready = await topicReady(single, options.topic, partitions, replicationFactor).catch(
          () => false,
        );
        if (ready) break;
        if (Date.now() > deadline) throw new Error(`topic ${options.topic} not ready on ${broker}`);
        await sleep(100);
      }
    } finally {
      await single.disconnect();
    }
  }
}

async function topicReady(admin: Admin, topic: string, partitions: number, rf: number): Promise<boolean> {
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  const found = metadata.topics[0]?.partitions ?? [];
  return found.length === partitions && found.every((p) => p.leader >= 0 && p.isr.length === rf);
}

export interface RateProducer {
  /** Records acknowledged so far. */
  readonly sent: number;
  /** Sends that failed (e.g. NOT_ENOUGH_REPLICAS while brokers are down); the producer keeps going. */
  readonly failed: number;
  readonly lastError: Error | null;
  /** Stops sending, waits for the in-flight send and disconnects. */
  stop(): Promise<void>;
}

export interface RateProducerOptions {
  topic: string;
  /** Records per second (spread over 10 sends a second). */
  ratePerSec: number;
  /** Bytes per record value; default 100. */
  valueBytes?: number;
  /** Default -1 (all in-sync replicas). */
  acks?: number;
  clientId?: string;
  /** kafkajs send retries (default its own, 5 over up to 30 s): fewer shows a refused write sooner. */
  retries?: number;
}

/** Produces to `topic` at roughly `ratePerSec` in this process until stopped. */
export async function startProducer(bootstrap: string, options: RateProducerOptions): Promise<RateProducer> {
  const producer: Producer = kafkaFor(bootstrap, options.clientId ?? 'kafkatop-test-producer').producer({
    allowAutoTopicCreation: false,
    ...(options.retries === undefined ? {} : { retry: { retries: options.retries } }),
  });
  await producer.connect();
  const value = 'x'.repeat(options.valueBytes ?? 100);
  const state = { sent: 0, failed: 0, lastError: null as Error | null, stopped: false };
  let owed = 0;
  let counter = 0;
  const loop = (async () => {
    while (!state.stopped) {
      const tickStart = Date.now();
      owed += options.ratePerSec / 10;
      const count = Math.floor(owed);
      owed -= count;
      if (count > 0) {
        const messages = Array.from({ length: count }, () => ({ key: String(counter++), value }));
        try {
          await producer.send({ topic: options.topic, acks: options.acks ?? -1, messages });
          state.sent += count;
        } catch (error) {
          state.failed += count;
          state.lastError = error as Error;
        }
      }
      await sleep(Math.max(0, 100 - (Date.now() - tickStart)));
    }
  })();
  return {
    get sent() {
      return state.sent;
    },
    get failed() {
      return state.failed;
    },
    get lastError() {
      return state.lastError;
    },
    async stop() {
      state.stopped = true;
      await loop;
      await producer.disconnect();
    },
  };
}

export interface InProcessConsumerOptions {
  groupId: string;
  topics: string[];
  clientId?: string;
  /** Processing time per record, to build lag on purpose; default 0. */
  delayMsPerRecord?: number;
  fromBeginning?: boolean;
}

export interface InProcessConsumer {
  /** Records processed and committed. */
  readonly consumed: number;
  /** Leaves the group. */
  stop(): Promise<void>;
}

/** A kafkajs group member in this process (range / round-robin assignors only). */
export async function startKafkajsConsumer(
  bootstrap: string,
  options: InProcessConsumerOptions,
): Promise<InProcessConsumer> {
  const consumer: Consumer = kafkaFor(bootstrap, options.clientId ?? 'kafkatop-test-consumer').consumer({
    groupId: options.groupId,
    allowAutoTopicCreation: false,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning ?? true });
  const state = { consumed: 0 };
  const delay = options.delayMsPerRecord ?? 0;
  await consumer.run({
    // Each record is committed before it counts as consumed. kafkajs's own commit at disconnect can reach
    // the coordinator after its LeaveGroup and be refused (tulios/kafkajs#751): on a loaded machine the
    // last batch's offsets were then lost, and the committed offset trailed what was consumed.
    eachMessage: async ({ topic, partition, message }) => {
      if (delay > 0) await sleep(delay);
      await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
      state.consumed += 1;
    },
  });
  return {
    get consumed() {
      return state.consumed;
    },
    stop: () => consumer.disconnect(),
  };
}

interface CoordinatorBroker {
  offsetCommit(request: object): Promise<unknown>;
}
interface KafkajsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  findGroupCoordinator(request: { groupId: string }): Promise<CoordinatorBroker>;
}

/** What one group commits: topic -> partition -> offset. */
export interface GroupCommit {
  groupId: string;
  offsets: Record<string, Record<number, number>>;
}

/**
 * Runs a group-coordinator call again while it fails with a retriable error, for up to ~30 s. kafkajs's own
 * admin calls (fetchOffsets, setOffsets) look the coordinator up once and throw NOT_COORDINATOR or
 * COORDINATOR_LOAD_IN_PROGRESS while __consumer_offsets is loading on a fresh cluster or its leaders are
 * still moving after another test restarted brokers.
 */
export async function whileCoordinatorMoves<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= 60 || !(error as { retriable?: boolean }).retriable) throw error;
      await sleep(500);
    }
  }
}

/**
 * Commits offsets with raw OffsetCommit, generation -1 (no group membership): hundreds of consumer joins
 * would take minutes. `parallelism` groups at a time; retried while the coordinators move.
 */
export async function commitOffsets(
  bootstrap: string,
  commits: GroupCommit[],
  parallelism = 16,
): Promise<void> {
  const kafka = kafkaFor(bootstrap, 'kafkatop-commits');
  const symbol = Object.getOwnPropertySymbols(kafka).find(
    (s) => s.description === 'private:Kafka:createCluster',
  )!;
  const cluster = (kafka as unknown as Record<symbol, (o: object) => KafkajsCluster>)[symbol]!({});
  const commitOne = ({ groupId, offsets }: GroupCommit) =>
    whileCoordinatorMoves(async () => {
      const coordinator = await cluster.findGroupCoordinator({ groupId });
      await coordinator.offsetCommit({
        groupId,
        groupGenerationId: -1,
        memberId: '',
        topics: Object.entries(offsets).map(([topic, partitions]) => ({
          topic,
          partitions: Object.entries(partitions).map(([p, offset]) => ({
            partition: Number(p),
            offset: String(offset),
          })),
        })),
      });
    });
  await cluster.connect();
  try {
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(parallelism, commits.length) }, async () => {
        while (next < commits.length) await commitOne(commits[next++]!);
      }),
    );
  } finally {
    await cluster.disconnect();
  }
}

/** Polls `probe` until it returns a value that is not undefined, failing after `timeoutMs` with its last error. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(200);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last error: ${String(lastError)}`);
}
