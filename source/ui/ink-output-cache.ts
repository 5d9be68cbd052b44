/**
 * Ink 8.0.0 builds every frame from nothing: `Output.get()` makes a cell object for each of the 120×40
 * cells, tokenizes every text it is given and serialises every row back to a string, with caches that
 * live for one frame. Most rows of a monitor's screen are the same as one refresh ago, and without this
 * a steady overview frame at 1,000 groups cost 27 ms of CPU instead of 11 (docs/performance.md, "Ninth
 * round", measured side by side).
 *
 * `installInkOutputCache()` replaces `Output.prototype.get` with the same algorithm, step for step
 * (clips, transformers, wide characters), that keeps what it derived from a text for the next frame: a
 * row whose pieces (position and text) are the ones it had in the previous frame reuses that row's
 * string, and a changed row reuses the styled characters of every text seen in the previous frame.
 * Lines of simple text (below) are split into styled characters without ansi-tokenize's grapheme
 * segmentation, which allocates an object per character. Caches hold what the last two frames used and
 * nothing older. test/unit/ui/ink-output-cache.test.ts checks it against Ink's own `get()`.
 *
 * Pinned: package.json has Ink at exactly the version below; on any other version nothing is replaced.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type AnsiCode,
  reduceAnsiCodesIncremental,
  styledCharsToString,
  tokenize,
} from '@alcalzone/ansi-tokenize';

/** The Ink version whose `Output` this mirrors. */
export const INK_VERSION = '8.0.0';

type Transformer = (line: string, index: number) => string;
type Clip = { x1?: number; x2?: number; y1?: number; y2?: number };
type Operation =
  | { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] }
  | { type: 'clip'; clip: Clip }
  | { type: 'unclip' };

interface StyledChar {
  type: 'char';
  value: string;
  fullWidth: boolean;
  styles: AnsiCode[];
}

/** Ink's Output: the parts this file uses. */
export interface InkOutput {
  width: number;
  height: number;
  operations: Operation[];
  caches: {
    getStyledChars(line: string): StyledChar[];
    getStringWidth(text: string): number;
  };
  get(): { output: string; height: number };
  write(x: number, y: number, text: string, options: { transformers: Transformer[] }): void;
  clip(clip: Clip): void;
  unclip(): void;
  sliceLineToColumns(line: string, from: number, to: number): string;
}

const require = createRequire(import.meta.url);
const inkBuild = dirname(require.resolve('ink'));
const inkVersion = (require(join(inkBuild, '..', 'package.json')) as { version: string }).version;

/** Ink's own Output class: the module instance Ink's renderer uses (the same file URL). */
export const InkOutputClass = (
  (await import(pathToFileURL(join(inkBuild, 'output.js')).href)) as {
    default: new (options: { width: number; height: number }) => InkOutput;
  }
).default;
/** Ink's own `get()`, for comparison in tests. */
export const inkOutputGet = InkOutputClass.prototype.get;

/** A cache of what this generation or the one before used, and nothing older. */
class TwoGenerations<V> {
  private current = new Map<string, V>();
  private previous = new Map<string, V>();

  get(key: string): V | undefined {
    let value = this.current.get(key);
    if (value === undefined) {
      value = this.previous.get(key);
      if (value !== undefined) this.current.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.current.set(key, value);
  }

  turn(): void {
    this.previous = this.current;
    this.current = new Map();
  }

  get size(): number {
    return this.current.size + this.previous.size;
  }
}

/** A text's lines as Ink makes them: styled characters split at newlines and serialised again. */
const linesCache = new TwoGenerations<{ lines: string[]; widths: number[] }>();
/** A line cut to a clip's columns: Ink's `sliceLineToColumns`. */
const sliceCache = new TwoGenerations<string>();
const rowCache = new TwoGenerations<string>();
const charsCache = new TwoGenerations<StyledChar[]>();
/** ansi-tokenize's codes for each SGR sequence seen, null for one it does not read as codes alone. */
const sgrCache = new TwoGenerations<AnsiCode[] | null>();

/**
 * "Simple text": printable ASCII, Latin-1 and the narrow symbols the panes draw (box drawing, blocks,
 * geometric shapes, arrows, braille, dashes, the ellipsis, ✖, Δ, −). Each such code unit is one grapheme
 * one column wide whatever its neighbours, and none is a default-ignorable code point, so it needs no
 * segmentation. U+00AD (soft hyphen) is zero-width, U+25FD/E are wide.
 */
export function isSimpleCodeUnit(c: number): boolean {
  if (c < 0x7f) return c >= 0x20;
  if (c < 0x100) return c >= 0xa1 && c !== 0xad;
  if (c < 0x2010) return c >= 0x391 && c <= 0x3c9; // Greek letters (Δ)
  if (c <= 0x2027) return true; // dashes, quotes, bullet, ellipsis
  if (c < 0x2190) return c >= 0x2030 && c <= 0x203a; // per mille, primes, guillemets
  if (c <= 0x21ff) return true; // arrows
  if (c < 0x2500) return c >= 0x2212 && c <= 0x2215; // minus, minus-or-plus, dot plus, division slash
  if (c <= 0x25fc) return true; // box drawing, blocks, geometric shapes
  if (c < 0x2800) return c >= 0x2713 && c <= 0x2718; // check marks and crosses (✔ ✖)
  return c <= 0x28ff; // braille
}

/** Index just past the SGR sequence (`ESC [ digits and semicolons m`) at `at`, or -1. */
function sgrEnd(line: string, at: number): number {
  if (line.charCodeAt(at) !== 0x1b || line.charCodeAt(at + 1) !== 0x5b) return -1;
  for (let i = at + 2; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x6d) return i + 1;
    if (c !== 0x3b && (c < 0x30 || c > 0x39)) return -1;
  }
  return -1;
}

function sgrCodes(sequence: string): AnsiCode[] | null {
  let codes = sgrCache.get(sequence);
  if (codes === undefined) {
    const tokens = tokenize(sequence);
    codes = tokens.every((t) => t.type === 'ansi') ? (tokens as AnsiCode[]) : null;
    sgrCache.set(sequence, codes);
  }
  return codes;
}

const NO_STYLES: AnsiCode[] = [];

/**
 * Ink's styled characters of a line of simple text and SGR codes, with one styles array shared by each
 * run between two SGR sequences (nothing writes to it); null for any other line.
 */
function simpleStyledChars(line: string): StyledChar[] | null {
  const chars: StyledChar[] = [];
  let styles = NO_STYLES;
  for (let i = 0; i < line.length; ) {
    const c = line.charCodeAt(i);
    if (c === 0x1b) {
      const end = sgrEnd(line, i);
      const codes = end < 0 ? null : sgrCodes(line.slice(i, end));
      if (codes === null) return null;
      styles = reduceAnsiCodesIncremental(styles, codes);
      i = end;
      continue;
    }
    if (!isSimpleCodeUnit(c)) return null;
    chars.push({ type: 'char', value: line[i]!, fullWidth: false, styles });
    i++;
  }
  return chars;
}

function styledChars(line: string, scratch: InkOutput): StyledChar[] {
  let chars = charsCache.get(line);
  if (chars === undefined) {
    chars = simpleStyledChars(line) ?? scratch.caches.getStyledChars(line);
    charsCache.set(line, chars);
  }
  return chars;
}

function charWidth(value: string, scratch: InkOutput): number {
  if (value.length === 1 && isSimpleCodeUnit(value.charCodeAt(0))) return 1;
  return scratch.caches.getStringWidth(value);
}

function textLines(text: string, scratch: InkOutput) {
  let entry = linesCache.get(text);
  if (entry === undefined) {
    const chars: StyledChar[][] = [[]];
    for (const character of styledChars(text, scratch)) {
      if (character.value === '\n') chars.push([]);
      else chars.at(-1)!.push(character);
    }
    const lines = chars.map((line) => styledCharsToString(line as never));
    const widths = chars.map((line) => line.reduce((w, c) => w + charWidth(c.value, scratch), 0));
    entry = { lines, widths };
    linesCache.set(text, entry);
  }
  return entry;
}

function slice(line: string, from: number, to: number, scratch: InkOutput): string {
  const key = `${from}\u0000${to}\u0000${line}`;
  let sliced = sliceCache.get(key);
  if (sliced === undefined) {
    sliced = scratch.sliceLineToColumns(line, from, to);
    sliceCache.set(key, sliced);
  }
  return sliced;
}

const clipIsEmpty = (c: Clip) =>
  (c.x1 !== undefined && c.x2 !== undefined && c.x1 >= c.x2) ||
  (c.y1 !== undefined && c.y2 !== undefined && c.y1 >= c.y2);

function bound(a: number | undefined, b: number | undefined, tighter: (a: number, b: number) => number) {
  if (a === undefined) return b;
  return b === undefined ? a : tighter(a, b);
}

function intersect(outer: Clip | undefined, inner: Clip): Clip {
  if (!outer) return inner;
  return {
    x1: bound(outer.x1, inner.x1, Math.max),
    x2: bound(outer.x2, inner.x2, Math.min),
    y1: bound(outer.y1, inner.y1, Math.max),
    y2: bound(outer.y2, inner.y2, Math.min),
  };
}

/** Ink's `applyWriteOperation` up to the point where it draws: each line's final text and column. */
function collect(output: InkOutput, scratch: InkOutput): string[][] {
  // Per row: x, line, x, line, ...
  const rows: string[][] = Array.from({ length: output.height }, () => []);
  const clips: Clip[] = [];
  for (const op of output.operations) {
    if (op.type === 'clip') {
      clips.push(intersect(clips.at(-1), op.clip));
      continue;
    }
    if (op.type === 'unclip') {
      clips.pop();
      continue;
    }
    const { lines: all, widths } = textLines(op.text, scratch);
    let lines = all;
    let { x, y } = op;
    const clip = clips.at(-1);
    if (clip) {
      if (clipIsEmpty(clip)) continue;
      const horizontal = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
      const vertical = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
      if (horizontal && (x + Math.max(0, ...widths) < clip.x1! || x > clip.x2!)) continue;
      if (vertical && (y + lines.length < clip.y1! || y > clip.y2!)) continue;
      if (horizontal) {
        const { x1, x2 } = clip as Required<Clip>;
        lines = lines.map((line, i) => {
          const from = x < x1 ? x1 - x : 0;
          const to = x + widths[i]! > x2 ? x2 - x : widths[i]!;
          return slice(line, from, to, scratch);
        });
        if (x < x1) x = x1;
      }
      if (vertical) {
        const { y1, y2 } = clip as Required<Clip>;
        const from = y < y1 ? y1 - y : 0;
        const to = y + lines.length > y2 ? y2 - y : lines.length;
        lines = lines.slice(from, to);
        if (y < y1) y = y1;
      }
    }
    for (let index = 0; index < lines.length; index++) {
      const row = rows[y + index];
      if (!row) continue;
      let line = lines[index]!;
      for (const transformer of op.transformers) line = transformer(line, index + y - op.y);
      row.push(String(x), line);
    }
  }
  return rows;
}

const BLANK: StyledChar = { type: 'char', value: ' ', fullWidth: false, styles: [] };
const blankCell = (cell: StyledChar): StyledChar => ({ ...cell, value: ' ', fullWidth: false });

/** Ink's drawing of one row: blanks, then each piece's characters over them, in order. */
function drawRow(pieces: readonly string[], width: number, scratch: InkOutput): string {
  const cells: StyledChar[] = new Array(width).fill(BLANK);
  for (let p = 0; p < pieces.length; p += 2) {
    const characters = styledChars(pieces[p + 1]!, scratch);
    if (characters.length === 0) continue;
    let offsetX = Number(pieces[p]);
    if (
      cells[offsetX]?.value === '' &&
      offsetX > 0 &&
      charWidth(cells[offsetX - 1]?.value ?? '', scratch) > 1
    ) {
      cells[offsetX - 1] = blankCell(cells[offsetX - 1]!);
    }
    for (const character of characters) {
      cells[offsetX] = character;
      const characterWidth = Math.max(1, charWidth(character.value, scratch));
      for (let offset = 1; offset < characterWidth; offset++) {
        cells[offsetX + offset] = {
          type: 'char',
          value: offsetX < 0 ? ' ' : '',
          fullWidth: false,
          styles: character.styles,
        };
      }
      offsetX += characterWidth;
    }
    if (cells[offsetX]?.value === '') cells[offsetX] = blankCell(cells[offsetX]!);
  }
  return styledCharsToString(cells.filter((cell) => cell !== undefined)).trimEnd();
}

function cachedGet(this: InkOutput): { output: string; height: number } {
  // A fresh Output for Ink's own helpers: their per-instance caches then live for one frame, as in Ink.
  const scratch = new InkOutputClass({ width: this.width, height: 1 });
  const lines = collect(this, scratch).map((pieces) => {
    const key = `${this.width}\u0000${pieces.join('\u0000')}`;
    let row = rowCache.get(key);
    if (row === undefined) {
      row = drawRow(pieces, this.width, scratch);
      rowCache.set(key, row);
    }
    return row;
  });
  linesCache.turn();
  sliceCache.turn();
  charsCache.turn();
  sgrCache.turn();
  rowCache.turn();
  return { output: lines.join('\n'), height: this.height };
}

export const cachedOutputGet: InkOutput['get'] = cachedGet;

/** Entries the caches hold: bounded by what the last two frames used. */
export function inkOutputCacheSize(): number {
  return linesCache.size + sliceCache.size + rowCache.size + charsCache.size;
}

/**
 * Makes every Ink frame from now on use the cached `get()`. Returns false, changing nothing, on an Ink
 * version other than INK_VERSION.
 */
export function installInkOutputCache(): boolean {
  if (inkVersion !== INK_VERSION) return false;
  InkOutputClass.prototype.get = cachedGet;
  return true;
}
