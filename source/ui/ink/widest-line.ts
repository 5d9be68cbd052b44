/**
 * `widest-line` for Ink, remembered: Ink measures every text of every frame with it, and for a line
 * with any non-ASCII character (status dots, sparklines, bars) string-width segments it into graphemes
 * each time, a fifth of a frame's CPU. Most texts are the same as one frame ago, and most of the others
 * are simple text (simple-text.ts), measured without segmenting.
 */
import stringWidth from 'string-width';
import { simpleWidth } from './simple-text.js';
import { TwoGenerations } from './two-generations.js';

const widths = new TwoGenerations<number>(4_096);

export function lineWidth(line: string): number {
  let width = widths.get(line);
  if (width === undefined) {
    width = simpleWidth(line);
    if (width < 0) width = stringWidth(line);
    widths.set(line, width);
  }
  return width;
}

export default function widestLine(text: string): number {
  let widest = 0;
  for (const line of text.split('\n')) widest = Math.max(widest, lineWidth(line));
  return widest;
}

export function widestLineCacheSize(): number {
  return widths.size;
}
