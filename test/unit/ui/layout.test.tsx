/**
 * The story of a broker failure and of a rolling deploy, readable at 80x24, 120x40 and 200x60: what
 * identifies things (the down broker, who left and joined, partition numbers) is on screen uncut.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

// Whole frames at three sizes through Ink: the default 5 s is tight on 2 shared cores.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

import type { ClusterModel } from '../../../source/model/types.js';
import { formatExact } from '../../../source/ui/format.js';
import { INITIAL_NAV } from '../../../source/ui/navigation.js';
import { hostTellsApart } from '../../../source/ui/panes/brokers.js';
import { flowFacts } from '../../../source/ui/screen.js';
import { demoModel } from './fixtures.js';
import { plain, type Rendered, renderApp } from './render.js';

const SIZES = [
  [80, 24],
  [120, 40],
  [200, 60],
] as const;

let rendered: Rendered | undefined;
afterEach(() => {
  rendered?.unmount();
  rendered = undefined;
});

let failure: ClusterModel;
let deploy: ClusterModel;
beforeAll(async () => {
  // Refresh 8 of broker-failure: broker 4 is down, its partitions shrunk; refresh 40 of rolling-deploy:
  // billing's members have left and rejoined one by one.
  failure = await demoModel('broker-failure', 8);
  deploy = await demoModel('rolling-deploy', 40);
});

async function show(model: ClusterModel, columns: number, rows: number, nav = INITIAL_NAV) {
  rendered = await renderApp({ columns, rows, initialNav: nav });
  rendered.store.setModel(model);
  await rendered.waitFor((f) => f.includes('q quit'));
  return rendered;
}

const lines = (frame: string) => plain(frame).split('\n');

describe.each(SIZES)('at %ix%i', (columns, rows) => {
  it('the brokers pane names the down broker and when it went down', async () => {
    const down = failure.brokers.find((b) => !b.up)!;
    const r = await show(failure, columns, rows);
    const frame = lines(r.lastFrame());
    expect(frame.some((l) => new RegExp(`DOWN +${down.id} .* since \\d\\d:\\d\\d:\\d\\d`).test(l))).toBe(
      true,
    );
    if (columns >= 120) {
      // Side by side with the groups, the other brokers' notes are whole too.
      const li = failure.brokers.find((b) => b.up && b.leaderImbalance.ledNotPreferred > 0)!.leaderImbalance;
      expect(frame.join('\n')).toContain(`leader imbalance ${li.ledNotPreferred + li.preferredNotLed}`);
    }
  });

  it('the groups pane shows group ids whole', async () => {
    const r = await show(failure, columns, rows);
    const ids = new Set(failure.groups.map((g) => g.groupId));
    const frame = lines(r.lastFrame());
    // The groups pane's lines: from its title to the next pane's (below it when stacked, or the ISR pane).
    const start = frame.findIndex((l) => l.includes('1 Group lag'));
    const end = frame.findIndex((l, i) => i > start && /^[▶ ] [2-4] /.test(l));
    const shown = frame.slice(start, end).flatMap((l) => /^[▶ ] [✖▲●·] \S+\s+(\S+)/.exec(l)?.[1] ?? []);
    // Stacked, the focused groups pane keeps a third of the screen beside the failure's brokers and events.
    expect(shown.length).toBeGreaterThanOrEqual(Math.min(ids.size, columns < 120 ? 4 : 9));
    for (const id of shown) expect(ids).toContain(id);
  });

  it('every broker not OK and the ISR events of the last minutes are on the first screen', async () => {
    const r = await show(failure, columns, rows);
    const frame = lines(r.lastFrame());
    for (const b of failure.brokers) {
      expect(
        frame.some((l) => new RegExp(`(DOWN|URP) +${b.id}\\*? `).test(l)),
        `broker ${b.id}`,
      ).toBe(true);
    }
    const start = frame.findIndex((l) => l.includes('3 ISR events'));
    const eventRows = frame
      .slice(start)
      .filter((l) => /^[▶ ] \d\d:\d\d:\d\d /.test(l) || /^ *\d\d:\d\d:\d\d /.test(l));
    expect(eventRows.length).toBeGreaterThanOrEqual(4);
  });

  it('the rebalance pane says who left and joined, with client id and host', async () => {
    const events = deploy.events.filter((e) => e.kind === 'member-join' || e.kind === 'member-leave');
    const latest = events[events.length - 1]!;
    if (latest.kind !== 'member-join' && latest.kind !== 'member-leave') throw new Error('no member event');
    const r = await show(deploy, columns, rows);
    // Stacked at 80 columns the focused pane takes the height: focus the rebalance pane as a user would.
    const frame = plain(columns < 120 ? await r.press('4') : r.lastFrame());
    const who = `${latest.kind === 'member-join' ? 'join' : 'left'} ${latest.clientId}@${latest.host}`;
    expect(frame).toContain(`billing ${who}`);
  });

  it('a partition table shows every partition number and the exact offsets', async () => {
    const group = failure.groups.find((g) => g.groupId === 'inventory-sync')!;
    const nav = {
      ...INITIAL_NAV,
      stack: [...INITIAL_NAV.stack, { kind: 'group', groupId: group.groupId } as const],
    };
    const r = await show(failure, columns, rows, nav);
    const frame = lines(r.lastFrame());
    const shown = frame.flatMap((l) => /^[▶ ] [✖▲●·] \S+\s+(\S+)/.exec(l)?.[1] ?? []);
    const ids = group.partitions.map((p) => `${p.topic}-${p.partition}`);
    expect(shown.length).toBeGreaterThanOrEqual(Math.min(ids.length, rows - 12));
    for (const id of shown) expect(ids).toContain(id);
    const first = group.partitions.find((p) => `${p.topic}-${p.partition}` === shown[0])!;
    const row = frame.find((l) => l.includes(` ${shown[0]} `))!;
    expect(row).toContain(formatExact(first.committedOffset));
    expect(row).toContain(formatExact(first.logEndOffset));
  });
});

describe('drill-down facts', () => {
  it.each(SIZES)(
    'at %ix%i a broker fact that does not fit starts the next line instead of being cut',
    async (columns, rows) => {
      const down = failure.brokers.find((b) => !b.up)!;
      const nav = {
        ...INITIAL_NAV,
        stack: [...INITIAL_NAV.stack, { kind: 'broker', brokerId: down.id } as const],
      };
      const r = await show(failure, columns, rows, nav);
      const frame = plain(r.lastFrame());
      expect(frame).toMatch(/DOWN since \d\d:\d\d:\d\d/);
      const li = down.leaderImbalance;
      expect(frame).toContain(
        `leader imbalance: leads ${li.ledNotPreferred} not preferred, ${li.preferredNotLed} preferred led elsewhere`,
      );
      expect(frame.split('\n').length).toBeLessThanOrEqual(rows - 1);
    },
  );

  it('flows facts: whole facts per line, two spaces apart, empty ones skipped', () => {
    const facts = [[{ text: 'aaaa' }, { text: '' }, { text: 'bbbb' }, { text: 'cccccc' }], [{ text: 'dd' }]];
    expect(flowFacts(facts, 10).map((l) => l.map((f) => f.text).join('  '))).toEqual([
      'aaaa  bbbb',
      'cccccc',
      'dd',
    ]);
  });
});

describe('at 200x60 the width goes where it is needed', () => {
  it('hosts are whole in the brokers pane, and GROUP is as wide as the longest group id', async () => {
    const r = await show(failure, 200, 60);
    const frame = lines(r.lastFrame());
    for (const b of failure.brokers) expect(frame.join('\n')).toContain(`${b.host}:${b.port}`);
    const header = frame.find((l) => l.includes('GROUP') && l.includes('TIME LAG'))!;
    let longest = 0;
    for (const g of failure.groups) longest = Math.max(longest, g.groupId.length);
    // The GROUP column, its separator, then LAG right-aligned in a column as wide as its widest value.
    expect(header.indexOf(' LAG ') - header.indexOf('GROUP')).toBeLessThanOrEqual(longest + 1 + 4);
  });
});

describe('pane sizes', () => {
  it('an empty pane keeps its title and one line; the busy panes take the rest', async () => {
    // broker-failure at refresh 8 has no rebalances: its pane is two lines, the ISR pane below the groups gets more.
    const r = await show(failure, 120, 40);
    const frame = lines(r.lastFrame());
    const title = frame.findIndex((l) => l.includes('4 Rebalances'));
    expect(frame[title + 1]).toContain('no rebalances seen');
    // The ISR events pane shares the grid row: it starts right after the groups pane's rows.
    const isr = frame.findIndex((l) => l.includes('3 ISR events'));
    expect(isr).toBeLessThanOrEqual(2 + 2 + failure.groups.length + 1);
    const isrRows = frame.slice(isr + 2).filter((l) => /^\s+\d\d:\d\d:\d\d /.test(l)).length;
    expect(isrRows).toBeGreaterThan(16);
  });

  it('stacked at 80x24, an empty pane takes two lines', async () => {
    const r = await show(failure, 80, 24);
    const frame = lines(r.lastFrame());
    const title = frame.findIndex((l) => l.includes('4 Rebalances'));
    expect(frame[title + 1]).toContain('no rebalances seen');
    expect(frame[title + 2]).toMatch(/^times \S+ +q quit/);
  });
});

/** A pane's column header as drawn: the line under its title, on its side of the grid's separator. */
function paneColumns(frame: readonly string[], title: string): string {
  const at = frame.findIndex((l) => l.includes(title));
  const side = frame[at]!.split('│').findIndex((part) => part.includes(title));
  return ` ${(frame[at + 1]!.split('│')[side] ?? '').trim()} `;
}

/** The titles not in `header`, whole or cut to fit (`IDLE HIST…` shows IDLE HISTORY). */
function has(header: string, expected: readonly string[]): string[] {
  return expected.filter((t) => {
    if (header.includes(` ${t} `)) return false;
    for (let k = t.length - 1; k >= 2; k--) if (header.includes(` ${t.slice(0, k)}… `)) return false;
    return true;
  });
}

describe.each([
  ['broker-failure', () => failure],
  ['rolling-deploy', () => deploy],
] as const)('the columns each pane keeps on %s', (_, model) => {
  // What identifies things and what an SRE acts on is kept at every size; sparklines, NET, LEAD and PART,
  // the trend and the rebalance count give way first.
  const KEPT = {
    '1 Group lag': ['STATUS', 'GROUP', 'LAG', 'TIME LAG', 'ETA', 'MBR'],
    '2 Brokers': ['STATUS', 'ID', 'HOST', 'IDLE', 'URP', 'NOTE'],
    '3 ISR events': ['TIME', 'EVENT', 'PARTITION', 'BRKR'],
    '4 Rebalances': ['TIME', 'GROUP', 'CHANGE'],
  };
  it.each(SIZES)('at %ix%i', async (columns, rows) => {
    const m = model();
    const r = await show(m, columns, rows);
    const frame = lines(r.lastFrame());
    for (const [title, kept] of Object.entries(KEPT)) {
      const empty = frame[frame.findIndex((l) => l.includes(title)) + 1]!.includes(' seen');
      expect({ title, missing: empty ? [] : has(paneColumns(frame, title), kept) }).toEqual({
        title,
        missing: [],
      });
    }
    const groups = paneColumns(frame, '1 Group lag');
    if (columns !== 120) expect(has(groups, ['RB15'])).toEqual([]);
    // At 120 the history gives way to ETA and MBR beside whole group ids.
    if (columns === 120) expect(has(groups, ['LAG HISTORY'])).toEqual(['LAG HISTORY']);
    if (columns >= 200) {
      expect(has(groups, ['LAG HISTORY'])).toEqual([]);
      expect(
        has(paneColumns(frame, '2 Brokers'), ['REQ IDLE', 'IDLE HISTORY', 'NET', 'LEAD', 'PART']),
      ).toEqual([]);
    }
    // The ISR change is shown beside what changed wherever the events are not only alerts.
    if (m === failure) expect(has(paneColumns(frame, '3 ISR events'), ['ISR'])).toEqual([]);
  });
});

describe('at 120x40 in the grid, what identifies rows is whole or tells them apart', () => {
  it('the brokers pane keeps HOST, cut no shorter than what tells the hosts apart, the id whole', async () => {
    const r = await show(failure, 120, 40);
    const frame = lines(r.lastFrame());
    const hosts = failure.brokers.map((b) => `${b.host}:${b.port}`);
    const keep = hostTellsApart(hosts) - 1;
    for (const b of failure.brokers) {
      const row = frame.find((l) => new RegExp(`[✖▲●] \\S+ +${b.id}\\*? +${b.host.slice(0, keep)}`).test(l));
      expect(row, `broker ${b.id}`).toBeDefined();
    }
    expect(frame.join('\n')).toMatch(/DOWN 4 +kafka-4\S* +.*since \d\d:\d\d:\d\d/);
  });

  it('the groups pane shows ETA and MBR, – where the members are unknown', async () => {
    const r = await show(failure, 120, 40);
    const frame = lines(r.lastFrame());
    const billing = failure.groups.find((g) => g.groupId === 'billing')!;
    expect(frame.find((l) => /● OK +billing /.test(l))).toMatch(
      new RegExp(`keeping up +${billing.members.length}\\s*│`),
    );
    expect(frame.find((l) => l.includes('search-indexer [consumer]'))).toMatch(/keeping up +–\s*│/);
  });

  it('the ISR pane shows what changed whole: the down broker’s host, the alert’s subject', async () => {
    const r = await show(failure, 120, 40);
    const frame = plain(r.lastFrame());
    const down = failure.brokers.find((b) => !b.up)!;
    expect(frame).toMatch(new RegExp(`BRKR DOWN +${down.host}:${down.port} `));
    expect(frame).toMatch(/ALERT +UnderMinIsrPartitions\(cluster\) /);
  });

  it('a long group id drops ETA and MBR rather than being cut', async () => {
    const long = 'payments-ledger-reconciliation-eu-west-1-prod';
    const groups = failure.groups.map((g) => (g.groupId === 'billing' ? { ...g, groupId: long } : g));
    const r = await show({ ...failure, groups } as ClusterModel, 120, 40);
    const frame = lines(r.lastFrame());
    expect(frame.find((l) => / OK +payments-ledger-rec/.test(l))).toContain(` ${long} `);
    expect(has(paneColumns(frame, '1 Group lag'), ['STATUS', 'GROUP', 'LAG', 'TIME LAG'])).toEqual([]);
  });

  it('tells hosts apart by one cell past their longest shared prefix, and the ellipsis', () => {
    expect(hostTellsApart(['kafka-1.demo:9092', 'kafka-2.demo:9092', 'kafka-10.demo:9092'])).toBe(9);
    expect(hostTellsApart(['/10.0.3.12:9092', '/10.0.3.137:9092'])).toBe(11);
    expect(hostTellsApart(['a:1'])).toBe(2);
  });
});
