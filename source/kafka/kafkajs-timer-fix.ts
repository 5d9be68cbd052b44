/**
 * A fix for kafkajs 2.2.4's request queue timers (tulios/kafkajs#1556, unfixed upstream; kafkajs is
 * unmaintained and pinned to exactly 2.2.4). Installed once, by `installKafkajsTimerFix()`, which the
 * collector calls when it is created. docs/performance.md has the figures that keep it.
 */
import { assertInternals, type InternalRequestQueue, RequestQueue } from './kafkajs-internals.js';

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

let installed = false;

/** Replaces the two request-queue timer methods described above, once per process. */
export function installKafkajsTimerFix(): void {
  if (installed) return;
  assertInternals();
  installed = true;
  stopIdleTimerLoop();
  checkRequestTimeoutsOnlyInFlight();
}
