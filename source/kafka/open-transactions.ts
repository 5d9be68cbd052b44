/**
 * The transaction holding a partition's last stable offset back, and whether it is hanging. Asked only for
 * partitions whose LSO has stood below the log end, unmoved, for `PINNED_AFTER_MS` (short transactions move
 * it at every commit) or the stuck bound if shorter (so a stuck event names its culprit), again when it
 * crosses the stuck bound (so the event carries a fresh verdict), and at most every `ASK_EVERY_MS` between;
 * carried between asks: nothing is sent while no LSO is pinned. Per refresh with a pinned LSO to ask about:
 * one DescribeProducers per leader of such partitions, then ListTransactions and DescribeTransactions for the
 * producers found (hanging-transactions.ts).
 */
import type { OpenTransaction } from '../snapshot.js';
import type { Collected } from './collected.js';
import type { StageContext } from './context.js';
import { type Holder, judgeHolders, KAFKA_MAX_TRANSACTION_TIMEOUT_MS } from './hanging-transactions.js';
import { errorMessage } from './text.js';
import {
  DESCRIBE_PRODUCERS_API_KEY,
  DESCRIBE_PRODUCERS_MAX_VERSION,
  decodeDescribeProducersResponse,
  encodeDescribeProducersRequest,
} from './transactions.js';
import { errorType, maxVersion, sendEncoded } from './wire.js';

export const PINNED_AFTER_MS = 10_000;
const ASK_EVERY_MS = 30_000;
const TOPIC_AUTHORIZATION_FAILED = 29;

interface Pin {
  lso: number;
  sinceMs: number;
  askedMs: number | null;
  culprit: OpenTransaction | null;
}

export interface OpenTransactionWatch {
  /** topic -> partition -> its pinned LSO; only partitions whose LSO is below the log end. */
  pins: Map<string, Map<number, Pin>>;
  /** --stuck-lso; null: the brokers' transaction.max.timeout.ms, as the model's bound. */
  stuckLsoMs: number | null;
}

export function createOpenTransactionWatch(stuckLsoMs: number | null = null): OpenTransactionWatch {
  return { pins: new Map(), stuckLsoMs };
}

/** Updates the pins from this refresh's offsets; returns the partitions to ask about, by leader. */
function pinsToAsk(collected: Collected, watch: OpenTransactionWatch, nowMs: number, boundMs: number) {
  const askAfterMs = Math.min(PINNED_AFTER_MS, boundMs);
  const ask = new Map<number, Map<string, number[]>>();
  for (const [topic, pins] of watch.pins) {
    for (const partition of pins.keys()) {
      const lso = collected.lastStable.get(topic)?.get(partition);
      const end = collected.logEnd.get(topic)?.get(partition);
      if (lso === undefined || end === undefined || lso >= end) pins.delete(partition);
    }
    if (pins.size === 0) watch.pins.delete(topic);
  }
  for (const [topic, stable] of collected.lastStable) {
    const ends = collected.logEnd.get(topic);
    if (!ends) continue;
    for (const partition of stable.keys()) {
      const lso = stable.get(partition)!;
      const end = ends.get(partition);
      if (end === undefined || lso >= end) continue;
      let pins = watch.pins.get(topic);
      if (!pins) {
        pins = new Map();
        watch.pins.set(topic, pins);
      }
      let pin = pins.get(partition);
      if (!pin || pin.lso !== lso) {
        pin = { lso, sinceMs: nowMs, askedMs: null, culprit: null };
        pins.set(partition, pin);
      }
      if (nowMs - pin.sinceMs < askAfterMs) continue;
      if (pin.askedMs !== null && nowMs - pin.askedMs < ASK_EVERY_MS) {
        const crossedBound = nowMs - pin.sinceMs >= boundMs && pin.askedMs - pin.sinceMs < boundMs;
        if (!crossedBound) continue;
      }
      const leader = leaderOf(collected, topic, partition);
      if (leader < 0) continue;
      pin.askedMs = nowMs;
      let topics = ask.get(leader);
      if (!topics) {
        topics = new Map();
        ask.set(leader, topics);
      }
      const list = topics.get(topic) ?? [];
      list.push(partition);
      topics.set(topic, list);
    }
  }
  return ask;
}

function leaderOf(collected: Collected, topic: string, partition: number): number {
  const t = collected.metadata?.topicMetadata.find((x) => x.topic === topic);
  return t?.partitionMetadata.find((p) => p.partitionId === partition)?.leader ?? -1;
}

/**
 * `nowMs`: the refresh's own time (its snapshot's takenAt), the model's clock for the stuck bound.
 * `maxTimeoutMs`: the brokers' transaction.max.timeout.ms as last read, null when not read yet.
 */
export async function collectOpenTransactions(
  ctx: StageContext,
  watch: OpenTransactionWatch,
  nowMs: number,
  maxTimeoutMs: number | null = null,
): Promise<void> {
  const collected = ctx.collected;
  const boundMs = watch.stuckLsoMs ?? maxTimeoutMs ?? KAFKA_MAX_TRANSACTION_TIMEOUT_MS;
  const ask = pinsToAsk(collected, watch, nowMs, boundMs);
  if (ask.size > 0) {
    const found: Holder[] = [];
    await Promise.all(
      [...ask].map(([leader, topics]) =>
        ctx.limit(async () => {
          const broker = ctx.connections.get(leader);
          if (!broker) return;
          try {
            const version = Math.min(
              await maxVersion(broker, DESCRIBE_PRODUCERS_API_KEY),
              DESCRIBE_PRODUCERS_MAX_VERSION,
            );
            if (version < 0) return; // Kafka before 3.0
            const answer = await sendEncoded(broker, {
              apiName: 'DescribeProducers',
              apiKey: DESCRIBE_PRODUCERS_API_KEY,
              apiVersion: version,
              body: encodeDescribeProducersRequest(topics),
              decode: decodeDescribeProducersResponse,
            });
            for (const p of answer) {
              const pin = watch.pins.get(p.topic)?.get(p.partition);
              if (!pin) continue;
              if (p.errorCode !== 0) {
                const needs = p.errorCode === TOPIC_AUTHORIZATION_FAILED ? ' (needs Read on the topic)' : '';
                collected.errors.push({
                  source: `topic:${p.topic}`,
                  message: ctx.clean(
                    `DescribeProducers: partition ${p.partition} ${errorType(p.errorCode)}${needs}`,
                  ),
                });
                continue;
              }
              // The producer whose open transaction starts at the LSO is the one holding it.
              const holder = p.producers.find((x) => x.currentTxnStartOffset === pin.lso);
              pin.culprit = holder
                ? {
                    producerId: holder.producerId,
                    producerEpoch: holder.producerEpoch,
                    startOffset: pin.lso,
                    lastTimestamp: holder.lastTimestamp,
                    transactionalId: null,
                    state: null,
                    hanging: null,
                  }
                : null;
              if (pin.culprit) {
                found.push({
                  topic: p.topic,
                  partition: p.partition,
                  pinnedSinceMs: pin.sinceMs,
                  transaction: pin.culprit,
                });
              }
            }
          } catch (error) {
            collected.errors.push({
              source: `broker:${leader}`,
              message: ctx.clean(`DescribeProducers: ${errorMessage(error)}`),
            });
          }
        }),
      ),
    );
    if (found.length > 0) await judgeHolders(ctx, found, nowMs, maxTimeoutMs);
  }
  for (const [topic, pins] of watch.pins) {
    for (const partition of pins.keys()) {
      const culprit = pins.get(partition)!.culprit;
      if (culprit === null) continue;
      let byPartition = collected.openTransactions.get(topic);
      if (!byPartition) {
        byPartition = new Map();
        collected.openTransactions.set(topic, byPartition);
      }
      byPartition.set(partition, culprit);
    }
  }
}
