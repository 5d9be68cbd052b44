/**
 * Line diffing against a terminal emulator (@xterm/headless): a terminal fed line diffs must show
 * exactly what a terminal fed Ink's whole frames shows, with the cursor in the same place, for frames
 * that grow, shrink, fill the width, carry colours and wide characters; and runUi with line diffing
 * must draw the same screens as without it, for fewer bytes.
 */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 60_000 });
// Ink renders nothing until exit when it believes it runs in CI (is-in-ci, read at import).
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;
// Colours on (chalk reads this at import), so the screens compared carry them.
process.env.FORCE_COLOR = '3';
const { default: xterm } = await import('@xterm/headless');
const { runUi } = await import('../../../source/ui/run.js');
const { createUiStore } = await import('../../../source/ui/store.js');
const { diffFrames, lineDiffStream, lineUpdate, parseInkFrame } = await import(
  '../../../source/ui/line-diff.js'
);
const { demoModels } = await import('./fixtures.js');

type Term = InstanceType<typeof xterm.Terminal>;

const COLS = 40;
const ROWS = 12;

function terminal(cols = COLS, rows = ROWS): Term {
  return new xterm.Terminal({ cols, rows, allowProposedApi: true, convertEol: true });
}

function flush(term: Term): Promise<void> {
  return new Promise((resolve) => term.write('', resolve));
}

async function screen(term: Term) {
  await flush(term);
  const b = term.buffer.active;
  const cell = b.getNullCell();
  /** Colour, bold and inverse of every cell, so a wrongly replayed colour shows too. */
  const styles = Array.from({ length: term.rows }, (_, y) => {
    const line = b.getLine(b.viewportY + y);
    let out = '';
    for (let x = 0; x < term.cols; x++) {
      line?.getCell(x, cell);
      out += `${cell.getFgColorMode()}.${cell.getFgColor()}.${cell.isBold()}.${cell.isInverse()} `;
    }
    return out;
  });
  return {
    lines: Array.from({ length: term.rows }, (_, y) => b.getLine(b.viewportY + y)?.translateToString(true)),
    styles,
    cursor: [b.cursorX, b.cursorY],
    scrolled: b.baseY,
  };
}

/** What ansi-escapes' eraseLines writes, as Ink's standard renderer uses it. */
function eraseLines(count: number): string {
  let clear = '';
  for (let i = 0; i < count; i++) clear += `\u001b[2K${i < count - 1 ? '\u001b[1A' : ''}`;
  return count ? `${clear}\u001b[G` : '';
}

/** A deterministic pseudo-random generator (mulberry32). */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  'lag',
  ' ',
  '12.3k',
  '\u001b[31m✗ STOP\u001b[39m',
  '▁▂▃▅▇',
  '日本',
  '\u001b[1mbold\u001b[22m',
  'x',
  // A colour opened by one piece and closed by another (or at the end of the line), so a line can
  // change in the middle of a coloured run.
  '\u001b[36m',
  '\u001b[39m',
  'ab',
  'ac',
];

const pieceWidth = (piece: string) =>
  [...piece.replace(/\u001b\[[0-9;]*m/g, '')].reduce(
    (n, c) => n + (c === '日' || c === '本' ? 2 : c === '\u0301' ? 0 : 1),
    0,
  );

/** Pieces appended while they fit in `room` columns. */
function fill(next: () => number, start: string[], room: number): string[] {
  const pieces = [...start];
  let width = pieces.reduce((n, p) => n + pieceWidth(p), 0);
  for (;;) {
    const piece = PIECES[Math.floor(next() * PIECES.length)]!;
    if (width + pieceWidth(piece) > room) return pieces;
    pieces.push(piece);
    width += pieceWidth(piece);
  }
}

/** A frame as lines of pieces (so a line is only ever cut between pieces, never inside an escape). */
function randomFrame(next: () => number, previous: string[][] | null): string[][] {
  const height = 1 + Math.floor(next() * (ROWS - 1));
  return Array.from({ length: height }, (_, i) => {
    const old = previous && i < previous.length ? previous[i]! : null;
    // Most lines stay as they were, as on a steady refresh.
    if (old && next() < 0.5) return old;
    const room = next() < 0.2 ? COLS : Math.floor(next() * COLS);
    // Or change only towards the end, as a refresh changes the lag and sparkline but not the name.
    if (old && next() < 0.5) return fill(next, old.slice(0, Math.floor(next() * old.length)), room);
    return fill(next, [], room);
  });
}

describe('line diffing', () => {
  it('recognises Ink frame writes and nothing else', () => {
    expect(parseInkFrame(`${eraseLines(3)}a\nb\n`)).toEqual({ erased: 3, lines: ['a', 'b'] });
    expect(parseInkFrame('a\n\u001b[31mb\u001b[39m\n')).toEqual({
      erased: 0,
      lines: ['a', '\u001b[31mb\u001b[39m'],
    });
    expect(parseInkFrame('\u001b[2J\u001b[H')).toBeNull();
    expect(parseInkFrame(eraseLines(4))).toBeNull();
    expect(parseInkFrame('a\u001b[2Ab\n')).toBeNull();
    expect(diffFrames(['a', 'b', 'c'], ['a', 'b', 'c'])).toBe('');
    // From the first changed cell, with the colour in force there.
    expect(lineUpdate('ab\u001b[31mcd\u001b[39m', 'ab\u001b[31mcx\u001b[39m')).toBe(
      '\u001b[4G\u001b[31mx\u001b[39m',
    );
    expect(lineUpdate('ab\u001b[31mcd\u001b[39m', 'ab\u001b[32mcd\u001b[39m')).toBe(
      '\u001b[3G\u001b[32mcd\u001b[39m',
    );
    expect(lineUpdate('abcdef', 'abc')).toBe('\u001b[4G\u001b[K');
    expect(lineUpdate('日本x', '日本y')).toBe('\u001b[2K日本y');
  });

  it('leaves the same screen and cursor as whole frames, over 1,000 random frames', async () => {
    const whole = terminal();
    const diffed = terminal();
    const next = random(7);
    let pieces: string[][] | null = null;
    let previous: string[] | null = null;
    for (let i = 0; i < 1000; i++) {
      pieces = randomFrame(next, pieces);
      // Each line closes its colours, as Ink's lines do.
      const frame = pieces.map((line) => `${line.join('')}\u001b[39m`);
      whole.write(`${eraseLines(previous ? previous.length + 1 : 0)}${frame.join('\n')}\n`);
      diffed.write(previous ? diffFrames(previous, frame) : `${frame.join('\n')}\n`);
      previous = frame;
      if (i % 5 === 0 || i === 999) expect(await screen(diffed)).toEqual(await screen(whole));
    }
    expect((await screen(diffed)).scrolled).toBe(0);
  });

  it('passes through what it does not recognise, then redraws whole', async () => {
    const written: string[] = [];
    const sink = Object.assign(new EventEmitter(), {
      isTTY: true,
      columns: COLS,
      rows: ROWS,
      write: (chunk: string) => written.push(chunk) > 0,
    }) as unknown as NodeJS.WriteStream;
    const stats = { diffed: 0, whole: 0 };
    const out = lineDiffStream(sink, stats);
    expect(out.columns).toBe(COLS);
    out.write('a\nb\n');
    out.write(`${eraseLines(3)}a\nc\n`);
    expect(written[1]).toBe(diffFrames(['a', 'b'], ['a', 'c']));
    out.write('\u001b[?2026h');
    out.write(`${eraseLines(3)}a\nd\n`);
    expect(stats).toEqual({ diffed: 2, whole: 1 });
    out.write('\u001b[2J\u001b[H');
    out.write(`${eraseLines(3)}a\ne\n`);
    expect(written.at(-1)).toBe(`${eraseLines(3)}a\ne\n`);
    expect(stats).toEqual({ diffed: 2, whole: 2 });
  });
});

class FakeTty extends EventEmitter {
  isTTY = true;
  bytes = 0;
  constructor(
    public columns: number,
    public rows: number,
    private readonly term: Term,
  ) {
    super();
  }
  write(data: string, ...rest: unknown[]) {
    this.bytes += Buffer.byteLength(data);
    this.term.write(data);
    (rest.find((r) => typeof r === 'function') as (() => void) | undefined)?.();
    return true;
  }
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  setRawMode() {
    return this;
  }
  setEncoding() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  type(data: string) {
    this.data = data;
    this.emit('readable');
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('runUi with line diffing', () => {
  it('draws the same screens as whole frames through refreshes, keys and a resize, for fewer bytes', async () => {
    const models = await demoModels('rolling-deploy', 40);
    const runs = [true, false].map((lineDiff) => {
      const term = terminal(120, 40);
      const stdout = new FakeTty(120, 40, term);
      const stdin = new FakeStdin();
      const store = createUiStore({ label: 'test', intervalMs: 2000, clock: () => 0 });
      store.setModel(models[10]!);
      const done = runUi({
        store,
        ascii: false,
        color: true,
        stdout: stdout as unknown as NodeJS.WriteStream,
        stdin: stdin as unknown as NodeJS.ReadStream,
        fullscreen: true,
        lineDiff,
      });
      return { term, stdout, stdin, store, done };
    });
    cleanup = () => {
      for (const r of runs) r.stdin.type('q');
    };
    await sleep(150);
    const steps: Array<(r: (typeof runs)[number]) => void> = [];
    for (let i = 11; i < 30; i++) steps.push((r) => r.store.setModel(models[i]!));
    for (const key of ['j', 'j', 'G', '\r', 'j', '\u001b', '2', 'g']) steps.push((r) => r.stdin.type(key));
    steps.push((r) => {
      r.term.resize(100, 30);
      r.stdout.columns = 100;
      r.stdout.rows = 30;
      r.stdout.emit('resize');
    });
    for (let i = 30; i < 40; i++) steps.push((r) => r.store.setModel(models[i]!));
    const bytesBefore = runs.map((r) => r.stdout.bytes);
    for (const [i, step] of steps.entries()) {
      for (const r of runs) step(r);
      // The two renderers are timed independently (throttling, resize settling): wait until both show
      // this step, then they must agree exactly.
      let diffed: Awaited<ReturnType<typeof screen>> | undefined;
      let whole: typeof diffed;
      for (let tries = 0; tries < 40; tries++) {
        await sleep(100);
        [diffed, whole] = await Promise.all(runs.map((r) => screen(r.term)));
        if (JSON.stringify(diffed) === JSON.stringify(whole)) break;
      }
      expect({ step: i, ...diffed }).toEqual({ step: i, ...whole });
      expect(diffed!.scrolled).toBe(0);
    }
    const [diffedBytes, wholeBytes] = runs.map((r, i) => r.stdout.bytes - bytesBefore[i]!);
    expect(diffedBytes).toBeLessThan(wholeBytes! * 0.8);
    for (const r of runs) r.stdin.type('q');
    await Promise.all(runs.map((r) => r.done));
    cleanup = undefined;
  });
});
