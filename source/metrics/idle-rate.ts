/**
 * Turns the RequestHandlerAvgIdlePercent Meter's cumulative count (idle nanoseconds, already divided
 * by the thread count inside Kafka) into an idle fraction: Δcount / Δt(ns) between two scrapes of the
 * same broker, which is what PromQL `rate(x_count[1m]) / 1e9` computes.
 */
export class IdleRateTracker {
  private readonly previous = new Map<number, { count: number; at: number }>();

  /**
   * @param nodeId broker or controller id
   * @param count cumulative idle nanoseconds, or null when the endpoint has no count
   * @param at scrape time in milliseconds (the caller's clock)
   * @returns the fraction over the interval, or null on the first sample, after a counter reset
   *   (the broker restarted) or when the clock did not advance. Values above 1 are returned as they
   *   are: KRaft combined nodes really report about 2 (KAFKA-19606), and clamping would hide that.
   */
  observe(nodeId: number, count: number | null, at: number): number | null {
    if (count === null) {
      this.previous.delete(nodeId);
      return null;
    }
    const prev = this.previous.get(nodeId);
    this.previous.set(nodeId, { count, at });
    if (!prev) return null;
    const elapsedNs = (at - prev.at) * 1e6;
    if (elapsedNs <= 0 || count < prev.count) return null;
    return (count - prev.count) / elapsedNs;
  }

  forget(nodeId: number): void {
    this.previous.delete(nodeId);
  }

  clear(): void {
    this.previous.clear();
  }
}
