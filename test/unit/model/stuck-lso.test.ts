/**
 * A hanging transaction: the last stable offset stands below the log end, unmoved, for longer than a
 * transaction may stay open. Event, alert, and the partition's flag; released when it moves.
 */
import { describe, expect, it } from 'vitest';
import { transactionWord } from '../../../source/model/stuck-lso.js';
import { UNICODE_GLYPHS as G } from '../../../source/ui/glyphs.js';
import { isrEventsPane } from '../../../source/ui/panes/isr.js';
import { topicPartitionFacts } from '../../../source/ui/views/topic-partition.js';
import { cluster, partitionOf, step, steps } from '../../fixtures/snapshots/builders.js';
import { foldAll, ofKind } from './helpers.js';

const SEC = 1000;
const MIN = 60 * SEC;
const base = cluster({ topics: { orders: 1 } });

/** Every 30 s the producer writes 100 more behind a transaction open from offset 50. */
const pinned = (count: number) =>
  steps(base, count, 30 * SEC, (d, i) => {
    const p = partitionOf(d, 'orders', 0);
    p.logEndOffset = 100 + i * 100;
    p.lastStableOffset = 50;
  });

describe('stuck last stable offset', () => {
  it('stuck after the bound (15 minutes by default): an event, the HangingTransaction alert, the flag', () => {
    const early = foldAll([base, ...pinned(29)]).model; // 14.5 minutes
    expect(early.topics[0]!.partitions[0]!.stuckLsoSince).toBeNull();
    expect(early.alerts.find((a) => a.rule.name === 'HangingTransaction')!.phase).toBe('inactive');

    const { model, events } = foldAll([base, ...pinned(32)]);
    const p = model.topics[0]!.partitions[0]!;
    expect(p.stuckLsoSince).toBe(new Date(Date.parse(base.takenAt) + 30 * SEC).toISOString());
    expect(ofKind(events, 'lso-stuck')).toMatchObject([
      { topic: 'orders', partition: 0, lastStableOffset: 50, sinceMs: 15 * MIN },
    ]);
    expect(model.alerts.find((a) => a.rule.name === 'HangingTransaction')!.phase).toBe('firing');
    expect(
      topicPartitionFacts(p)
        .flat()
        .map((c) => c.text),
    ).toContainEqual(expect.stringMatching(/^LSO stuck since \d\d:\d\d:\d\d: a hanging transaction/));
    const rows = isrEventsPane
      .content(model, G, { hideInternal: false, openStorms: [] })
      .table.rows.map((r) => r.cells.map((c) => c.text).slice(1, 4));
    expect(rows).toContainEqual(['LSO STUCK', 'orders-0', 'LSO 50 HW 3100 for 15m']);
    expect(rows).toContainEqual(['✖ ALERT', 'HangingTransaction(cluster)', '1 vs 0']);
  });

  it('released when it moves on; a bound of its own from the options', () => {
    const snaps = pinned(4);
    const after = step(snaps.at(-1)!, 30 * SEC, (d) => {
      partitionOf(d, 'orders', 0).lastStableOffset = partitionOf(d, 'orders', 0).logEndOffset;
    });
    const { model, events } = foldAll([base, ...snaps, after], { stuckLsoMs: MIN });
    expect(ofKind(events, 'lso-stuck')).toHaveLength(1);
    expect(ofKind(events, 'lso-released')).toMatchObject([
      { topic: 'orders', partition: 0, lastStableOffset: 400 },
    ]);
    expect(model.topics[0]!.partitions[0]!.stuckLsoSince).toBeNull();
    expect(model.alerts.find((a) => a.rule.name === 'HangingTransaction')!.phase).toBe('inactive');
  });

  it('an LSO that keeps moving below the log end (short transactions) is never stuck', () => {
    const moving = steps(base, 40, 30 * SEC, (d, i) => {
      const p = partitionOf(d, 'orders', 0);
      p.logEndOffset = 100 + i * 100;
      p.lastStableOffset = 60 + i * 100;
    });
    const { events } = foldAll([base, ...moving]);
    expect(ofKind(events, 'lso-stuck')).toEqual([]);
  });
});

describe('the transaction holding it', () => {
  it('named in the event, the ISR pane and the partition facts, hanging as kafka-transactions.sh find-hanging says', () => {
    const snaps = steps(base, 4, 30 * SEC, (d, i) => {
      const p = partitionOf(d, 'orders', 0);
      p.logEndOffset = 100 + i * 100;
      p.lastStableOffset = 50;
      p.openTransaction = {
        producerId: 2,
        producerEpoch: 0,
        startOffset: 50,
        lastTimestamp: 1796608685098,
        transactionalId: 'lh-tx-2',
        state: 'Ongoing',
        hanging: true,
      };
    });
    const { model, events } = foldAll([base, ...snaps], { stuckLsoMs: MIN });
    expect(ofKind(events, 'lso-stuck')).toMatchObject([{ producerId: 2, transactionalId: 'lh-tx-2' }]);
    const facts = topicPartitionFacts(model.topics[0]!.partitions[0]!)
      .flat()
      .map((c) => c.text);
    expect(facts).toContain(
      'held by hanging transaction lh-tx-2 (producer 2 epoch 0 Ongoing, from offset 50)',
    );
    const rows = isrEventsPane
      .content(model, G, { hideInternal: false, openStorms: [] })
      .table.rows.map((r) => r.cells[3]!.text);
    expect(rows).toContain('LSO 50 HW 300 for 1m by hanging transaction lh-tx-2');
  });
});

describe('the bound', () => {
  it("is the brokers' transaction.max.timeout.ms when the snapshot has it, unless the options set one", () => {
    const snaps = pinned(6).map((s) => ({ ...s, transactionMaxTimeoutMs: 2 * MIN }));
    // LSO first seen below the log end at 30 s; 2 minutes later it is stuck.
    expect(ofKind(foldAll([base, ...snaps]).events, 'lso-stuck')).toMatchObject([{ sinceMs: 2 * MIN }]);
    expect(ofKind(foldAll([base, ...snaps], { stuckLsoMs: 10 * MIN }).events, 'lso-stuck')).toEqual([]);
  });

  it("carries the transaction's hanging verdict, which decides its word: hanging only when the coordinator lost it", () => {
    const stuckWith = (hanging: boolean | null) => {
      const snaps = steps(base, 3, 30 * SEC, (d, i) => {
        const p = partitionOf(d, 'orders', 0);
        p.logEndOffset = 100 + i * 100;
        p.lastStableOffset = 50;
        p.openTransaction = {
          producerId: 2,
          producerEpoch: 0,
          startOffset: 50,
          lastTimestamp: 1796608685098,
          transactionalId: 'lh-tx-2',
          state: hanging ? 'CompleteCommit' : 'Ongoing',
          hanging,
        };
      });
      const [event] = ofKind(foldAll([base, ...snaps], { stuckLsoMs: MIN }).events, 'lso-stuck');
      return [event!.hanging, transactionWord(event!.hanging)];
    };
    expect(stuckWith(true)).toEqual([true, 'hanging transaction']);
    expect(stuckWith(false)).toEqual([false, 'open transaction']);
    expect(stuckWith(null)).toEqual([null, 'transaction']);
  });
});
