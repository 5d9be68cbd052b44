/**
 * The recording format: NDJSON, one JSON object per line, documented in docs/recording.md.
 * A header line first, then snapshot lines, each followed by the events the model produced when it
 * folded that snapshot. `version` changes only when an old reader could misread a new file; adding
 * fields (to any line, or to the snapshot contract) does not bump it.
 */

import type { ModelEvent } from '../model/types.js';
import type { ClusterSnapshot } from '../snapshot.js';

export const RECORDING_FORMAT = 'kafkatop-recording';
export const RECORDING_VERSION = 1;

export interface RecordingHeader {
  type: 'header';
  format: typeof RECORDING_FORMAT;
  version: number;
  /** When recording started (ISO-8601, wall clock of the recording machine). */
  startedAt: string;
  /** What was recorded: the source's label, e.g. "127.0.0.1:9092" or "demo: rolling-deploy". */
  source: string;
  /** The `schemaVersion` of the snapshots that follow. */
  snapshotSchemaVersion?: number;
}

export type SnapshotLine = { type: 'snapshot' } & ClusterSnapshot;

export interface EventLine {
  type: 'event';
  event: ModelEvent;
}

export type RecordingLine = RecordingHeader | SnapshotLine | EventLine;

/** Thrown by the reader when a file is not a recording it can read; bad lines inside one are skipped. */
export class RecordingError extends Error {
  override name = 'RecordingError';
}
