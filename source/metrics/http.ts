import { STATUS_CODES } from 'node:http';
import { MAX_BODY_BYTES } from './parse.js';

export type FetchLike = typeof fetch;

/** `startedAt` / `headersAt`: the `clock` readings when the request went out and its headers came back. */
export type FetchResult =
  | { ok: true; body: string; startedAt: number; headersAt: number }
  | { ok: false; message: string };

/**
 * A URL safe to print: no `user:pass@`, no query string (tokens live there), no fragment.
 * Unparseable input is not echoed back at all, since it may be a credential typed in the wrong place.
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/**
 * GET a text body with a size bound. Never throws: every failure becomes a short message without
 * body bytes or credentials. `signal` carries the caller's deadline.
 */
export async function fetchText(
  url: string,
  opts: { signal: AbortSignal; fetch: FetchLike; maxBytes?: number; accept?: string; clock?: () => number },
): Promise<FetchResult> {
  const clock = opts.clock ?? (() => performance.now());
  const maxBytes = opts.maxBytes ?? MAX_BODY_BYTES;
  if (opts.signal.aborted) return { ok: false, message: describeAbort(opts.signal) };
  const headers: Record<string, string> = { accept: opts.accept ?? 'text/plain;version=0.0.4;q=1,*/*;q=0.1' };
  let target: string;
  try {
    // fetch refuses URLs with user:pass@, so credentials move into a Basic auth header.
    const u = new URL(url);
    if (u.username || u.password) {
      const user = decodeURIComponent(u.username);
      const pass = decodeURIComponent(u.password);
      headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
      u.username = '';
      u.password = '';
    }
    target = u.toString();
  } catch {
    return { ok: false, message: 'invalid URL' };
  }
  let response: Response;
  const startedAt = clock();
  try {
    response = await opts.fetch(target, { signal: opts.signal, headers, redirect: 'follow' });
  } catch (error) {
    return { ok: false, message: describeFetchError(error, opts.signal) };
  }
  const headersAt = clock();
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    return { ok: false, message: `HTTP ${response.status}${statusText(response.status)}` };
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    return { ok: false, message: tooLarge(maxBytes) };
  }
  try {
    const body = await readBounded(response, maxBytes);
    if (body === null) return { ok: false, message: tooLarge(maxBytes) };
    return { ok: true, body, startedAt, headersAt };
  } catch (error) {
    return { ok: false, message: describeFetchError(error, opts.signal) };
  }
}

async function readBounded(response: Response, maxBytes: number): Promise<string | null> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

function tooLarge(maxBytes: number): string {
  const size =
    maxBytes >= 1024 * 1024
      ? `${Math.round(maxBytes / 1024 / 1024)} MB`
      : `${Math.round(maxBytes / 1024)} KB`;
  return `body larger than ${size}, refused`;
}

function statusText(status: number): string {
  const text = STATUS_CODES[status];
  return text ? ` ${text}` : '';
}

function describeAbort(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') return reason.message || 'timed out';
  if (reason instanceof Error && reason.message) return reason.message;
  return 'aborted';
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed',
  UND_ERR_HEADERS_TIMEOUT: 'timed out waiting for headers',
  UND_ERR_BODY_TIMEOUT: 'timed out reading body',
  ERR_SSL_WRONG_VERSION_NUMBER: 'TLS handshake failed',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
};

/** Maps undici's nested errors to one short phrase; never includes a stack or the URL. */
export function describeFetchError(error: unknown, signal?: AbortSignal): string {
  if (signal?.aborted) return describeAbort(signal);
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES[code]) return NETWORK_CODES[code];
    if (current instanceof Error && current.name === 'AbortError') return 'aborted';
    current = (current as { cause?: unknown }).cause;
  }
  const code = (error as { cause?: { code?: unknown } })?.cause?.code;
  if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return `request failed (${code})`;
  return 'request failed';
}
