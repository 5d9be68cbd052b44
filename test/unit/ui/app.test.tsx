import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

// Each test renders whole 120x40 frames through Ink several times; the default 5 s is tight on 2 shared cores.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

import type { ClusterModel } from '../../../source/model/types.js';
import { KEYMAP } from '../../../source/ui/keymap.js';
import { demoModel, demoModels } from './fixtures.js';
import { KEYS, plain, type Rendered, renderApp } from './render.js';

let rendered: Rendered | undefined;
afterEach(() => {
  rendered?.unmount();
  rendered = undefined;
});

let deploy: ClusterModel;
let failure: ClusterModel;
beforeAll(async () => {
  deploy = await demoModel('rolling-deploy', 40);
  failure = await demoModel('broker-failure', 30);
});

const lines = (frame: string) => plain(frame).split('\n');
const selectedLine = (frame: string) =>
  lines(frame).find((l) => /^▶ (?!\d )/.test(l) || /^> (?!\d )/.test(l));

async function withModel(model: ClusterModel, options: Parameters<typeof renderApp>[0] = {}) {
  rendered = await renderApp(options);
  rendered.store.setModel(model);
  await rendered.waitFor((f) => f.includes(`${model.groups.length} groups`));
  return rendered;
}

describe('overview', () => {
  it('draws the four panes in a 2x2 grid at 120x40, within rows - 1 lines and the width', async () => {
    const r = await withModel(deploy);
    const frame = plain(r.lastFrame());
    for (const title of ['1 Group lag', '2 Brokers', '3 ISR events', '4 Rebalances'])
      expect(frame).toContain(title);
    // Side by side: the group and broker panes share a line.
    expect(lines(frame).some((l) => l.includes('Group lag') && l.includes('Brokers'))).toBe(true);
    expect(lines(frame).length).toBeLessThanOrEqual(39);
    for (const l of lines(frame)) expect([...l].length).toBeLessThanOrEqual(120);
    expect(frame).toContain('billing');
    expect(frame).toMatch(/last 15m: billing x\d+/);
  });

  it('stacks the panes at 80x24 and still fits', async () => {
    const r = await withModel(deploy, { columns: 80, rows: 24 });
    const frame = plain(r.lastFrame());
    for (const title of ['Group lag', 'Brokers', 'ISR events', 'Rebalances']) expect(frame).toContain(title);
    expect(lines(frame).some((l) => l.includes('Group lag') && l.includes('Brokers'))).toBe(false);
    expect(lines(frame).length).toBeLessThanOrEqual(23);
    for (const l of lines(frame)) expect([...l].length).toBeLessThanOrEqual(80);
  });

  it('lists groups worst first and marks status with a symbol and a word', async () => {
    const r = await withModel(deploy);
    const rows = lines(r.lastFrame()).filter((l) => /[✖▲●] (STOP|STALL|REWIND|WARN|OK)/.test(l));
    const rank = (l: string) =>
      ['OK', 'WARN', 'STALL', 'REWIND', 'STOP'].findIndex((s) => l.includes(` ${s} `));
    const groupRanks = rows.map((l) => rank(l.slice(0, 60)));
    expect(groupRanks.length).toBeGreaterThan(3);
    expect([...groupRanks].sort((a, b) => b - a)).toEqual(groupRanks);
  });

  it('moves the selection with j/k and arrows, also when keys arrive in one burst', async () => {
    const r = await withModel(deploy);
    const first = selectedLine(r.lastFrame());
    const second = selectedLine(await r.press('j'));
    expect(second).not.toBe(first);
    expect(selectedLine(await r.press('k'))).toBe(first);
    r.store.setModel(deploy); // unchanged model: no re-sort between the two ways of moving
    await r.press('g');
    const oneByOne = selectedLine(await r.press(KEYS.down, KEYS.down))?.slice(0, 30);
    await r.press('g');
    const burst = selectedLine(await r.press('jj'))?.slice(0, 30);
    expect(burst).toBe(oneByOne);
    expect(burst).not.toBe(first?.slice(0, 30));
    expect(burst).not.toBe(second?.slice(0, 30));
  });

  it('focuses panes with tab, shift-tab and 1-4, and expands with e', async () => {
    const r = await withModel(deploy);
    expect(plain(await r.press(KEYS.tab))).toMatch(/▶ 2 Brokers/);
    expect(plain(await r.press(KEYS.shiftTab))).toMatch(/▶ 1 Group lag/);
    expect(plain(await r.press('4'))).toMatch(/▶ 4 Rebalances/);
    const expanded = plain(await r.press('e'));
    expect(expanded).toContain('4 Rebalances');
    expect(expanded).not.toContain('Group lag');
    expect(plain(await r.press('e'))).toContain('Group lag');
  });
});

describe('drill-down', () => {
  it('group → partition charts and back with esc, with a breadcrumb', async () => {
    const r = await withModel(deploy);
    await r.press('/', ...'billing', KEYS.enter);
    const group = plain(await r.press(KEYS.enter));
    expect(group).toContain('overview › group billing');
    expect(group).toMatch(/COMMITTED|PARTITION/);
    expect(group).toMatch(/payments-\d+/);
    expect(group).toMatch(/assignor range \(eager\)/);
    expect(group).toMatch(/retention|assignment/);
    const partition = plain(await r.press(KEYS.enter));
    expect(partition).toMatch(/overview › group billing › payments-\d+/);
    expect(partition).toContain('Lag (messages)');
    expect(partition).toContain('Offsets');
    expect(partition).toMatch(/[┤┼]/);
    expect(plain(await r.press(KEYS.escape))).toContain('overview › group billing');
    const back = plain(await r.press(KEYS.escape));
    expect(back).toContain('Group lag');
    expect(back).not.toContain('overview ›');
  });

  it('broker view shows the idle chart, its partitions and leader imbalance', async () => {
    const r = await withModel(failure);
    await r.press('2');
    const broker = plain(await r.press(KEYS.enter));
    expect(broker).toMatch(/overview › broker \d/);
    expect(broker).toContain('Idle % (warn <30, alert <20)');
    expect(broker).toMatch(/leader imbalance|leaders balanced/);
    expect(broker).toMatch(/PARTITION\s+ROLE/);
  });

  it('topic list and the replica/ISR matrix', async () => {
    const r = await withModel(failure);
    const topics = plain(await r.press('t'));
    expect(topics).toContain('overview › topics');
    expect(topics).toMatch(/WRITES/);
    await r.press('/', ...'orders', KEYS.enter);
    const topic = plain(await r.press(KEYS.enter));
    expect(topic).toContain('overview › topics › topic orders');
    expect(topic).toMatch(/skew/);
    expect(topic).toMatch(/orders-0 .*(L|●)/);
  });

  it('enter on a partition of the topic view opens it: replicas, exact offsets and the groups on it', async () => {
    const r = await withModel(deploy);
    await r.press('t', '/', ...'orders', KEYS.enter, KEYS.enter);
    const tp = plain(await r.press(KEYS.enter));
    const p = deploy.topics.find((t) => t.name === 'orders')!.partitions[0]!;
    expect(tp).toContain(`overview › topics › topic orders › partition orders-${p.partition}`);
    expect(tp).toContain(`leader ${p.leader}`);
    expect(tp).toContain(`log end ${p.logEndOffset}`);
    const groups = deploy.groups.filter((g) =>
      g.partitions.some((x) => x.topic === 'orders' && x.partition === p.partition),
    );
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups) expect(tp).toContain(g.groupId);
    const partition = plain(await r.press(KEYS.enter));
    expect(partition).toMatch(new RegExp(`› partition orders-${p.partition} › orders-${p.partition}`));
    expect(partition).toContain('Lag (messages)');
  });

  it('t goes to the topics view without stacking it twice', async () => {
    const r = await withModel(failure);
    await r.press('2', KEYS.enter, 't', '/', ...'orders', KEYS.enter);
    const topic = plain(await r.press(KEYS.enter));
    expect(topic).toMatch(/overview › broker \d › topics › topic orders/);
    const topics = plain(await r.press('t'));
    expect(topics).toMatch(/overview › broker \d › topics(?! ›)/);
    expect(topics).not.toContain('topics › topics');
    // esc clears the topics filter typed above, then goes back to the broker.
    expect(plain(await r.press(KEYS.escape, KEYS.escape))).toMatch(/overview › broker \d(?! ›)/);
  });

  it('enter on an ISR event opens its topic', async () => {
    const r = await withModel(failure);
    await r.press('3');
    // The newest line is a storm of leader moves: enter opens it, and enter on one of its partitions opens the topic.
    expect(plain(await r.press(KEYS.enter))).toMatch(/leader ×\d+ ▾ back to preferred \d/);
    const topic = plain(await r.press('j', KEYS.enter));
    expect(topic).toMatch(/overview › topic \S+/);
  });
});

describe('filter, sort, freeze, help', () => {
  it('filters the focused list and esc clears the filter', async () => {
    const r = await withModel(deploy);
    await r.press('/');
    expect(plain(r.lastFrame())).toContain('enter keep');
    const filtered = plain(await r.press(...'order', KEYS.enter));
    const groupRows = lines(filtered)
      .filter((l) => /^[▶ ] [✖▲●·] /.test(l))
      .map((l) => l.slice(0, 58));
    expect(groupRows.length).toBe(1);
    expect(groupRows[0]).toContain('order-service');
    expect(filtered).toContain('filter "order"');
    const cleared = plain(await r.press(KEYS.escape));
    expect(cleared).toContain('billing');
    expect(cleared).not.toContain('filter "order"');
  });

  it('sorts by the next column with s and reverses with S', async () => {
    const r = await withModel(deploy);
    const groupNames = (f: string) =>
      lines(f)
        .filter((l) => /^[▶ ] [✖▲●·] /.test(l))
        // The status word, then the group id (up to its state in brackets) where the LAG column starts.
        .map((l) => /^[▶ ] [✖▲●·] \S+\s+(\S+)/.exec(l)![1]!);
    await r.press('s'); // STATUS ascending (worst first)
    const byName = groupNames(await r.press('s')); // GROUP
    expect(plain(r.lastFrame())).toMatch(/GROUP↓/);
    expect(byName).toEqual([...byName].sort());
    const reversed = groupNames(await r.press('S'));
    expect(plain(r.lastFrame())).toMatch(/GROUP↑/);
    expect(reversed).toEqual([...byName].reverse());
  });

  it('freezes the view while the store keeps updating', async () => {
    const models = await demoModels('slow-consumer', 45);
    const r = await withModel(models[40]!);
    const frozenFrame = plain(await r.press('f'));
    expect(frozenFrame).toContain('FROZEN');
    r.store.setModel(models[44]!);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stillFrozen = plain(r.lastFrame());
    expect(stillFrozen).toContain('FROZEN');
    const body = (f: string) => lines(f).slice(2).join('\n');
    expect(body(stillFrozen)).toBe(body(frozenFrame));
    const live = plain(await r.press('f'));
    expect(live).not.toContain('FROZEN');
    expect(body(live)).not.toBe(body(frozenFrame));
  });

  it('shows help generated from the keymap, closed by ? or esc', async () => {
    const r = await withModel(deploy);
    const help = plain(await r.press('?'));
    expect(help).toContain('Keys (overview)');
    for (const b of KEYMAP.filter(
      (k) => !k.replayOnly && (k.views === 'all' || k.views.includes('overview')),
    ).slice(0, 12)) {
      expect(help).toContain(b.description.slice(0, 30));
    }
    expect(help).not.toContain('Pause or resume the replay');
    expect(plain(await r.press(KEYS.escape))).toContain('Group lag');
  });
});

describe('quitting and small terminals', () => {
  it('q and ctrl-c quit', async () => {
    const r = await withModel(deploy);
    await r.press('q');
    expect(r.quit.count).toBe(1);
    await r.press(KEYS.ctrlC);
    expect(r.quit.count).toBe(2);
  });

  it('shows "terminal too small" below 80x24, where q and ctrl-c still quit', async () => {
    rendered = await renderApp({ columns: 70, rows: 20 });
    rendered.store.setModel(deploy);
    const frame = plain(await rendered.waitFor((f) => f.includes('too small')));
    expect(frame).toContain('terminal too small: need 80x24, have 70x20');
    await rendered.press('j', KEYS.enter, 'q');
    expect(rendered.quit.count).toBe(1);
    await rendered.press(KEYS.ctrlC);
    expect(rendered.quit.count).toBe(2);
  });
});

describe('replay keys', () => {
  it('drive the replay controls only in replay mode', async () => {
    const replay = { pause: vi.fn(), resume: vi.fn(), step: vi.fn(), seek: vi.fn(), setSpeed: vi.fn() };
    rendered = await renderApp({ store: { replay } });
    rendered.store.setModel(deploy);
    rendered.store.setReplay({ paused: false, speed: 1, index: 4, total: 100, ended: false, warning: null });
    expect(plain(await rendered.waitFor((f) => f.includes('REPLAY')))).toContain('REPLAY 5/100 x1');
    await rendered.press(' ', '.', '+', '-', '[', ']');
    expect(replay.pause).toHaveBeenCalledOnce();
    expect(replay.step).toHaveBeenCalledOnce();
    expect(replay.setSpeed.mock.calls).toEqual([[2], [0.5]]);
    expect(replay.seek.mock.calls).toEqual([[-10], [10]]);
    rendered.store.setReplay({ paused: true, speed: 1, index: 5, total: 100, ended: false, warning: null });
    await rendered.waitFor((f) => f.includes('PAUSED'));
    await rendered.press(' ');
    expect(replay.resume).toHaveBeenCalledOnce();
  });

  it('hides live-only keys in a replay: r neither refreshes nor shows in help', async () => {
    const replay = { pause: vi.fn(), resume: vi.fn(), step: vi.fn(), seek: vi.fn(), setSpeed: vi.fn() };
    const refreshNow = vi.fn();
    rendered = await renderApp({ store: { replay, refreshNow } });
    rendered.store.setModel(deploy);
    await rendered.press('r');
    expect(refreshNow).not.toHaveBeenCalled();
    const help = plain(await rendered.press('?'));
    expect(help).toContain('Pause or resume the replay');
    expect(help).not.toContain('Refresh now');
  });

  it('r asks for a refresh', async () => {
    const refreshNow = vi.fn();
    rendered = await renderApp({ store: { refreshNow } });
    await rendered.press('r');
    expect(refreshNow).toHaveBeenCalledOnce();
  });
});

describe('data age', () => {
  it('shows when fresh data was taken without redrawing, then counts up once it is late', async () => {
    const takenAtMs = deploy.dataAge.takenAtMs!;
    const start = Date.now();
    // Interval 2 s, so data is late after 4 s: this clock starts at 3.6 s of age.
    const clock = () => takenAtMs + 3_600 + (Date.now() - start);
    const r = await withModel(deploy, { store: { clock, intervalMs: 2_000 } });
    const taken = new Date(takenAtMs).toISOString().slice(11, 19);
    expect(plain(r.lastFrame())).toContain(`data at ${taken}`);
    const framesWhileFresh = r.stdout.frames.length;
    const late = plain(await r.waitFor((f) => f.includes('(late)'), 3_000));
    const age = Number(/data (\d+)s old \(late\)/.exec(late)?.[1]);
    expect(age).toBeGreaterThanOrEqual(4);
    // Nothing ticked while the data was fresh: a frame Ink was still finishing for the model may follow
    // (a loaded machine delays it), but none shows an age before the turn to late.
    const turn = r.stdout.frames.findIndex((f, i) => i >= framesWhileFresh && plain(f).includes('(late)'));
    const between = r.stdout.frames.slice(framesWhileFresh, turn).map(plain);
    expect(between.length).toBeLessThanOrEqual(1);
    for (const f of between) expect(f).toContain(`data at ${taken}`);
    // Then the age counts up.
    await r.waitFor((f) => f.includes(`data ${age + 1}s old`), 3_000);
    // A new refresh is fresh again.
    const next = { ...deploy, dataAge: { ...deploy.dataAge, takenAtMs: clock() } };
    r.store.setModel(next);
    await r.waitFor((f) => plain(f).includes('data at '));
  });
});
