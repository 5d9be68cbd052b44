/** Durations as people write them in flags and the config file: "500ms", "2s", "1.5m", "1h". */

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Milliseconds (not rounded), or null when `text` is not a duration. A bare number takes `bareUnit`; with `bareUnit`
 * null a unit is required.
 */
export function durationMs(text: unknown, bareUnit: 'ms' | 's' | null): number | null {
  if (typeof text !== 'string') return null;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  const unit = match?.[2] ?? bareUnit;
  if (!match || unit === null) return null;
  return Number(match[1]) * UNITS[unit]!;
}
