/**
 * Turns the RequestHandlerAvgIdlePercent Meter's cumulative count (idle nanoseconds, already divided
 * by the thread count inside Kafka) into an idle fraction: Δcount / Δt(ns) between two scrapes of the
 * same broker, which is what PromQL `rate(x_count[1m]) / 1e9` computes.
 *
 * The count is coarse over short spans: each handler thread marks its idle time only when its
 * 300 ms poll for a request ends, so two scrapes 2 s apart can read 0.9 or 1.1 on an idle broker.
 * Rating against the oldest sample within a window (default 10 s) keeps that noise to about 1 %
 * while still following the load within a few refreshes.
 */
export const DEFAULT_IDLE_WINDOW_MS = 10_000;

interface Reading {
  count: number;
  at: number;
}

export class IdleRateTracker {
  private readonly history = new Map<number, Reading[]>();

  constructor(private readonly windowMs = DEFAULT_IDLE_WINDOW_MS) {}

  /**
   * @param nodeId broker or controller id
   * @param count cumulative idle nanoseconds, or null when the endpoint has no count
   * @param at when the count was read, in milliseconds (the caller's clock)
   * @returns the fraction since the oldest sample in the window (at least the previous one), or null
   *   on the first sample, after a counter reset (the broker restarted) or when the clock did not
   *   advance. Values above 1 are returned as they are: KRaft combined nodes really report about 2
   *   (KAFKA-19606), and clamping would hide that.
   */
  observe(nodeId: number, count: number | null, at: number): number | null {
    if (count === null) {
      this.history.delete(nodeId);
      return null;
    }
    const readings = this.history.get(nodeId) ?? [];
    const last = readings.at(-1);
    if (last && (count < last.count || at <= last.at)) {
      // Counter went down (restart) or time went backwards: start over from this reading.
      this.history.set(nodeId, [{ count, at }]);
      return null;
    }
    readings.push({ count, at });
    // Keep the newest reading older than the window too, so the rate spans the whole window.
    while (readings.length > 2 && readings[1]!.at <= at - this.windowMs) readings.shift();
    this.history.set(nodeId, readings);
    const oldest = readings[0]!;
    if (oldest === readings.at(-1)) return null;
    return (count - oldest.count) / ((at - oldest.at) * 1e6);
  }

  forget(nodeId: number): void {
    this.history.delete(nodeId);
  }

  clear(): void {
    this.history.clear();
  }
}
