/**
 * Reads a recording. A recording cut short by a crash or a full disk ends in a torn line, and a file
 * edited by hand may hold anything: bad lines are skipped and counted, never fatal. Only a file that is
 * not a recording at all (no header) or one from a newer, incompatible format is refused.
 */

import { readFileSync } from 'node:fs';
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
  snapshots: ClusterSnapshot[];
  /** `events[i]`: the events recorded after snapshot i, i.e. those the model produced folding it. */
  events: ModelEvent[][];
  /** Events that came before the first snapshot (none in a recording kafkatop wrote). */
  leadingEvents: ModelEvent[];
  /** Lines that were skipped because they were not valid recording lines. */
  badLines: number;
  /** Lines of a type this reader does not know (from a newer writer); skipped, not counted as bad. */
  unknownLines: number;
  /** The first few problems, for a message. */
  problems: RecordingProblem[];
}

const MAX_PROBLEMS = 20;

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

/** Parses a recording from its text or its lines. Throws RecordingError when it is not a recording. */
export function parseRecording(input: string | Iterable<string>): Recording {
  const lines = typeof input === 'string' ? input.split('\n') : input;
  let header: RecordingHeader | null = null;
  const recording: Omit<Recording, 'header'> = {
    snapshots: [],
    events: [],
    leadingEvents: [],
    badLines: 0,
    unknownLines: 0,
    problems: [],
  };
  const bad = (line: number, reason: string) => {
    recording.badLines++;
    if (recording.problems.length < MAX_PROBLEMS) recording.problems.push({ line, reason });
  };

  let lineNumber = 0;
  for (const raw of lines) {
    lineNumber++;
    const text = raw.trim();
    if (text === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      if (header === null) throw new RecordingError('not a kafkatop recording: the first line is not JSON');
      bad(lineNumber, 'not valid JSON (a torn or edited line)');
      continue;
    }
    if (header === null) {
      if (!isObject(value))
        throw new RecordingError('not a kafkatop recording: the first line is not an object');
      header = checkHeader(value);
      continue;
    }
    if (!isObject(value)) {
      bad(lineNumber, 'not a JSON object');
      continue;
    }
    switch (value.type) {
      case 'snapshot': {
        const snapshot = toSnapshot(value);
        if (typeof snapshot === 'string') bad(lineNumber, snapshot);
        else {
          recording.snapshots.push(snapshot);
          recording.events.push([]);
        }
        break;
      }
      case 'event': {
        const event = toEvent(value);
        if (typeof event === 'string') bad(lineNumber, event);
        else (recording.events[recording.events.length - 1] ?? recording.leadingEvents).push(event);
        break;
      }
      case 'header':
        bad(lineNumber, 'a second header (recordings concatenated?)');
        break;
      default:
        if (typeof value.type === 'string') recording.unknownLines++;
        else bad(lineNumber, 'line without a type');
    }
  }
  if (header === null) throw new RecordingError('not a kafkatop recording: the file is empty');
  return { header, ...recording };
}

/** Reads and parses a recording file. Throws RecordingError with the path for unreadable or foreign files. */
export function readRecording(path: string): Recording {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new RecordingError(`cannot read recording ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return parseRecording(text);
  } catch (e) {
    if (e instanceof RecordingError) throw new RecordingError(`${path}: ${e.message}`);
    throw e;
  }
}
