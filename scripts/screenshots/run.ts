/**
 * `npm run screenshots`: regenerates screenshots/*.svg from demo scenarios at fixed seeds. Each shot runs the
 * real pipeline (demo source → model → Ink UI), presses keys as a user would, and draws the final frame
 * through a headless terminal emulator (xterm.js), so colours and glyphs are what a terminal shows.
 *
 * Usage: tsx scripts/screenshots/run.ts [--out DIR] [--only NAME]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

// chalk decides its colour level when first loaded: force full colour before Ink is imported.
process.env.FORCE_COLOR = '3';

export interface Shot {
  name: string;
  title: string;
  scenario: string;
  seed: number;
  /** Refreshes folded before the frame is taken (2 s apart in simulated time). */
  refreshes: number;
  /** Keys pressed, in order, once the overview is drawn. */
  keys: string[];
  columns?: number;
  rows?: number;
  ascii?: boolean;
}

export const SHOTS: Shot[] = [
  {
    name: 'overview',
    title: 'kafkatop --demo: overview',
    scenario: 'steady',
    seed: 1,
    refreshes: 60,
    keys: [],
  },
  {
    name: 'rolling-deploy',
    title: 'kafkatop --demo --scenario rolling-deploy: rebalances during a rolling deploy',
    scenario: 'rolling-deploy',
    seed: 1,
    refreshes: 70,
    keys: [],
  },
  {
    name: 'broker-failure',
    title: 'kafkatop --demo --scenario broker-failure: ISR shrinks and URP after a broker dies',
    scenario: 'broker-failure',
    seed: 1,
    refreshes: 45,
    keys: [],
  },
  {
    name: 'slow-consumer-group',
    title: 'kafkatop --demo --scenario slow-consumer: drill-down into the lagging group',
    scenario: 'slow-consumer',
    seed: 1,
    refreshes: 120,
    // Filter to the lagging group, then open it.
    keys: ['/', ...'analytics-etl', '\r', '\r'],
  },
  {
    name: 'slow-consumer-partition',
    title: 'kafkatop --demo --scenario slow-consumer: lag and offsets of one partition over time',
    scenario: 'slow-consumer',
    seed: 1,
    refreshes: 120,
    keys: ['/', ...'analytics-etl', '\r', '\r', '\r'],
  },
  {
    name: 'hot-broker',
    title: 'kafkatop --demo --scenario hot-broker: request-handler idle below 20%',
    scenario: 'hot-broker',
    seed: 1,
    refreshes: 120,
    keys: ['2'],
  },
  {
    name: 'kafka4-rolling-deploy',
    title: 'kafkatop --demo --scenario kafka4: a consumer-protocol group reconciling during a rolling deploy',
    scenario: 'kafka4',
    seed: 1,
    // The second member's replacement has joined: epochs 45/45, partitions pending revocation.
    refreshes: 45,
    keys: [],
  },
  {
    name: 'kafka4-share-group',
    title: 'kafkatop --demo --scenario kafka4: a share group draining its backlog',
    scenario: 'kafka4',
    seed: 1,
    refreshes: 132,
    keys: ['/', ...'notification-workers', '\r', '\r'],
  },
  {
    name: 'kafka4-quorum',
    title:
      'kafkatop --demo --scenario kafka4: the KRaft quorum (Q), as kafka-metadata-quorum.sh describe --replication',
    scenario: 'kafka4',
    seed: 1,
    refreshes: 45,
    keys: ['Q'],
  },
  { name: 'help', title: 'kafkatop: keys (?)', scenario: 'steady', seed: 1, refreshes: 5, keys: ['?'] },
  {
    name: 'small-ascii',
    title: 'kafkatop --ascii --no-color at 80×24',
    scenario: 'broker-failure',
    seed: 1,
    refreshes: 45,
    keys: [],
    columns: 80,
    rows: 24,
    ascii: true,
  },
];

const tick = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));

/** Renders one shot and returns its last frame (ANSI text). */
export async function renderShot(shot: Shot): Promise<string> {
  const { FakeStdin, FakeStdout } = await import('../../test/support/fake-terminal.js');
  const React = await import('react');
  const { render } = await import('ink');
  const { createDemoSource, DEFAULT_DEMO_START } = await import('../../source/demo/index.js');
  const { createModel } = await import('../../source/model/model.js');
  const { App, createUiStore, glyphsFor, ThemeProvider } = await import('../../source/ui/index.js');

  const columns = shot.columns ?? 120;
  const rows = shot.rows ?? 40;
  const source = createDemoSource({
    scenario: shot.scenario,
    seed: shot.seed,
    start: new Date(DEFAULT_DEMO_START),
  });
  const model = createModel();
  let folded = model.get();
  for (let i = 0; i < shot.refreshes; i++) folded = model.fold(await source.refresh());
  const takenAt = Date.parse(folded.at ?? '');
  const store = createUiStore({
    label: `demo: ${shot.scenario}`,
    intervalMs: 2000,
    clock: () => takenAt + 1000,
  });
  store.setModel(folded);

  const stdout = new FakeStdout(columns, rows);
  const stdin = new FakeStdin();
  const theme = { color: !shot.ascii, glyphs: glyphsFor(shot.ascii ?? false) };
  const instance = render(
    React.createElement(ThemeProvider, {
      theme,
      children: React.createElement(App, { store, columns, rows, onQuit: () => {} }),
    }),
    {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      debug: true,
      exitOnCtrlC: false,
      patchConsole: false,
    },
  );
  await tick(100);
  for (const key of shot.keys) {
    stdin.write(key);
    await tick(100);
  }
  const frame = stdout.lastFrame;
  instance.unmount();
  await source.close();
  return frame;
}

async function main() {
  const { values } = parseArgs({
    options: { out: { type: 'string', default: 'screenshots' }, only: { type: 'string' } },
  });
  const { ansiToSvg } = await import('./svg.js');
  mkdirSync(values.out!, { recursive: true });
  for (const shot of SHOTS.filter((s) => !values.only || s.name === values.only)) {
    const frame = await renderShot(shot);
    const svg = await ansiToSvg(frame, shot.columns ?? 120, shot.rows ?? 40, shot.title);
    const file = join(values.out!, `${shot.name}.svg`);
    writeFileSync(file, svg);
    process.stdout.write(`${file}  ${shot.title}\n`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
