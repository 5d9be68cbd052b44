/** Requests over kafkajs's broker connections: with its encoders, or encoded by us; and Kafka's error codes. */
import { type AnswerMemo, decodeOnce } from './answer-memo.js';
import {
  type ApiName,
  apiKeyTable,
  Encoder,
  errorCodes,
  type InternalBroker,
  requests,
} from './kafkajs-internals.js';

/**
 * Sends one request with kafkajs's encoder for the highest version both sides support, and returns the
 * decoded response WITHOUT kafkajs's `parse`, which would throw on the first per-item error code.
 * With a memo, an answer equal to the last (see `decodeOnce`) is not decoded again: the last decoded
 * value is returned, so callers must not write into it.
 */
export async function sendRaw<T>(
  broker: InternalBroker,
  api: ApiName,
  args: object,
  memo?: AnswerMemo,
): Promise<T> {
  await broker.connect();
  const definition = requests[api]!;
  const { request, response } = broker.lookupRequest(apiKeyTable[api]!, definition)(args);
  const { apiVersion } = request as { apiVersion: number };
  return send<T>(broker, request, (payload) =>
    memo ? decodeOnce(memo, payload, response, apiVersion) : response.decode(payload),
  );
}

/** A request kafkajs has no encoder for: the body is encoded (and the response decoded) by the caller. */
export interface EncodedRequest<T> {
  apiName: string;
  apiKey: number;
  apiVersion: number;
  /** Everything after the header's client id (a flexible version starts with the header's tagged fields). */
  body: Buffer;
  /** Everything after the response's correlation id. */
  decode(payload: Buffer): T | Promise<T>;
}

/**
 * Sends a request encoded outside kafkajs over kafkajs's connection to the broker (SSL, SASL, request
 * queue, timeouts and instrumentation events as for any other request). The caller checks the version
 * with `maxVersion` first: no negotiation happens here.
 */
export async function sendEncoded<T>(broker: InternalBroker, encoded: EncodedRequest<T>): Promise<T> {
  await broker.connect();
  const { apiName, apiKey, apiVersion, body } = encoded;
  const request = {
    apiName,
    apiKey,
    apiVersion,
    encode: async () => {
      const encoder = new Encoder();
      encoder.writeBuffer(body);
      return encoder;
    },
  };
  return send<T>(broker, request, async (payload) => encoded.decode(payload));
}

async function send<T>(
  broker: InternalBroker,
  request: unknown,
  decode: (payload: Buffer) => Promise<unknown>,
): Promise<T> {
  try {
    return (await broker.connectionPool.send({
      request,
      response: { decode, parse: async (data) => data },
      logResponseError: false,
    })) as T;
  } catch (error) {
    if (error instanceof Error && error.name === 'KafkaJSConnectionClosedError') {
      await broker.disconnect().catch(() => {});
    }
    throw error;
  }
}

/** The highest version of an api the broker serves (from its ApiVersions answer), or -1. */
export async function maxVersion(broker: InternalBroker, apiKey: number): Promise<number> {
  await broker.connect();
  return broker.versions?.[apiKey]?.maxVersion ?? -1;
}

/** A request of our own encoding, for the versions we speak (the schema's, quoted in its codec). */
export interface NegotiatedRequest<T> {
  readonly apiName: string;
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
  body(version: number): Buffer;
  decode(payload: Buffer, version: number): T | Promise<T>;
}

/**
 * Sends at the highest version both the broker advertises and we speak; null, sending nothing, when the
 * broker serves none of ours (an older Kafka, or a feature it has off).
 */
export async function sendNegotiated<T>(broker: InternalBroker, r: NegotiatedRequest<T>): Promise<T | null> {
  const version = Math.min(await maxVersion(broker, r.apiKey), r.maxVersion);
  if (version < r.minVersion) return null;
  return sendEncoded(broker, {
    apiName: r.apiName,
    apiKey: r.apiKey,
    apiVersion: version,
    body: r.body(version),
    decode: (payload) => r.decode(payload, version),
  });
}

/** Kafka's name for an error code, e.g. 'NOT_COORDINATOR', or 'UNKNOWN(123)'. */
export function errorType(code: number): string {
  return errorCodes.find((e) => e.code === code)?.type ?? `UNKNOWN(${code})`;
}

export const NOT_COORDINATOR = 16;
export const COORDINATOR_NOT_AVAILABLE = 15;
export const COORDINATOR_LOAD_IN_PROGRESS = 14;
export const LEADER_NOT_AVAILABLE = 5;
export const REPLICA_NOT_AVAILABLE = 9;
export const GROUP_ID_NOT_FOUND = 69;
/** Config resource type for topics in DescribeConfigs. */
export const TOPIC_RESOURCE = 2;
/** ListOffsets timestamps. */
export const LATEST_TIMESTAMP = -1;
export const EARLIEST_TIMESTAMP = -2;
/** Isolation level of the ListOffsets requests: the high watermark, as kafka-consumer-groups uses. */
export const READ_UNCOMMITTED = 0;
/** The last stable offset: what a `read_committed` consumer can read up to (no open transaction before it). */
export const READ_COMMITTED = 1;
