/**
 * Terminal output → SVG, through a real terminal emulator (xterm.js headless): the ANSI frame Ink wrote is
 * interpreted exactly as a terminal would, then each cell's glyph and colours are drawn. No browser needed.
 */
import xterm from '@xterm/headless';

const CELL_W = 8.4;
const CELL_H = 18;
const FONT_SIZE = 14;
const BG = '#1e1e2e';
const FG = '#cdd6f4';

// The 16 ANSI colours (a common dark theme), then the xterm 6×6×6 cube and grey ramp.
const ANSI16 = [
  '#45475a',
  '#f38ba8',
  '#a6e3a1',
  '#f9e2af',
  '#89b4fa',
  '#f5c2e7',
  '#94e2d5',
  '#bac2de',
  '#585b70',
  '#f38ba8',
  '#a6e3a1',
  '#f9e2af',
  '#89b4fa',
  '#f5c2e7',
  '#94e2d5',
  '#a6adc8',
];
const hex = (n: number) => n.toString(16).padStart(2, '0');
function palette(index: number): string {
  if (index < 16) return ANSI16[index]!;
  if (index < 232) {
    const i = index - 16;
    const level = (v: number) => (v === 0 ? 0 : 55 + v * 40);
    return `#${hex(level(Math.floor(i / 36)))}${hex(level(Math.floor(i / 6) % 6))}${hex(level(i % 6))}`;
  }
  const grey = 8 + (index - 232) * 10;
  return `#${hex(grey)}${hex(grey)}${hex(grey)}`;
}

type Cell = xterm.IBufferCell;
function colour(cell: Cell, which: 'fg' | 'bg'): string | null {
  const rgb = which === 'fg' ? cell.isFgRGB() : cell.isBgRGB();
  const pal = which === 'fg' ? cell.isFgPalette() : cell.isBgPalette();
  const value = which === 'fg' ? cell.getFgColor() : cell.getBgColor();
  if (rgb) return `#${value.toString(16).padStart(6, '0')}`;
  if (pal) return palette(value);
  return null;
}

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Feeds `ansi` to a cols×rows terminal and draws its screen as SVG. */
export async function ansiToSvg(ansi: string, cols: number, rows: number, title: string): Promise<string> {
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true, convertEol: true });
  await new Promise<void>((resolve) => term.write(ansi, resolve));
  const buffer = term.buffer.active;
  const backgrounds: string[] = [];
  const texts: string[] = [];
  const cell = buffer.getNullCell();
  for (let y = 0; y < rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    if (!line) continue;
    // Runs of cells with the same style become one element; textLength pins each run to the grid so
    // the font's own advance width cannot drift columns apart.
    let run: { x: number; cells: number; text: string; style: string; bg: string | null } | null = null;
    const flush = () => {
      if (!run) return;
      const x = (run.x * CELL_W).toFixed(1);
      const w = (run.cells * CELL_W).toFixed(1);
      if (run.bg)
        backgrounds.push(
          `<rect x="${x}" y="${y * CELL_H}" width="${w}" height="${CELL_H}" fill="${run.bg}"/>`,
        );
      if (run.text.trim() !== '') {
        texts.push(
          `<text x="${x}" y="${y * CELL_H + FONT_SIZE}" textLength="${w}" lengthAdjust="spacingAndGlyphs" ${run.style}>${escapeXml(run.text)}</text>`,
        );
      }
      run = null;
    };
    let x = 0;
    while (x < cols) {
      line.getCell(x, cell);
      const width = cell.getWidth() || 1;
      let fg = colour(cell, 'fg') ?? FG;
      let bg = colour(cell, 'bg');
      if (cell.isInverse()) [fg, bg] = [bg ?? BG, fg];
      const style = [
        `fill="${fg}"`,
        cell.isBold() ? 'font-weight="bold"' : '',
        cell.isDim() ? 'opacity="0.6"' : '',
        cell.isUnderline() ? 'text-decoration="underline"' : '',
      ]
        .filter(Boolean)
        .join(' ');
      const chars = cell.getChars() || ' ';
      if (run && run.style === style && run.bg === bg && width === 1) {
        run.text += chars;
        run.cells += 1;
      } else {
        flush();
        run = { x, cells: width, text: chars, style, bg };
        if (width !== 1) flush();
      }
      x += width;
    }
    flush();
  }
  term.dispose();
  const width = Math.ceil(cols * CELL_W);
  const height = rows * CELL_H;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="100%" height="100%" fill="${BG}"/>`,
    ...backgrounds,
    `<g font-family="'DejaVu Sans Mono', 'Menlo', 'Consolas', monospace" font-size="${FONT_SIZE}" xml:space="preserve">`,
    ...texts,
    '</g>',
    '</svg>',
    '',
  ].join('\n');
}
