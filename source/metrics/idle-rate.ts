/**
 * Turns the RequestHandlerAvgIdlePercent Meter's cumulative count (idle nanoseconds, already divided
 * by the thread count inside Kafka) into an idle fraction: Δcount / Δt(ns) between two scrapes of the
 * same broker, which is what PromQL `rate(x_count[1m]) / 1e9` computes.
 *
 * The count is coarse over short spans: each handler thread marks its idle time only when its
 * 300 ms poll for a request ends, so two scrapes 2 s apart can read 0.9 or 1.1 on an idle broker.
 * Rating against the oldest sample within a window (default 10 s) keeps that noise to about 1 %
 * while still following the load within a few refreshes.
 *
 * When a count was read is itself uncertain: a JMX exporter reads it somewhere within a walk over every
 * MBean that can take seconds (5 s and more from a cold exporter on 2,000 partitions). Rated over a span
 * hardly longer than that, the result was off by up to 2× (197% on an idle broker). So the rate reaches
 * further back, up to MAX_AGE_MS, until the two readings' timing errors are at most MAX_TIMING_ERROR of
 * the span between them, and is null until such a pair exists (the caller then shows the exporter's
 * own one-minute rate).
 */
export const DEFAULT_IDLE_WINDOW_MS = 10_000;
const MAX_TIMING_ERROR = 0.1;
const MAX_AGE_MS = 120_000;

interface Reading {
  count: number;
  at: number;
  /** How far `at` may be from when the count was really read. */
  errorMs: number;
}

export class IdleRateTracker {
  private readonly history = new Map<number, Reading[]>();

  constructor(private readonly windowMs = DEFAULT_IDLE_WINDOW_MS) {}

  /**
   * @param nodeId broker or controller id
   * @param count cumulative idle nanoseconds, or null when the endpoint has no count
   * @param at when the count was read, in milliseconds (the caller's clock)
   * @param errorMs how far `at` may be off
   * @returns the fraction since the newest reading at least a window old (else the oldest), or an older
   *   one when timing errors need a longer span; null on the first sample, after a counter reset (the
   *   broker restarted), when the clock did not advance, or while no pair of readings is precise
   *   enough. Values above 1 are returned as they are: KRaft combined nodes really report about 2
   *   (KAFKA-19606), and clamping would hide that.
   */
  observe(nodeId: number, count: number | null, at: number, errorMs = 0): number | null {
    if (count === null) {
      this.history.delete(nodeId);
      return null;
    }
    const readings = this.history.get(nodeId) ?? [];
    const last = readings.at(-1);
    const reading = { count, at, errorMs };
    if (last && (count < last.count || at <= last.at)) {
      // Counter went down (restart) or time went backwards: start over from this reading.
      this.history.set(nodeId, [reading]);
      return null;
    }
    readings.push(reading);
    while (readings.length > 2 && readings[0]!.at < at - MAX_AGE_MS) readings.shift();
    this.history.set(nodeId, readings);
    let i = readings.length - 2;
    while (i > 0 && readings[i]!.at > at - this.windowMs) i--;
    while (i >= 0 && readings[i]!.errorMs + errorMs > MAX_TIMING_ERROR * (at - readings[i]!.at)) i--;
    if (i < 0) return null;
    const base = readings[i]!;
    return (count - base.count) / ((at - base.at) * 1e6);
  }

  forget(nodeId: number): void {
    this.history.delete(nodeId);
  }

  clear(): void {
    this.history.clear();
  }
}
