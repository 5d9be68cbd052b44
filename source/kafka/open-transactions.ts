/**
 * The transaction holding a partition's last stable offset back. Asked only for partitions whose LSO has
 * stood below the log end, unmoved, for `PINNED_AFTER_MS` (short transactions move it at every commit), at
 * most every `ASK_EVERY_MS` each, and carried between: nothing is sent while no LSO is pinned. Per refresh
 * with a pinned LSO: one DescribeProducers per leader of such partitions, then one ListTransactions per
 * broker for the producer ids found (each broker lists the transactions it coordinates).
 */
import type { OpenTransaction } from '../snapshot.js';
import type { Collected } from './collected.js';
import type { StageContext } from './context.js';
import { errorMessage } from './text.js';
import {
  DESCRIBE_PRODUCERS_API_KEY,
  DESCRIBE_PRODUCERS_MAX_VERSION,
  decodeDescribeProducersResponse,
  decodeListTransactionsResponse,
  encodeDescribeProducersRequest,
  encodeListTransactionsRequest,
  LIST_TRANSACTIONS_API_KEY,
  LIST_TRANSACTIONS_MAX_VERSION,
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
}

export function createOpenTransactionWatch(): OpenTransactionWatch {
  return { pins: new Map() };
}

/** Updates the pins from this refresh's offsets; returns the partitions to ask about, by leader. */
function pinsToAsk(collected: Collected, watch: OpenTransactionWatch, nowMs: number) {
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
      if (nowMs - pin.sinceMs < PINNED_AFTER_MS) continue;
      if (pin.askedMs !== null && nowMs - pin.askedMs < ASK_EVERY_MS) continue;
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

export async function collectOpenTransactions(
  ctx: StageContext,
  watch: OpenTransactionWatch,
  nowMs: number,
): Promise<void> {
  const collected = ctx.collected;
  const ask = pinsToAsk(collected, watch, nowMs);
  if (ask.size > 0) {
    const found: OpenTransaction[] = [];
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
                  message: `DescribeProducers: partition ${p.partition} ${errorType(p.errorCode)}${needs}`,
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
                  }
                : null;
              if (pin.culprit) found.push(pin.culprit);
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
    if (found.length > 0) await nameTransactions(ctx, found);
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

/** Fills in the transactional id and state of each producer from the broker that coordinates it. */
async function nameTransactions(ctx: StageContext, found: OpenTransaction[]): Promise<void> {
  const ids = [...new Set(found.map((f) => f.producerId))];
  await Promise.all(
    ctx.connections.nodeIds().map((nodeId) =>
      ctx.limit(async () => {
        const broker = ctx.connections.get(nodeId);
        if (!broker) return;
        try {
          const version = Math.min(
            await maxVersion(broker, LIST_TRANSACTIONS_API_KEY),
            LIST_TRANSACTIONS_MAX_VERSION,
          );
          if (version < 0) return;
          const answer = await sendEncoded(broker, {
            apiName: 'ListTransactions',
            apiKey: LIST_TRANSACTIONS_API_KEY,
            apiVersion: version,
            body: encodeListTransactionsRequest(version, ids),
            decode: decodeListTransactionsResponse,
          });
          if (answer.errorCode !== 0) throw new Error(errorType(answer.errorCode));
          for (const t of answer.transactions) {
            for (const f of found) {
              if (f.producerId !== t.producerId) continue;
              f.transactionalId = t.transactionalId;
              f.state = t.state;
            }
          }
        } catch (error) {
          ctx.collected.errors.push({
            source: `broker:${nodeId}`,
            message: ctx.clean(`ListTransactions: ${errorMessage(error)}`),
          });
        }
      }),
    ),
  );
}
