/**
 * The live Kafka half of a snapshot: cluster, topics, offsets, configs and groups, read-only.
 *
 * One refresh, in rounds (each a batch of requests in parallel, at most `maxInFlight` at once):
 *   1. Metadata (all topics, auto-creation off)
 *   2. ListGroups on every broker, DescribeQuorum to one        | ListOffsets earliest per leader *
 *   3. per coordinator: DescribeGroups (classic groups), the    | DescribeConfigs *, ListPartitionReassignments †,
 *      Kafka 4 describes by group type (kafka4-groups.ts),      | DescribeLogDirs per broker *,
 *      OffsetFetch                                              | DescribeConfigs of one broker *
 *   4. ListOffsets latest and READ_COMMITTED (the last stable offset) per leader — after the committed
 *      offsets, so lag is never negative.
 * * Log-start offsets, configs and log dirs change slowly: read in full every 30 s, and in between only for topics
 *   and partitions that have no value yet (slowly-changing.ts).
 *   5. Only for a last stable offset pinned below the log end for 10 s: DescribeProducers per leader, then
 *      ListTransactions per broker, naming the transaction that holds it (open-transactions.ts).
 * † Only while a reassignment was seen or an ISR lacks a replica, and on the 30 s full read (reassignments.ts).
 * A refresh never throws and never outlasts `refreshTimeoutMs`: what was collected by then is returned.
 */
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import type { ConnectionSasl, ConnectionSsl } from '../connection.js';
import type { ClusterSnapshot } from '../snapshot.js';
import { assembleSnapshot } from './assemble.js';
import { collectBrokerConfigs, createBrokerConfigWatch } from './broker-configs.js';
import { emptyCollected } from './collected.js';
import { fetchCommittedOffsets } from './committed-offsets.js';
import { collectTopicConfigs } from './configs.js';
import { createConnections, skippingUnresponsive } from './connections.js';
import type { StageContext } from './context.js';
import { createGroupCache, describeGroups, listGroups } from './groups.js';
import { describeKafka4Groups } from './kafka4-groups.js';
import { createInternalCluster } from './kafkajs-internals.js';
import { installKafkajsTimerFix } from './kafkajs-timer-fix.js';
import { createLimit } from './limit.js';
import { collectLogDirs, createLogDirWatch } from './log-dirs.js';
import { createLogRing, type LogRing } from './log-ring.js';
import { collectMetadata, createMetadataMemo } from './metadata.js';
import { collectLogOffsets } from './offsets.js';
import { collectOpenTransactions, createOpenTransactionWatch } from './open-transactions.js';
import { collectQuorum } from './quorum.js';
import { collectReassignments, createReassignmentWatch } from './reassignments.js';
import { createSlowlyChanging } from './slowly-changing.js';
import { createRedactor, errorMessage } from './text.js';

export interface KafkaCollectorOptions {
  /** Bootstrap addresses, HOST:PORT. */
  brokers: string[];
  clientId?: string;
  ssl?: ConnectionSsl;
  sasl?: ConnectionSasl;
  /** Per request (default 5000 ms). */
  requestTimeoutMs?: number;
  /** Per TCP connect (default 3000 ms). */
  connectionTimeoutMs?: number;
  /** Whole refresh (default 10000 ms). */
  refreshTimeoutMs?: number;
  /** Requests in flight at once (default 12). */
  maxInFlight?: number;
  /** Capacity of the kafkajs log ring (default 500 lines). */
  logCapacity?: number;
  /** How often log-start offsets and topic configs are read in full (default 30 s); 0 reads them every refresh. */
  slowlyChangingPeriodMs?: number;
  /** Only these groups are described and have their offsets read (--group); default every group. */
  groupInScope?: (groupId: string) => boolean;
  /** Only these topics are kept from metadata, so only theirs are asked for offsets and configs (--topic). */
  topicInScope?: (topic: string) => boolean;
  /** --stuck-lso: an LSO pinned this long is stuck, so its transaction is named by then (open-transactions.ts). */
  stuckLsoMs?: number;
}

export interface KafkaCollector {
  /** Never throws; failures are in `errors`. `controllerId` and broker `metrics` are left null. */
  collect(): Promise<ClusterSnapshot>;
  /** Recent kafkajs log lines (kafkajs never writes to the console). */
  readonly log: LogRing;
  close(): Promise<void>;
}

export const DEFAULT_REFRESH_TIMEOUT_MS = 10_000;
const CLOSE_TIMEOUT_MS = 1000;

interface RequestEvent {
  payload?: { size?: number };
}

export function createKafkaCollector(options: KafkaCollectorOptions): KafkaCollector {
  installKafkajsTimerFix();
  const refreshTimeoutMs = options.refreshTimeoutMs ?? DEFAULT_REFRESH_TIMEOUT_MS;
  const requestTimeoutMs = options.requestTimeoutMs ?? 5000;
  const clean = createRedactor(saslSecrets(options.sasl));
  const log = createLogRing(options.logCapacity);

  const kafka = new Kafka({
    brokers: options.brokers,
    clientId: options.clientId ?? 'kafkatop',
    ssl: options.ssl,
    sasl: options.sasl,
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    requestTimeout: requestTimeoutMs,
    enforceRequestTimeout: true,
    retry: { retries: 0 },
    logLevel: logLevel.INFO,
    logCreator: log.logCreator(clean),
  });

  // Requests are counted where kafkajs counts them (network.request / network.request_timeout events),
  // into the counter of the refresh in progress, which also notes the brokers that let a request time out.
  let counter = { requests: 0, bytesIn: 0 };
  let unresponsive = new Set<string>();
  const emitter = {
    emit(name: string, event: unknown) {
      if (name === 'network.request') {
        counter.requests++;
        counter.bytesIn += (event as RequestEvent['payload'])?.size ?? 0;
      } else if (name === 'network.request_timeout') {
        counter.requests++;
        const broker = (event as { broker?: unknown } | undefined)?.broker;
        if (typeof broker === 'string') unresponsive.add(broker);
      }
    },
  };
  const cluster = createInternalCluster(kafka, emitter);
  const connections = createConnections(cluster, options.brokers.length);
  const groupCache = createGroupCache();
  const maxInFlight = options.maxInFlight ?? 12;
  const slowlyChanging = createSlowlyChanging(options.slowlyChangingPeriodMs);
  const metadataMemo = createMetadataMemo();
  const reassignmentWatch = createReassignmentWatch();
  const logDirWatch = createLogDirWatch();
  const openTransactionWatch = createOpenTransactionWatch(options.stuckLsoMs ?? null);
  const brokerConfigWatch = createBrokerConfigWatch();

  async function run(ctx: StageContext, startedAt: number): Promise<void> {
    if (!(await collectMetadata(ctx, metadataMemo))) return;
    const slow = slowlyChanging.begin(ctx.collected, Date.now());
    const earliest = collectLogOffsets(ctx, 'earliest', slow.carriedLogStart);
    const configs = collectTopicConfigs(ctx, slow.configTopics);
    const reassignments = collectReassignments(ctx, reassignmentWatch, slow.full);
    const logDirs = collectLogDirs(ctx, logDirWatch, slow.full, reassignmentWatch.last);
    const brokerConfigs = collectBrokerConfigs(ctx, brokerConfigWatch, slow.full);
    await Promise.all([listGroups(ctx, groupCache), collectQuorum(ctx)]);
    await Promise.all([
      describeGroups(ctx, groupCache),
      describeKafka4Groups(ctx, groupCache),
      fetchCommittedOffsets(ctx, groupCache),
    ]);
    await Promise.all([collectLogOffsets(ctx, 'latest'), collectLogOffsets(ctx, 'stable')]);
    // On the snapshot's clock (takenAt), as the model's stuck bound: the stuck event's refresh has its culprit.
    const openTransactions = collectOpenTransactions(
      ctx,
      openTransactionWatch,
      startedAt,
      brokerConfigWatch.transactionMaxTimeoutMs,
    );
    await Promise.all([earliest, configs, reassignments, logDirs, brokerConfigs, openTransactions]);
    slowlyChanging.end(ctx.collected, slow);
  }

  return {
    log,
    async collect() {
      const startedAt = Date.now();
      const takenAt = new Date(startedAt).toISOString();
      const refreshCounter = { requests: 0, bytesIn: 0 };
      counter = refreshCounter;
      unresponsive = new Set();
      const ctx: StageContext = {
        connections: skippingUnresponsive(connections, unresponsive, requestTimeoutMs),
        limit: createLimit(maxInFlight),
        clean,
        collected: emptyCollected(),
        groupInScope: options.groupInScope,
        topicInScope: options.topicInScope,
      };

      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), refreshTimeoutMs);
      });
      const work = run(ctx, startedAt).then(
        () => 'done' as const,
        (error: unknown) => {
          ctx.collected.errors.push({ source: 'cluster', message: clean(errorMessage(error)) });
          return 'done' as const;
        },
      );
      const outcome = await Promise.race([work, timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        ctx.collected.errors.push({
          source: ctx.collected.metadata ? 'refresh' : 'cluster',
          message: `refresh timed out after ${refreshTimeoutMs} ms; partial data`,
        });
      }
      // Assembled now: stages still running after a timeout write into `ctx.collected`, never into this.
      return assembleSnapshot({
        collected: ctx.collected,
        takenAt,
        durationMs: Date.now() - startedAt,
        stats: {
          kafkaRequests: refreshCounter.requests,
          kafkaBytesIn: refreshCounter.bytesIn,
          metricsRequests: 0,
        },
      });
    },
    async close() {
      // kafkajs waits for requests in flight before it disconnects; a hung broker must not hang quitting.
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
        timer.unref();
      });
      await Promise.race([connections.close().catch(() => {}), gaveUp]);
      clearTimeout(timer);
    },
  };
}

function saslSecrets(sasl: SASLOptions | undefined): Array<string | undefined> {
  if (!sasl) return [];
  const values = sasl as unknown as Record<string, unknown>;
  return ['password', 'secretAccessKey', 'sessionToken', 'accessKeySecret'].map((k) =>
    typeof values[k] === 'string' ? (values[k] as string) : undefined,
  );
}
