/**
 * A cache that keeps what was used in this generation or the one before, and nothing older: memory
 * is bounded by what two generations use, however long the session. A generation ends at `turn()`, or
 * by itself once it holds `limit` entries.
 */
export class TwoGenerations<V> {
  private current = new Map<string, V>();
  private previous = new Map<string, V>();

  constructor(private readonly limit = Number.POSITIVE_INFINITY) {}

  get(key: string): V | undefined {
    let value = this.current.get(key);
    if (value === undefined) {
      value = this.previous.get(key);
      if (value !== undefined) this.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    if (this.current.size >= this.limit) this.turn();
    this.current.set(key, value);
  }

  /** Starts a generation: what the last one did not use is dropped. */
  turn(): void {
    this.previous = this.current;
    this.current = new Map();
  }

  get size(): number {
    return this.current.size + this.previous.size;
  }
}
