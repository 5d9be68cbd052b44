/**
 * runUi end to end against a terminal emulator (@xterm/headless): the alternate screen is entered and
 * left on every exit path, and the screen never scrolls or keeps stale lines while models, keys and
 * resizes arrive.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 30_000 });
// Ink renders nothing until exit when it believes it runs in CI (is-in-ci, read at import).
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;
const { default: xterm } = await import('@xterm/headless');
const { runUi } = await import('../../../source/ui/run.js');
const { createUiStore } = await import('../../../source/ui/store.js');
const { ENTER_ALT_SCREEN, LEAVE_ALT_SCREEN } = await import('../../../source/ui/fullscreen.js');
const { demoModels } = await import('./fixtures.js');
const { EmulatedTty, FakeStdin } = await import('../../support/fake-terminal.js');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function setup(columns = 120, rows = 40) {
  const term = new xterm.Terminal({ cols: columns, rows, allowProposedApi: true, convertEol: true });
  const stdout = new EmulatedTty(columns, rows, term);
  const stdin = new FakeStdin();
  const store = createUiStore({ label: 'test', intervalMs: 2000 });
  const flush = () => new Promise<void>((resolve) => term.write('', resolve));
  const screen = async () => {
    await flush();
    const b = term.buffer.active;
    return Array.from(
      { length: term.rows },
      (_, y) => b.getLine(b.viewportY + y)?.translateToString(true) ?? '',
    );
  };
  const resize = (c: number, r: number) => {
    term.resize(c, r);
    stdout.columns = c;
    stdout.rows = r;
    stdout.emit('resize');
  };
  return {
    term,
    stdout,
    stdin,
    store,
    screen,
    resize,
    start: () =>
      runUi({
        store,
        ascii: false,
        color: true,
        stdout: stdout as unknown as NodeJS.WriteStream,
        stdin: stdin as unknown as NodeJS.ReadStream,
        fullscreen: true,
      }),
  };
}

/** The frame is whole and in place: one header at the top, the footer on the second-to-last row. */
function expectCoherent(lines: string[]) {
  expect(lines[0]).toMatch(/^kafkatop /);
  expect(lines.filter((l) => l.startsWith('kafkatop ')).length).toBe(1);
  expect(lines.filter((l) => l.startsWith('every ')).length).toBe(1);
  expect(lines[lines.length - 2]).toMatch(/^times \S+ +q quit/);
  expect(lines[lines.length - 1]).toBe('');
}

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('runUi in a terminal', () => {
  it('enters the alternate screen, never scrolls while updating, and restores the screen on q', async () => {
    const t = setup();
    const models = await demoModels('broker-failure', 30);
    t.store.setModel(models[10]!);
    const done = t.start();
    cleanup = () => t.stdin.write('q');
    await sleep(100);
    expect(t.stdout.written.startsWith(ENTER_ALT_SCREEN)).toBe(true);
    expect(t.term.buffer.active.type).toBe('alternate');
    for (const [i, key] of ['j', '2', 'j', '\r', '\u001b', '3', 't', '\r', '\u001b', '\u001b'].entries()) {
      t.store.setModel(models[11 + i]!);
      await sleep(50);
      t.stdin.write(key);
      await sleep(50);
      expectCoherent(await t.screen());
    }
    expect(t.term.buffer.active.baseY).toBe(0);
    t.stdin.write('q');
    await expect(done).resolves.toMatchObject({ reason: 'quit' });
    cleanup = undefined;
    expect(t.stdout.written.endsWith(LEAVE_ALT_SCREEN)).toBe(true);
    await t.screen();
    expect(t.term.buffer.active.type).toBe('normal');
  });

  it('redraws whole after a resize, down to the "too small" screen and back', async () => {
    const t = setup(120, 40);
    const models = await demoModels('rolling-deploy', 20);
    t.store.setModel(models[19]!);
    const done = t.start();
    cleanup = () => t.stdin.write('q');
    await sleep(100);
    expectCoherent(await t.screen());
    t.resize(80, 24);
    await sleep(200);
    expectCoherent(await t.screen());
    t.resize(60, 20);
    await sleep(200);
    expect((await t.screen())[0]).toBe('terminal too small: need 80x24, have 60x20');
    t.resize(150, 50);
    await sleep(200);
    expectCoherent(await t.screen());
    t.stdin.write('\u0003');
    await expect(done).resolves.toMatchObject({ reason: 'quit' });
    cleanup = undefined;
  });

  it('keeps the view, selection and freeze across a resize', async () => {
    const t = setup(120, 40);
    const models = await demoModels('rolling-deploy', 20);
    t.store.setModel(models[19]!);
    const done = t.start();
    cleanup = () => t.stdin.write('q');
    await sleep(100);
    t.stdin.write('j');
    await sleep(50);
    t.stdin.write('\r');
    await sleep(50);
    t.stdin.write('f');
    await sleep(100);
    const before = await t.screen();
    const crumb = before.find((l) => l.startsWith('overview › group '));
    expect(crumb).toBeDefined();
    expect(before[1]).toContain('FROZEN');
    t.resize(100, 30);
    await sleep(200);
    const after = await t.screen();
    expect(after).toContain(crumb);
    expect(after[1]).toContain('FROZEN');
    expectCoherent(after);
    t.stdin.write('q');
    await expect(done).resolves.toMatchObject({ reason: 'quit' });
    cleanup = undefined;
  });

  it('leaves the alternate screen on SIGTERM', async () => {
    const t = setup();
    const before = process.listeners('SIGTERM');
    const done = t.start();
    await sleep(50);
    process.emit('SIGTERM');
    await expect(done).resolves.toMatchObject({ reason: 'signal', signal: 'SIGTERM' });
    expect(t.stdout.written.endsWith(LEAVE_ALT_SCREEN)).toBe(true);
    // Our handlers are removed; Ink's signal-exit (function `listener`) stays registered for the process.
    const added = process.listeners('SIGTERM').filter((l) => !before.includes(l));
    expect(added.map((l) => l.name).filter((n) => n !== 'listener')).toEqual([]);
  });

  it('leaves the alternate screen and rethrows when rendering fails', async () => {
    const t = setup();
    const models = await demoModels('steady', 2);
    const broken = Object.defineProperty({ ...models[1]! }, 'groups', {
      get() {
        throw new Error('boom in render');
      },
    });
    const done = t.start();
    await sleep(50);
    t.store.setModel(broken);
    await expect(done).rejects.toThrow('boom in render');
    expect(t.stdout.written.endsWith(LEAVE_ALT_SCREEN)).toBe(true);
  });

  it('keeps console output out of the frame and hands it back', async () => {
    const t = setup();
    const done = t.start();
    await sleep(50);
    console.log('stray log line');
    t.stdin.write('q');
    const result = await done;
    expect(result.console).toEqual(['log: stray log line']);
    expect(t.stdout.written).not.toContain('stray log line');
  });
});
