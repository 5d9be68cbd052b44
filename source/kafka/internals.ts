/**
 * The few kafkajs 2.2.4 internals the collector relies on, typed minimally and kept in one place.
 *
 * Why internals at all: the public admin API throws away a whole batch when one partition or group in it
 * has an error (each response's `parse` throws on the first error code), retries behind our back, and
 * fetches log offsets one topic at a time. The collector instead sends kafkajs's own request encoders to
 * kafkajs's own broker connections (SSL, SASL, version negotiation included) and reads every error code
 * itself. kafkajs is pinned to 2.2.4 in package.json; `assertInternals()` fails loudly if that changes.
 */
import { createRequire } from 'node:module';
import type { Kafka } from 'kafkajs';

const require = createRequire(import.meta.url);

export interface ProtocolResponse {
  decode(payload: Buffer): Promise<unknown>;
  parse(data: unknown): Promise<unknown>;
}

export interface RequestDefinition {
  versions: string[];
  protocol(options: { version: number }): (args: object) => { request: unknown; response: ProtocolResponse };
}

export interface InternalConnectionPool {
  host: string;
  port: number;
  rack: string | null;
  send(protocolRequest: {
    request: unknown;
    response: ProtocolResponse;
    logResponseError?: boolean;
  }): Promise<unknown>;
}

export interface InternalBroker {
  nodeId: number | null;
  /** The broker's ApiVersions answer by api key, set once connected. */
  versions: Record<number, { minVersion: number; maxVersion: number }> | null;
  connectionPool: InternalConnectionPool;
  isConnected(): boolean;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  lookupRequest(
    apiKey: number,
    definition: RequestDefinition,
  ): (args: object) => { request: unknown; response: ProtocolResponse };
}

export interface InternalCluster {
  connectionPoolBuilder: {
    build(destination?: { host: string; port: number; rack: string | null }): Promise<InternalConnectionPool>;
  };
  brokerPool: {
    createBroker(options: {
      connectionPool: InternalConnectionPool;
      logger: unknown;
      nodeId?: number;
    }): InternalBroker;
  };
  rootLogger: unknown;
}

interface ErrorCode {
  type: string;
  code: number;
  retriable: boolean;
  message: string;
}

const { requests } = require('kafkajs/src/protocol/requests/index.js') as {
  requests: Record<string, RequestDefinition>;
};
const apiKeyTable = require('kafkajs/src/protocol/requests/apiKeys.js') as Record<string, number>;
const { errorCodes } = require('kafkajs/src/protocol/error.js') as { errorCodes: ErrorCode[] };
const Encoder = require('kafkajs/src/protocol/encoder.js') as new () => {
  writeBuffer(value: Buffer): unknown;
};

export type ApiName =
  | 'Metadata'
  | 'ListOffsets'
  | 'OffsetFetch'
  | 'GroupCoordinator'
  | 'DescribeGroups'
  | 'ListGroups'
  | 'DescribeConfigs';

interface InternalSocketRequest {
  sentAt: number;
  requestTimeout: number;
  timeoutRequest(): void;
}

interface InternalRequestQueue {
  pending: unknown[];
  inflight: Map<number, InternalSocketRequest>;
  requestTimeout: number;
  enforceRequestTimeout: boolean;
  requestTimeoutIntervalId?: ReturnType<typeof setInterval>;
  isConnected(): boolean;
  throttledUntil: number;
  throttleCheckTimeoutId: ReturnType<typeof setTimeout> | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
  scheduleRequestTimeoutCheck(): void;
  sendSocketRequest(socketRequest: unknown): void;
  destroy(): void;
}

const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as {
  prototype: InternalRequestQueue;
};

/** kafkajs's own delay before looking at requests held back by the in-flight limit. */
const CHECK_PENDING_REQUESTS_MS = 10;
/** kafkajs's own period (at most) for checking requests in flight against their timeout. */
const REQUEST_TIMEOUT_CHECK_MS = 100;

/**
 * kafkajs 2.2.4 keeps a 1 ms timer going on every broker connection once it has answered a request: with
 * nothing pending and no throttle, `scheduleCheckPendingRequests` still schedules a check, and each check
 * schedules the next (tulios/kafkajs#1556, unfixed upstream). Between refreshes that cost kafkatop 586 ms of
 * CPU per 10 s with three brokers, most of its idle CPU. This version schedules a check only when a request
 * waits or a throttle has to run out, as the fix proposed upstream does; every other case is unchanged.
 */
function stopIdleTimerLoop(): void {
  RequestQueue.prototype.scheduleCheckPendingRequests = function (this: InternalRequestQueue) {
    if (this.throttleCheckTimeoutId) return;
    const throttledFor = this.throttledUntil - Date.now();
    if (this.pending.length === 0 && throttledFor <= 0) return;
    this.throttleCheckTimeoutId = setTimeout(
      () => {
        this.throttleCheckTimeoutId = null;
        this.checkPendingRequests();
      },
      throttledFor > 0 ? throttledFor : CHECK_PENDING_REQUESTS_MS,
    );
  };
}

/**
 * kafkajs 2.2.4 arms a request-timeout check every 100 ms on each connection when it connects and keeps it
 * running as long as the connection lives, requests or not: ~10 wakeups a second per broker between
 * refreshes. Here the check runs only while the connection has requests in flight. It is armed when a
 * request goes out on an idle connection and stops itself at the first tick that finds nothing in flight;
 * the check itself is kafkajs's, so a request that outlives its timeout is still timed out within 100 ms.
 */
function checkRequestTimeoutsOnlyInFlight(): void {
  const proto = RequestQueue.prototype;
  const arm = (queue: InternalRequestQueue) => {
    if (!queue.enforceRequestTimeout) return;
    clearInterval(queue.requestTimeoutIntervalId);
    queue.requestTimeoutIntervalId = setInterval(
      () => {
        for (const request of queue.inflight.values()) {
          if (Date.now() - request.sentAt > request.requestTimeout) request.timeoutRequest();
        }
        if (!queue.isConnected()) queue.destroy();
        else if (queue.inflight.size === 0) clearInterval(queue.requestTimeoutIntervalId);
      },
      Math.min(queue.requestTimeout, REQUEST_TIMEOUT_CHECK_MS),
    );
  };
  // Called by kafkajs on connect: clears what an earlier connection left, as kafkajs does, but arms nothing
  // unless requests already wait for an answer.
  proto.scheduleRequestTimeoutCheck = function (this: InternalRequestQueue) {
    this.destroy();
    if (this.inflight.size > 0) arm(this);
  };
  const sendSocketRequest = proto.sendSocketRequest;
  proto.sendSocketRequest = function (this: InternalRequestQueue, socketRequest: unknown) {
    const idle = this.inflight.size === 0;
    sendSocketRequest.call(this, socketRequest);
    if (idle && this.inflight.size > 0) arm(this);
  };
}

let patched = false;

export function assertInternals(): void {
  const names: ApiName[] = [
    'Metadata',
    'ListOffsets',
    'OffsetFetch',
    'GroupCoordinator',
    'DescribeGroups',
    'ListGroups',
    'DescribeConfigs',
  ];
  for (const name of names) {
    if (!requests[name] || typeof apiKeyTable[name] !== 'number') {
      throw new Error(`kafkajs internals changed (no ${name} request): kafkatop needs kafkajs 2.2.4`);
    }
  }
  if (typeof Encoder !== 'function' || typeof new Encoder().writeBuffer !== 'function') {
    throw new Error('kafkajs internals changed (no protocol Encoder): kafkatop needs kafkajs 2.2.4');
  }
  const queue = RequestQueue.prototype;
  const methods = [
    'scheduleCheckPendingRequests',
    'scheduleRequestTimeoutCheck',
    'sendSocketRequest',
    'destroy',
  ] as const;
  if (methods.some((name) => typeof queue?.[name] !== 'function')) {
    throw new Error('kafkajs internals changed (no RequestQueue): kafkatop needs kafkajs 2.2.4');
  }
  if (!patched) {
    patched = true;
    stopIdleTimerLoop();
    checkRequestTimeoutsOnlyInFlight();
  }
}

/**
 * A kafkajs Cluster built by the client itself, so it carries the client's SSL, SASL, socket factory,
 * timeouts and logger. Auto topic creation is off for every broker it creates.
 */
export function createInternalCluster(
  kafka: Kafka,
  instrumentationEmitter: { emit(name: string, payload: unknown): void },
): InternalCluster {
  const symbol = Object.getOwnPropertySymbols(kafka).find(
    (s) => s.description === 'private:Kafka:createCluster',
  );
  const create = symbol ? (kafka as unknown as Record<symbol, unknown>)[symbol] : undefined;
  if (typeof create !== 'function') {
    throw new Error('kafkajs internals changed (no createCluster): kafkatop needs kafkajs 2.2.4');
  }
  return create({ allowAutoTopicCreation: false, instrumentationEmitter }) as InternalCluster;
}

/**
 * The last answer to one request, as bytes and as kafkajs decoded them. Cluster metadata is the same
 * answer refresh after refresh; decoding it again cost a refresh ~14,000 objects at 2,000 partitions
 * (kafkajs's Metadata decoder makes three closures, three arrays and an object per partition), and V8 kept
 * recompiling those closures.
 */
export interface AnswerMemo {
  /**
   * Where the answer (of that api version) carries an INT32 that may differ between otherwise equal
   * answers and that nobody reads, or -1: a KRaft broker names a random broker as the controller in every
   * Metadata answer (KIP-590).
   */
  readonly ignoredInt32At: (payload: Buffer, apiVersion: number) => number;
  bytes: Buffer | null;
  decode: unknown;
  value: unknown;
}

export function createAnswerMemo(ignoredInt32At: AnswerMemo['ignoredInt32At'] = () => -1): AnswerMemo {
  return { ignoredInt32At, bytes: null, decode: null, value: null };
}

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

/**
 * Decodes `payload` unless it equals the last answer byte for byte (throttle time included), but for the
 * memo's ignored INT32, and was read by the same decoder (one per api version).
 */
export async function decodeOnce(
  memo: AnswerMemo,
  payload: Buffer,
  response: ProtocolResponse,
  apiVersion: number,
): Promise<unknown> {
  const last = memo.bytes;
  if (memo.decode === response.decode && last !== null && last.length === payload.length) {
    const at = memo.ignoredInt32At(payload, apiVersion);
    const same =
      at < 0 || at + 4 > payload.length
        ? last.equals(payload)
        : last.compare(payload, 0, at, 0, at) === 0 &&
          last.compare(payload, at + 4, payload.length, at + 4, payload.length) === 0;
    if (same) return memo.value;
  }
  const value = await response.decode(payload);
  // A copy: the payload is a view into the connection's read buffer.
  memo.bytes = Buffer.from(payload);
  memo.decode = response.decode;
  memo.value = value;
  return value;
}

/** A request kafkajs has no encoder for: the body is encoded (and the response decoded) by the caller. */
export interface EncodedRequest<T> {
  apiName: string;
  apiKey: number;
  apiVersion: number;
  /** Everything after the header's client id (a flexible version starts with the header's tagged fields). */
  body: Buffer;
  /** Everything after the response's correlation id. */
  decode(payload: Buffer): T;
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
