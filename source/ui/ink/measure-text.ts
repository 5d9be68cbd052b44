/**
 * Ink 6.8's `measure-text.js` with a bounded cache. Ink's own keeps the size of every distinct text it
 * ever laid out, forever (vadimdemedes/ink#986, fixed in Ink 7, which needs Node 22): a monitor whose
 * numbers change every refresh grows by every changed line, ~100 MB a day at 2 s.
 */
import { TwoGenerations } from './two-generations.js';
import widestLine from './widest-line.js';

export interface Dimensions {
  readonly width: number;
  readonly height: number;
}

const dimensions = new TwoGenerations<Dimensions>(4_096);

export default function measureText(text: string): Dimensions {
  if (text.length === 0) return { width: 0, height: 0 };
  let measured = dimensions.get(text);
  if (measured === undefined) {
    measured = { width: widestLine(text), height: text.split('\n').length };
    dimensions.set(text, measured);
  }
  return measured;
}

export function measureTextCacheSize(): number {
  return dimensions.size;
}
