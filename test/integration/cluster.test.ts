import { randomUUID } from 'node:crypto';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROKER_IDS } from '../cluster/cluster.js';
import { testCluster } from '../cluster/test-cluster.js';
import { createTopic } from '../cluster/workload.js';

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

    const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
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
});
