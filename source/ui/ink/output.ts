/**
 * Ink 6.8 builds every frame from nothing: `Output.get()` makes a cell object for each of the
 * 120×40 cells, re-tokenizes every text it is given and serialises every row back to a string, with
 * caches that live for one frame. That was half of a frame's CPU (docs/performance.md, UI), although
 * most rows of a monitor's screen are the same as one refresh ago.
 *
 * `installInkOutputCache()` replaces `Output.prototype.get` with the same algorithm, step for step
 * (clips, transformers, wide characters), that keeps what it derived from a text for the next frame:
 * a row whose writes (position and text) are the ones it had in the previous frame reuses that row's
 * string; a changed row reuses the styled characters of every text seen in the previous frame. Caches
 * hold what the last two frames used and nothing older, so they cannot grow with a long session.
 * test/unit/ui/ink.test.ts checks it against Ink's own `get()` on random frames.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type AnsiCode,
  ansiCodesToString,
  diffAnsiCodes,
  reduceAnsiCodesIncremental,
  type StyledChar,
  styledCharsFromTokens,
  tokenize,
} from '@alcalzone/ansi-tokenize';
import sliceAnsi from 'slice-ansi';
import { inkBuildDir, inkSupported } from './register.js';
import { isSimpleCodeUnit, sgrEnd } from './simple-text.js';
import { TwoGenerations } from './two-generations.js';
import widestLine, { lineWidth as width } from './widest-line.js';

type Transformer = (line: string, index: number) => string;
type Clip = { x1?: number; x2?: number; y1?: number; y2?: number };
type Operation =
  | { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] }
  | { type: 'clip'; clip: Clip }
  | { type: 'unclip' };

export interface InkOutput {
  width: number;
  height: number;
  operations: Operation[];
  get(): { output: string; height: number };
}

const styledCharsCache = new TwoGenerations<StyledChar[]>();
const rowCache = new TwoGenerations<string>();

function styledChars(line: string): StyledChar[] {
  let chars = styledCharsCache.get(line);
  if (chars === undefined) {
    chars = simpleStyledChars(line) ?? styledCharsFromTokens(tokenize(line));
    styledCharsCache.set(line, chars);
  }
  return chars;
}

const NO_STYLES: AnsiCode[] = [];
/** ansi-tokenize's codes for each SGR sequence seen, null for one it does not read as codes alone. */
const sgrCodesCache = new TwoGenerations<AnsiCode[] | null>(512);

function sgrCodes(sequence: string): AnsiCode[] | null {
  let codes = sgrCodesCache.get(sequence);
  if (codes === undefined) {
    const tokens = tokenize(sequence);
    codes = tokens.every((t) => t.type === 'ansi') ? (tokens as AnsiCode[]) : null;
    sgrCodesCache.set(sequence, codes);
  }
  return codes;
}

/**
 * `styledCharsFromTokens(tokenize(line))` for a line of simple text (simple-text.ts), without
 * segmenting it into graphemes, and with one styles array shared by each run of characters between
 * two SGR sequences (ansi-tokenize copies it for every character; nothing writes to it). Null for any
 * other line.
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

/** One text written on one row, after clipping and transformers. */
interface Piece {
  readonly x: number;
  readonly line: string;
}

const BLANK: StyledChar = { type: 'char', value: ' ', fullWidth: false, styles: [] };

/** The row's cells as Ink builds them: blanks, then each piece's characters over them in order. */
function renderRow(pieces: readonly Piece[], columns: number): string {
  const cells: (StyledChar | undefined)[] = new Array(columns).fill(BLANK);
  for (const { x, line } of pieces) {
    let offsetX = x;
    for (const character of styledChars(line)) {
      cells[offsetX] = character;
      const characterWidth = charWidth(character.value);
      for (let i = 1; i < characterWidth; i++) {
        cells[offsetX + i] = { type: 'char', value: '', fullWidth: false, styles: character.styles };
      }
      offsetX += characterWidth;
    }
  }
  return serialise(cells).trimEnd();
}

function charWidth(value: string): number {
  if (value.length === 1 && isSimpleCodeUnit(value.charCodeAt(0))) return 1;
  return Math.max(1, width(value));
}

function sameStyles(a: readonly AnsiCode[], b: readonly AnsiCode[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.code !== b[i]!.code || a[i]!.endCode !== b[i]!.endCode) return false;
  }
  return true;
}

/**
 * ansi-tokenize's `styledCharsToString`, which diffs the styles of every neighbouring pair of
 * characters with fresh Sets and arrays: most of a frame's garbage. The diff of equal styles is empty,
 * so only the characters where a style run starts or ends are diffed here.
 */
function serialise(cells: readonly (StyledChar | undefined)[]): string {
  let out = '';
  let previous: AnsiCode[] | undefined;
  for (const char of cells) {
    if (char === undefined) continue;
    if (previous === undefined) out += ansiCodesToString(char.styles);
    else if (!sameStyles(previous, char.styles))
      out += ansiCodesToString(diffAnsiCodes(previous, char.styles));
    out += char.value;
    previous = char.styles;
  }
  if (previous !== undefined && previous.length > 0) out += ansiCodesToString(diffAnsiCodes(previous, []));
  return out;
}

/** Ink's clipping and transformers, with the result collected per row instead of drawn into cells. */
function collectPieces(output: InkOutput): Piece[][] {
  const rows: Piece[][] = Array.from({ length: output.height }, () => []);
  const clips: Clip[] = [];
  for (const operation of output.operations) {
    if (operation.type === 'clip') {
      clips.push(operation.clip);
      continue;
    }
    if (operation.type === 'unclip') {
      clips.pop();
      continue;
    }
    const { text, transformers } = operation;
    let { x, y } = operation;
    let lines = text.split('\n');
    const clip = clips.at(-1);
    if (clip) {
      const clipHorizontally = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
      const clipVertically = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
      if (clipHorizontally && (x + widestLine(text) < clip.x1! || x > clip.x2!)) continue;
      if (clipVertically && (y + lines.length < clip.y1! || y > clip.y2!)) continue;
      if (clipHorizontally) {
        const x1 = clip.x1!;
        const x2 = clip.x2!;
        lines = lines.map((line) => {
          const from = x < x1 ? x1 - x : 0;
          const w = width(line);
          const to = x + w > x2 ? x2 - x : w;
          return sliceAnsi(line, from, to);
        });
        if (x < x1) x = x1;
      }
      if (clipVertically) {
        const y1 = clip.y1!;
        const y2 = clip.y2!;
        const from = y < y1 ? y1 - y : 0;
        const to = y + lines.length > y2 ? y2 - y : lines.length;
        lines = lines.slice(from, to);
        if (y < y1) y = y1;
      }
    }
    let offsetY = 0;
    for (let index = 0; index < lines.length; index++) {
      const row = rows[y + offsetY];
      // As in Ink: a line below the output's height is dropped, and does not advance the row.
      if (!row) continue;
      let line = lines[index]!;
      for (const transformer of transformers) line = transformer(line, index);
      row.push({ x, line });
      offsetY++;
    }
  }
  return rows;
}

function cachedGet(this: InkOutput): { output: string; height: number } {
  const rows = collectPieces(this);
  const lines = rows.map((pieces) => {
    let key = String(this.width);
    for (const { x, line } of pieces) key += `\u0000${x}\u0000${line}`;
    let row = rowCache.get(key);
    if (row === undefined) {
      row = renderRow(pieces, this.width);
      rowCache.set(key, row);
    }
    return row;
  });
  rowCache.turn();
  styledCharsCache.turn();
  return { output: lines.join('\n'), height: rows.length };
}

/** Ink's own Output class: the module instance Ink's renderer uses (the same file URL). */
const Output = (
  (await import(pathToFileURL(join(inkBuildDir, 'output.js')).href)) as {
    default: { prototype: InkOutput };
  }
).default;
const inksGet = Output.prototype.get;

/** Ink's `Output.get`, for comparison in tests. */
export const inkOutputGet: InkOutput['get'] = inksGet;
export const cachedOutputGet: InkOutput['get'] = cachedGet;
/** Ink's Output class, to build outputs in tests. */
export const InkOutputClass = Output as unknown as new (options: {
  width: number;
  height: number;
}) => InkOutput & {
  write(x: number, y: number, text: string, options: { transformers: Transformer[] }): void;
  clip(clip: Clip): void;
  unclip(): void;
};

/** Entries held by the caches: bounded by what the last two frames used. */
export function inkOutputCacheSize(): number {
  return styledCharsCache.size + rowCache.size;
}

/**
 * Makes every Ink frame from now on use the cached `get()`. Returns false, changing nothing, on an
 * Ink version it was not checked against.
 */
export function installInkOutputCache(): boolean {
  if (!inkSupported) return false;
  Output.prototype.get = cachedGet;
  return true;
}
