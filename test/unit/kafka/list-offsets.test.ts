/**
 * ListOffsets v2/v3 as kafkatop encodes and decodes it, checked byte for byte against kafkajs 2.2.4's own
 * encoder and decoder for the same version (the reference kafkatop used before).
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodeListOffsets, encodeListOffsets } from '../../../source/kafka/list-offsets.js';

const require = createRequire(import.meta.url);
type KafkajsEncoder = {
  buffer: Buffer;
  writeInt16(v: number): KafkajsEncoder;
  writeInt32(v: number): KafkajsEncoder;
  writeInt64(v: string | number): KafkajsEncoder;
  writeString(v: string): KafkajsEncoder;
  writeArray(v: KafkajsEncoder[]): KafkajsEncoder;
};
const Encoder = require('kafkajs/src/protocol/encoder.js') as new () => KafkajsEncoder;
const requestV3 = require('kafkajs/src/protocol/requests/listOffsets/v3/request.js') as (args: object) => {
  encode(): Promise<KafkajsEncoder>;
};
const responseV3 = require('kafkajs/src/protocol/requests/listOffsets/v3/response.js') as {
  decode(payload: Buffer): Promise<{
    clientSideThrottleTime: number;
    responses: Array<{
      topic: string;
      partitions: Array<{ partition: number; errorCode: number; offset: string }>;
    }>;
  }>;
};

const topics = new Map<string, number[]>([
  ['orders', [0, 3, 7]],
  ['paiements-€', [2]],
  ['empty', []],
]);

describe('ListOffsets v2/v3', () => {
  it.each([
    ['latest', -1, 0],
    ['earliest', -2, 1],
  ])('encodes a %s request exactly as kafkajs does', async (_, timestamp, isolationLevel) => {
    const ours = encodeListOffsets(topics, timestamp, isolationLevel);
    const theirs = await requestV3({
      replicaId: -1,
      isolationLevel,
      topics: [...topics].map(([topic, partitions]) => ({
        topic,
        partitions: partitions.map((partition) => ({ partition, timestamp })),
      })),
    }).encode();
    expect(ours.toString('hex')).toBe(theirs.buffer.toString('hex'));
  });

  function response(throttleMs: number): Buffer {
    const partition = (p: number, errorCode: number, offset: string) =>
      new Encoder().writeInt32(p).writeInt16(errorCode).writeInt64(-1).writeInt64(offset);
    return new Encoder()
      .writeInt32(throttleMs)
      .writeArray([
        new Encoder()
          .writeString('orders')
          .writeArray([partition(0, 0, '42'), partition(3, 6, '-1'), partition(7, 0, '9007199254740991')]),
        new Encoder().writeString('paiements-€').writeArray([partition(2, 0, '0')]),
      ]).buffer;
  }

  it('decodes every partition, errors included, as kafkajs does', async () => {
    const payload = response(25);
    const ours: Array<[string, number, number, number]> = [];
    const answer = decodeListOffsets(payload, 3, (...row) => ours.push(row));
    const theirs = await responseV3.decode(payload);
    expect(ours).toEqual(
      theirs.responses.flatMap(({ topic, partitions }) =>
        partitions.map((p) => [topic, p.partition, p.errorCode, Number(p.offset)]),
      ),
    );
    expect(ours).toContainEqual(['orders', 3, 6, -1]);
    expect(answer.clientSideThrottleTime).toBe(theirs.clientSideThrottleTime);
    // v2: the broker already held the answer back for the throttle time.
    expect(decodeListOffsets(payload, 2, () => {}).clientSideThrottleTime).toBe(0);
  });

  it('fails on a truncated or overlong response instead of reading garbage', () => {
    const payload = response(0);
    expect(() => decodeListOffsets(payload.subarray(0, payload.length - 3), 3, () => {})).toThrow(
      /truncated/,
    );
    expect(() => decodeListOffsets(Buffer.concat([payload, Buffer.from([0])]), 3, () => {})).toThrow(
      /left over/,
    );
  });
});
