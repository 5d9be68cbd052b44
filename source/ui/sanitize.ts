/**
 * Terminal-safe text. Group ids, client ids, hosts, topic names, metric labels and error messages come
 * from the cluster and anyone who can create a group or topic chooses them: an escape sequence in a
 * group id must not be able to move the cursor, retitle the window, set a hyperlink or reorder text.
 */

// Escape sequences are removed whole (so "\x1b[31m" vanishes instead of leaving "[31m").
// CSI (7-bit ESC[ or 8-bit 0x9B): parameters, intermediates, one final byte.
const CSI = /(?:\u001b\[|\u009b)[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?/g;
// OSC, DCS, SOS, PM, APC: a string up to BEL or ST (ESC\ or 0x9C); an unterminated one runs to the end.
const STRING_SEQUENCE =
  /(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[^\u0007\u009c\u001b]*(?:\u0007|\u009c|\u001b\\|(?=\u001b)|$)/g;
// Other two-byte escapes: ESC followed by one printable byte (charset selection, RIS "ESC c", ...).
const SHORT_ESCAPE = /\u001b[\u0020-\u007e]?/g;
// TAB, LF, VT, FF, CR and the Unicode line/paragraph separators become a space so words stay apart.
const LINE_BREAKS = /[\t\n\u000b\u000c\r\u0085\u2028\u2029]/g;
// Remaining C0, DEL and C1 controls.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
// Bidi embeddings/overrides/isolates and marks (Trojan Source, CVE-2021-42574), zero-width characters
// that hide or join text, the BOM, and Unicode tag characters (invisible "ASCII smuggling").
const INVISIBLE =
  /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u206a-\u206f\ufeff\ufff9-\ufffb]|\udb40[\udc00-\udc7f]/g;
// Lone surrogates cannot be encoded and some terminals misdraw the replacement.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// More than two combining marks on one base ("zalgo" text) can paint over neighbouring rows.
const COMBINING_PILE = /(\p{M}{2})\p{M}+/gu;

/** Removes everything that could control the terminal; the result is printable text on one line. */
export function sanitize(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : String(value);
  // Fast path: plain printable ASCII is by far the common case and needs nothing.
  if (/^[\u0020-\u007e]*$/.test(text)) return text;
  return text
    .replace(STRING_SEQUENCE, '')
    .replace(CSI, '')
    .replace(SHORT_ESCAPE, '')
    .replace(LINE_BREAKS, ' ')
    .replace(CONTROLS, '')
    .replace(INVISIBLE, '')
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(COMBINING_PILE, '$1');
}

/** True when the text has nothing sanitize() would remove (used by tests and assertions). */
export function isTerminalSafe(text: string): boolean {
  return !/[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u206a-\u206f\u2028\u2029\ufeff]/.test(
    text,
  );
}

/**
 * Display width of one code point in terminal cells: 0 for combining and zero-width characters, 2 for
 * East Asian wide/fullwidth characters and emoji, else 1. A compact approximation of `string-width`
 * (which is only a transitive dependency here), exact for the characters Kafka names realistically use.
 */
export function codePointWidth(cp: number): 0 | 1 | 2 {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (cp < 0x300) return 1;
  if (
    (cp >= 0x300 && cp <= 0x36f) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0xfe20 && cp <= 0xfe2f) ||
    cp === 0xfeff ||
    (cp >= 0xe0100 && cp <= 0xe01ef)
  ) {
    return 0;
  }
  if (COMBINING.test(String.fromCodePoint(cp))) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x231a && cp <= 0x231b) ||
    (cp >= 0x2329 && cp <= 0x232a) ||
    (cp >= 0x23e9 && cp <= 0x23ec) ||
    cp === 0x23f0 ||
    cp === 0x23f3 ||
    (cp >= 0x25fd && cp <= 0x25fe) ||
    (cp >= 0x2614 && cp <= 0x2615) ||
    (cp >= 0x2648 && cp <= 0x2653) ||
    cp === 0x267f ||
    cp === 0x2693 ||
    cp === 0x26a1 ||
    (cp >= 0x26aa && cp <= 0x26ab) ||
    (cp >= 0x26bd && cp <= 0x26be) ||
    (cp >= 0x26c4 && cp <= 0x26c5) ||
    cp === 0x26ce ||
    cp === 0x26d4 ||
    cp === 0x26ea ||
    (cp >= 0x26f2 && cp <= 0x26f3) ||
    cp === 0x26f5 ||
    cp === 0x26fa ||
    cp === 0x26fd ||
    cp === 0x2705 ||
    (cp >= 0x270a && cp <= 0x270b) ||
    cp === 0x2728 ||
    cp === 0x274c ||
    cp === 0x274e ||
    (cp >= 0x2753 && cp <= 0x2755) ||
    cp === 0x2757 ||
    (cp >= 0x2795 && cp <= 0x2797) ||
    cp === 0x27b0 ||
    cp === 0x27bf ||
    (cp >= 0x2b1b && cp <= 0x2b1c) ||
    cp === 0x2b50 ||
    cp === 0x2b55 ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xa960 && cp <= 0xa97f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe10 && cp <= 0xfe19) ||
    (cp >= 0xfe30 && cp <= 0xfe6f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f004 && cp <= 0x1f004) ||
    cp === 0x1f0cf ||
    cp === 0x1f18e ||
    (cp >= 0x1f191 && cp <= 0x1f19a) ||
    (cp >= 0x1f200 && cp <= 0x1f251) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f680 && cp <= 0x1f6ff) ||
    (cp >= 0x1f7e0 && cp <= 0x1f7eb) ||
    (cp >= 0x1f90c && cp <= 0x1f9ff) ||
    (cp >= 0x1fa70 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

const COMBINING = /^\p{M}$/u;

/** Display width of a sanitized string in terminal cells. */
export function displayWidth(text: string): number {
  if (/^[\u0020-\u007e]*$/.test(text)) return text.length;
  let width = 0;
  for (const ch of text) width += codePointWidth(ch.codePointAt(0)!);
  return width;
}

/**
 * Cuts text to at most `width` cells, marking the cut with `ellipsis` (one cell). Never splits a wide
 * character: the result may be one cell short instead.
 */
export function truncate(text: string, width: number, ellipsis = '…'): string {
  if (width <= 0) return '';
  if (displayWidth(text) <= width) return text;
  const budget = width - displayWidth(ellipsis);
  if (budget < 0) return ellipsis.slice(0, width);
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = codePointWidth(ch.codePointAt(0)!);
    if (used + w > budget) break;
    out += ch;
    used += w;
  }
  return out + ellipsis;
}

/** Sanitizes, truncates and pads to exactly `width` cells, for table columns. */
export function cell(
  value: unknown,
  width: number,
  align: 'left' | 'right' = 'left',
  ellipsis = '…',
): string {
  const text = truncate(sanitize(value), width, ellipsis);
  const pad = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'left' ? text + pad : pad + text;
}

/** Pads (never truncates) trusted text to `width` cells. */
export function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'left' ? text + fill : fill + text;
}
