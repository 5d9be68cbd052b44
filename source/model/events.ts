/**
 * Collects the events of one fold and gives each a stable id: the fold's model time and its index
 * within the fold, so replaying the same snapshots yields the same ids.
 */

import type { ModelEvent } from './types.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event before the model stamps `id` and `at`. */
export type EventDraft = DistributiveOmit<ModelEvent, 'id' | 'at'>;

export class EventCollector {
  readonly events: ModelEvent[] = [];

  constructor(
    private readonly at: string,
    private readonly atMs: number,
  ) {}

  emit(draft: EventDraft): void {
    const id = `${this.atMs}-${this.events.length}`;
    this.events.push({ id, at: this.at, ...draft } as ModelEvent);
  }
}

/** Append, keeping at most `max` newest; returns the same array when nothing was added. */
export function appendBounded(
  log: readonly ModelEvent[],
  added: readonly ModelEvent[],
  max: number,
): readonly ModelEvent[] {
  if (added.length === 0) return log;
  const all = log.concat(added);
  return all.length > max ? all.slice(all.length - max) : all;
}
