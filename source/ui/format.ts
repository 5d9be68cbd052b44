/** Compact number, duration, rate and time formatting for narrow columns. */

import { ETA_CAP_MS } from '../model/lag-trend.js';
import type { CatchUpEta } from '../model/types.js';

const UNITS = ['', 'k', 'M', 'G', 'T', 'P'];

/** 999, 1.2k, 34k, 3.4M: at most 4 characters for non-negative values below 1e18. */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const sign = value < 0 ? '-' : '';
  let v = Math.abs(value);
  if (v < 1000) return sign + String(Math.round(v));
  let unit = 0;
  while (v >= 999.5 && unit < UNITS.length - 1) {
    v /= 1000;
    unit++;
  }
  const digits = v < 9.95 ? v.toFixed(1) : String(Math.round(v));
  return sign + digits + UNITS[unit];
}

/** Bytes in decimal units, as df -H and Kafka's tools count them: 512B, 1.2kB, 84GB. */
export function formatBytes(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return `${formatCount(value)}B`;
}

/** 0s, 10s, 4m, 4m10s, 17h, 2d3h: the two largest units, the second only when it is non-zero. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms < 1000) return ms < 1 ? '0s' : `${Math.round(ms)}ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d${h % 24}h` : `${d}d`;
}

/** 12/s, 1.2k/s */
export function formatRate(perSecond: number | null | undefined): string {
  if (perSecond === null || perSecond === undefined || !Number.isFinite(perSecond)) return '–';
  if (Math.abs(perSecond) < 10 && perSecond !== 0 && Math.abs(perSecond) >= 0.05)
    return `${perSecond.toFixed(1)}/s`;
  return `${formatCount(perSecond)}/s`;
}

/** 0.42 → "42%". Values above 1 stay honest ("187%", KAFKA-19606). */
export function formatPercent(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '–';
  return `${Math.round(fraction * 100)}%`;
}

/**
 * HH:MM:SS of an ISO time or epoch ms, in local time (the zone TZ names) or in UTC with --utc; the zone
 * is shown once, in the footer (`clockZone`), not on every time.
 */
export function formatClock(at: string | number | Date | null | undefined): string {
  if (at === null || at === undefined) return '--:--:--';
  const d = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(d.getTime())) return '--:--:--';
  if (clock.utc) return d.toISOString().slice(11, 19);
  return `${twoDigits(d.getHours())}:${twoDigits(d.getMinutes())}:${twoDigits(d.getSeconds())}`;
}

/** Milliseconds since epoch of an ISO string, a Date or a number. */
export function toMillis(at: string | number | Date): number {
  if (typeof at === 'number') return at;
  if (at instanceof Date) return at.getTime();
  return Date.parse(at);
}

/** 100000000 → "100,000,000": exact offsets where the exact number is the point (the partition table). */
export function formatExact(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const digits = String(Math.abs(Math.trunc(value)));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return value < 0 ? `-${out}` : out;
}

function twoDigits(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Set once when the UI starts (`--utc`); the zone label is kept per UTC offset (it changes with DST). */
const clock = { utc: false, offset: Number.NaN, label: '' };

/** Times in local time (the default: honours TZ) or in UTC. */
export function setClockZone(zone: 'local' | 'utc'): void {
  clock.utc = zone === 'utc';
  clock.offset = Number.NaN;
}

/** The zone times are shown in: `UTC`, or the local zone's short name (`CET`, `GMT+5:30`). */
export function clockZone(at: number): string {
  if (clock.utc) return 'UTC';
  const offset = new Date(at).getTimezoneOffset();
  if (offset !== clock.offset) {
    const parts = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(at);
    clock.label = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'local';
    clock.offset = offset;
  }
  return clock.label;
}

const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z\b/g;

/** Instants written into the model's reason strings (`no commit since 2026-12-02T13:58:25.887Z`) as HH:MM:SS. */
export function formatInstants(text: string): string {
  return text.includes('T') ? text.replace(ISO_INSTANT, formatClock) : text;
}

/**
 * A group's catch-up time in words, capped past a week (the figure is noise there, and it must fit its
 * column): `caught up`, `keeping up`, `4m10s`, `> 7d`, `not catching up`, `–`.
 */
export function formatEta(eta: CatchUpEta): string {
  switch (eta.kind) {
    case 'caught-up':
      return 'caught up';
    case 'keeping-up':
      return 'keeping up';
    case 'eta':
      return eta.ms > ETA_CAP_MS ? '> 7d' : formatDuration(eta.ms);
    case 'not-catching-up':
      return 'not catching up';
    case 'unknown':
      return '–';
  }
}

/** The widest `formatEta` text, so an ETA column can hold every one. */
export const ETA_WIDTH = 'not catching up'.length;

/** "1 group", "12 groups": counts read as words do. */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
