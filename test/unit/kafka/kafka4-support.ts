/** Shared by the Kafka 4 API tests: captured response bodies, a fake broker, and the truncation check. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { InternalBroker } from '../../../source/kafka/kafkajs-internals.js';

/** A response body captured from a real broker (test/fixtures/kafka4/README.md says how). */
export function captured(name: string): Buffer {
  const text = readFileSync(new URL(`../../fixtures/kafka4/${name}.hex`, import.meta.url), 'utf8');
  return Buffer.from(text.trim(), 'hex');
}

export interface SentRequest {
  apiName: string;
  apiKey: number;
  apiVersion: number;
  body: Buffer;
}

/**
 * A broker advertising `versions` (api key -> highest version) that answers every request with `answer`,
 * through the request object sendEncoded builds (its encode() and the response's decode()).
 */
export function fakeBroker(
  versions: Record<number, number>,
  answer: Buffer,
): { broker: InternalBroker; sent: SentRequest[] } {
  const sent: SentRequest[] = [];
  const advertised = Object.fromEntries(
    Object.entries(versions).map(([key, maxVersion]) => [key, { minVersion: 0, maxVersion }]),
  );
  const broker: InternalBroker = {
    nodeId: 1,
    versions: null,
    isConnected: () => broker.versions !== null,
    async connect() {
      broker.versions = advertised;
    },
    async disconnect() {},
    lookupRequest: () => {
      throw new Error('kafkajs encoders are not used for these requests');
    },
    connectionPool: {
      host: '127.0.0.1',
      port: 9091,
      rack: null,
      async send({ request, response }) {
        const r = request as Omit<SentRequest, 'body'> & { encode(): Promise<{ buffer: Buffer }> };
        sent.push({
          apiName: r.apiName,
          apiKey: r.apiKey,
          apiVersion: r.apiVersion,
          body: (await r.encode()).buffer,
        });
        return response.parse(await response.decode(answer));
      },
    },
  };
  return { broker, sent };
}

/**
 * Every strict prefix of a captured body fails with the reader's "truncated" error naming the response,
 * and one byte too many fails the end() check: a cut answer never yields a value.
 */
export function expectTruncationToFail(
  decode: (payload: Buffer) => unknown,
  body: Buffer,
  response: string,
): void {
  decode(body); // the whole body reads
  for (let length = 0; length < body.length; length++) {
    expect(() => decode(body.subarray(0, length)), `prefix of ${length} bytes`).toThrow(
      new RegExp(`^${response} truncated at byte \\d+ \\(wanted \\d+ more\\)$`),
    );
  }
  expect(() => decode(Buffer.concat([body, Buffer.from([0])]))).toThrow(`${response}: 1 bytes left over`);
}

/** A hex string written with spaces and comments between fields, as the schema lays them out. */
export const hex = (s: string): string => s.replace(/#[^\n]*/g, '').replace(/\s+/g, '');
