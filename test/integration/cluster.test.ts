import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROKER_IDS } from '../cluster/cluster.js';
import { startConsumerGroup } from '../cluster/consumer-group.js';
import { testCluster } from '../cluster/test-cluster.js';
import {
  createTopic,
  startKafkajsConsumer,
  startProducer,
  whileCoordinatorMoves,
} from '../cluster/workload.js';

const cluster = testCluster();
const kafka = new Kafka({
  clientId: 'cluster-test',
  brokers: cluster.bootstrap.split(','),
  logLevel: logLevel.NOTHING,
});
const admin = kafka.admin();

beforeAll(() => admin.connect());
afterAll(() => admin.disconnect());

function sampleValue(body: string, name: string): number | null {
  const line = body.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line === undefined ? null : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe(`test cluster (Kafka ${cluster.version})`, () => {
  it('has 3 brokers in metadata, each on its own port', async () => {
    const described = await admin.describeCluster();
    expect(described.brokers.map((b) => b.nodeId).sort()).toEqual([...BROKER_IDS]);
    expect(described.brokers.map((b) => b.port).sort()).toEqual(cluster.brokers.map((b) => b.port));
  });

  it('creates a topic with replication factor 3 and min.insync.replicas 2', async () => {
    const topic = `rf3-${randomUUID()}`;
    await createTopic(cluster.bootstrap, {
      topic,
      partitions: 3,
      replicationFactor: 3,
      minInsyncReplicas: 2,
    });
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    const partitions = metadata.topics[0]!.partitions;
    const configs = await admin.describeConfigs({
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['min.insync.replicas'] }],
      includeSynonyms: false,
    });
    expect(configs.resources[0]!.configEntries[0]!.configValue).toBe('2');
    expect(partitions).toHaveLength(3);
    for (const p of partitions) {
      expect([...p.replicas].sort()).toEqual([...BROKER_IDS]);
      expect(p.isr).toHaveLength(3);
    }
  });

  it('delivers produced messages to a consumer group and records its committed offsets', async () => {
    const topic = `roundtrip-${randomUUID()}`;
    const groupId = `group-${randomUUID()}`;
    await createTopic(cluster.bootstrap, { topic, partitions: 2 });
    const producer = kafka.producer();
    await producer.connect();
    const sent = Array.from({ length: 50 }, (_, i) => `m-${i}`);
    await producer.send({
      topic,
      acks: -1,
      messages: sent.map((value, i) => ({ key: String(i % 7), value })),
    });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: string[] = [];
    const all = new Promise<void>((done) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          received.push(message.value!.toString());
          if (received.length === sent.length) done();
        },
      });
    });
    await all;
    const described = await admin.describeGroups([groupId]);
    expect(described.groups[0]!.state).toBe('Stable');
    expect(described.groups[0]!.members).toHaveLength(1);
    await consumer.disconnect();
    expect([...received].sort()).toEqual([...sent].sort());

    const offsets = await whileCoordinatorMoves(() => admin.fetchOffsets({ groupId, topics: [topic] }));
    const committed = offsets[0]!.partitions.reduce((sum, p) => sum + Number(p.offset), 0);
    expect(committed).toBe(sent.length);
  });

  it('serves the request-handler idle metric from every broker and the controller', async () => {
    for (const node of [...cluster.brokers, cluster.controller]) {
      const response = await fetch(node.metricsUrl);
      expect(response.status).toBe(200);
      const body = await response.text();
      const idleNs = sampleValue(
        body,
        'kafka_server_kafkarequesthandlerpool_requesthandleravgidlepercent_count_total',
      );
      expect(idleNs, `node ${node.id}`).toBeGreaterThan(0);
    }
    const brokerBody = await (await fetch(cluster.brokers[0]!.metricsUrl)).text();
    expect(sampleValue(brokerBody, 'kafka_server_replicamanager_underreplicatedpartitions')).toBe(0);
    expect(
      sampleValue(brokerBody, 'kafka_network_socketserver_networkprocessoravgidle_percent'),
    ).not.toBeNull();
    const controllerBody = await (await fetch(cluster.controller.metricsUrl)).text();
    expect(sampleValue(controllerBody, 'kafka_controller_kafkacontroller_activecontrollercount')).toBe(1);
  });

  it('runs a cooperative-sticky Java consumer group through a rolling restart with offsets committed', async () => {
    const topic = `java-group-${randomUUID()}`;
    const groupId = `cooperative-${randomUUID()}`;
    await createTopic(cluster.bootstrap, { topic, partitions: 6 });
    const producer = await startProducer(cluster.bootstrap, { topic, ratePerSec: 100 });
    const group = await startConsumerGroup(cluster.info, {
      groupId,
      topics: [topic],
      members: 3,
      assignor: 'cooperative-sticky',
    });
    try {
      // Cooperative rebalancing takes two rounds: the group may rebalance again after first reading Stable.
      let described = (await admin.describeGroups([groupId])).groups[0]!;
      for (let tries = 0; described.state !== 'Stable' && tries < 120; tries++) {
        await sleep(500);
        described = (await admin.describeGroups([groupId])).groups[0]!;
      }
      expect(described.state).toBe('Stable');
      expect(described.protocol).toBe('cooperative-sticky');
      expect(described.members.map((m) => m.clientId).sort()).toEqual(group.members.map((m) => m.clientId));

      const firstPids = group.members.map((m) => m.pid);
      await group.rollingRestart();
      const after = group.members;
      expect(after.every((m) => m.running)).toBe(true);
      expect(after.map((m) => m.pid).some((pid, i) => pid === firstPids[i])).toBe(false);
    } finally {
      await producer.stop();
      await group.stop();
    }
    expect(group.members.some((m) => m.running)).toBe(false);
    const offsets = await whileCoordinatorMoves(() => admin.fetchOffsets({ groupId, topics: [topic] }));
    const committed = offsets[0]!.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    // Graceful stops commit what was consumed; the members keep up with 100 records/s.
    expect(committed).toBeGreaterThan(0);
    expect(committed).toBeLessThanOrEqual(producer.sent);
    expect((await admin.describeGroups([groupId])).groups[0]!.state).toBe('Empty');
    // Six consumer JVM starts and as many cooperative rebalances: slow on a busy 2-core machine.
  }, 300_000);

  it('a slow in-process consumer builds lag and has committed what it consumed once stopped', async () => {
    const topic = `slow-${randomUUID()}`;
    const groupId = `slow-${randomUUID()}`;
    await createTopic(cluster.bootstrap, { topic, partitions: 2 });
    const producer = await startProducer(cluster.bootstrap, { topic, ratePerSec: 100 });
    const consumer = await startKafkajsConsumer(cluster.bootstrap, {
      groupId,
      topics: [topic],
      delayMsPerRecord: 50,
    });
    await sleep(4000);
    await producer.stop();
    await consumer.stop();
    // 50 ms per record is at most 20 records/s against 100 produced per second.
    expect(consumer.consumed).toBeGreaterThan(0);
    expect(consumer.consumed).toBeLessThan(producer.sent);
    const committed = (
      await whileCoordinatorMoves(() => admin.fetchOffsets({ groupId, topics: [topic] }))
    )[0]!.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    expect(committed).toBe(consumer.consumed);
  });

  it.runIf(!cluster.version.startsWith('3.'))(
    'runs a KIP-848 (consumer protocol) group on Kafka 4.x',
    async () => {
      const topic = `kip848-${randomUUID()}`;
      const groupId = `kip848-${randomUUID()}`;
      await createTopic(cluster.bootstrap, { topic, partitions: 4 });
      const producer = await startProducer(cluster.bootstrap, { topic, ratePerSec: 100 });
      await sleep(500);
      const group = await startConsumerGroup(cluster.info, {
        groupId,
        topics: [topic],
        members: 2,
        protocol: 'consumer',
      });
      await sleep(2000);
      await producer.stop();
      await group.stop();
      const listed = (await admin.listGroups()).groups.find((g) => g.groupId === groupId);
      expect(listed?.protocolType).toBe('consumer');
      const offsets = await whileCoordinatorMoves(() => admin.fetchOffsets({ groupId, topics: [topic] }));
      expect(
        offsets[0]!.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0),
      ).toBeGreaterThan(0);
    },
  );
});
