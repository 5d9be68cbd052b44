export type { EventLine, RecordingHeader, RecordingLine, SnapshotLine } from './format.js';
export { RECORDING_FORMAT, RECORDING_VERSION, RecordingError } from './format.js';
export type { Recording, RecordingProblem } from './reader.js';
export { allSnapshots, parseRecording, readRecording, skippedLinesWarning } from './reader.js';
export type { ReplayOptions, ReplayPosition, ReplaySource, SeekTarget } from './replay.js';
export { createReplaySource } from './replay.js';
export type { Recorder, RecorderOptions } from './writer.js';
export { createRecorder } from './writer.js';
