/**
 * Kafka requests per refresh as the groups of a Kafka 4 cluster grow, by type: classic (committed offsets),
 * consumer-protocol, share and streams groups, each left Empty with its offsets by MakeGroups.java (one
 * member joins, reads, leaves). A refresh must ask per coordinator and per leader, never per group, so the
 * count stays flat while the groups grow five-fold.
 *
 *   KAFKA_VERSION=4.4.0 npx tsx bench/kafka4-requests.ts   (on 3.9.1: classic groups only)
 *   BENCH_AB=/path/to/other/checkout: the same refreshes with that checkout's collector, side by side.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { createKafkaCollector } from '../source/kafka/collector.js';
import { startCluster } from '../test/cluster/cluster.js';
import { DEFAULT_KAFKA_VERSION, isKafka3, kafkaLibsDir } from '../test/cluster/fetch.js';
import { streamsJar } from '../test/cluster/streams-app.js';
import { commitOffsets, createTopic } from '../test/cluster/workload.js';
import { log, median } from './report.js';

const run = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));
const STEPS = [100, 500];
// Of every 10 groups: 4 classic, 3 consumer-protocol, 2 share, 1 streams; Kafka 3 serves only classic groups.
const kafka3 = isKafka3(process.env.KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION);
const MIX = kafka3
  ? { classic: 1, consumer: 0, share: 0, streams: 0 }
  : { classic: 0.4, consumer: 0.3, share: 0.2, streams: 0.1 };
const topic = 'mix.orders';
const output = 'mix.copy';

// Requests by API, counted where every kafkajs connection sends (both checkouts load this one kafkajs).
const byApi = new Map<string, number>();
const Connection = createRequire(import.meta.url)('kafkajs/src/network/connection.js') as {
  prototype: { send(this: unknown, args: { request: { apiName: string } }): Promise<unknown> };
};
const send = Connection.prototype.send;
Connection.prototype.send = function (this: unknown, args) {
  byApi.set(args.request.apiName, (byApi.get(args.request.apiName) ?? 0) + 1);
  return send.call(this, args);
};

type Collect = () => Promise<{
  stats?: { kafkaRequests: number; kafkaBytesIn?: number };
  errors: unknown[];
  groups: { type?: string | null }[];
}>;

async function collectorAt(dir: string | undefined, bootstrap: string) {
  const mod = (dir ? await import(join(dir, 'source/kafka/collector.ts')) : { createKafkaCollector }) as {
    createKafkaCollector: typeof createKafkaCollector;
  };
  const collector = mod.createKafkaCollector({ brokers: bootstrap.split(','), refreshTimeoutMs: 60_000 });
  return { collect: collector.collect as unknown as Collect, close: () => collector.close() };
}

async function measure(label: string, dir: string | undefined, bootstrap: string) {
  const c = await collectorAt(dir, bootstrap);
  try {
    // The first refreshes find coordinators and read configs; the steady refresh is what a monitor repeats.
    await c.collect();
    await c.collect();
    const requests: number[] = [];
    const bytes: number[] = [];
    let last: Awaited<ReturnType<Collect>> | null = null;
    let apis = '';
    for (let i = 0; i < 5; i++) {
      byApi.clear();
      last = await c.collect();
      // The last steady refresh's requests by API.
      if (i === 4) apis = [...byApi].map(([api, n]) => `${api} ${n}`).join(', ');
      requests.push(last.stats?.kafkaRequests ?? Number.NaN);
      bytes.push(last.stats?.kafkaBytesIn ?? Number.NaN);
    }
    const types: Record<string, number> = {};
    for (const g of last!.groups) types[g.type ?? 'untyped'] = (types[g.type ?? 'untyped'] ?? 0) + 1;
    return {
      label,
      groups: last!.groups.length,
      types,
      requests: median(requests),
      apis,
      bytesIn: median(bytes),
      errors: last!.errors.length,
    };
  } finally {
    await c.close();
  }
}

const cluster = await startCluster({ portBase: 21290, log: (line) => log(`cluster: ${line}`) });
try {
  const { bootstrap } = cluster.info;
  await createTopic(bootstrap, { topic, partitions: 6 });
  await createTopic(bootstrap, { topic: output, partitions: 6 });
  const kafka = new Kafka({
    clientId: 'bench-k4',
    brokers: bootstrap.split(','),
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: Array.from({ length: 600 }, (_, i) => ({ value: String(i) })) });
  await producer.disconnect();

  const classpath = kafka3
    ? ''
    : `${await streamsJar(cluster.info.version)}:${kafkaLibsDir(cluster.info.version)}/*`;
  const classes = join(cluster.info.dataDir, 'make-groups-classes');
  if (!kafka3) await run('javac', ['-cp', classpath, '-d', classes, join(here, 'MakeGroups.java')]);

  let made = 0;
  const results = [];
  for (const total of STEPS) {
    const add = total - made;
    const n = (share: number) => Math.round(add * share);
    const prefix = `mix-${total}`;
    const started = Date.now();
    await commitOffsets(
      bootstrap,
      Array.from({ length: n(MIX.classic) }, (_, i) => ({
        groupId: `${prefix}-classic-${i}`,
        offsets: { [topic]: { 0: 10, 1: 10 } },
      })),
    );
    const { stdout } = kafka3
      ? { stdout: '' }
      : await run(
          'java',
          [
            '-cp',
            `${classes}:${classpath}`,
            'MakeGroups',
            bootstrap,
            topic,
            prefix,
            String(n(MIX.consumer)),
            String(n(MIX.share)),
            String(n(MIX.streams)),
            output,
          ],
          { maxBuffer: 1 << 24 },
        );
    log(
      `${total} groups: made in ${Math.round((Date.now() - started) / 1000)} s (${stdout
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('MADE'))
        .join(', ')})`,
    );
    made = total;
    results.push(await measure('this checkout', undefined, bootstrap));
    if (process.env.BENCH_AB)
      results.push(await measure(process.env.BENCH_AB, process.env.BENCH_AB, bootstrap));
    for (const r of results.slice(-2)) log(JSON.stringify(r));
  }
  process.stdout.write(`${JSON.stringify(results, null, 1)}\n`);
} finally {
  await cluster.stop();
}
