/**
 * Writes a recording. Recording is a side job of monitoring: a full disk or a closed pipe must never stop
 * kafkatop, so nothing here throws. Write failures are reported once through `onError` and kept in
 * `error`; later writes are counted as dropped.
 */

import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { ModelEvent } from '../model/types.js';
import type { ClusterSnapshot } from '../snapshot.js';
import { SNAPSHOT_SCHEMA_VERSION } from '../snapshot.js';
import { RECORDING_FORMAT, RECORDING_VERSION, type RecordingHeader } from './format.js';

export interface RecorderOptions {
  /** The source's label, stored in the header. */
  source?: string;
  /** Recording start time for the header (default: now). */
  startedAt?: Date;
  /** Called once, on the first write failure. */
  onError?: (message: string) => void;
}

export interface Recorder {
  writeSnapshot(snapshot: ClusterSnapshot): void;
  writeEvent(event: ModelEvent): void;
  /** Resolves with null once the file is open, or with the reason it could not be opened. */
  readonly ready: Promise<string | null>;
  /** The first write failure, or null. */
  readonly error: string | null;
  readonly linesWritten: number;
  /** Snapshot and event lines written, for the word at exit. */
  readonly snapshots: number;
  readonly events: number;
  /** Lines not written because of an earlier failure or a value JSON cannot hold. */
  readonly linesDropped: number;
  /** Flushes and, for a path, closes the file. Never rejects. */
  close(): Promise<void>;
}

export function createRecorder(target: string | Writable, options: RecorderOptions = {}): Recorder {
  const owned = typeof target === 'string';
  const stream: Writable = owned ? createWriteStream(target, { flags: 'w' }) : target;
  let error: string | null = null;
  let written = 0;
  let dropped = 0;
  let closed = false;

  const fail = (reason: unknown) => {
    if (error !== null) return;
    error = reason instanceof Error ? reason.message : String(reason);
    options.onError?.(error);
  };
  stream.on('error', fail);

  const ready = new Promise<string | null>((resolve) => {
    if (!owned) return resolve(null);
    stream.once('ready', () => resolve(null));
    stream.once('error', (e) => resolve(e instanceof Error ? e.message : String(e)));
  });

  let snapshots = 0;
  let events = 0;

  /** True when the line was handed to the stream. */
  const writeLine = (value: unknown): boolean => {
    if (closed || error !== null) {
      dropped++;
      return false;
    }
    let line: string;
    try {
      // JSON escapes control characters, so untrusted names cannot reach a terminal that cats the file.
      line = JSON.stringify(value);
    } catch (e) {
      dropped++;
      fail(e);
      return false;
    }
    try {
      stream.write(`${line}\n`);
      written++;
      return true;
    } catch (e) {
      dropped++;
      fail(e);
      return false;
    }
  };

  const header: RecordingHeader = {
    type: 'header',
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    startedAt: (options.startedAt ?? new Date()).toISOString(),
    source: options.source ?? 'unknown',
    snapshotSchemaVersion: SNAPSHOT_SCHEMA_VERSION,
  };
  writeLine(header);

  return {
    ready,
    get error() {
      return error;
    },
    get linesWritten() {
      return written;
    },
    get linesDropped() {
      return dropped;
    },
    get snapshots() {
      return snapshots;
    },
    get events() {
      return events;
    },
    writeSnapshot(snapshot) {
      if (writeLine({ type: 'snapshot', ...snapshot })) snapshots++;
    },
    writeEvent(event) {
      if (writeLine({ type: 'event', event })) events++;
    },
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      return new Promise<void>((resolve) => {
        if (stream.destroyed || stream.writableFinished) return resolve();
        if (owned) {
          stream.once('close', () => resolve());
          stream.end();
          return;
        }
        // A borrowed stream (stdout, a pipe) stays open: wait until what we wrote has left our buffer.
        if (!stream.writableNeedDrain) return resolve();
        const done = () => {
          stream.off('drain', done);
          stream.off('error', done);
          stream.off('close', done);
          resolve();
        };
        stream.once('drain', done);
        stream.once('error', done);
        stream.once('close', done);
      });
    },
  };
}
