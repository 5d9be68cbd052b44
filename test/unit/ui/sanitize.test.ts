import { describe, expect, it } from 'vitest';
import { cell, displayWidth, isTerminalSafe, sanitize, truncate } from '../../../source/ui/sanitize.js';

/** Deterministic PRNG so a failure can be reproduced from the seed. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DANGEROUS =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u2028\u2029\ufeff]/;

describe('sanitize', () => {
  it('removes escape sequences whole, not just the ESC byte', () => {
    expect(sanitize('a\u001b[31mred\u001b[0mb')).toBe('aredb');
    expect(sanitize('x\u001b]0;owned\u0007y')).toBe('xy');
    expect(sanitize('x\u001b]8;;http://evil\u001b\\link\u001b]8;;\u001b\\y')).toBe('xlinky');
    expect(sanitize('x\u001bPqpayload\u001b\\y')).toBe('xy');
    expect(sanitize('x\u009b2Jy')).toBe('xy');
    expect(sanitize('x\u001bcy')).toBe('xy');
    expect(sanitize('unterminated\u001b]0;title')).toBe('unterminated');
  });

  it('turns line breaks and tabs into spaces and drops other controls', () => {
    expect(sanitize('a\r\nb\tc')).toBe('a  b c');
    expect(sanitize('a\u0000b\u0007c\u007fd\u0085e')).toBe('abcd e');
  });

  it('drops bidi overrides, isolates and zero-width characters (Trojan Source)', () => {
    expect(sanitize('admin\u202e\u2066txt.exe\u2069')).toBe('admintxt.exe');
    expect(sanitize('pay\u200bments\ufeff')).toBe('payments');
    expect(sanitize('tag\udb40\udc41\udb40\udc42s')).toBe('tags');
  });

  it('keeps ordinary Unicode and caps piles of combining marks', () => {
    expect(sanitize('grüße-日本')).toBe('grüße-日本');
    expect(sanitize('e\u0301\u0302\u0303\u0304\u0305')).toBe('e\u0301\u0302');
  });

  it('never lets random input through with a control, escape or bidi character', () => {
    const random = mulberry32(42);
    const pool = [
      0x1b, 0x9b, 0x9d, 0x07, 0x5b, 0x5d, 0x5c, 0x0a, 0x0d, 0x202e, 0x2066, 0x200d, 0xd800, 0xdc00, 0x41,
    ];
    for (let i = 0; i < 5000; i++) {
      let s = '';
      const len = Math.floor(random() * 40);
      for (let j = 0; j < len; j++) {
        // Half from a pool of troublemakers, half any UTF-16 code unit.
        const unit =
          random() < 0.5 ? pool[Math.floor(random() * pool.length)]! : Math.floor(random() * 0x10000);
        s += String.fromCharCode(unit);
      }
      const out = sanitize(s);
      expect(DANGEROUS.test(out), JSON.stringify(s)).toBe(false);
      expect(isTerminalSafe(out)).toBe(true);
      expect(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(out)).toBe(false);
    }
  });
});

describe('width and truncation', () => {
  it('counts wide characters as two cells and combining marks as none', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('日本')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
  });

  it('truncates to the width with an ellipsis without splitting wide characters', () => {
    expect(truncate('consumer-group-1', 8)).toBe('consume…');
    expect(truncate('short', 8)).toBe('short');
    expect(displayWidth(truncate('日本語のトピック', 7))).toBeLessThanOrEqual(7);
    expect(truncate('abcdef', 4, '~')).toBe('abc~');
  });

  it('cell sanitizes, truncates and pads to exactly the width', () => {
    expect(cell('a\u001b[2Jb', 5)).toBe('ab   ');
    expect(cell('12', 5, 'right')).toBe('   12');
    expect(displayWidth(cell('日本語のトピック', 7))).toBe(7);
  });
});
