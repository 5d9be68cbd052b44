import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emptyCollected } from '../../../source/kafka/collected.js';
import type { Connections } from '../../../source/kafka/connections.js';
import type { StageContext } from '../../../source/kafka/context.js';
import { decodeDescribeLogDirs } from '../../../source/kafka/describe-log-dirs.js';
import { collectLogDirs, createLogDirWatch } from '../../../source/kafka/log-dirs.js';
import { expectTruncationToFail, fakeBroker } from './kafka4-support.js';

/** An answer captured from a real broker (test/fixtures/loghealth/README.md). */
function captured(name: string): Buffer {
  const text = readFileSync(new URL(`../../fixtures/loghealth/${name}.hex`, import.meta.url), 'utf8');
  return Buffer.from(text.trim(), 'hex');
}

const DIR = '/work/wt/loghealth/.cluster/39290/node-1/data';

describe('decodeDescribeLogDirs on answers captured from Kafka 4.4.0', () => {
  it('v5: the log dir with its volume total and usable bytes, not cordoned, and each replica size', () => {
    const replicas: unknown[] = [];
    const answer = decodeDescribeLogDirs(captured('describe-log-dirs-v5'), 5, (...r) => replicas.push(r));
    // `df -B1` of the data dir at the time: 270553174016 total, 84665573376 available.
    expect(answer).toEqual({
      errorCode: 0,
      logDirs: [
        { path: DIR, errorCode: 0, totalBytes: 270553174016, usableBytes: 84666089472, cordoned: false },
      ],
    });
    // LogDirsCommand --describe --broker-list 1: lh-move-0 10047100, lh-move-1 0 (the replica being added,
    // throttled), lh-txn-0 growing (208963 a few seconds later).
    expect(replicas).toContainEqual([0, 'lh-move', 0, 10047100, 0, false]);
    expect(replicas).toContainEqual([0, 'lh-move', 1, 0, 0, false]);
    expect(replicas).toContainEqual([0, 'lh-txn', 0, 196069, 0, false]);
  });

  it('v4: the same without the cordoned flag', () => {
    const answer = decodeDescribeLogDirs(captured('describe-log-dirs-v4'), 4, () => {});
    expect(answer.logDirs[0]).toMatchObject({
      totalBytes: 270553174016,
      usableBytes: 84665892864,
      cordoned: false,
    });
  });

  it('a cut answer never yields a value', () => {
    expectTruncationToFail(
      (b) => decodeDescribeLogDirs(b, 5, () => {}),
      captured('describe-log-dirs-v5'),
      'DescribeLogDirs v5 response',
    );
  });
});

describe('collectLogDirs', () => {
  function context() {
    const { broker, sent } = fakeBroker({ 35: 5 }, captured('describe-log-dirs-v5'));
    const connections = {
      nodeIds: () => [1],
      get: (id: number) => (id === 1 ? broker : undefined),
    } as unknown as Connections;
    const collected = emptyCollected();
    collected.metadata = {
      brokers: [{ nodeId: 1, host: '127.0.0.1', port: 39291, rack: null }],
      topicMetadata: [
        {
          topicErrorCode: 0,
          topic: 'lh-move',
          partitionMetadata: [
            { partitionErrorCode: 0, partitionId: 0, leader: 1, replicas: [3, 2, 1], isr: [1, 2] },
            { partitionErrorCode: 0, partitionId: 1, leader: 2, replicas: [2, 1, 3], isr: [2, 3] },
          ],
        },
      ],
    };
    const ctx: StageContext = { connections, limit: (task) => task(), clean: (t) => t, collected };
    return { ctx, sent };
  }

  it('reads every broker on the full read, keeps sizes of the replicas it leads, and carries both between', async () => {
    const watch = createLogDirWatch();
    const full = context();
    await collectLogDirs(full.ctx, watch, true);
    expect(full.sent.map((r) => [r.apiKey, r.apiVersion, r.body.toString('hex')])).toEqual([
      [35, 5, '000000'],
    ]);
    expect(full.ctx.collected.logDirs.get(1)).toEqual([
      { path: DIR, totalBytes: 270553174016, usableBytes: 84666089472, cordoned: false, error: null },
    ]);
    // lh-move-1's replica here is a follower (being added): its leader's size is another broker's to say.
    expect(full.ctx.collected.sizes.get('lh-move')).toEqual(new Map([[0, 10047100]]));

    // lh-move-1 is moving onto broker 1 (the capture: 1 B/s throttle): its replica there holds nothing yet.
    const moving = context();
    const lhMove = new Map([[1, { adding: [1], removing: [3] }]]);
    await collectLogDirs(moving.ctx, createLogDirWatch(), true, new Map([['lh-move', lhMove]]));
    expect(moving.ctx.collected.copied.get('lh-move')).toEqual(new Map([[1, 0]]));
    expect(full.ctx.collected.copied.size).toBe(0);

    const between = context();
    await collectLogDirs(between.ctx, watch, false);
    expect(between.sent).toHaveLength(0);
    expect(between.ctx.collected.logDirs.get(1)![0]!.usableBytes).toBe(84666089472);
  });
});
