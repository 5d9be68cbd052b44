/** Small Kafka conventions the model relies on, kept in one place. */

import type { RebalanceProtocol } from './types.js';

/** Group states in which a rebalance is under way (classic and KIP-848 consumer protocol). */
const REBALANCING = new Set(['PreparingRebalance', 'CompletingRebalance', 'Assigning', 'Reconciling']);

export function isRebalancing(state: string): boolean {
  return REBALANCING.has(state);
}

/** Errors that mean the broker itself cannot be reached (not merely its metrics endpoint). */
const UNREACHABLE =
  /unreachable|not reachable|ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|connection (refused|timed out|timeout)|broker down/i;

export function saysUnreachable(error: string | null): boolean {
  return error !== null && UNREACHABLE.test(error);
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
