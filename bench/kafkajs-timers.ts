/**
 * What the kafkajs 2.2.4 timer fix (source/kafka/kafkajs-timer-fix.ts) saves: CPU of an idle kafkajs
 * client connected to every broker, for 10 s, without the fix and then with it, in one process.
 *   npm run cluster:up && npx tsx bench/kafkajs-timers.ts 127.0.0.1:19091
 */
import { Kafka, logLevel } from 'kafkajs';
import { installKafkajsTimerFix } from '../source/kafka/kafkajs-timer-fix.js';

const brokers = (process.argv[2] ?? '127.0.0.1:19091').split(',');
const IDLE_MS = 10_000;
const TOPIC = 'kafkatop-bench-timers';

async function idleCpuMs(): Promise<number> {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  // Requests to every broker, so each has a connection and a request queue that has answered.
  // A topic with partitions led by every broker (the bench's own, on a test cluster).
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 6 }] }).catch(() => {});
  await admin.fetchTopicOffsets(TOPIC);
  await admin.fetchTopicOffsets(TOPIC);
  const before = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  const used = process.cpuUsage(before);
  await admin.disconnect();
  return (used.user + used.system) / 1000;
}

const without = await idleCpuMs();
installKafkajsTimerFix();
const withFix = await idleCpuMs();
process.stdout.write(
  `idle kafkajs client, ${brokers.length} bootstrap, ${IDLE_MS / 1000} s: ` +
    `${without.toFixed(0)} ms CPU without the fix, ${withFix.toFixed(0)} ms with it (Node ${process.version})\n`,
);
