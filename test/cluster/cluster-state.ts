/**
 * The cluster's own partition state, as a broker's Metadata answer gives it, for tests that watch
 * brokers go away. kafkajs's admin (describeCluster, fetchTopicMetadata) throws the whole answer away
 * when any partition in the cluster has no leader, and describeCluster asks for every topic: one RF-1
 * topic on a stopped broker (an earlier file's auto-created topic) blinds it for exactly as long as a
 * test needs to look. This reads the same answer with kafkajs's decoder but not its `parse`.
 */
import { Kafka, logLevel } from 'kafkajs';
import type { RawMetadata } from '../../source/kafka/collected.js';
import { createInternalCluster, type InternalBroker } from '../../source/kafka/kafkajs-internals.js';
import { sendRaw } from '../../source/kafka/wire.js';

export interface PartitionState {
  topic: string;
  partition: number;
  /** -1: no leader (offline). */
  leader: number;
  replicas: number[];
  isr: number[];
}

export interface ClusterState {
  /** Registered, unfenced brokers: the ones the answer lists. */
  brokers: number[];
  partitions: PartitionState[];
}

export interface ClusterStateReader {
  /** Asks the given brokers in order until one answers; throws naming every failure when none does. */
  read(topics?: string[]): Promise<ClusterState>;
  close(): Promise<void>;
}

/** `addresses`: host:port of the brokers to ask (leave out a paused one: it would answer nothing). */
export function clusterStateReader(addresses: readonly string[]): ClusterStateReader {
  const kafka = new Kafka({
    clientId: 'kafkatop-test-state',
    brokers: [...addresses],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: 3000,
  });
  const cluster = createInternalCluster(kafka, { emit() {} });
  const brokers: Promise<InternalBroker>[] = addresses.map(async (address) => {
    const [host, port] = address.split(':');
    const connectionPool = await cluster.connectionPoolBuilder.build({
      host: host!,
      port: Number(port),
      rack: null,
    });
    return cluster.brokerPool.createBroker({ connectionPool, logger: cluster.rootLogger });
  });

  return {
    async read(topics = []) {
      const failures: string[] = [];
      for (const [i, pending] of brokers.entries()) {
        const broker = await pending;
        try {
          const answer = await sendRaw<RawMetadata>(broker, 'Metadata', {
            topics,
            allowAutoTopicCreation: false,
          });
          return {
            brokers: answer.brokers.map((b) => b.nodeId).sort((a, b) => a - b),
            partitions: answer.topicMetadata.flatMap((t) =>
              t.partitionMetadata.map((p) => ({
                topic: t.topic,
                partition: p.partitionId,
                leader: p.leader,
                replicas: p.replicas,
                isr: p.isr,
              })),
            ),
          };
        } catch (error) {
          failures.push(`${addresses[i]}: ${error instanceof Error ? error.message : String(error)}`);
          await broker.disconnect().catch(() => {});
        }
      }
      throw new Error(`no broker answered Metadata (${failures.join('; ')})`);
    },
    async close() {
      await Promise.all(brokers.map(async (b) => (await b).disconnect().catch(() => {})));
    },
  };
}
