/**
 * Brokers: up/down, metric histories, leadership counts, and the broker-down / broker-up /
 * isr-flap events.
 */

import type { BrokerMetrics, BrokerSnapshot, SnapshotError } from '../snapshot.js';
import type { EventCollector } from './events.js';
import type { BrokerCounts, TopicFold } from './fold-topics.js';
import { saysUnreachable } from './kafka-facts.js';
import { foldLogDirs, type LogDirTrack } from './log-dirs.js';
import type { ResolvedOptions } from './model.js';
import { BucketSeries, RingSeries, type TimeAxis } from './series.js';
import type { BrokerState } from './types.js';

export interface BrokerTrack {
  readonly id: number;
  host: string;
  port: number;
  rack: string | null;
  up: boolean;
  error: string | null;
  downSinceMs: number | null;
  metrics: BrokerMetrics | null;
  readonly requestHandlerIdle: RingSeries;
  readonly longRequestHandlerIdle: BucketSeries;
  readonly networkProcessorIdle: RingSeries;
  readonly underReplicated: RingSeries;
  readonly logDirTracks: Map<string, LogDirTrack>;
  logDirs: BrokerState['logDirs'];
}

const NO_COUNTS: BrokerCounts = {
  leaders: 0,
  replicas: 0,
  ledNotPreferred: 0,
  preferredNotLed: 0,
  urpLed: 0,
};

function counterDelta(prev: number | null | undefined, cur: number | null | undefined): number | null {
  if (prev === null || prev === undefined || cur === null || cur === undefined) return null;
  // A counter that went down means the broker restarted: no delta to speak of.
  return cur >= prev ? cur - prev : null;
}

function newTrack(
  id: number,
  host: string,
  port: number,
  rack: string | null,
  axis: TimeAxis,
  opts: ResolvedOptions,
): BrokerTrack {
  return {
    id,
    host,
    port,
    rack,
    up: true,
    error: null,
    downSinceMs: null,
    metrics: null,
    requestHandlerIdle: new RingSeries(axis),
    longRequestHandlerIdle: new BucketSeries(opts.longHistory.length, opts.longHistory.bucketMs, 'min'),
    networkProcessorIdle: new RingSeries(axis),
    underReplicated: new RingSeries(axis),
    logDirTracks: new Map(),
    logDirs: [],
  };
}

export function foldBrokers(
  snapshotBrokers: readonly BrokerSnapshot[],
  errors: readonly SnapshotError[],
  controllerId: number | null,
  tracks: Map<number, BrokerTrack>,
  axis: TimeAxis,
  opts: ResolvedOptions,
  topics: TopicFold,
  events: EventCollector,
  first: boolean,
  nowMs: number,
): BrokerState[] {
  const metricsErrors = new Map<string, string>();
  for (const e of errors) if (e.source.startsWith('metrics:')) metricsErrors.set(e.source, e.message);
  const seen = new Set<number>();
  for (const b of snapshotBrokers) {
    seen.add(b.id);
    let track = tracks.get(b.id);
    const isNew = track === undefined;
    if (!track) {
      track = newTrack(b.id, b.host, b.port, b.rack, axis, opts);
      tracks.set(b.id, track);
    }
    const up = !saysUnreachable(b.error, metricsErrors.get(`metrics:${b.id}`));
    if (!first) {
      if (track.up && !up) {
        events.emit({ kind: 'broker-down', broker: b.id, host: b.host, port: b.port, reason: b.error ?? '' });
      } else if ((!track.up || isNew) && up) {
        const downForMs = track.downSinceMs === null ? null : nowMs - track.downSinceMs;
        events.emit({ kind: 'broker-up', broker: b.id, host: b.host, port: b.port, downForMs });
      }
      const shrinks = counterDelta(track.metrics?.isrShrinks, b.metrics?.isrShrinks);
      if (shrinks !== null && shrinks > 0 && !topics.shrinkBrokers.has(b.id)) {
        const expands = counterDelta(track.metrics?.isrExpands, b.metrics?.isrExpands) ?? 0;
        events.emit({ kind: 'isr-flap', broker: b.id, shrinksDelta: shrinks, expandsDelta: expands });
      }
    }
    if (up) track.downSinceMs = null;
    else if (track.up || isNew) track.downSinceMs = nowMs;
    track.up = up;
    track.host = b.host;
    track.port = b.port;
    track.rack = b.rack;
    track.error = b.error;
    track.metrics = b.metrics;
    const counts = topics.brokerCounts.get(b.id) ?? NO_COUNTS;
    track.requestHandlerIdle.push(up ? (b.metrics?.requestHandlerIdle ?? null) : null);
    if (up) track.longRequestHandlerIdle.push(nowMs, b.metrics?.requestHandlerIdle ?? null);
    track.networkProcessorIdle.push(up ? (b.metrics?.networkProcessorIdle ?? null) : null);
    track.underReplicated.push(up ? (b.metrics?.underReplicatedPartitions ?? counts.urpLed) : null);
    track.logDirs = foldLogDirs(b, track.logDirTracks, events, first || isNew, nowMs);
  }
  // A broker that hosts replicas but is not in metadata is down, also when this process never saw it up
  // (started mid-incident, or the broker died before the first refresh): "brokers 2/2" would hide it.
  for (const id of topics.brokerCounts.keys()) {
    if (id < 0 || seen.has(id) || tracks.has(id)) continue;
    const track = newTrack(id, '', 0, null, axis, opts);
    track.up = false;
    track.error = 'hosts replicas but is not in metadata';
    tracks.set(id, track);
  }
  for (const track of tracks.values()) {
    if (seen.has(track.id)) continue;
    if (track.up) {
      if (!first) {
        events.emit({
          kind: 'broker-down',
          broker: track.id,
          host: track.host,
          port: track.port,
          reason: 'left metadata',
        });
      }
      track.up = false;
      track.downSinceMs = nowMs;
      track.error = 'left metadata';
      track.metrics = null;
    }
    track.requestHandlerIdle.push(null);
    track.networkProcessorIdle.push(null);
    track.underReplicated.push(null);
  }

  return [...tracks.values()]
    .sort((a, b) => a.id - b.id)
    .map((t) => {
      const counts = topics.brokerCounts.get(t.id) ?? NO_COUNTS;
      return {
        id: t.id,
        host: t.host,
        port: t.port,
        rack: t.rack,
        up: t.up,
        error: t.error,
        downSince: t.downSinceMs === null ? null : new Date(t.downSinceMs).toISOString(),
        isController: controllerId === t.id,
        metrics: t.metrics,
        requestHandlerIdle: t.requestHandlerIdle.view(),
        longRequestHandlerIdle: t.longRequestHandlerIdle.view(),
        networkProcessorIdle: t.networkProcessorIdle.view(),
        underReplicated: t.underReplicated.view(),
        leaderCount: counts.leaders,
        partitionCount: counts.replicas,
        leaderImbalance: { ledNotPreferred: counts.ledNotPreferred, preferredNotLed: counts.preferredNotLed },
        logDirs: t.logDirs,
      };
    });
}
