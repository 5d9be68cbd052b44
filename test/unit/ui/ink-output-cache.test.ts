/**
 * The cached Output.get (source/ui/ink-output-cache.ts) must give exactly Ink's frame: checked on random
 * frames (colours, wide characters, emoji, combining marks, multi-line texts, nested clips, transformers)
 * that repeat and change from frame to frame as a refresh does, so cache hits and misses are both
 * compared. Then the real App, and the caches' bound over a long run of frames that never repeat.
 */
import { tokenize } from '@alcalzone/ansi-tokenize';
import { afterAll, describe, expect, it } from 'vitest';
import packageJson from '../../../package.json' with { type: 'json' };
import {
  cachedOutputGet,
  INK_VERSION,
  InkOutputClass,
  inkOutputCacheSize,
  inkOutputGet,
  installInkOutputCache,
  isSimpleCodeUnit,
} from '../../../source/ui/ink-output-cache.js';

afterAll(() => {
  InkOutputClass.prototype.get = inkOutputGet;
});
/** Deterministic, so a failure reproduces. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PIECES = [
  'a',
  'lag',
  ' ',
  '12,345',
  '█',
  '▁▂▃',
  '↑',
  '漢字',
  '👍🏽',
  'e\u0301',
  '⠿',
  '…',
  '-',
  '✖',
  'Δ−',
];
const SGR = [
  '\u001b[31m',
  '\u001b[1m',
  '\u001b[39m',
  '\u001b[22m',
  '\u001b[0m',
  '\u001b[7m',
  '\u001b[38;5;208m',
  '\u001b[1;31m',
  '\u001b[22;39m',
  '\u001b[m',
];

type Op =
  | { kind: 'write'; x: number; y: number; text: string; transform: number }
  | { kind: 'clip'; clip: { x1?: number; x2?: number; y1?: number; y2?: number } }
  | { kind: 'unclip' };

const TRANSFORMS: ((line: string, index: number) => string)[][] = [
  [],
  [(line) => `\u001b[32m${line}\u001b[39m`],
  [(line, index) => `${index}${line}`, (line) => line.toUpperCase()],
];

function randomText(rand: () => number): string {
  let text = '';
  const n = 1 + Math.floor(rand() * 8);
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.2) text += SGR[Math.floor(rand() * SGR.length)];
    else if (r < 0.27) text += '\n';
    else text += PIECES[Math.floor(rand() * PIECES.length)];
  }
  return text;
}

function randomOps(rand: () => number, width: number, height: number): Op[] {
  const ops: Op[] = [];
  let depth = 0;
  const n = 5 + Math.floor(rand() * 25);
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.12) {
      const x1 = Math.floor(rand() * width);
      const y1 = Math.floor(rand() * height);
      const horizontal = rand() < 0.5;
      const vertical = rand() < 0.7;
      ops.push({
        kind: 'clip',
        clip: {
          ...(horizontal ? { x1, x2: x1 + Math.floor(rand() * width) } : {}),
          ...(vertical ? { y1, y2: y1 + Math.floor(rand() * height) } : {}),
        },
      });
      depth++;
    } else if (r < 0.2 && depth > 0) {
      ops.push({ kind: 'unclip' });
      depth--;
    } else {
      ops.push({
        kind: 'write',
        x: Math.floor(rand() * (width + 4)) - 2,
        y: Math.floor(rand() * (height + 2)) - 1,
        text: randomText(rand),
        transform: Math.floor(rand() * TRANSFORMS.length),
      });
    }
  }
  return ops;
}

function build(ops: readonly Op[], width: number, height: number) {
  const output = new InkOutputClass({ width, height });
  for (const op of ops) {
    if (op.kind === 'clip') output.clip(op.clip);
    else if (op.kind === 'unclip') output.unclip();
    else output.write(op.x, op.y, op.text, { transformers: TRANSFORMS[op.transform]! });
  }
  return output;
}

/** Writes side by side on each row, as panes are: no overlaps, gaps of 0 to 2 cells. */
function tiledOps(rand: () => number, width: number, height: number): Op[] {
  const ops: Op[] = [];
  for (let y = 0; y < height; y++) {
    let x = Math.floor(rand() * 3);
    while (x < width) {
      const text = randomText(rand).replaceAll('\n', '');
      ops.push({ kind: 'write', x, y, text, transform: Math.floor(rand() * 2) });
      x += 1 + Math.floor(rand() * 8);
    }
  }
  return ops;
}

/** The next refresh: most writes as they were, a few with new text. */
function mutate(ops: readonly Op[], rand: () => number): Op[] {
  return ops.map((op) => (op.kind === 'write' && rand() < 0.2 ? { ...op, text: randomText(rand) } : op));
}

describe('cached Output.get', () => {
  it('is pinned to the Ink version package.json installs', () => {
    expect(packageJson.dependencies.ink).toBe(INK_VERSION);
  });

  it('gives the frame Ink gives, frame after frame', () => {
    const rand = prng(8);
    let compared = 0;
    let differentFrames = 0;
    for (let sequence = 0; sequence < 80; sequence++) {
      const width = 1 + Math.floor(rand() * 30);
      const height = 1 + Math.floor(rand() * 8);
      let ops = sequence % 2 ? tiledOps(rand, width, height) : randomOps(rand, width, height);
      let last = '';
      for (let frame = 0; frame < 8; frame++) {
        const expected = inkOutputGet.call(build(ops, width, height));
        const actual = cachedOutputGet.call(build(ops, width, height));
        expect(actual, JSON.stringify({ sequence, frame, width, height, ops })).toEqual(expected);
        if (expected.output !== last) differentFrames++;
        last = expected.output;
        compared++;
        ops = mutate(ops, rand);
      }
    }
    expect(compared).toBe(640);
    expect(differentFrames).toBeGreaterThan(200);
  });

  it('draws the App as Ink does', async () => {
    const { KEYS, renderApp } = await import('./render.js');
    const { demoModels } = await import('./fixtures.js');
    const models = await demoModels('rolling-deploy', 6);
    const frames = async () => {
      const app = await renderApp({ columns: 100, rows: 30, color: true });
      const seen: string[] = [];
      for (const model of models) {
        app.store.setModel(model);
        seen.push(await app.press());
      }
      seen.push(await app.press(KEYS.down, KEYS.enter), await app.press('?'));
      app.unmount();
      return seen;
    };
    InkOutputClass.prototype.get = inkOutputGet;
    const ink = await frames();
    expect(installInkOutputCache()).toBe(true);
    expect(InkOutputClass.prototype.get).toBe(cachedOutputGet);
    const cached = await frames();
    InkOutputClass.prototype.get = inkOutputGet;
    expect(cached).toEqual(ink);
    expect(new Set(ink).size).toBeGreaterThan(5);
  });

  it('keeps only what the last two frames used', () => {
    for (let frame = 0; frame < 2_000; frame++) {
      const output = new InkOutputClass({ width: 40, height: 10 });
      for (let y = 0; y < 10; y++) output.write(0, y, `refresh ${frame} row ${y} █`, { transformers: [] });
      cachedOutputGet.call(output);
    }
    // Per frame: 10 rows and 10 texts; two frames of that, not 2,000.
    expect(inkOutputCacheSize()).toBeLessThanOrEqual(2 * 2 * 10);
  });
});

describe('simple text', () => {
  it('is one grapheme one column wide for Ink, whatever its neighbours', () => {
    const { caches } = new InkOutputClass({ width: 1, height: 1 });
    let simple = 0;
    for (let c = 0; c < 0x10000; c++) {
      if (!isSimpleCodeUnit(c)) continue;
      simple++;
      const ch = String.fromCharCode(c);
      expect(caches.getStringWidth(ch), c.toString(16)).toBe(1);
      expect(
        caches.getStyledChars(ch).map((x) => x.value),
        c.toString(16),
      ).toEqual([ch]);
      expect(tokenize(`a${ch}${ch}\u001b[31m${ch}`).length, c.toString(16)).toBe(5);
    }
    // ASCII, Latin-1, Greek letters, dashes and quotes, arrows, minus signs, box drawing to geometric
    // shapes, check marks and crosses, braille.
    expect(simple).toBe(912);
  });
});
