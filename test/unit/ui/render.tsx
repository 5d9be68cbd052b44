/**
 * Renders the UI into a fake terminal of a chosen size. ink-testing-library's own stdout hard-codes
 * 100 columns and has no `rows`; this keeps its approach (Ink's debug mode: every frame written
 * whole) with a settable size, and adds helpers that wait for a frame instead of sleeping blindly.
 */

import { render as inkRender } from 'ink';
import type { ReactElement } from 'react';
import { App } from '../../../source/ui/app.js';
import { glyphsFor } from '../../../source/ui/glyphs.js';
import type { NavState } from '../../../source/ui/navigation.js';
import { createUiStore, type UiStore, type UiStoreOptions } from '../../../source/ui/store.js';
import { ThemeProvider } from '../../../source/ui/theme.js';
import { FakeStdin, FakeStdout } from '../../support/fake-terminal.js';

/** The frame without SGR codes, for matching text. */
export function plain(frame: string): string {
  return frame.replace(/\u001b\[[0-9;]*m/g, '');
}

// Ink attaches input handlers in effects after the first commit: give the scheduler a turn.
const tick = () => new Promise((resolve) => setImmediate(resolve));

export interface Rendered {
  readonly stdout: FakeStdout;
  readonly store: UiStore;
  lastFrame(): string;
  /** Sends keys one at a time, each after a scheduler turn, and waits for the frame to settle. */
  press(...keys: string[]): Promise<string>;
  /** Waits until the last frame satisfies `predicate` (or fails after `timeoutMs`). */
  waitFor(predicate: (frame: string) => boolean, timeoutMs?: number): Promise<string>;
  unmount(): void;
  readonly quit: { count: number };
}

export const KEYS = {
  up: '\u001b[A',
  down: '\u001b[B',
  enter: '\r',
  escape: '\u001b',
  tab: '\t',
  shiftTab: '\u001b[Z',
  pageDown: '\u001b[6~',
  pageUp: '\u001b[5~',
  ctrlC: '\u0003',
  backspace: '\u007f',
};

export interface RenderOptions {
  columns?: number;
  rows?: number;
  ascii?: boolean;
  color?: boolean;
  store?: Partial<UiStoreOptions>;
  initialNav?: NavState;
}

export async function renderApp(options: RenderOptions = {}): Promise<Rendered> {
  const stdout = new FakeStdout(options.columns ?? 120, options.rows ?? 40);
  const stdin = new FakeStdin();
  const store = createUiStore({
    label: 'test',
    intervalMs: 2000,
    clock: () => Date.parse('2025-03-12T08:40:00Z'),
    ...options.store,
  });
  const quit = { count: 0 };
  const tree: ReactElement = (
    <ThemeProvider theme={{ color: options.color ?? false, glyphs: glyphsFor(options.ascii ?? false) }}>
      <App
        store={store}
        columns={stdout.columns}
        rows={stdout.rows}
        onQuit={() => {
          quit.count++;
        }}
        initialNav={options.initialNav}
      />
    </ThemeProvider>
  );
  const instance = inkRender(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new FakeStdout(80, 24) as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  await tick();
  const lastFrame = () => stdout.frames[stdout.frames.length - 1] ?? '';
  const waitFor = async (predicate: (frame: string) => boolean, timeoutMs = 2000) => {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(lastFrame())) {
      if (Date.now() > deadline) throw new Error(`frame never matched; last frame:\n${lastFrame()}`);
      await tick();
    }
    return lastFrame();
  };
  return {
    stdout,
    store,
    lastFrame,
    waitFor,
    quit,
    async press(...keys) {
      for (const key of keys) {
        await tick();
        stdin.write(key);
        // Ink holds a lone escape for 20 ms in case an escape sequence follows.
        if (key === '\u001b') await new Promise((resolve) => setTimeout(resolve, 30));
        await tick();
      }
      await tick();
      return lastFrame();
    },
    unmount() {
      instance.unmount();
      instance.cleanup();
    },
  };
}
