/**
 * runUi draws with Ink's incremental renderer, which writes only the lines that changed: against a
 * terminal emulator (@xterm/headless) it must draw exactly the screens that Ink's whole frames draw
 * (text, colours, cursor), never scroll, and write fewer bytes.
 */
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
const { demoModels } = await import('./fixtures.js');
const { EmulatedTty, FakeStdin } = await import('../../support/fake-terminal.js');

type Term = InstanceType<typeof xterm.Terminal>;

function terminal(cols: number, rows: number): Term {
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('runUi with incremental rendering', () => {
  it('draws the same screens as whole frames through refreshes, keys and a resize, for fewer bytes', async () => {
    const models = await demoModels('rolling-deploy', 40);
    const runs = [true, false].map((incremental) => {
      const term = terminal(120, 40);
      const stdout = new EmulatedTty(120, 40, term);
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
        incremental,
      });
      return { term, stdout, stdin, store, done };
    });
    cleanup = () => {
      for (const r of runs) r.stdin.write('q');
    };
    await sleep(150);
    const steps: Array<(r: (typeof runs)[number]) => void> = [];
    for (let i = 11; i < 30; i++) steps.push((r) => r.store.setModel(models[i]!));
    for (const key of ['j', 'j', 'G', '\r', 'j', '\u001b', '2', 'g']) steps.push((r) => r.stdin.write(key));
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
    for (const r of runs) r.stdin.write('q');
    await Promise.all(runs.map((r) => r.done));
    cleanup = undefined;
  });
});
