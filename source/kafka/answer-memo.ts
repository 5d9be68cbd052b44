import type { ProtocolResponse } from './kafkajs-internals.js';

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
