import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodeOffsetFetchV8, encodeOffsetFetchV8 } from '../../../source/kafka/offset-fetch.js';

// kafkajs's own protocol Encoder/Decoder: an implementation independent of ours, to read what we write
// and write what we read, field by field as the schema lists them.
const require = createRequire(import.meta.url);
interface KafkajsEncoder {
  writeInt8(v: number): KafkajsEncoder;
  writeInt16(v: number): KafkajsEncoder;
  writeInt32(v: number): KafkajsEncoder;
  writeInt64(v: string): KafkajsEncoder;
  writeUVarInt(v: number): KafkajsEncoder;
  writeUVarIntString(v: string | null): KafkajsEncoder;
  buffer: Buffer;
}
interface KafkajsDecoder {
  readInt8(): number;
  readInt16(): number;
  readUVarInt(): number;
  readUVarIntString(): string | null;
  canReadBytes(n: number): boolean;
}
const Encoder = require('kafkajs/src/protocol/encoder.js') as new () => KafkajsEncoder;
const Decoder = require('kafkajs/src/protocol/decoder.js') as new (b: Buffer) => KafkajsDecoder;

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('encodeOffsetFetchV8', () => {
  it('lays out the request body byte by byte (hand-checked against OffsetFetchRequest.json v8)', () => {
    expect(encodeOffsetFetchV8(['g1', 'ab']).toString('hex')).toBe(
      [
        '00', // request header v2: no tagged fields
        '03', // groups: compact array of 2 (length + 1)
        '03 6731', // group_id "g1": compact string of 2
        '00', // topics: null (every topic)
        '00', // group's tagged fields
        '03 6162', // group_id "ab"
        '00 00',
        '00', // require_stable: false
        '00', // top-level tagged fields
      ]
        .join('')
        .replace(/\s+/g, ''),
    );
  });

  it('writes multi-byte varint lengths and UTF-8 byte lengths', () => {
    const long = 'g'.repeat(200); // length 201 = 0xc9 -> varint c9 01
    const body = encodeOffsetFetchV8([long, 'é']);
    expect(body.subarray(0, 4).toString('hex')).toBe('0003c901');
    expect(body.subarray(4, 204).toString('latin1')).toBe(long);
    // "é" is 2 bytes in UTF-8: compact length 3
    expect(body.subarray(206).toString('hex')).toBe('03c3a900000000');
  });

  it('reads back field by field with kafkajs’s decoder', () => {
    const groups = Array.from({ length: 300 }, (_, i) => `group-${i}`);
    const d = new Decoder(encodeOffsetFetchV8(groups));
    expect(d.readUVarInt()).toBe(0);
    expect(d.readUVarInt()).toBe(301);
    for (const groupId of groups) {
      expect(d.readUVarIntString()).toBe(groupId);
      expect(d.readUVarInt()).toBe(0);
      expect(d.readUVarInt()).toBe(0);
    }
    expect(d.readInt8()).toBe(0);
    expect(d.readUVarInt()).toBe(0);
    expect(d.canReadBytes(1)).toBe(false);
  });

  it('encodes an empty group list as an empty (not null) array', () => {
    expect(encodeOffsetFetchV8([]).toString('hex')).toBe('00010000');
  });
});

/** Response v8 fixture, hand-assembled from OffsetFetchResponse.json. */
const responseFixture = hex(`
  00
  00000000
  03
    03 6731
    02
      02 74
      03
        00000000 000000000000002a ffffffff 01 0000 00
        00000001 ffffffffffffffff ffffffff 00 0000 00
      00
    0000
    00
    03 6162
    01
    000e
    00
  00
`);

describe('decodeOffsetFetchV8', () => {
  it('decodes a hand-assembled response: offsets, no-commit, metadata, group error codes', () => {
    expect(decodeOffsetFetchV8(responseFixture)).toEqual({
      throttleTimeMs: 0,
      groups: [
        {
          groupId: 'g1',
          errorCode: 0,
          topics: [
            {
              topic: 't',
              partitions: [
                { partition: 0, offset: 42, errorCode: 0 },
                { partition: 1, offset: -1, errorCode: 0 },
              ],
            },
          ],
        },
        { groupId: 'ab', errorCode: 14, topics: [] },
      ],
    });
  });

  it('skips tagged fields in the header and in every struct', () => {
    const tagged = hex(`
      01 05 02 aabb
      00000064
      02
        03 6731
        02
          02 74
          02
            00000007 0000000000000009 00000003 04 6d6574 0000
            02 00 01 ff 01 01 cc
          01 09 00
        0000
        00
      01 00 03 010203
    `);
    expect(decodeOffsetFetchV8(tagged)).toEqual({
      throttleTimeMs: 100,
      groups: [
        {
          groupId: 'g1',
          errorCode: 0,
          topics: [{ topic: 't', partitions: [{ partition: 7, offset: 9, errorCode: 0 }] }],
        },
      ],
    });
  });

  it('reads offsets above 2^53 as the nearest number, as snapshots hold offsets', () => {
    const big = hex(
      `00 00000000 02 02 67 02 02 74 02 00000000 7fffffffffffffff ffffffff 00 0000 00 00 0000 00 00`,
    );
    expect(decodeOffsetFetchV8(big).groups[0]!.topics[0]!.partitions[0]!.offset).toBe(2 ** 63);
  });

  it('reads a response written field by field with kafkajs’s encoder', () => {
    const e = new Encoder().writeUVarInt(0).writeInt32(0).writeUVarInt(251); // 250 groups
    for (let g = 0; g < 250; g++) {
      e.writeUVarIntString(`bench-group-${g}`).writeUVarInt(2); // one topic
      e.writeUVarIntString(`orders-${g % 7}`).writeUVarInt(11); // ten partitions
      for (let p = 0; p < 10; p++) {
        e.writeInt32(p)
          .writeInt64(String(g * 1000 + p))
          .writeInt32(-1)
          .writeUVarIntString(p % 2 ? null : '')
          .writeInt16(0)
          .writeUVarInt(0);
      }
      e.writeUVarInt(0)
        .writeInt16(g === 99 ? 16 : 0)
        .writeUVarInt(0);
    }
    e.writeUVarInt(0);
    const { groups } = decodeOffsetFetchV8(e.buffer);
    expect(groups).toHaveLength(250);
    expect(groups[99]).toMatchObject({ groupId: 'bench-group-99', errorCode: 16 });
    expect(groups[249]!.topics[0]!.topic).toBe('orders-4');
    expect(groups[249]!.topics[0]!.partitions[9]).toEqual({ partition: 9, offset: 249009, errorCode: 0 });
  });

  it('fails on a truncated or over-long response instead of inventing values', () => {
    for (let cut = 1; cut < responseFixture.length; cut += 3) {
      expect(() => decodeOffsetFetchV8(responseFixture.subarray(0, cut))).toThrow(/truncated/);
    }
    expect(() => decodeOffsetFetchV8(Buffer.concat([responseFixture, hex('00')]))).toThrow(/left over/);
  });
});
