/**
 * Values keyed by (topic, partition) without building a string key per lookup: a map of topics
 * to arrays indexed by partition number. Folds look up every partition of every group each
 * refresh, so this is on the hot path.
 */

export class PartitionTable<T> {
  private readonly byTopic = new Map<string, (T | undefined)[]>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(topic: string, partition: number): T | undefined {
    return this.byTopic.get(topic)?.[partition];
  }

  set(topic: string, partition: number, value: T): void {
    let row = this.byTopic.get(topic);
    if (!row) {
      row = [];
      this.byTopic.set(topic, row);
    }
    if (row[partition] === undefined) this.count++;
    row[partition] = value;
  }

  /** Visit every entry. */
  forEach(visit: (value: T, topic: string, partition: number) => void): void {
    for (const [topic, row] of this.byTopic) {
      for (let p = 0; p < row.length; p++) {
        const v = row[p];
        if (v !== undefined) visit(v, topic, p);
      }
    }
  }

  /** Remove every entry `keep` rejects. */
  sweep(keep: (value: T) => boolean): void {
    for (const [topic, row] of this.byTopic) {
      let left = 0;
      for (let p = 0; p < row.length; p++) {
        const v = row[p];
        if (v === undefined) continue;
        if (keep(v)) left++;
        else {
          row[p] = undefined;
          this.count--;
        }
      }
      if (left === 0) this.byTopic.delete(topic);
    }
  }
}
