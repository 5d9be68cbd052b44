/**
 * A fake terminal for driving Ink outside a TTY (tests, screenshots, benchmarks): a stdin that delivers
 * written keys the way Ink reads them, and a stdout of a settable size that keeps what was written.
 * ink-testing-library's own stdout hard-codes 100 columns and has no `rows`.
 */
import { EventEmitter } from 'node:events';

export class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write(data: string) {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read = () => {
    const { data } = this;
    this.data = null;
    return data;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

export class FakeStdout extends EventEmitter {
  frames: string[] = [];
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (frame: string, ...rest: unknown[]) => {
    this.frames.push(frame);
    // Ink waits for a write's callback before it resolves waitUntilExit.
    (rest.find((r) => typeof r === 'function') as (() => void) | undefined)?.();
    return true;
  };
  get lastFrame(): string {
    return this.frames.at(-1) ?? '';
  }
}

/** A TTY stdout in front of a terminal emulator (@xterm/headless): keeps what was written and its bytes. */
export class EmulatedTty extends EventEmitter {
  isTTY = true;
  written = '';
  bytes = 0;
  constructor(
    public columns: number,
    public rows: number,
    private readonly term: { write(data: string): void },
  ) {
    super();
  }
  write(data: string, ...rest: unknown[]) {
    this.written += data;
    this.bytes += Buffer.byteLength(data);
    this.term.write(data);
    // Ink waits for a write's callback before it resolves waitUntilExit.
    (rest.find((r) => typeof r === 'function') as (() => void) | undefined)?.();
    return true;
  }
}
