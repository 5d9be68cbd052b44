/**
 * Writes only the lines of a frame that changed.
 *
 * Ink's standard renderer rewrites the whole frame on every refresh: it erases the previous frame
 * line by line (`eraseLines(n)`) and writes the new one, ending with a newline, so the cursor rests
 * at column 0 of the line below the frame. Ink 6.8's own incremental renderer skips unchanged lines,
 * but when the frame ends with that newline (any frame shorter than the terminal, which ours always
 * is) it moves up one line too few and draws every frame one row low, scrolling the screen.
 *
 * This stream sits between Ink's standard renderer and the terminal. It recognises Ink's frame writes,
 * compares the new frame with the one on screen, and writes only the changed lines, leaving the cursor
 * where Ink expects it. Anything else it passes through; a write that may have moved the cursor or
 * changed the screen (a clear, a resize repaint) makes it forget the frame, so the next frame is
 * passed through whole, exactly as Ink wrote it.
 */

import { codePointWidth, displayWidth } from './sanitize.js';

const ESC = '\u001b';
/** `ansi-escapes` eraseLines(n): erase line, then (cursor up, erase line) n−1 times, then column 0. */
const ERASE_LINES = /^(?:\u001b\[2K(?:\u001b\[1A\u001b\[2K)*\u001b\[G)?/;
const SGR = /\u001b\[[0-9;:]*m/g;
/** Writes that change neither the screen nor the cursor position: synchronized output, cursor visibility. */
const INERT = /^(?:\u001b\[\?(?:2026|25)[hl])*$/;

export interface InkFrame {
  /** Lines `eraseLines` erased before the frame (0 when there was no previous frame). */
  readonly erased: number;
  /** The frame's lines, without the trailing newline. */
  readonly lines: readonly string[];
}

/** A write of Ink's standard renderer (erase + frame + newline), or null for anything else. */
export function parseInkFrame(chunk: string): InkFrame | null {
  if (!chunk.endsWith('\n')) return null;
  const prefix = ERASE_LINES.exec(chunk)![0];
  const body = chunk.slice(prefix.length, -1);
  // Colours are the only escape sequences a frame may carry; cursor movement means it is not a frame.
  if (body.includes(ESC) && body.replace(SGR, '').includes(ESC)) return null;
  let erased = 0;
  for (let at = prefix.indexOf(`${ESC}[2K`); at >= 0; at = prefix.indexOf(`${ESC}[2K`, at + 1)) erased++;
  return { erased, lines: body.split('\n') };
}

/** Code points past U+2FFF (CJK, emoji, anything astral). */
const BEYOND_SIMPLE_WIDTHS = /[^\u0000-\u2fff]/u;

const visibleWidth = (line: string) => displayWidth(line.includes(ESC) ? line.replace(SGR, '') : line);

/**
 * The bytes that turn line `old` into `next`, the cursor at column 0 of that line: what they share at
 * the start stays, the rest is written from the first difference (its column found by display width,
 * the colours in force there replayed). Erase-to-end only when the line got narrower: after a line that
 * fills the width it would erase the last cell.
 */
export function lineUpdate(old: string, next: string): string {
  let k = 0;
  const max = Math.min(old.length, next.length);
  while (k < max && old.charCodeAt(k) === next.charCodeAt(k)) k++;
  // Never start inside a surrogate pair, before a combining mark, or inside an escape sequence.
  while (k > 0 && k < next.length) {
    const code = next.codePointAt(k)!;
    const lowSurrogate = code >= 0xdc00 && code <= 0xdfff;
    if (code === 0x1b || (!lowSurrogate && codePointWidth(code) > 0)) break;
    k--;
  }
  const esc = k > 0 ? next.lastIndexOf(ESC, k - 1) : -1;
  if (esc >= 0 && !/^\u001b\[[0-9;:]*m/.test(next.slice(esc, k))) k = esc;
  const prefix = next.slice(0, k);
  const visible = prefix.includes(ESC) ? prefix.replace(SGR, '') : prefix;
  // Past CJK and emoji, terminals and width tables may disagree on columns: rewrite the line whole.
  if (k === 0 || BEYOND_SIMPLE_WIDTHS.test(visible)) return `${ESC}[2K${next}`;
  const column = displayWidth(visible);
  const colours = prefix.includes(ESC) ? (prefix.match(SGR) ?? []).join('') : '';
  const narrower = visibleWidth(next) < visibleWidth(old);
  return `${ESC}[${column + 1}G${colours}${next.slice(k)}${narrower ? `${ESC}[K` : ''}`;
}

/**
 * The bytes that turn `previous` (on screen, cursor at column 0 of the line below it) into `next`,
 * leaving the cursor at column 0 of the line below `next`. Only changed lines are written, each from
 * its first changed cell (see `lineUpdate`); lines the frame lost are erased.
 */
export function diffFrames(previous: readonly string[], next: readonly string[]): string {
  const out: string[] = [];
  let row = previous.length;
  const moveTo = (target: number) => {
    if (target < row) out.push(`${ESC}[${row - target}A`);
    else if (target > row) out.push(`${ESC}[${target - row}B`);
    row = target;
  };
  const span = Math.max(previous.length, next.length);
  for (let i = 0; i < span; i++) {
    const line = i < next.length ? next[i]! : '';
    if (i < previous.length && i < next.length && line === previous[i]) continue;
    moveTo(i);
    out.push(i < previous.length ? lineUpdate(previous[i]!, line) : `${ESC}[2K${line}`, '\r');
  }
  moveTo(next.length);
  return out.join('');
}

export interface LineDiffStats {
  /** Frames written as a diff, and frames passed through whole. */
  diffed: number;
  whole: number;
}

/**
 * A stream for Ink's `stdout` option that forwards to `stream`, rewriting Ink's whole-frame writes as
 * line diffs. Everything else (size, isTTY, resize events, write callbacks) is the real stream's.
 */
export function lineDiffStream(
  stream: NodeJS.WriteStream,
  stats: LineDiffStats = { diffed: 0, whole: 0 },
): NodeJS.WriteStream {
  let onScreen: readonly string[] | null = null;
  const write = (chunk: unknown, ...rest: unknown[]): boolean => {
    if (typeof chunk !== 'string') {
      onScreen = null;
      return (stream.write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }
    const frame = parseInkFrame(chunk);
    let out = chunk;
    if (frame === null) {
      if (!INERT.test(chunk)) onScreen = null;
    } else if (onScreen !== null && frame.erased === onScreen.length + 1) {
      out = diffFrames(onScreen, frame.lines);
      onScreen = frame.lines;
      stats.diffed++;
    } else {
      // First frame, or the screen changed under us: Ink's own full redraw goes through, and is then
      // what is on screen, relative to the cursor as Ink left it.
      onScreen = frame.lines;
      stats.whole++;
    }
    return (stream.write as (...args: unknown[]) => boolean)(out, ...rest);
  };
  return new Proxy(stream, {
    get(target, property) {
      if (property === 'write') return write;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
