/**
 * createModel: folds ClusterSnapshots into an immutable ClusterModel.
 *
 * Pure apart from its own state: no I/O and no wall clock. Model time is each snapshot's
 * `takenAt`; the injected clock is used only by `dataAgeMs()`. Memory is bounded by the number
 * of brokers, partitions and group-partitions present, times the history length.
 */

import type { ClusterSnapshot, SnapshotError } from '../snapshot.js';
import { AlertEvaluator, DEFAULT_ALERT_RULES, type MetricValues } from './alerts.js';
import { appendBounded, EventCollector } from './events.js';
import { type BrokerTrack, foldBrokers } from './fold-brokers.js';
import { foldGroups, type GroupTrack } from './fold-groups.js';
import { foldTopics, type PartitionTrack } from './fold-topics.js';
import { putLogDirValues } from './log-dirs.js';
import { PartitionTable } from './partition-table.js';
import { diffQuorum, quorumState } from './quorum.js';
import { TimeAxis } from './series.js';
import { settledState } from './settled.js';
import { DEFAULT_STUCK_LSO_MS } from './stuck-lso.js';
import type {
  AlertMetric,
  ClusterModel,
  GroupState,
  Model,
  ModelOptions,
  Staleness,
  TopicState,
} from './types.js';

export const DEFAULT_HISTORY_LENGTH = 450;
export const DEFAULT_STATUS_WINDOW = 10;
export const DEFAULT_MAX_EVENTS = 1000;
/** Folds over which rates are averaged (10 s at a 2 s refresh). */
export const DEFAULT_RATE_WINDOW = 5;
export const DEFAULT_STALL_AFTER_MS = 45_000;
export const DEFAULT_LONG_HISTORY = Object.freeze({ bucketMs: 60_000, length: 1440 });

export interface ResolvedOptions {
  readonly historyLength: number;
  readonly statusWindow: number;
  readonly rateWindow: number;
  readonly maxEvents: number;
  readonly stallAfterMs: number;
  /** null: the snapshot's transactionMaxTimeoutMs, else DEFAULT_STUCK_LSO_MS. */
  readonly stuckLsoMs: number | null;
  readonly longHistory: { readonly bucketMs: number; readonly length: number };
}

const NOT_STALE: Staleness = Object.freeze({
  stale: false,
  lastError: null,
  since: null,
  consecutiveFailures: 0,
});

export const EMPTY_MODEL: ClusterModel = Object.freeze({
  snapshot: null,
  at: null,
  atMs: null,
  foldCount: 0,
  dataAge: Object.freeze({ takenAtMs: null, refreshDurationMs: null }),
  staleness: NOT_STALE,
  clusterId: null,
  controllerId: null,
  brokers: [],
  topics: [],
  groups: [],
  events: [],
  newEvents: [],
  alerts: [],
  settled: Object.freeze({ settled: false, reasons: ['no data yet'] }),
});

/** A refresh that failed as a whole: nothing in it can be diffed against the last good one. */
function failedAsAWhole(s: ClusterSnapshot): boolean {
  return s.brokers.length === 0 && s.topics.length === 0 && s.errors.length > 0;
}

function mostImportantError(errors: readonly SnapshotError[]): SnapshotError | null {
  return errors.find((e) => e.source === 'cluster') ?? errors[0] ?? null;
}

type AlertValues = Map<AlertMetric, Map<string, number>>;

// Module-level, not a closure made per fold (docs/performance.md, "Closures on hot paths").
function putValue(values: AlertValues, metric: AlertMetric, subject: string, value: number): void {
  let m = values.get(metric);
  if (!m) {
    m = new Map();
    values.set(metric, m);
  }
  m.set(subject, value);
}

/**
 * Time-lag alerts judge a consumer that is there and falling behind. An Empty group's time lag is the time
 * since its consumers left (a batch job between runs): it grows with the clock, and the message-lag rules
 * still alert on its backlog by size. A classic group gone Dead has no consumers either; a KIP-848 group
 * reads Dead to DescribeGroups v2 with real consumers, so it is judged.
 */
function hasConsumers(g: GroupState): boolean {
  return g.state !== 'Empty' && (g.state !== 'Dead' || g.consumerProtocol);
}

export function createModel(options: ModelOptions = {}): Model {
  const opts: ResolvedOptions = {
    historyLength: options.historyLength ?? DEFAULT_HISTORY_LENGTH,
    statusWindow: options.statusWindow ?? DEFAULT_STATUS_WINDOW,
    rateWindow: Math.min(DEFAULT_RATE_WINDOW, (options.historyLength ?? DEFAULT_HISTORY_LENGTH) - 1),
    maxEvents: options.maxEvents ?? DEFAULT_MAX_EVENTS,
    stallAfterMs: options.stallAfterMs ?? DEFAULT_STALL_AFTER_MS,
    stuckLsoMs: options.stuckLsoMs ?? null,
    longHistory: options.longHistory ?? DEFAULT_LONG_HISTORY,
  };
  if (opts.longHistory.length < 1 || opts.longHistory.bucketMs <= 0) throw new RangeError('longHistory');
  if (opts.statusWindow < 2) throw new RangeError('statusWindow must be at least 2');
  const axis = new TimeAxis(opts.historyLength);
  const alerts = new AlertEvaluator(options.alertRules ?? DEFAULT_ALERT_RULES);
  const brokers = new Map<number, BrokerTrack>();
  const partitions = new PartitionTable<PartitionTrack>();
  const groups = new Map<string, GroupTrack>();
  let model: ClusterModel = { ...EMPTY_MODEL, alerts: alerts.current };
  let lastGoodMs: number | null = null;
  let previousTopics: ReadonlyMap<string, TopicState> = new Map();

  function fold(snapshot: ClusterSnapshot): ClusterModel {
    const atMs = Date.parse(snapshot.takenAt);
    if (Number.isNaN(atMs)) throw new RangeError(`snapshot takenAt is not a date: ${snapshot.takenAt}`);
    const foldCount = model.foldCount + 1;
    const lastError = mostImportantError(snapshot.errors);

    if (failedAsAWhole(snapshot)) {
      const prev = model.staleness;
      model = {
        ...model,
        foldCount,
        newEvents: [],
        staleness: {
          stale: true,
          lastError,
          since: prev.stale ? prev.since : snapshot.takenAt,
          consecutiveFailures: prev.consecutiveFailures + 1,
        },
      };
      return model;
    }
    // Out-of-order or repeated snapshots would corrupt rates; the ring keeps time increasing.
    if (lastGoodMs !== null && atMs <= lastGoodMs) {
      model = { ...model, foldCount, newEvents: [] };
      return model;
    }
    const first = lastGoodMs === null;
    lastGoodMs = atMs;
    axis.advance(atMs);
    const at = snapshot.takenAt;
    const events = new EventCollector(at, atMs);

    const topicFold = foldTopics(
      snapshot.topics,
      previousTopics,
      partitions,
      axis,
      opts,
      events,
      first,
      atMs,
      opts.stuckLsoMs ?? snapshot.transactionMaxTimeoutMs ?? DEFAULT_STUCK_LSO_MS,
    );
    const brokerStates = foldBrokers(
      snapshot.brokers,
      snapshot.errors,
      snapshot.controllerId,
      brokers,
      axis,
      opts,
      topicFold,
      events,
      first,
      atMs,
    );
    if (!first) diffQuorum(model.snapshot?.quorum, snapshot.quorum, events);
    const groupStates = foldGroups(
      snapshot.groups,
      groups,
      partitions,
      topicFold.topicsByName,
      axis,
      opts,
      events,
      first,
      atMs,
    );
    previousTopics = topicFold.topicsByName;
    // Partitions only known from a group that vanished, or from a deleted topic.
    partitions.sweep((track) => track.seenSeq === axis.seq);

    const values: AlertValues = new Map();
    for (const g of groupStates) {
      // What a read_committed consumer can read: lag held back by an open transaction is no consumer's fault.
      putValue(values, 'group-lag', g.groupId, g.totalLag - g.unreadableLag);
      if (g.timeLagMs !== null && hasConsumers(g)) putValue(values, 'group-time-lag', g.groupId, g.timeLagMs);
    }
    for (const b of brokerStates) {
      if (!b.up) continue;
      const urp = b.underReplicated.last;
      if (urp !== null) putValue(values, 'under-replicated', `broker:${b.id}`, urp);
      const idle = b.metrics?.requestHandlerIdle;
      if (idle !== null && idle !== undefined)
        putValue(values, 'request-handler-idle', `broker:${b.id}`, idle);
      putLogDirValues(values, b, putValue);
    }
    putValue(values, 'under-min-isr', 'cluster', topicFold.underMinIsrTotal);
    putValue(values, 'offline-partitions', 'cluster', topicFold.offlineTotal);
    putValue(values, 'stuck-lso', 'cluster', topicFold.stuckLsoTotal);
    for (const t of alerts.evaluate(values as MetricValues, atMs, (ms) => new Date(ms).toISOString())) {
      const broker = t.subject.startsWith('broker:') ? Number(t.subject.slice(7)) : undefined;
      const base = {
        alert: t.rule.name,
        severity: t.rule.severity,
        subject: t.subject,
        value: t.value,
        threshold: t.rule.threshold,
        ...(broker === undefined ? {} : { broker }),
      };
      if (t.kind === 'alert-firing') {
        events.emit({
          kind: 'alert-firing',
          ...base,
          pendingSince: new Date(t.pendingSinceMs).toISOString(),
        });
      } else {
        events.emit({ kind: 'alert-resolved', ...base, firingForMs: t.firingForMs });
      }
    }

    model = {
      snapshot,
      at,
      atMs,
      foldCount,
      dataAge: { takenAtMs: atMs, refreshDurationMs: snapshot.durationMs ?? null },
      staleness:
        lastError === null ? NOT_STALE : { stale: false, lastError, since: null, consecutiveFailures: 0 },
      clusterId: snapshot.clusterId,
      controllerId: snapshot.controllerId,
      quorum: quorumState(snapshot.quorum),
      brokers: brokerStates,
      topics: topicFold.topics,
      groups: groupStates,
      events: appendBounded(model.events, events.events, opts.maxEvents),
      newEvents: events.events,
      alerts: alerts.current,
      settled: settledState(brokerStates, topicFold.topics, groupStates),
    };
    return model;
  }

  return {
    fold,
    get: () => model,
    dataAgeMs: () => (options.clock && lastGoodMs !== null ? options.clock() - lastGoodMs : null),
  };
}
