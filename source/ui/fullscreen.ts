/**
 * The alternate screen, entered by hand (Ink 6 has no option for it) and left on every exit path:
 * normal quit, an error, a signal, and — through the process 'exit' event — a crash anywhere else.
 */

export const ENTER_ALT_SCREEN = '\u001b[?1049h\u001b[H\u001b[2J\u001b[?25l';
export const LEAVE_ALT_SCREEN = '\u001b[?25h\u001b[?1049l';

export interface Fullscreen {
  /** Restores the main screen and the cursor; safe to call more than once. */
  leave(): void;
}

export function enterFullscreen(stdout: NodeJS.WriteStream, stdin?: NodeJS.ReadStream): Fullscreen {
  let active = true;
  stdout.write(ENTER_ALT_SCREEN);
  const leave = () => {
    if (!active) return;
    active = false;
    process.off('exit', leave);
    try {
      if (stdin?.isTTY) stdin.setRawMode?.(false);
    } catch {
      // stdin may already be destroyed while the process exits.
    }
    // Synchronous on a TTY, so it also works from the 'exit' event.
    stdout.write(LEAVE_ALT_SCREEN);
  };
  process.on('exit', leave);
  return { leave };
}

/**
 * Stray console output would be written straight into the frame (patchConsole redraws on every call,
 * and kafkajs's default logger writes there). While the UI runs, console methods keep the last lines
 * in memory instead; the caller may print them after leaving the alternate screen.
 */
export function captureConsole(limit = 200): { restore(): string[] } {
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const saved = methods.map((m) => console[m]);
  const lines: string[] = [];
  for (const m of methods) {
    console[m] = (...args: unknown[]) => {
      lines.push(`${m}: ${args.map((a) => (typeof a === 'string' ? a : String(a))).join(' ')}`);
      if (lines.length > limit) lines.shift();
    };
  }
  return {
    restore() {
      methods.forEach((m, i) => {
        console[m] = saved[i]!;
      });
      return lines;
    },
  };
}
