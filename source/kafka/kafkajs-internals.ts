/**
 * The few kafkajs 2.2.4 internals the collector relies on, typed minimally and kept in one place: the
 * private types of its brokers, connections and request queue, its request encoders and error table, and
 * a check of their shape.
 *
 * Why internals at all: the public admin API throws away a whole batch when one partition or group in it
 * has an error (each response's `parse` throws on the first error code), retries behind our back, and
 * fetches log offsets one topic at a time. The collector instead sends kafkajs's own request encoders to
 * kafkajs's own broker connections (SSL, SASL, version negotiation included) and reads every error code
 * itself. kafkajs is pinned to exactly 2.2.4 in package.json (it is unmaintained); `assertInternals()`
 * fails loudly if that changes.
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

export const { requests } = require('kafkajs/src/protocol/requests/index.js') as {
  requests: Record<string, RequestDefinition>;
};
export const apiKeyTable = require('kafkajs/src/protocol/requests/apiKeys.js') as Record<string, number>;
export const { errorCodes } = require('kafkajs/src/protocol/error.js') as { errorCodes: ErrorCode[] };
export const Encoder = require('kafkajs/src/protocol/encoder.js') as new () => {
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

export interface InternalSocketRequest {
  sentAt: number;
  requestTimeout: number;
  timeoutRequest(): void;
}

export interface InternalRequestQueue {
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

export const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as {
  prototype: InternalRequestQueue;
};

/** Fails loudly, naming what is missing, when the kafkajs installed is not the one these types describe. */
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
  const queue = RequestQueue.prototype as unknown as Record<string, unknown>;
  const methods = [
    'scheduleCheckPendingRequests',
    'scheduleRequestTimeoutCheck',
    'sendSocketRequest',
    'destroy',
  ] as const;
  if (methods.some((name) => typeof queue?.[name] !== 'function')) {
    throw new Error('kafkajs internals changed (no RequestQueue): kafkatop needs kafkajs 2.2.4');
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
