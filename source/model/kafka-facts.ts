/** Small Kafka conventions the model relies on, kept in one place. */

import type { GroupSnapshot } from '../snapshot.js';
import type { RebalanceProtocol } from './types.js';

/** Group states in which a rebalance is under way (classic and KIP-848 consumer protocol). */
const REBALANCING = new Set(['PreparingRebalance', 'CompletingRebalance', 'Assigning', 'Reconciling']);

export function isRebalancing(state: string): boolean {
  return REBALANCING.has(state);
}

/**
 * Membership is meaningful for consumer groups that report members: classic ones, and consumer-protocol
 * ones described by ConsumerGroupDescribe (they carry a group epoch; DescribeGroups shows none).
 */
export function knowsMembers(g: GroupSnapshot): boolean {
  return (
    (!g.consumerProtocol || g.groupEpoch !== undefined) && g.protocolType === 'consumer' && g.state !== 'Dead'
  );
}

/** Errors that mean the broker itself cannot be reached. */
const UNREACHABLE =
  /unreachable|not reachable|ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|connection (refused|timed out|timeout|error)|broker down/i;

/**
 * @param metricsError the broker's `metrics:<id>` error of the same snapshot, if any: a broker's
 *   `error` may be only that (its JMX exporter refused the connection), which says nothing about Kafka.
 */
export function saysUnreachable(error: string | null, metricsError?: string): boolean {
  return error !== null && error !== metricsError && UNREACHABLE.test(error);
}

const COOPERATIVE = new Set(['cooperative-sticky']);
const EAGER = new Set(['range', 'roundrobin', 'sticky']);

export function rebalanceProtocol(assignor: string, consumerProtocol: boolean): RebalanceProtocol {
  if (consumerProtocol) return 'cooperative';
  if (COOPERATIVE.has(assignor)) return 'cooperative';
  if (EAGER.has(assignor)) return 'eager';
  return 'unknown';
}

/** A numeric topic config, null when absent or not a number. */
export function numericConfig(configs: Record<string, string>, name: string): number | null {
  const raw = configs[name];
  if (raw === undefined || raw.trim() === '') return null;
  const n = Number(raw);
  return Number.isFinite(n) ? n : null;
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
