/**
 * UI benchmark: the real App under Ink's real renderer (not debug mode) writing to a fake TTY of 120×40
 * that counts bytes, fed by synthetic models at 10, 100 and 1,000 groups, for the overview and a group
 * drill-down, with Ink's standard renderer, Ink's incremental renderer, and `cached`: the incremental
 * renderer with the cross-frame Output cache (source/ui/ink-output-cache.ts), which is what runUi does. Per steady refresh (a new model published to the store):
 * CPU of the whole update (React, layout, Ink output, write), Ink's own renderTime, and bytes written.
 * Run with FORCE_COLOR=3 and CI=0 (Ink writes nothing per frame under CI).
 */
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { render } from 'ink';
import { createModel } from '../source/model/model.js';
import {
  App,
  createUiStore,
  glyphsFor,
  INITIAL_NAV,
  type NavState,
  ThemeProvider,
} from '../source/ui/index.js';
import { InkOutputClass, inkOutputGet, installInkOutputCache } from '../source/ui/ink-output-cache.js';
import { FakeStdin } from '../test/support/fake-terminal.js';
import { emit, load, log, median, type Row, round } from './report.js';
import { createSyntheticCluster } from './synthetic.js';

const COLUMNS = 120;
const ROWS = 40;
const WARMUP_REFRESHES = 30;
const MEASURED_REFRESHES = Number(process.env.BENCH_UI_REFRESHES ?? 15);
/** Longer than Ink's 30 fps throttle, so each refresh's frame is fully written before the next. */
const SETTLE_MS = 120;

class CountingStdout extends EventEmitter {
  isTTY = true;
  columns = COLUMNS;
  rows = ROWS;
  bytes = 0;
  writes = 0;
  write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
    this.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    this.writes++;
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  };
  cursorTo() {
    return true;
  }
  moveCursor() {
    return true;
  }
  clearLine() {
    return true;
  }
}

/**
 * A full collection, then a pause for the concurrent sweeping it starts on other threads: process CPU
 * counts every thread, and that work belongs to the previous fold, not to the frame measured next.
 */
async function settledGc(): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  await sleep(SETTLE_MS);
}

type Mode = 'standard' | 'incremental' | 'cached';

async function runCase(groups: number, view: 'overview' | 'group', mode: Mode): Promise<Row> {
  const synthetic = createSyntheticCluster({
    groups,
    topics: Math.max(1, Math.ceil(groups / 5)),
    partitionsPerTopic: 10,
  });
  const model = createModel();
  let folded = model.get();
  for (let i = 0; i < WARMUP_REFRESHES; i++) folded = model.fold(synthetic.next());
  let now = Date.parse(folded.at!) + 500;
  const store = createUiStore({ label: 'bench', intervalMs: 2000, clock: () => now });
  store.setModel(folded);

  // A lagging group (every tenth falls behind), as a user would drill into.
  const groupId = `bench-consumer-${String(Math.min(groups - 1, 9)).padStart(4, '0')}`;
  const initialNav: NavState =
    view === 'group'
      ? { ...INITIAL_NAV, stack: [{ kind: 'overview' }, { kind: 'group', groupId }] }
      : INITIAL_NAV;

  InkOutputClass.prototype.get = inkOutputGet;
  if (mode === 'cached') installInkOutputCache();
  const stdout = new CountingStdout();
  const renderTimes: number[] = [];
  const instance = render(
    <ThemeProvider theme={{ color: true, glyphs: glyphsFor(false) }}>
      <App store={store} columns={COLUMNS} rows={ROWS} onQuit={() => {}} initialNav={initialNav} />
    </ThemeProvider>,
    {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: new FakeStdin() as unknown as NodeJS.ReadStream,
      exitOnCtrlC: false,
      patchConsole: false,
      incrementalRendering: mode !== 'standard',
      onRender: ({ renderTime }) => renderTimes.push(renderTime),
    },
  );
  await sleep(SETTLE_MS * 2);
  const firstFrameBytes = stdout.bytes;

  // The same window with nothing published: what the process spends anyway (timers, GC threads).
  const idleMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    await settledGc();
    const cpu = process.cpuUsage();
    await sleep(SETTLE_MS);
    const used = process.cpuUsage(cpu);
    idleMs.push((used.user + used.system) / 1000);
  }
  const cpuMs: number[] = [];
  const bytes: number[] = [];
  const inkMs: number[] = [];
  const frames: number[] = [];
  for (let i = 0; i < MEASURED_REFRESHES; i++) {
    folded = model.fold(synthetic.next());
    now = Date.parse(folded.at!) + 500;
    // As runUi does: React's development build leaves a performance entry per component render.
    performance.clearMarks();
    performance.clearMeasures();
    await settledGc();
    const bytesBefore = stdout.bytes;
    const rendersBefore = renderTimes.length;
    const cpu = process.cpuUsage();
    store.setModel(folded);
    await sleep(SETTLE_MS);
    const used = process.cpuUsage(cpu);
    cpuMs.push((used.user + used.system) / 1000);
    bytes.push(stdout.bytes - bytesBefore);
    const these = renderTimes.slice(rendersBefore);
    frames.push(these.length);
    inkMs.push(these.reduce((a, b) => a + b, 0));
  }
  instance.unmount();
  instance.cleanup();
  const name = `${groups.toLocaleString('en-US')} groups, ${view === 'group' ? 'group drill-down' : 'overview'}, ${mode}`;
  log(`ui ${name} done`);
  return {
    section: `3. UI: one steady refresh, ${COLUMNS}×${ROWS} terminal, medians of ${MEASURED_REFRESHES}`,
    case: name,
    figures: {
      React: process.env.NODE_ENV === 'production' ? 'production' : 'development',
      Node: process.version,
      'CPU ms / refresh': round(median(cpuMs)),
      'idle CPU ms / window': round(median(idleMs)),
      'Ink render ms': round(median(inkMs), 2),
      'frames / refresh': median(frames),
      'bytes / refresh': Math.round(median(bytes)),
      'first (full) frame bytes': firstFrameBytes,
      load: load(),
    },
  };
}

const rows: Row[] = [];
const scales = (process.env.BENCH_UI_GROUPS ?? '10,100,1000').split(',').map(Number);
const views = (process.env.BENCH_UI_VIEWS ?? 'overview,group').split(',') as ('overview' | 'group')[];
const modes = (process.env.BENCH_UI_MODES ?? 'standard,incremental,cached').split(',') as Mode[];
for (const groups of scales) {
  for (const view of views) {
    for (const mode of modes) rows.push(await runCase(groups, view, mode));
  }
}
emit(rows);
