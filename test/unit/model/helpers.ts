import { createModel } from '../../../source/model/index.js';
import type { ClusterModel, ModelEvent, ModelOptions } from '../../../source/model/types.js';
import type { ClusterSnapshot } from '../../../source/snapshot.js';

/** Fold every snapshot; returns the last model and every event emitted along the way. */
export function foldAll(
  snapshots: readonly ClusterSnapshot[],
  options: ModelOptions = {},
): { model: ClusterModel; events: ModelEvent[] } {
  const m = createModel(options);
  const events: ModelEvent[] = [];
  for (const s of snapshots) events.push(...m.fold(s).newEvents);
  return { model: m.get(), events };
}

export function ofKind<K extends ModelEvent['kind']>(
  events: readonly ModelEvent[],
  kind: K,
): Extract<ModelEvent, { kind: K }>[] {
  return events.filter((e): e is Extract<ModelEvent, { kind: K }> => e.kind === kind);
}
