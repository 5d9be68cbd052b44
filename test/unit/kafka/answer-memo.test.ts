import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createAnswerMemo, decodeOnce } from '../../../source/kafka/answer-memo.js';
import type { ProtocolResponse } from '../../../source/kafka/kafkajs-internals.js';
import { metadataControllerIdAt } from '../../../source/kafka/metadata.js';

const require = createRequire(import.meta.url);

/** A decoder that counts its calls and returns a new object each time, as kafkajs's do. */
function countingDecoder(): ProtocolResponse & { calls: number } {
  const response = {
    calls: 0,
    async decode(payload: Buffer) {
      response.calls++;
      return { bytes: [...payload] };
    },
    async parse(data: unknown) {
      return data;
    },
  };
  return response;
}

describe('decodeOnce', () => {
  it('decodes an answer byte for byte the last one once, and returns the same value', async () => {
    const memo = createAnswerMemo();
    const response = countingDecoder();
    const first = await decodeOnce(memo, Buffer.from([0, 0, 0, 0, 1, 2, 3]), response, 5);
    const second = await decodeOnce(memo, Buffer.from([0, 0, 0, 0, 1, 2, 3]), response, 5);
    expect(response.calls).toBe(1);
    expect(second).toBe(first);
  });

  it('decodes again when any byte differs, throttle time included', async () => {
    const memo = createAnswerMemo();
    const response = countingDecoder();
    const first = await decodeOnce(memo, Buffer.from([0, 0, 0, 0, 1, 2, 3]), response, 5);
    const changed = await decodeOnce(memo, Buffer.from([0, 0, 0, 0, 1, 2, 4]), response, 5);
    const throttled = await decodeOnce(memo, Buffer.from([0, 0, 0, 9, 1, 2, 4]), response, 5);
    const longer = await decodeOnce(memo, Buffer.from([0, 0, 0, 9, 1, 2, 4, 0]), response, 5);
    expect(response.calls).toBe(4);
    expect(changed).toEqual({ bytes: [0, 0, 0, 0, 1, 2, 4] });
    expect(new Set([first, changed, throttled, longer]).size).toBe(4);
  });

  it('decodes again with another decoder (another api version) for the same bytes', async () => {
    const memo = createAnswerMemo();
    const v5 = countingDecoder();
    const v6 = countingDecoder();
    await decodeOnce(memo, Buffer.from([1, 2]), v5, 5);
    await decodeOnce(memo, Buffer.from([1, 2]), v6, 5);
    expect([v5.calls, v6.calls]).toEqual([1, 1]);
  });

  it('keeps its own copy of the bytes: the connection may reuse the buffer the payload is a view of', async () => {
    const memo = createAnswerMemo();
    const response = countingDecoder();
    const read = Buffer.from([7, 7, 1, 2, 3]);
    await decodeOnce(memo, read.subarray(2), response, 5);
    read.fill(0);
    await decodeOnce(memo, Buffer.from([0, 0, 0]), response, 5);
    expect(response.calls).toBe(2);
  });

  it('skips the ignored INT32 and compares every other byte', async () => {
    const memo = createAnswerMemo(() => 2);
    const response = countingDecoder();
    const first = await decodeOnce(memo, Buffer.from([1, 1, 0, 0, 0, 3, 5]), response, 5);
    const otherController = await decodeOnce(memo, Buffer.from([1, 1, 0, 0, 0, 2, 5]), response, 5);
    const otherTail = await decodeOnce(memo, Buffer.from([1, 1, 0, 0, 0, 2, 6]), response, 5);
    const otherHead = await decodeOnce(memo, Buffer.from([1, 2, 0, 0, 0, 2, 6]), response, 5);
    expect(otherController).toBe(first);
    expect(response.calls).toBe(3);
    expect(new Set([first, otherTail, otherHead]).size).toBe(3);
  });
});

/** A Metadata answer as a broker writes it (no topics), for versions 1 to 6. */
function metadataAnswer(version: number, controllerId: number): Buffer {
  const parts: Buffer[] = [];
  const int16 = (n: number) => parts.push(Buffer.from([(n >> 8) & 0xff, n & 0xff]));
  const int32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    parts.push(b);
  };
  const string = (s: string | null) => {
    if (s === null) return int16(-1);
    int16(Buffer.byteLength(s));
    parts.push(Buffer.from(s));
  };
  if (version >= 3) int32(0);
  const brokers: Array<[number, string, number, string | null]> = [
    [1, 'kafka-1.example', 9092, null],
    [2, 'kafka-2.example', 9093, 'rack-b'],
  ];
  int32(brokers.length);
  for (const [id, host, port, rack] of brokers) {
    int32(id);
    string(host);
    int32(port);
    string(rack);
  }
  if (version >= 2) string('Qf3clusterid');
  int32(controllerId);
  int32(0); // topics
  return Buffer.concat(parts);
}

describe('metadataControllerIdAt', () => {
  for (const version of [1, 2, 3, 4, 5, 6]) {
    it(`finds controller_id where kafkajs's Metadata v${version} decoder reads it`, async () => {
      const payload = metadataAnswer(version, 2);
      const at = metadataControllerIdAt(payload, version);
      const decoder = require(`kafkajs/src/protocol/requests/metadata/v${version}/response.js`) as {
        decode(payload: Buffer): Promise<{ controllerId: number }>;
      };
      expect((await decoder.decode(payload)).controllerId).toBe(2);
      expect(payload.readInt32BE(at)).toBe(2);
      payload.writeInt32BE(3, at);
      expect((await decoder.decode(payload)).controllerId).toBe(3);
    });
  }

  it('gives -1 for version 0 (no controller id), flexible versions, and a truncated answer', () => {
    expect(metadataControllerIdAt(metadataAnswer(1, 2), 0)).toBe(-1);
    expect(metadataControllerIdAt(metadataAnswer(6, 2), 9)).toBe(-1);
    expect(metadataControllerIdAt(metadataAnswer(6, 2).subarray(0, 20), 6)).toBe(-1);
  });
});
