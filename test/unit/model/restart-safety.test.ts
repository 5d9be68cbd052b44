import { describe, expect, it } from 'vitest';
import {
  blockerText,
  QUORUM_NOT_CHECKED,
  restartSafety,
  restartSummary,
} from '../../../source/model/restart-safety.js';
import { cluster, partitionOf, step, topicOf } from '../../fixtures/snapshots/builders.js';
import { foldAll } from './helpers.js';

// orders: RF 3 over brokers 1..3, min.insync.replicas 2 (the builder's default); orders-0 = replicas 1,2,3.
const healthy = cluster({ brokers: 3, topics: { orders: 3 } });
const decide = (snapshots: Parameters<typeof foldAll>[0], id: number) =>
  restartSafety(foldAll(snapshots).model, id);

describe('restartSafety', () => {
  it('says yes on a healthy cluster, counting what the broker hosts, and says the quorum was not checked', () => {
    const s = decide([healthy], 2);
    expect(s).toMatchObject({ safe: true, hosted: 3, blockers: [], unknownBroker: false });
    expect(s.notChecked).toEqual([QUORUM_NOT_CHECKED]);
    expect(restartSummary(s)).toBe('yes');
  });

  it('checks the controller quorum where DescribeQuorum answers: a voter may go only if a majority stays in sync', () => {
    const voter = (id: number, behind: boolean) => ({
      id,
      logEndOffset: behind ? 50 : 100,
      lag: behind ? 50 : 0,
      lastFetchTimestamp: 1_000_000,
      lastCaughtUpTimestamp: behind ? 900_000 : 1_000_000,
    });
    // Combined nodes: brokers 1..3 are also the three voters; 1 leads.
    const withQuorum = (behind: number[]) =>
      step(healthy, 2000, (d) => {
        d.quorum = {
          leaderId: 1,
          leaderEpoch: 4,
          highWatermark: 100,
          voters: [1, 2, 3].map((id) => voter(id, behind.includes(id))),
          observers: [],
        };
      });
    const ok = decide([healthy, withQuorum([])], 2);
    expect(ok).toMatchObject({ safe: true, quorumVoter: true, quorumBlock: null, notChecked: [] });
    // Voter 3 is falling behind: without 2, only the leader is in sync, 1 of 3.
    const bad = decide([healthy, withQuorum([3])], 2);
    expect(bad.safe).toBe(false);
    expect(bad.blockers).toEqual([]);
    expect(bad.quorumBlock).toBe(
      'node 2 votes in the controller quorum: without it 1 of 3 voters are in sync (1), a majority needs 2',
    );
    expect(restartSummary(bad)).toBe('no (controller quorum majority)');
    // The voter that is behind may go: the other two keep the majority.
    expect(decide([healthy, withQuorum([3])], 3).safe).toBe(true);
    // A broker that only observes the quorum is judged by its partitions alone.
    const observer = step(healthy, 2000, (d) => {
      d.quorum = {
        leaderId: 0,
        leaderEpoch: 1,
        highWatermark: 100,
        voters: [voter(0, false)],
        observers: [voter(2, false)],
      };
    });
    expect(decide([healthy, observer], 2)).toMatchObject({ safe: true, quorumVoter: false, notChecked: [] });
  });

  it('says no for a broker in an ISR of exactly min.insync.replicas, naming the partition', () => {
    const s1 = step(healthy, 2000, (d) => {
      partitionOf(d, 'orders', 0).isr = [1, 2];
    });
    const s = decide([healthy, s1], 2);
    expect(s.safe).toBe(false);
    expect(s.blockers).toMatchObject([{ topic: 'orders', partition: 0, reason: 'at-min-isr', minIsr: 2 }]);
    expect(blockerText(s.blockers[0]!, 2)).toBe(
      'broker 2 is in an ISR of exactly min.insync.replicas=2: acks=all writes would fail (ISR 1,2 of replicas 1,2,3)',
    );
    expect(restartSummary(s)).toBe('no (orders-0: at min ISR)');
    // The replica already out of the ISR loses nothing by restarting: the gate lets it go.
    expect(decide([healthy, s1], 3).safe).toBe(true);
  });

  it("lists the user's topics before internal ones (__transaction_state sorts first by name)", () => {
    const base = cluster({ brokers: 3, topics: { __transaction_state: 1, orders: 1 } });
    topicOf(base, '__transaction_state').internal = true;
    const s1 = step(base, 2000, (d) => {
      partitionOf(d, '__transaction_state', 0).isr = [1, 2];
      partitionOf(d, 'orders', 0).isr = [1, 2];
    });
    expect(decide([base, s1], 1).blockers.map((b) => b.topic)).toEqual(['orders', '__transaction_state']);
  });

  it('with min.insync.replicas 1, a partition down to two in-sync replicas is under-replicated, not at min ISR', () => {
    const lax = cluster({
      brokers: 3,
      topics: { logs: 1 },
      configs: { logs: { 'min.insync.replicas': '1' } },
    });
    const s1 = step(lax, 2000, (d) => {
      partitionOf(d, 'logs', 0).isr = [1, 2];
    });
    expect(decide([lax, s1], 1).blockers).toMatchObject([{ reason: 'under-replicated' }]);
  });

  it('says no when the broker is the only in-sync replica, and ranks it before weaker reasons', () => {
    const s1 = step(healthy, 2000, (d) => {
      partitionOf(d, 'orders', 2).isr = [3, 1];
      partitionOf(d, 'orders', 1).isr = [3];
    });
    const s = decide([healthy, s1], 3);
    expect(s.blockers.map((b) => [b.partition, b.reason])).toEqual([
      [1, 'only-in-sync-replica'],
      [2, 'at-min-isr'],
    ]);
    expect(restartSummary(s)).toBe('no (orders-1: only in-sync replica, and 1 more)');
  });

  it('lets a partition with no more replicas than min.insync.replicas go with a note: no restart can keep it available', () => {
    // An auto-created topic with replication factor 1 on broker 1, and one with RF 2 and min ISR 2.
    const s1 = step(healthy, 2000, (d) => {
      for (const [name, replicas, minIsr] of [
        ['autocreated', [1], '1'],
        ['pair', [1, 2], '2'],
      ] as const) {
        d.topics.push({
          ...d.topics[0]!,
          name,
          configs: { ...d.topics[0]!.configs, 'min.insync.replicas': minIsr },
          partitions: [
            {
              ...d.topics[0]!.partitions[0]!,
              partition: 0,
              leader: 1,
              replicas: [...replicas],
              isr: [...replicas],
            },
          ],
        });
      }
    });
    const s = decide([healthy, s1], 1);
    expect(s).toMatchObject({ safe: true, blockers: [] });
    expect(s.unavoidable).toEqual([
      { topic: 'autocreated', partition: 0 },
      { topic: 'pair', partition: 0 },
    ]);
    // Where more replicas exist, an ISR of one is still a reason to wait.
    const s2 = step(s1, 2000, (d) => {
      partitionOf(d, 'orders', 0).isr = [1];
    });
    expect(decide([healthy, s1, s2], 1).blockers).toMatchObject([
      { topic: 'orders', reason: 'only-in-sync-replica' },
    ]);
  });

  it('says no for a broker not in metadata', () => {
    const s = decide([healthy], 9);
    expect(s).toMatchObject({ safe: false, unknownBroker: true, hosted: 0 });
    expect(restartSummary(s)).toBe('no (not in metadata)');
  });

  it('lets a down broker be restarted: its offline partitions come back that way', () => {
    const s1 = step(healthy, 2000, (d) => {
      d.brokers = d.brokers.filter((b) => b.id !== 1);
      const p = partitionOf(d, 'orders', 0);
      p.leader = -1;
      p.isr = [1];
      p.offlineReplicas = [2, 3];
    });
    expect(decide([healthy, s1], 1).safe).toBe(true);
    // A live replica of the offline partition is told no.
    expect(decide([healthy, s1], 2).blockers).toMatchObject([{ partition: 0, reason: 'offline' }]);
  });

  it('fails closed when min.insync.replicas could not be read, rather than assume 1', () => {
    const s1 = step(healthy, 2000, (d) => {
      d.topics[0]!.configs = {};
    });
    const s = decide([healthy, s1], 2);
    expect(s.blockers.map((b) => [b.partition, b.reason, b.minIsr])).toEqual([
      [0, 'min-isr-unknown', null],
      [1, 'min-isr-unknown', null],
      [2, 'min-isr-unknown', null],
    ]);
    expect(restartSummary(s)).toBe('no (orders-0: min ISR unknown, and 2 more)');
  });
});
