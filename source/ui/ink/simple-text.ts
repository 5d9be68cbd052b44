/**
 * Most of what kafkatop draws is "simple text": printable ASCII, Latin-1, and the narrow symbols of the
 * panes (box drawing, blocks, geometric shapes, arrows, braille, dashes, the ellipsis, ✖, Δ, −), between SGR
 * colour codes. Each such code point is one grapheme one column wide, whatever its neighbours, so it
 * needs neither string-width's nor ansi-tokenize's grapheme segmentation (Intl.Segmenter, which
 * allocates an object per character): most of the garbage of drawing the rows that changed.
 * Anything else (wide or combining characters, emoji, other escapes) takes the general path.
 * test/unit/ui/ink.test.ts checks every simple code point against string-width and ansi-tokenize.
 */

const ESC = 0x1b;
const LEFT_BRACKET = 0x5b;
const SEMICOLON = 0x3b;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_M = 0x6d;

/** One column, its own grapheme: see the header. U+00AD (soft hyphen) is zero-width, U+25FD/E are wide. */
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

/**
 * Index just past the SGR sequence (`ESC [ digits-and-semicolons m`) starting at `at`, or -1 when
 * there is none there: the same sequences ansi-tokenize reads as SGR.
 */
export function sgrEnd(line: string, at: number): number {
  if (line.charCodeAt(at) !== ESC || line.charCodeAt(at + 1) !== LEFT_BRACKET) return -1;
  for (let i = at + 2; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === LOWER_M) return i + 1;
    if (c !== SEMICOLON && (c < ZERO || c > NINE)) return -1;
  }
  return -1;
}

/** Columns of a line of simple text and SGR codes, or -1 when it holds anything else. */
export function simpleWidth(line: string): number {
  let width = 0;
  for (let i = 0; i < line.length; ) {
    const c = line.charCodeAt(i);
    if (c === ESC) {
      const end = sgrEnd(line, i);
      if (end < 0) return -1;
      i = end;
      continue;
    }
    if (!isSimpleCodeUnit(c)) return -1;
    width++;
    i++;
  }
  return width;
}
