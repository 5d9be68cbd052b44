import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createDemoSource } from '../../../source/demo/index.js';
import type { ModelEvent } from '../../../source/model/types.js';
import {
  allSnapshots,
  createRecorder,
  parseRecording,
  RECORDING_FORMAT,
  RecordingError,
  readRecording,
  skippedLinesWarning,
} from '../../../source/record/index.js';
import type { ClusterSnapshot } from '../../../source/snapshot.js';

const dir = mkdtempSync(join(tmpdir(), 'kafkatop-record-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function demoSnapshots(n: number, scenario = 'broker-failure'): Promise<ClusterSnapshot[]> {
  const source = createDemoSource({ scenario, seed: 3 });
  const out: ClusterSnapshot[] = [];
  for (let i = 0; i < n; i++) out.push(await source.refresh());
  return out;
}

function brokerDown(at: string, broker: number): ModelEvent {
  return {
    kind: 'broker-down',
    id: `broker-down:${broker}:${at}`,
    at,
    broker,
    host: 'h',
    port: 9092,
    reason: 'left metadata',
  };
}

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('recorder', () => {
  it('writes a header, then one line per snapshot and per event', async () => {
    const { stream, text } = collect();
    const rec = createRecorder(stream, {
      source: 'demo: steady',
      startedAt: new Date('2025-01-02T03:04:05Z'),
    });
    const [s] = await demoSnapshots(1);
    rec.writeSnapshot(s!);
    rec.writeEvent(brokerDown(s!.takenAt, 4));
    await rec.close();
    const lines = text().trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0]!)).toEqual({
      type: 'header',
      format: RECORDING_FORMAT,
      version: 1,
      startedAt: '2025-01-02T03:04:05.000Z',
      source: 'demo: steady',
      snapshotSchemaVersion: 2,
    });
    expect(JSON.parse(lines[1]!)).toEqual({ type: 'snapshot', ...s });
    expect(JSON.parse(lines[2]!)).toEqual({ type: 'event', event: brokerDown(s!.takenAt, 4) });
    expect(rec.linesWritten).toBe(3);
    expect([rec.snapshots, rec.events]).toEqual([1, 1]);
    expect(stream.writableEnded).toBe(false);
  });

  it('round-trips a run through a file', async () => {
    const path = join(dir, 'run.ndjson');
    const rec = createRecorder(path, { source: 'demo: broker-failure' });
    expect(await rec.ready).toBeNull();
    const snapshots = await demoSnapshots(25);
    snapshots.forEach((s, i) => {
      rec.writeSnapshot(s);
      if (i % 5 === 0) rec.writeEvent(brokerDown(s.takenAt, i));
    });
    await rec.close();
    const recording = readRecording(path);
    expect(recording.header.source).toBe('demo: broker-failure');
    expect(allSnapshots(recording)).toEqual(snapshots);
    expect(recording.takenAt).toEqual(snapshots.map((s) => s.takenAt));
    expect(recording.badLines).toBe(0);
    expect(recording.events.map((e) => e.length)).toEqual(snapshots.map((_, i) => (i % 5 === 0 ? 1 : 0)));
    expect(recording.events[10]).toEqual([brokerDown(snapshots[10]!.takenAt, 10)]);
  });

  it('escapes control characters from untrusted names', async () => {
    const { stream, text } = collect();
    const rec = createRecorder(stream);
    const [s] = await demoSnapshots(1);
    const evil = { ...s!, groups: [{ ...s!.groups[0]!, groupId: 'bad\u001b[2Jgroup\u0007' }] };
    rec.writeSnapshot(evil);
    await rec.close();
    expect(text()).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(parseRecording(text()).snapshot(0).groups[0]?.groupId).toBe('bad\u001b[2Jgroup\u0007');
  });

  it('reports a file it cannot open, and never throws on writes', async () => {
    const onError = vi.fn();
    const rec = createRecorder(join(dir, 'missing-dir', 'x.ndjson'), { onError });
    expect(await rec.ready).toMatch(/ENOENT/);
    const [s] = await demoSnapshots(1);
    expect(() => rec.writeSnapshot(s!)).not.toThrow();
    expect(() => rec.writeEvent(brokerDown(s!.takenAt, 1))).not.toThrow();
    await rec.close();
    expect(onError).toHaveBeenCalledTimes(1);
    expect(rec.error).toMatch(/ENOENT/);
    expect(rec.linesDropped).toBe(2);
  });

  it('reports a stream that fails mid-recording and drops later lines', async () => {
    let writes = 0;
    const failing = new Writable({
      write(_chunk, _enc, cb) {
        writes++;
        cb(writes >= 2 ? new Error('EPIPE: broken pipe') : null);
      },
    });
    const onError = vi.fn();
    const rec = createRecorder(failing, { onError });
    const snapshots = await demoSnapshots(3);
    rec.writeSnapshot(snapshots[0]!);
    await new Promise((r) => setImmediate(r));
    rec.writeSnapshot(snapshots[1]!);
    rec.writeSnapshot(snapshots[2]!);
    await rec.close();
    expect(onError).toHaveBeenCalledWith('EPIPE: broken pipe');
    expect(rec.error).toBe('EPIPE: broken pipe');
    expect(rec.linesDropped).toBeGreaterThanOrEqual(1);
  });

  it('reports values JSON cannot hold instead of throwing', async () => {
    const { stream } = collect();
    const rec = createRecorder(stream);
    const [s] = await demoSnapshots(1);
    const cyclic = { ...s! } as ClusterSnapshot & { self?: unknown };
    cyclic.self = cyclic;
    expect(() => rec.writeSnapshot(cyclic)).not.toThrow();
    expect(rec.error).toMatch(/circular/i);
    await rec.close();
  });
});

describe('reader', () => {
  const header = JSON.stringify({
    type: 'header',
    format: RECORDING_FORMAT,
    version: 1,
    startedAt: '2025-01-01T00:00:00Z',
    source: 'x',
  });

  it('skips and counts bad lines, keeping the good ones', async () => {
    const snapshots = await demoSnapshots(3);
    const line = (s: ClusterSnapshot) => JSON.stringify({ type: 'snapshot', ...s });
    const text = [
      header,
      line(snapshots[0]!),
      'this is not json',
      JSON.stringify({ type: 'event', event: { kind: 'broker-down' } }),
      JSON.stringify({ type: 'snapshot', takenAt: 'yesterday', brokers: [], topics: [], groups: [] }),
      JSON.stringify({ type: 'from-the-future', x: 1 }),
      '',
      '[1,2]',
      line(snapshots[1]!),
      JSON.stringify({ type: 'event', event: brokerDown(snapshots[1]!.takenAt, 2) }),
      header,
      line(snapshots[2]!).slice(0, 500),
    ].join('\r\n');
    const recording = parseRecording(text);
    expect(allSnapshots(recording)).toEqual([snapshots[0], snapshots[1]]);
    expect(recording.events).toEqual([[], [brokerDown(snapshots[1]!.takenAt, 2)]]);
    expect(recording.badLines).toBe(6);
    expect(recording.unknownLines).toBe(1);
    expect(recording.problems.map((p) => p.line)).toEqual([3, 4, 5, 8, 11, 12]);
    expect(recording.trailingBadLines).toBe(2);
    expect(skippedLinesWarning(recording)).toBe('skipped 6 corrupt lines (the first at line 3)');

    // The file reader (chunked, lazy) finds the same.
    const path = join(dir, 'bad-lines.ndjson');
    writeFileSync(path, text);
    const fromFile = readRecording(path);
    expect(allSnapshots(fromFile)).toEqual(allSnapshots(recording));
    const { snapshot: _a, ...fileRest } = fromFile;
    const { snapshot: _b, ...textRest } = recording;
    expect(fileRest).toEqual(textRest);
    expect(() => fromFile.snapshot(2)).toThrow(RangeError);
  });

  it('words a tail torn by a crash as such, and says nothing for a clean file', async () => {
    const snapshots = await demoSnapshots(3);
    const lines = snapshots.map((s) => JSON.stringify({ type: 'snapshot', ...s }));
    const clean = parseRecording([header, ...lines].join('\n'));
    expect(skippedLinesWarning(clean)).toBeNull();
    const torn = parseRecording(
      [header, ...lines.slice(0, 2), lines[2]!.slice(0, 300), '{"type":'].join('\n'),
    );
    expect(torn.count).toBe(2);
    expect(skippedLinesWarning(torn)).toBe('skipped 2 corrupt lines at the end');
  });

  it('refuses what is not a recording, with a clear message', () => {
    expect(() => parseRecording('')).toThrow(/not a kafkatop recording: the file is empty/);
    expect(() => parseRecording('hello\n')).toThrow(RecordingError);
    expect(() => parseRecording(`${JSON.stringify({ schemaVersion: 1, takenAt: 'x' })}\n`)).toThrow(
      /not a kafkatop recording/,
    );
    expect(() =>
      parseRecording(
        JSON.stringify({ type: 'header', format: RECORDING_FORMAT, version: 2, startedAt: '', source: '' }),
      ),
    ).toThrow(/version 2 is newer/);
    expect(() => readRecording(join(dir, 'nope.ndjson'))).toThrow(/cannot read recording .*nope\.ndjson/);
    const foreign = join(dir, 'foreign.json');
    writeFileSync(foreign, '{"a":1}\n');
    expect(() => readRecording(foreign)).toThrow(/foreign\.json: not a kafkatop recording/);
  });

  it('reads a header-only recording as empty', () => {
    const recording = parseRecording(`${header}\n`);
    expect(recording.count).toBe(0);
    expect(recording.header.source).toBe('x');
  });
});
