/**
 * Seeded randomness for the demo. The simulation must never touch Math.random or the clock, so that the
 * same seed replays the same cluster: every random draw goes through one of these generators.
 */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  range(min: number, max: number): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  /** Roughly normal (mean 0, sd 1); a sum of uniforms is plenty for jitter and cheaper than Box-Muller. */
  normal(): number;
  pick<T>(items: readonly T[]): T;
  /** Hex digits, for ids that look like Kafka's random UUID-based ones. */
  hex(length: number): string;
}

/** mulberry32: tiny, fast and good enough for a simulation; not for anything secret. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng: Rng = {
    next,
    range: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    normal: () => next() + next() + next() + next() + next() + next() - 3,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    hex: (length) => {
      let out = '';
      for (let i = 0; i < length; i++) out += Math.floor(next() * 16).toString(16);
      return out;
    },
  };
  return rng;
}

/** Derives an independent stream from a seed and a label, so adding draws in one place leaves others alone. */
export function deriveSeed(seed: number, label: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  }
  return h;
}

/** A Kafka-style member id suffix: a random UUID as the Java client generates it. */
export function uuidish(rng: Rng): string {
  return `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-${rng.pick(['8', '9', 'a', 'b'])}${rng.hex(3)}-${rng.hex(12)}`;
}
