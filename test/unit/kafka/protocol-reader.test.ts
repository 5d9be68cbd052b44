import { describe, expect, it } from 'vitest';
import { ProtocolReader } from '../../../source/kafka/protocol-reader.js';

function int64Of(value: bigint): number {
  const buffer = Buffer.alloc(8);
  buffer.writeBigInt64BE(value);
  const reader = new ProtocolReader(buffer, 'test');
  const read = reader.int64();
  reader.end();
  return read;
}

describe('ProtocolReader.int64', () => {
  it('reads what Number(bigint) reads, across the signed 64-bit range', () => {
    const edges = [0n, 1n, -1n, 42n, 2n ** 31n, 2n ** 32n - 1n, 2n ** 32n, -(2n ** 32n), 2n ** 53n - 1n];
    edges.push(2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n), -(2n ** 53n) - 3n);
    for (const value of edges) expect(int64Of(value), String(value)).toBe(Number(value));
    // Seeded pseudo-random 64-bit values: both halves, both signs.
    let seed = 0x2545f491n;
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 6364136223846793005n + 1442695040888963407n) & (2n ** 64n - 1n);
      const value = BigInt.asIntN(64, seed >> BigInt(i % 40));
      expect(int64Of(value), String(value)).toBe(Number(value));
    }
  });

  it('fails on fewer than 8 bytes', () => {
    expect(() => new ProtocolReader(Buffer.alloc(7), 'X response').int64()).toThrow(/X response truncated/);
  });
});

describe('ProtocolReader: the primitives of the Kafka 4 group and quorum APIs', () => {
  it('reads a UUID as Kafka prints it (Uuid.toString: URL-safe base64, no padding)', () => {
    // The id of topic `payments` in test/fixtures/kafka4 (note the "_"), and the zero UUID that
    // MetadataQuorumCommand prints as a voter's directory id.
    const id = Buffer.from('aa877428de06438a98dc9d7f9e9b09ae', 'hex');
    const reader = new ProtocolReader(Buffer.concat([id, Buffer.alloc(16)]), 'test');
    expect(reader.uuid()).toBe('qod0KN4GQ4qY3J1_npsJrg');
    expect(reader.uuid()).toBe('AAAAAAAAAAAAAAAAAAAAAA');
    reader.end();
  });

  it('reads INT8, BOOLEAN, UINT16 and compact arrays of INT32 and of strings', () => {
    const bytes = 'ff 02 00 9c46 03 00000001 ffffffff 03 0261 0262 01'.replace(/ /g, '');
    const reader = new ProtocolReader(Buffer.from(bytes, 'hex'), 'test');
    expect(reader.int8()).toBe(-1);
    expect(reader.bool()).toBe(true);
    expect(reader.bool()).toBe(false);
    expect(reader.uint16()).toBe(0x9c46); // a port above INT16's range
    expect(reader.compactInt32Array()).toEqual([1, -1]);
    expect(reader.compactStringArray()).toEqual(['a', 'b']);
    expect(reader.compactStringArray()).toEqual([]);
    reader.end();
  });

  it('fails on a null string inside a string array, and on a cut UUID', () => {
    expect(() => new ProtocolReader(Buffer.from([2, 0]), 'X response').compactStringArray()).toThrow(
      'X response: null where a string is required',
    );
    expect(() => new ProtocolReader(Buffer.alloc(15), 'X response').uuid()).toThrow(
      /X response truncated at byte 0/,
    );
  });
});
