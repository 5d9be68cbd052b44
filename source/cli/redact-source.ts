/**
 * Defence in depth for secrets: whatever a live source reports (errors, broker errors, kafkajs log lines)
 * goes through `redact` with every secret read so far before anyone can print or record it. The Kafka
 * collector already redacts the SASL password; tokens fetched later and key material are covered here.
 */

import { redact } from '../config/secrets.js';
import type { ClusterSnapshot } from '../snapshot.js';
import type { LiveSource } from './live.js';

export function redactSnapshot(snapshot: ClusterSnapshot, secrets: readonly string[]): ClusterSnapshot {
  if (secrets.length === 0) return snapshot;
  const clean = (text: string) => redact(text, secrets);
  return {
    ...snapshot,
    errors: snapshot.errors.map((e) => ({ ...e, message: clean(e.message) })),
    brokers: snapshot.brokers.map((b) => (b.error ? { ...b, error: clean(b.error) } : b)),
    groups: snapshot.groups.map((g) => (g.error ? { ...g, error: clean(g.error) } : g)),
  };
}

export function redactLiveSource(source: LiveSource, secrets: () => readonly string[]): LiveSource {
  return {
    label: source.label,
    log: {
      ...source.log,
      lines: () => source.log.lines().map((l) => ({ ...l, message: redact(l.message, secrets()) })),
    },
    async refresh() {
      return redactSnapshot(await source.refresh(), secrets());
    },
    close: () => source.close(),
  };
}
