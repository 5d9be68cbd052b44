import { render, useApp } from 'ink';
import { useCallback, useEffect, useState } from 'react';
import { App } from './app.js';
import { setClockZone } from './format.js';
import { captureConsole, enterFullscreen } from './fullscreen.js';
import { glyphsFor } from './glyphs.js';
import { installInkOutputCache } from './ink-output-cache.js';
import type { NavState } from './navigation.js';
import type { UiStore } from './store.js';
import { ThemeProvider } from './theme.js';

export interface RunUiOptions {
  readonly store: UiStore;
  /** ASCII glyphs instead of blocks, braille and box drawing. */
  readonly ascii: boolean;
  /** False for NO_COLOR / --no-color: no colour codes at all; symbols and words carry the meaning. */
  readonly color: boolean;
  /** Times in UTC instead of local time (--utc). */
  readonly utc?: boolean;
  readonly stdout?: NodeJS.WriteStream;
  readonly stdin?: NodeJS.ReadStream;
  /** Ink's per-frame render metrics. */
  readonly onRender?: (metrics: { renderTime: number }) => void;
  /** Use the alternate screen (default: when stdout is a TTY). */
  readonly fullscreen?: boolean;
  readonly initialNav?: NavState;
  /**
   * Write only the lines that changed (Ink's `incrementalRendering`; default: on in fullscreen). Ink 8
   * draws a frame shorter than the terminal (ours is rows − 1) in place; Ink 6.8 drew it one row low.
   */
  readonly incremental?: boolean;
}

export interface RunUiResult {
  readonly reason: 'quit' | 'signal';
  readonly signal?: NodeJS.Signals;
  /** Console output captured while the UI ran (kept out of the frame). */
  readonly console: readonly string[];
}

/** Waits this long after the last resize event before repainting (terminals send bursts while dragging). */
const RESIZE_SETTLE_MS = 60;

function size(stdout: NodeJS.WriteStream) {
  return { columns: stdout.columns || 80, rows: stdout.rows || 24 };
}

/**
 * Tracks the terminal size. On a resize the frame is first blanked, the screen cleared, then redrawn
 * whole at the new size: Ink's line diffing assumes the old frame is still where it left it, which a
 * terminal that reflowed or cropped the screen breaks.
 */
function useTerminalSize(stdout: NodeJS.WriteStream, repaint: boolean) {
  const [state, setState] = useState(() => ({ ...size(stdout), blank: false }));
  useEffect(() => {
    let timer: NodeJS.Timeout | undefined;
    const onResize = () => {
      const next = size(stdout);
      setState((s) =>
        s.columns === next.columns && s.rows === next.rows && !s.blank ? s : { ...s, blank: repaint },
      );
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (repaint) stdout.write('\u001b[2J\u001b[H');
        setState({ ...size(stdout), blank: false });
      }, RESIZE_SETTLE_MS);
    };
    stdout.on('resize', onResize);
    return () => {
      clearTimeout(timer);
      stdout.off('resize', onResize);
    };
  }, [stdout, repaint]);
  return state;
}

interface RootProps {
  readonly store: UiStore;
  readonly stdout: NodeJS.WriteStream;
  readonly repaint: boolean;
  readonly initialNav?: NavState;
}

function Root({ store, stdout, repaint, initialNav }: RootProps) {
  const { exit } = useApp();
  const { columns, rows, blank } = useTerminalSize(stdout, repaint);
  const quit = useCallback(() => exit(), [exit]);
  // App stays mounted while blank, so a resize keeps the view, selection, filter and freeze.
  return (
    <App store={store} columns={columns} rows={rows} onQuit={quit} initialNav={initialNav} blank={blank} />
  );
}

/**
 * Runs the full-screen UI until the user quits (q, ctrl-c) or a signal arrives (SIGINT, SIGTERM,
 * SIGHUP). The terminal is restored on every path, including a render error, which is rethrown.
 * The caller owns the poller and the sources, and closes them when this resolves.
 */
export async function runUi(options: RunUiOptions): Promise<RunUiResult> {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  const fullscreen = options.fullscreen ?? Boolean(stdout.isTTY);
  const screen = fullscreen ? enterFullscreen(stdout, stdin) : null;
  const captured = captureConsole();
  let signal: NodeJS.Signals | undefined;
  const theme = { color: options.color, glyphs: glyphsFor(options.ascii) };
  setClockZone(options.utc ? 'utc' : 'local');
  installInkOutputCache();
  const instance = render(
    <ThemeProvider theme={theme}>
      <Root store={options.store} stdout={stdout} repaint={fullscreen} initialNav={options.initialNav} />
    </ThemeProvider>,
    {
      stdout,
      stdin,
      // q and ctrl-c go through the keymap, so they also work on the "too small" screen.
      exitOnCtrlC: false,
      // Console output is captured above; Ink's patching would redraw the frame for each line.
      patchConsole: false,
      onRender: options.onRender,
      incrementalRendering: options.incremental ?? fullscreen,
    },
  );
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const handlers = signals.map((s) => {
    const handler = () => {
      signal = s;
      instance.unmount();
    };
    process.on(s, handler);
    return [s, handler] as const;
  });
  // React's development build records a performance mark or measure for every component render
  // (React 19 performance tracks); in a long-running monitor they pile up at ~2 MB per refresh. The
  // production build (NODE_ENV=production before React loads) records none; otherwise drop them.
  const dropTimings =
    process.env.NODE_ENV === 'production'
      ? undefined
      : setInterval(() => {
          performance.clearMarks();
          performance.clearMeasures();
        }, 2000).unref();
  let lines: string[] = [];
  try {
    await instance.waitUntilExit();
  } finally {
    clearInterval(dropTimings);
    for (const [s, handler] of handlers) process.off(s, handler);
    lines = captured.restore();
    screen?.leave();
  }
  return { reason: signal ? 'signal' : 'quit', signal, console: lines };
}
