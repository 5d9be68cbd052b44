/**
 * The header as two lines of segments, worst first: down brokers and firing alerts lead line 1 and the
 * cluster's counts follow; freeze, replay and recording lead line 2. Each segment has a priority, and
 * `fitSegments` keeps the most important ones that fit the width, so at 80 columns what is wrong wins
 * the space over what is fine. Pure: the clock's reading comes in as `now`.
 */

import type { AlertState, ClusterModel } from '../../model/types.js';
import { counted, formatClock, formatDuration } from '../format.js';
import type { Glyphs } from '../glyphs.js';
import { displayWidth, sanitize, truncate } from '../sanitize.js';
import type { UiState } from '../store.js';
import { clusterCounts } from './cluster-counts.js';
import type { Tone } from './table.js';

export interface HeaderSegment {
  readonly text: string;
  readonly tone?: Tone;
  readonly bold?: boolean;
  readonly inverse?: boolean;
  /** 0 is kept first; higher numbers give way when the line is too narrow. */
  readonly priority: number;
  /** Free text that may be cut with an ellipsis to fill what is left (errors), never ids. */
  readonly cut?: boolean;
  /**
   * Reasons that follow `text`, joined by `; `: when they do not all fit, the first ones that do are
   * kept whole and the rest counted (`+2 more`), so a group id in a reason is never cut.
   */
  readonly parts?: readonly string[];
  /** Members of one list (firing alerts): those that do not fit are counted in one `+N more`. */
  readonly list?: string;
}

/** Data older than this many refresh intervals is late: its age is shown, counting up. */
export const LATE_AFTER_INTERVALS = 2;

const SEPARATOR = 2;
/** A cut segment shorter than this says nothing: it is dropped instead. */
const MIN_CUT = 20;
/** Ids listed in one segment before the rest are counted. */
const MAX_IDS = 4;

function idList(ids: readonly (string | number)[]): string {
  const shown = ids.slice(0, MAX_IDS).join(',');
  return ids.length > MAX_IDS ? `${shown} +${ids.length - MAX_IDS} more` : shown;
}

function downText(down: readonly number[], glyphs: Glyphs): string {
  if (down.length === 1) return `${glyphs.crit} broker ${down[0]} DOWN`;
  if (down.length <= MAX_IDS) return `${glyphs.crit} brokers ${down.join(',')} DOWN`;
  return `${glyphs.crit} ${down.length} brokers DOWN: ${idList(down)}`;
}

function alertSegment(a: AlertState, glyphs: Glyphs): HeaderSegment {
  const critical = a.rule.severity === 'critical';
  const subjects = a.instances.filter((i) => i.phase === 'firing').map((i) => sanitize(i.subject));
  return {
    text: `${critical ? glyphs.crit : glyphs.warn} ${sanitize(a.rule.name)}(${idList(subjects)})`,
    tone: critical ? 'crit' : 'warn',
    priority: critical ? 1 : 2,
    list: 'alerts',
  };
}

/** Line 1: what is wrong (down brokers, offline, under min ISR, firing alerts), then the counts. */
function clusterLine(model: ClusterModel, label: string, glyphs: Glyphs): HeaderSegment[] {
  const c = clusterCounts(model);
  const down = c.brokersDown;
  const line: HeaderSegment[] = [{ text: 'kafkatop', bold: true, tone: 'accent', priority: 3 }];
  if (down.length) {
    line.push({
      text: downText(down, glyphs),
      tone: 'crit',
      bold: true,
      priority: 0,
    });
  }
  if (c.offline) line.push({ text: `${glyphs.crit} offline ${c.offline}`, tone: 'crit', priority: 0 });
  if (c.underMinIsr)
    line.push({ text: `${glyphs.crit} <minISR ${c.underMinIsr}`, tone: 'crit', priority: 1 });
  for (const a of c.critical) line.push(alertSegment(a, glyphs));
  for (const a of c.warning) line.push(alertSegment(a, glyphs));
  if (c.urp) line.push({ text: `URP ${c.urp}`, tone: 'crit', priority: 2 });
  line.push(
    { text: sanitize(label), priority: 5 },
    { text: `brokers ${c.brokersUp}/${model.brokers.length}`, priority: 4 },
    {
      text: `${counted(c.groups, 'group')} ${counted(c.topics, 'topic')} ${counted(c.partitions, 'partition')}`,
      priority: 6,
    },
  );
  if (!c.urp) line.push({ text: 'URP 0', priority: 7 });
  if (!c.offline) line.push({ text: 'offline 0', priority: 7 });
  if (c.critical.length + c.warning.length === 0) {
    line.push({ text: `${glyphs.ok} no alerts`, tone: 'ok', priority: 5 });
  }
  line.push(
    { text: `controller ${model.controllerId ?? glyphs.unknown}${controllerEpoch(model)}`, priority: 8 },
    {
      text: `cluster ${model.clusterId ? sanitize(model.clusterId) : glyphs.unknown}`,
      tone: 'muted',
      priority: 9,
    },
  );
  return line;
}

/**
 * Line 2: what the user is looking at (frozen, a replay, recording), then freshness and settled. Data
 * age is spoken of only when following live data: a frozen or replayed model is old on purpose.
 */
function stateLine(model: ClusterModel, ui: UiState, now: number, frozen: boolean, glyphs: Glyphs) {
  const line: HeaderSegment[] = [];
  if (frozen) {
    line.push({
      text: ` FROZEN at ${formatClock(model.at)} `,
      inverse: true,
      bold: true,
      tone: 'warn',
      priority: 0,
    });
  }
  const r = ui.replay;
  if (r) {
    const state = r.ended ? 'END' : r.paused ? 'PAUSED' : `x${r.speed}`;
    line.push({
      text: `REPLAY ${r.index + 1}/${r.total} ${state} at ${formatClock(model.at)}`,
      tone: 'accent',
      bold: true,
      priority: 0,
    });
    if (r.warning)
      line.push({ text: `${glyphs.warn} ${sanitize(r.warning)}`, tone: 'warn', priority: 1, cut: true });
  }
  if (ui.recording) line.push({ text: 'REC', tone: 'crit', bold: true, inverse: true, priority: 0 });
  const s = model.staleness;
  if (s.stale) {
    line.push({
      text: `${glyphs.warn} STALE since ${formatClock(s.since)} (${s.consecutiveFailures} failed)`,
      tone: 'crit',
      priority: 1,
    });
    if (s.lastError) {
      line.push({
        text: `${sanitize(s.lastError.source)}: ${sanitize(s.lastError.message)}`,
        tone: 'crit',
        priority: 1,
        cut: true,
      });
    }
  } else if (s.lastError) {
    line.push({
      text: `${glyphs.warn} ${sanitize(s.lastError.source)}: ${sanitize(s.lastError.message)}`,
      tone: 'warn',
      priority: 3,
      cut: true,
    });
  }
  const live = !frozen && !r;
  if (live) {
    const takenAtMs = model.dataAge.takenAtMs;
    const ageMs = takenAtMs === null ? null : Math.max(0, now - takenAtMs);
    line.push(
      ageMs === null
        ? {
            text: model.foldCount === 0 ? 'waiting for the first refresh' : 'no data',
            tone: 'warn',
            priority: 1,
          }
        : ageMs > LATE_AFTER_INTERVALS * ui.intervalMs
          ? { text: `data ${formatDuration(ageMs)} old (late)`, tone: 'warn', priority: 1 }
          : { text: `data at ${formatClock(takenAtMs)}`, tone: 'muted', priority: 4 },
    );
  }
  line.unshift({ text: `every ${formatDuration(ui.intervalMs)}`, tone: 'muted', priority: 2 });
  if (model.foldCount > 0) {
    line.push(
      model.settled.settled
        ? { text: `${glyphs.ok} settled`, tone: 'ok', priority: 2 }
        : {
            text: `${glyphs.warn} not settled:`,
            parts: model.settled.reasons.map(sanitize),
            tone: 'warn',
            priority: 2,
          },
    );
  }
  return line;
}

export function headerLines(
  model: ClusterModel,
  ui: UiState,
  now: number,
  frozen: boolean,
  glyphs: Glyphs,
): [HeaderSegment[], HeaderSegment[]] {
  return [clusterLine(model, ui.label, glyphs), stateLine(model, ui, now, frozen, glyphs)];
}

function whole(s: HeaderSegment): string {
  return s.parts?.length ? `${s.text} ${s.parts.join('; ')}` : s.text;
}

/** The model may end its reasons with its own count of the rest ("and 2 more"): fold it into ours. */
function countedParts(parts: readonly string[]): { parts: readonly string[]; extra: number } {
  const counted = /^and (\d+) more$/.exec(parts[parts.length - 1] ?? '');
  return counted ? { parts: parts.slice(0, -1), extra: Number(counted[1]) } : { parts, extra: 0 };
}

/** The text with as many whole parts as fit `room` and the rest counted, or null when not even the count fits. */
function firstParts(s: HeaderSegment, room: number): string | null {
  const { parts, extra } = countedParts(s.parts!);
  let best: string | null = null;
  let text = s.text;
  // k parts kept whole (all of them fitting was tried before this is called).
  for (let k = 0; k < parts.length; k++) {
    if (k > 0) text += `${k > 1 ? ';' : ''} ${parts[k - 1]}`;
    const candidate = `${text}${k > 0 ? ';' : ''} +${parts.length - k + extra} more`;
    if (displayWidth(candidate) > room) break;
    best = candidate;
  }
  return best;
}

/**
 * The segments that fit `width` with two spaces between them, in their order. The most important are
 * placed first; a segment that does not fit whole is dropped, except reasons (`parts`), of which the
 * first ones that fit are kept, and free text (`cut`), which is cut to what is left. List members that do not fit are counted in one `+N more` after the last one kept.
 */
export function fitSegments(
  segments: readonly HeaderSegment[],
  width: number,
  ellipsis: string,
): HeaderSegment[] {
  const order = segments
    .map((_, i) => i)
    .sort((a, b) => segments[a]!.priority - segments[b]!.priority || a - b);
  const kept = new Map<number, HeaderSegment>();
  const lists = new Map<string, { left: number; after: number; more: number; closed: boolean }>();
  for (const s of segments) {
    if (s.list === undefined) continue;
    const list = lists.get(s.list);
    if (list) list.left++;
    else lists.set(s.list, { left: 1, after: -1, more: 0, closed: false });
  }
  let used = 0;
  const cost = (w: number) => (used === 0 ? w : w + SEPARATOR);
  for (const i of order) {
    const s = segments[i]!;
    const w = displayWidth(s.parts ? whole(s) : s.text);
    const list = s.list === undefined ? undefined : lists.get(s.list)!;
    if (list) {
      list.left--;
      if (list.closed) continue;
      // Room for this one and, if others follow, for the `+N more` that would count them.
      const reserve = list.left > 0 ? SEPARATOR + `+${list.left} more`.length : 0;
      if (cost(w) + reserve <= width - used) {
        kept.set(i, s);
        used += cost(w);
        list.after = i;
        continue;
      }
      list.closed = true;
      list.more = list.left + 1;
      const tag = cost(`+${list.more} more`.length);
      if (tag <= width - used) {
        used += tag;
        if (list.after < 0) list.after = i;
      } else list.more = 0;
      continue;
    }
    if (cost(w) <= width - used) {
      kept.set(i, s.parts ? { ...s, text: whole(s) } : s);
      used += cost(w);
      continue;
    }
    // What does not fit whole takes, in its turn, what is left: the first reasons, or the start of free text.
    const room = width - used - (used ? SEPARATOR : 0);
    if (s.parts) {
      const text = firstParts(s, room);
      if (text === null) continue;
      kept.set(i, { ...s, text });
      used += cost(displayWidth(text));
    } else if (s.cut && room >= MIN_CUT) {
      kept.set(i, { ...s, text: truncate(s.text, room, ellipsis) });
      used = width;
    }
  }
  const out: HeaderSegment[] = [];
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    const k = kept.get(i);
    if (k) out.push(k);
    const list = s.list === undefined ? undefined : lists.get(s.list)!;
    if (list && list.after === i && list.more > 0) {
      out.push({ text: `+${list.more} more`, tone: s.tone, priority: s.priority });
    }
  }
  return out;
}

/** ` epoch N` when the controller is the quorum's leader (DescribeQuorum): its leader epoch. */
function controllerEpoch(model: ClusterModel): string {
  const q = model.quorum;
  return q && q.leaderId >= 0 && q.leaderId === model.controllerId ? ` epoch ${q.leaderEpoch}` : '';
}
