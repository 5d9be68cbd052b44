/**
 * Whether the transaction holding a pinned last stable offset is hanging, decided as `kafka-transactions.sh
 * find-hanging` decides it (Kafka's TransactionsCommand.FindHangingTransactionsCommand): the producer's
 * transaction on the partition is older than `transaction.max.timeout.ms` (no live transaction may be: its
 * coordinator aborts it first), and its coordinator no longer has the partition in that producer's
 * transaction: no broker lists the producer id (ListTransactions), or DescribeTransactions answers
 * TRANSACTIONAL_ID_NOT_FOUND, another producer id or epoch, or a transaction without the partition. Then no
 * coordinator will ever write the marker that releases the LSO. A coordinator that still has the partition
 * in it says the transaction is open, not hanging, whatever its age.
 *
 * Requests, only for the producers DescribeProducers found holding a pinned LSO: one ListTransactions per
 * broker (each lists the transactions it coordinates), then one DescribeTransactions per coordinator found.
 */
import type { OpenTransaction } from '../snapshot.js';
import type { StageContext } from './context.js';
import { type DescribedTransaction, describeTransactions } from './describe-transactions.js';
import { errorMessage } from './text.js';
import {
  decodeListTransactionsResponse,
  encodeListTransactionsRequest,
  LIST_TRANSACTIONS_API_KEY,
  LIST_TRANSACTIONS_MAX_VERSION,
} from './transactions.js';
import { errorType, sendNegotiated } from './wire.js';

/** Kafka's default transaction.max.timeout.ms, find-hanging's default --max-transaction-timeout. */
export const KAFKA_MAX_TRANSACTION_TIMEOUT_MS = 15 * 60_000;
const TRANSACTIONAL_ID_AUTHORIZATION_FAILED = 53;
const TRANSACTIONAL_ID_NOT_FOUND = 105;

/** A producer holding a pinned LSO, as DescribeProducers named it. */
export interface Holder {
  topic: string;
  partition: number;
  /** When the LSO stopped at this transaction's first record (the transaction is at least this old). */
  pinnedSinceMs: number;
  transaction: OpenTransaction;
}

/** Fills in each holder's transactional id, state and `hanging` verdict. */
export async function judgeHolders(
  ctx: StageContext,
  holders: readonly Holder[],
  nowMs: number,
  maxTimeoutMs: number | null,
): Promise<void> {
  const listing = await listTransactions(ctx, holders);
  const described = await describeAtCoordinators(ctx, listing.coordinators);
  const bound = maxTimeoutMs ?? KAFKA_MAX_TRANSACTION_TIMEOUT_MS;
  for (const h of holders) {
    const t = h.transaction;
    const d = t.transactionalId === null ? undefined : described.get(t.transactionalId);
    if (d && d.errorCode === 0) t.state = d.state;
    const coordinatorHasIt = hasPartition(t, d, h, listing.complete);
    if (coordinatorHasIt === null) t.hanging = null;
    else if (coordinatorHasIt) t.hanging = false;
    else {
      // find-hanging's age: since the producer's last write (broker clock); the LSO has stood still at least
      // as long as the transaction has been open, so that is a lower bound on its age too.
      const age = Math.max(nowMs - t.lastTimestamp, nowMs - h.pinnedSinceMs);
      // Younger than any live transaction may get: the coordinator may just have ended it (its marker is on
      // its way), so not yet a verdict.
      t.hanging = age >= bound ? true : null;
    }
  }
}

/** Whether the coordinator still has the partition in this producer's transaction; null when unknown. */
function hasPartition(
  t: OpenTransaction,
  d: DescribedTransaction | undefined,
  h: Holder,
  listedByAll: boolean,
): boolean | null {
  if (t.transactionalId === null) return listedByAll ? false : null;
  if (d === undefined) return null;
  if (d.errorCode === TRANSACTIONAL_ID_NOT_FOUND) return false;
  if (d.errorCode !== 0) return null;
  if (d.producerId !== t.producerId || d.producerEpoch !== t.producerEpoch) return false;
  return d.partitions.get(h.topic)?.includes(h.partition) ?? false;
}

interface Listing {
  /** Every broker answered: a producer id none listed is unknown to every coordinator. */
  complete: boolean;
  /** coordinator node id -> transactional ids it listed. */
  coordinators: Map<number, string[]>;
}

async function listTransactions(ctx: StageContext, holders: readonly Holder[]): Promise<Listing> {
  const ids = [...new Set(holders.map((h) => h.transaction.producerId))];
  const listing: Listing = { complete: true, coordinators: new Map() };
  await Promise.all(
    ctx.connections.nodeIds().map((nodeId) =>
      ctx.limit(async () => {
        const broker = ctx.connections.get(nodeId);
        if (!broker) {
          listing.complete = false;
          return;
        }
        try {
          const answer = await sendNegotiated(broker, {
            apiName: 'ListTransactions',
            apiKey: LIST_TRANSACTIONS_API_KEY,
            minVersion: 0,
            maxVersion: LIST_TRANSACTIONS_MAX_VERSION,
            body: (version) => encodeListTransactionsRequest(version, ids),
            decode: decodeListTransactionsResponse,
          });
          if (answer === null) {
            listing.complete = false;
            return;
          }
          if (answer.errorCode !== 0) throw new Error(errorType(answer.errorCode));
          for (const listed of answer.transactions) {
            let named = false;
            for (const h of holders) {
              if (h.transaction.producerId !== listed.producerId) continue;
              h.transaction.transactionalId = listed.transactionalId;
              h.transaction.state = listed.state;
              named = true;
            }
            if (!named) continue;
            const mine = listing.coordinators.get(nodeId) ?? [];
            if (!mine.includes(listed.transactionalId)) mine.push(listed.transactionalId);
            listing.coordinators.set(nodeId, mine);
          }
        } catch (error) {
          listing.complete = false;
          ctx.collected.errors.push({
            source: `broker:${nodeId}`,
            message: ctx.clean(`ListTransactions: ${errorMessage(error)}`),
          });
        }
      }),
    ),
  );
  return listing;
}

/** transactional id -> its coordinator's answer; absent where the coordinator could not be asked. */
async function describeAtCoordinators(
  ctx: StageContext,
  coordinators: ReadonlyMap<number, readonly string[]>,
): Promise<Map<string, DescribedTransaction>> {
  const out = new Map<string, DescribedTransaction>();
  await Promise.all(
    [...coordinators].map(([nodeId, ids]) =>
      ctx.limit(async () => {
        const broker = ctx.connections.get(nodeId);
        try {
          const answer = broker ? await describeTransactions(broker, ids) : null;
          for (const d of answer ?? []) {
            out.set(d.transactionalId, d);
            if (d.errorCode === 0 || d.errorCode === TRANSACTIONAL_ID_NOT_FOUND) continue;
            const needs =
              d.errorCode === TRANSACTIONAL_ID_AUTHORIZATION_FAILED
                ? ' (needs Describe on the transactional id)'
                : '';
            ctx.collected.errors.push({
              source: `broker:${nodeId}`,
              message: ctx.clean(
                `DescribeTransactions: ${d.transactionalId} ${errorType(d.errorCode)}${needs}`,
              ),
            });
          }
        } catch (error) {
          ctx.collected.errors.push({
            source: `broker:${nodeId}`,
            message: ctx.clean(`DescribeTransactions: ${errorMessage(error)}`),
          });
        }
      }),
    ),
  );
  return out;
}
