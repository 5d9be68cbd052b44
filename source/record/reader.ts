/**
 * Reads a recording. A recording cut short by a crash or a full disk ends in a torn line, and a file
 * edited by hand may hold anything: bad lines are skipped and counted, never fatal. Only a file that is
 * not a recording at all (no header) or one from a newer, incompatible format is refused.
 *
 * A day of snapshots of a big cluster is gigabytes, more than fits in memory or in one JS string, so a
 * file is read in chunks: every line is parsed once to validate it, but only the events and each
 * snapshot's place in the file are kept; `snapshot(i)` reads and parses that one line again on demand.
 */

import { closeSync, openSync, readSync } from 'node:fs';
import type { ModelEvent } from '../model/types.js';
import type { ClusterSnapshot } from '../snapshot.js';
import { RECORDING_FORMAT, RECORDING_VERSION, RecordingError, type RecordingHeader } from './format.js';

export interface RecordingProblem {
  /** 1-based line number in the file. */
  line: number;
  reason: string;
}

export interface Recording {
  header: RecordingHeader;
  /** Number of valid snapshots. */
  count: number;
  /** Each snapshot's takenAt, in order. */
  takenAt: readonly string[];
  /** The snapshot at `index` (0-based). Throws RangeError outside 0..count-1, or if the file changed since. */
  snapshot(index: number): ClusterSnapshot;
  /** `events[i]`: the events recorded after snapshot i, i.e. those the model produced folding it. */
  events: ModelEvent[][];
  /** Events that came before the first snapshot (none in a recording kafkatop wrote). */
  leadingEvents: ModelEvent[];
  /** Lines that were skipped because they were not valid recording lines. */
  badLines: number;
  /** How many of them came after the last valid line: a tail torn by a crash or a full disk. */
  trailingBadLines: number;
  /** Lines of a type this reader does not know (from a newer writer); skipped, not counted as bad. */
  unknownLines: number;
  /** The first few problems, for a message. */
  problems: RecordingProblem[];
}

const MAX_PROBLEMS = 20;
const CHUNK_BYTES = 1 << 20;

type Parsed = Record<string, unknown>;

function isObject(value: unknown): value is Parsed {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validDate(value: unknown): value is string {
  return typeof value === 'string' && Number.isFinite(Date.parse(value));
}

function checkHeader(value: Parsed): RecordingHeader {
  if (value.type !== 'header' || value.format !== RECORDING_FORMAT) {
    throw new RecordingError(
      `not a kafkatop recording: the first line must be {"type":"header","format":"${RECORDING_FORMAT}",...}`,
    );
  }
  const version = value.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new RecordingError(`recording header has no valid version: ${JSON.stringify(version)}`);
  }
  if (version > RECORDING_VERSION) {
    throw new RecordingError(
      `recording format version ${version} is newer than this kafkatop reads (${RECORDING_VERSION}); upgrade kafkatop`,
    );
  }
  return {
    type: 'header',
    format: RECORDING_FORMAT,
    version,
    startedAt: typeof value.startedAt === 'string' ? value.startedAt : '',
    source: typeof value.source === 'string' ? value.source : 'unknown',
    ...(typeof value.snapshotSchemaVersion === 'number'
      ? { snapshotSchemaVersion: value.snapshotSchemaVersion }
      : {}),
  };
}

/** A snapshot line's object as a ClusterSnapshot, or why it is not one. */
function toSnapshot(value: Parsed): ClusterSnapshot | string {
  if (!validDate(value.takenAt)) return 'snapshot without a valid takenAt';
  for (const key of ['brokers', 'topics', 'groups'] as const) {
    if (!Array.isArray(value[key])) return `snapshot without a ${key} array`;
  }
  const { type: _type, ...rest } = value;
  return { ...rest, errors: Array.isArray(value.errors) ? value.errors : [] } as unknown as ClusterSnapshot;
}

function toEvent(value: Parsed): ModelEvent | string {
  const event = value.event;
  if (!isObject(event)) return 'event line without an event object';
  if (typeof event.kind !== 'string' || !validDate(event.at)) return 'event without a kind and a valid at';
  return event as unknown as ModelEvent;
}

/** Where a snapshot came from: kept parsed (text input) or as a place in the file. */
type Kept = ClusterSnapshot | { offset: number; length: number };

interface Ingested {
  header: RecordingHeader;
  kept: Kept[];
  takenAt: string[];
  events: ModelEvent[][];
  leadingEvents: ModelEvent[];
  badLines: number;
  trailingBadLines: number;
  unknownLines: number;
  problems: RecordingProblem[];
}

/** Folds lines in one by one; `place` says how to keep a valid snapshot. */
function createIngester() {
  let header: RecordingHeader | null = null;
  const state: Omit<Ingested, 'header'> = {
    kept: [],
    takenAt: [],
    events: [],
    leadingEvents: [],
    badLines: 0,
    trailingBadLines: 0,
    unknownLines: 0,
    problems: [],
  };
  const bad = (line: number, reason: string) => {
    state.badLines++;
    state.trailingBadLines++;
    if (state.problems.length < MAX_PROBLEMS) state.problems.push({ line, reason });
  };
  return {
    line(raw: string, lineNumber: number, place: (snapshot: ClusterSnapshot) => Kept) {
      const text = raw.trim();
      if (text === '') return;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        if (header === null) throw new RecordingError('not a kafkatop recording: the first line is not JSON');
        bad(lineNumber, 'not valid JSON (a torn or edited line)');
        return;
      }
      if (header === null) {
        if (!isObject(value))
          throw new RecordingError('not a kafkatop recording: the first line is not an object');
        header = checkHeader(value);
        return;
      }
      if (!isObject(value)) return bad(lineNumber, 'not a JSON object');
      switch (value.type) {
        case 'snapshot': {
          const snapshot = toSnapshot(value);
          if (typeof snapshot === 'string') return bad(lineNumber, snapshot);
          state.kept.push(place(snapshot));
          state.trailingBadLines = 0;
          state.takenAt.push(snapshot.takenAt);
          state.events.push([]);
          return;
        }
        case 'event': {
          const event = toEvent(value);
          if (typeof event === 'string') return bad(lineNumber, event);
          (state.events[state.events.length - 1] ?? state.leadingEvents).push(event);
          state.trailingBadLines = 0;
          return;
        }
        case 'header':
          return bad(lineNumber, 'a second header (recordings concatenated?)');
        default:
          if (typeof value.type === 'string') state.unknownLines++;
          else bad(lineNumber, 'line without a type');
      }
    },
    finish(): Ingested {
      if (header === null) throw new RecordingError('not a kafkatop recording: the file is empty');
      return { header, ...state };
    },
  };
}

function toRecording(ingested: Ingested, load: (kept: Kept) => ClusterSnapshot): Recording {
  const { kept, ...rest } = ingested;
  return {
    ...rest,
    count: kept.length,
    snapshot(index) {
      const k = kept[index];
      if (k === undefined) throw new RangeError(`no snapshot ${index} (the recording has ${kept.length})`);
      return load(k);
    },
  };
}

/** Parses a recording from its text or its lines, kept in memory. Throws RecordingError when it is not one. */
export function parseRecording(input: string | Iterable<string>): Recording {
  const lines = typeof input === 'string' ? input.split('\n') : input;
  const ingester = createIngester();
  let n = 0;
  for (const line of lines) ingester.line(line, ++n, (s) => s);
  return toRecording(ingester.finish(), (k) => k as ClusterSnapshot);
}

/**
 * Reads a recording file, keeping only where each snapshot is. Throws RecordingError with the path for a
 * file that cannot be read or is not a recording.
 */
export function readRecording(path: string): Recording {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new RecordingError(`cannot read recording ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const ingester = createIngester();
  try {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let pending: Buffer[] = [];
    let lineStart = 0;
    let position = 0;
    let lineNumber = 0;
    const emit = (bytes: Buffer) => {
      const offset = lineStart;
      ingester.line(bytes.toString('utf8'), ++lineNumber, () => ({ offset, length: bytes.length }));
      lineStart += bytes.length + 1;
    };
    for (;;) {
      const read = readSync(fd, chunk, 0, CHUNK_BYTES, position);
      if (read === 0) break;
      position += read;
      let from = 0;
      for (let nl = chunk.indexOf(10, from); nl !== -1 && nl < read; nl = chunk.indexOf(10, from)) {
        const piece = chunk.subarray(from, nl);
        emit(pending.length > 0 ? Buffer.concat([...pending, piece]) : piece);
        pending = [];
        from = nl + 1;
      }
      if (from < read) pending.push(Buffer.from(chunk.subarray(from, read)));
    }
    if (pending.length > 0) emit(Buffer.concat(pending));
  } catch (e) {
    if (e instanceof RecordingError) throw new RecordingError(`${path}: ${e.message}`);
    throw new RecordingError(`cannot read recording ${path}: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    closeSync(fd);
  }
  return toRecording(ingester.finish(), (k) => loadSnapshot(path, k as { offset: number; length: number }));
}

function loadSnapshot(path: string, place: { offset: number; length: number }): ClusterSnapshot {
  const fd = openSync(path, 'r');
  try {
    const bytes = Buffer.allocUnsafe(place.length);
    const read = readSync(fd, bytes, 0, place.length, place.offset);
    const value: unknown = JSON.parse(bytes.subarray(0, read).toString('utf8'));
    const snapshot = isObject(value) ? toSnapshot(value) : 'not a JSON object';
    if (typeof snapshot === 'string') throw new Error(snapshot);
    return snapshot;
  } catch (e) {
    throw new RangeError(`${path} changed while replaying: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    closeSync(fd);
  }
}

/** What a replay should say about skipped lines, or null when there were none. */
export function skippedLinesWarning(recording: Recording): string | null {
  const { badLines, trailingBadLines, problems } = recording;
  if (badLines === 0) return null;
  const lines = `${badLines} corrupt line${badLines === 1 ? '' : 's'}`;
  if (trailingBadLines === badLines) return `skipped ${lines} at the end`;
  return `skipped ${lines} (the first at line ${problems[0]?.line ?? '?'})`;
}

/** Every snapshot of a recording, for tests and small recordings. */
export function allSnapshots(recording: Recording): ClusterSnapshot[] {
  return Array.from({ length: recording.count }, (_, i) => recording.snapshot(i));
}
