/**
 * Paces scrapes of each metrics endpoint. A JMX exporter walks every MBean on each request, and goes on
 * walking after the client has given up: on the test cluster with 2,000 partitions under load one walk took
 * 30 s, and refreshes every 2 s that abandoned each request after 5 s stacked walks up on the broker until one
 * took 241 s (`jmx_scrape_duration_seconds`). So, per endpoint:
 * - at most one request in flight: a refresh that finds one still running waits for it, within its own
 *   deadline, instead of sending another;
 * - a request that outlives the refresh is left to finish (up to `maxMs`), and its answer serves a later
 *   refresh;
 * - after an answer, the next request waits for `spacing` times what that answer cost the exporter (its
 *   reported walk time when it has one), and refreshes in between get the last answer again.
 * A failed request is retried at the next refresh: pacing protects brokers from kafkatop, not from recovery.
 */

export interface Paced<T> {
  /** The answer, or null when none came within the caller's deadline. */
  result: T | null;
  /** The answer is one an earlier refresh already had (paced), not a new request's. */
  held: boolean;
  /** How long the unanswered request has been running, when result is null. */
  waitingMs: number;
}

export interface PacerOptions {
  /** Monotonic milliseconds, to time requests (a refresh's own `at` places them in the caller's time). */
  clock: () => number;
  /** Longest a request may run in the background (default 30 s). */
  maxMs?: number;
  /** Multiple of an answer's cost to wait before the next request (default 4). */
  spacing?: number;
}

export interface EndpointPacer<T> {
  /**
   * `send` makes the request (given a signal that ends it after `maxMs` or on close) and resolves, never
   * rejects, with the answer and what it cost the endpoint, or with `failed` set; `deadline` ends the
   * caller's wait only, not the request.
   */
  run(
    key: string,
    at: number,
    deadline: AbortSignal,
    send: (signal: AbortSignal) => Promise<{ value: T; costMs: number | null } | { value: T; failed: true }>,
  ): Promise<Paced<T>>;
  /** Aborts every request in flight and forgets every answer. */
  close(): void;
}

interface Endpoint<T> {
  running: Promise<T> | null;
  /** On the monotonic clock, and the caller's `at` when it was sent. */
  startedAt: number;
  sentAt: number;
  last: T | null;
  nextAt: number;
}

export function createEndpointPacer<T>(options: PacerOptions): EndpointPacer<T> {
  const { clock } = options;
  const maxMs = options.maxMs ?? 30_000;
  const spacing = options.spacing ?? 4;
  const endpoints = new Map<string, Endpoint<T>>();
  let closer = new AbortController();

  const start = (endpoint: Endpoint<T>, at: number, send: Parameters<EndpointPacer<T>['run']>[3]) => {
    const startedAt = clock();
    endpoint.startedAt = startedAt;
    endpoint.sentAt = at;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`timed out after ${maxMs} ms`)), maxMs);
    const parent = closer.signal;
    const onClose = () => controller.abort(new Error('metrics source closed'));
    parent.addEventListener('abort', onClose, { once: true });
    endpoint.running = send(controller.signal).then((answer) => {
      clearTimeout(timer);
      parent.removeEventListener('abort', onClose);
      endpoint.running = null;
      if ('failed' in answer) {
        endpoint.last = null;
        endpoint.nextAt = Number.NEGATIVE_INFINITY;
      } else {
        endpoint.last = answer.value;
        const cost = answer.costMs ?? clock() - startedAt;
        endpoint.nextAt = at + spacing * cost;
      }
      return answer.value;
    });
  };

  return {
    async run(key, at, deadline, send) {
      let endpoint = endpoints.get(key);
      if (!endpoint) {
        endpoint = { running: null, startedAt: 0, sentAt: 0, last: null, nextAt: Number.NEGATIVE_INFINITY };
        endpoints.set(key, endpoint);
      }
      if (!endpoint.running) {
        if (endpoint.last !== null && at < endpoint.nextAt) {
          return { result: endpoint.last, held: true, waitingMs: 0 };
        }
        start(endpoint, at, send);
      }
      const running = endpoint.running!;
      const answer = await new Promise<T | null>((resolve) => {
        if (deadline.aborted) return resolve(null);
        const onAbort = () => resolve(null);
        deadline.addEventListener('abort', onAbort, { once: true });
        running.then((value) => {
          deadline.removeEventListener('abort', onAbort);
          resolve(value);
        });
      });
      if (answer === null) return { result: null, held: false, waitingMs: clock() - endpoint.startedAt };
      return { result: answer, held: false, waitingMs: 0 };
    },
    close() {
      closer.abort(new Error('metrics source closed'));
      closer = new AbortController();
      endpoints.clear();
    },
  };
}
