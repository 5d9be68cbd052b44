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
