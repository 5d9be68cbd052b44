import { describe, expect, it } from 'vitest';
import { brokerOf, cluster, partitionOf, step, topicOf } from '../../fixtures/snapshots/builders.js';
import { foldAll, ofKind } from './helpers.js';

// 3 brokers, orders with 3 partitions, replicas [1,2,3], [2,3,1], [3,1,2], min ISR 2.
const s0 = cluster({ brokers: 3, topics: { orders: 3 } });

/** Broker 3 dies: it leaves every ISR, loses leadership of partition 2, and leaves metadata. */
function killBroker3() {
  return step(s0, 2000, (d) => {
    d.brokers = d.brokers.filter((b) => b.id !== 3);
    for (const p of topicOf(d, 'orders').partitions) {
      p.isr = p.isr.filter((r) => r !== 3);
      if (p.leader === 3) p.leader = p.isr[0]!;
    }
  });
}

describe('ISR, leader and broker events', () => {
  it('emits no events on the first fold', () => {
    expect(foldAll([s0]).events).toEqual([]);
  });

  it('names the dead broker in an isr-shrink for every partition it replicated, and isr-expand after restart', () => {
    const s1 = killBroker3();
    const s2 = step(s1, 2000, (d) => {
      d.brokers = s0.brokers;
      for (const p of topicOf(d, 'orders').partitions) p.isr = [...p.isr, 3];
    });
    const { events } = foldAll([s0, s1, s2]);
    const shrinks = ofKind(events, 'isr-shrink');
    expect(shrinks.map((e) => [e.partition, e.removed, e.isr, e.broker])).toEqual([
      [0, [3], [1, 2], 3],
      [1, [3], [2, 1], 3],
      [2, [3], [1, 2], 3],
    ]);
    const expands = ofKind(events, 'isr-expand');
    expect(expands.map((e) => [e.partition, e.added, e.isr, e.broker])).toEqual([
      [0, [3], [1, 2, 3], 3],
      [1, [3], [2, 1, 3], 3],
      [2, [3], [1, 2, 3], 3],
    ]);
    expect(ofKind(events, 'broker-down')).toMatchObject([
      { broker: 3, reason: 'left metadata', at: s1.takenAt },
    ]);
    expect(ofKind(events, 'broker-up')).toMatchObject([{ broker: 3, downForMs: 2000, at: s2.takenAt }]);
    expect(ofKind(events, 'leader-change')).toMatchObject([
      { topic: 'orders', partition: 2, from: 3, to: 1, preferred: false, broker: 1 },
    ]);
  });

  it('counts a broker that hosts replicas but was never in metadata as down, and its return as broker-up', () => {
    // kafkatop started while broker 3 was dead: it never saw it, but the replica lists name it.
    const s1 = killBroker3();
    const s2 = step(s1, 2000, (d) => {
      d.brokers = s0.brokers;
    });
    const first = foldAll([s1]).model;
    expect(first.brokers.map((b) => [b.id, b.up])).toEqual([
      [1, true],
      [2, true],
      [3, false],
    ]);
    expect(first.brokers[2]!.error).toBe('hosts replicas but is not in metadata');
    expect(first.settled.reasons).toContain('broker 3 down');
    const { events } = foldAll([s1, s2]);
    expect(ofKind(events, 'broker-down')).toEqual([]);
    expect(ofKind(events, 'broker-up')).toMatchObject([{ broker: 3, downForMs: null, at: s2.takenAt }]);
  });

  it('marks a broker down when its error says it is unreachable, without it leaving metadata', () => {
    const s1 = step(s0, 2000, (d) => {
      brokerOf(d, 2).error = 'connect ECONNREFUSED 127.0.0.1:9092';
      brokerOf(d, 2).metrics = null;
    });
    const s2 = step(s1, 2000, (d) => {
      brokerOf(d, 2).error = null;
    });
    const { events, model } = foldAll([s0, s1]);
    expect(ofKind(events, 'broker-down')).toMatchObject([
      { broker: 2, reason: 'connect ECONNREFUSED 127.0.0.1:9092' },
    ]);
    expect(model.brokers.find((b) => b.id === 2)).toMatchObject({ up: false, downSince: s1.takenAt });
    const after = foldAll([s0, s1, s2]);
    expect(ofKind(after.events, 'broker-up')).toMatchObject([{ broker: 2 }]);
    expect(after.model.brokers.find((b) => b.id === 2)).toMatchObject({ up: true, downSince: null });
  });

  it('keeps a broker up when only its metrics endpoint failed, even with a refused connection', () => {
    const message = 'http://127.0.0.1:7072/metrics: connect ECONNREFUSED 127.0.0.1:7072';
    const s1 = step(s0, 2000, (d) => {
      brokerOf(d, 2).error = message;
      brokerOf(d, 2).metrics = null;
      d.errors = [{ source: 'metrics:2', message }];
    });
    const { events, model } = foldAll([s0, s1]);
    expect(ofKind(events, 'broker-down')).toEqual([]);
    expect(model.brokers.find((b) => b.id === 2)!.up).toBe(true);
  });

  it('emits under-min-isr and min-isr-restored around min.insync.replicas', () => {
    const s1 = step(s0, 2000, (d) => {
      partitionOf(d, 'orders', 0).isr = [1, 2];
    });
    const s2 = step(s1, 2000, (d) => {
      partitionOf(d, 'orders', 0).isr = [1];
    });
    const s3 = step(s2, 2000, (d) => {
      partitionOf(d, 'orders', 0).isr = [1, 3];
    });
    const { events, model } = foldAll([s0, s1, s2, s3]);
    expect(ofKind(events, 'under-min-isr')).toMatchObject([
      { topic: 'orders', partition: 0, isr: [1], minIsr: 2, broker: 1, at: s2.takenAt },
    ]);
    expect(ofKind(events, 'min-isr-restored')).toMatchObject([
      { topic: 'orders', partition: 0, isr: [1, 3], minIsr: 2, at: s3.takenAt },
    ]);
    expect(model.topics[0]!.partitions[0]).toMatchObject({ underMinIsr: false, underReplicated: true });
  });

  it('emits partition-offline and partition-online', () => {
    const s1 = step(s0, 2000, (d) => {
      const p = partitionOf(d, 'orders', 1);
      p.leader = -1;
      p.isr = [2];
      p.offlineReplicas = [2, 3, 1];
    });
    const s2 = step(s1, 2000, (d) => {
      const p = partitionOf(d, 'orders', 1);
      p.leader = 2;
      p.offlineReplicas = [];
    });
    const { events } = foldAll([s0, s1, s2]);
    expect(ofKind(events, 'partition-offline')).toMatchObject([
      { topic: 'orders', partition: 1, offlineReplicas: [2, 3, 1], broker: 2 },
    ]);
    expect(ofKind(events, 'partition-online')).toMatchObject([{ topic: 'orders', partition: 1, leader: 2 }]);
    // No leader-change for transitions through "no leader": those are offline/online.
    expect(ofKind(events, 'leader-change')).toEqual([]);
  });

  it('emits isr-flap when a broker counted ISR shrinks that metadata never showed', () => {
    const s1 = step(s0, 2000, (d) => {
      brokerOf(d, 1).metrics!.isrShrinks = 3;
      brokerOf(d, 1).metrics!.isrExpands = 3;
    });
    const { events } = foldAll([s0, s1]);
    expect(ofKind(events, 'isr-flap')).toMatchObject([{ broker: 1, shrinksDelta: 3, expandsDelta: 3 }]);
  });

  it('does not call a shrink seen in metadata a flap, nor a counter reset by a restart', () => {
    const s1 = step(s0, 2000, (d) => {
      brokerOf(d, 1).metrics!.isrShrinks = 1;
      partitionOf(d, 'orders', 0).isr = [1, 2];
    });
    const s2 = step(s1, 2000, (d) => {
      brokerOf(d, 1).metrics!.isrShrinks = 0;
    });
    const { events } = foldAll([s0, s1, s2]);
    expect(ofKind(events, 'isr-flap')).toEqual([]);
    expect(ofKind(events, 'isr-shrink')).toHaveLength(1);
  });

  it('gives events stable ids, identical when the same sequence is replayed', () => {
    const seq = [s0, killBroker3()];
    const a = foldAll(seq).events.map((e) => e.id);
    const b = foldAll(seq).events.map((e) => e.id);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(a.length);
  });
});

describe('broker state', () => {
  it('counts leaders, replicas and leader imbalance after a broker returns without preferred election', () => {
    const s1 = killBroker3();
    const s2 = step(s1, 2000, (d) => {
      d.brokers = s0.brokers;
      for (const p of topicOf(d, 'orders').partitions) p.isr = [...p.isr, 3];
    });
    const { model } = foldAll([s0, s1, s2]);
    const [b1, b2, b3] = model.brokers;
    expect(b1).toMatchObject({
      id: 1,
      leaderCount: 2,
      partitionCount: 3,
      leaderImbalance: { ledNotPreferred: 1, preferredNotLed: 0 },
    });
    expect(b2).toMatchObject({
      id: 2,
      leaderCount: 1,
      leaderImbalance: { ledNotPreferred: 0, preferredNotLed: 0 },
    });
    expect(b3).toMatchObject({
      id: 3,
      leaderCount: 0,
      leaderImbalance: { ledNotPreferred: 0, preferredNotLed: 1 },
    });
    expect(b1!.isController).toBe(true);
  });

  it('falls back to metadata URP for a broker without metrics', () => {
    const s1 = step(s0, 2000, (d) => {
      brokerOf(d, 1).metrics = null;
      partitionOf(d, 'orders', 0).isr = [1, 2];
    });
    const { model } = foldAll([s0, s1]);
    expect(model.brokers[0]!.underReplicated.last).toBe(1);
    expect(model.brokers[0]!.requestHandlerIdle.values()).toEqual([0.9, Number.NaN]);
  });
});
