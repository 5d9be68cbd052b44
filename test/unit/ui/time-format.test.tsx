import { afterEach, describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 30_000 });

import { clockZone, formatClock, formatInstants, setClockZone } from '../../../source/ui/format.js';
import { INITIAL_NAV } from '../../../source/ui/navigation.js';
import { demoModel } from './fixtures.js';
import { plain, type Rendered, renderApp } from './render.js';

const AT = '2026-12-02T13:58:25.887Z';
const zone = process.env.TZ;

let rendered: Rendered | undefined;
afterEach(() => {
  rendered?.unmount();
  rendered = undefined;
  process.env.TZ = zone;
  setClockZone('local');
});

describe('one time format', () => {
  it('local time by default, in the zone TZ names, and the zone said once', () => {
    process.env.TZ = 'Asia/Kolkata';
    setClockZone('local');
    expect(formatClock(AT)).toBe('19:28:25');
    expect(formatClock(Date.parse(AT))).toBe('19:28:25');
    expect(clockZone(Date.parse(AT))).toBe('GMT+5:30');
  });

  it('UTC, labelled so, with --utc', () => {
    process.env.TZ = 'Asia/Kolkata';
    setClockZone('utc');
    expect(formatClock(AT)).toBe('13:58:25');
    expect(clockZone(Date.parse(AT))).toBe('UTC');
  });

  it("the model's reasons show their instants as the other times", () => {
    process.env.TZ = 'Asia/Kolkata';
    setClockZone('local');
    expect(formatInstants(`no commit since ${AT} and no member owns the partition (lag 12)`)).toBe(
      'no commit since 19:28:25 and no member owns the partition (lag 12)',
    );
    expect(formatInstants('lag 12 (est.)')).toBe('lag 12 (est.)');
  });

  it('no ISO string reaches the screen: the group view of a stopped group, and the zone in the footer', async () => {
    const deploy = await demoModel('rolling-deploy', 40);
    const group = deploy.groups.find((g) => g.status === 'STOP' && /\d{4}-\d\d-\d\dT/.test(g.statusReason))!;
    const nav = {
      ...INITIAL_NAV,
      stack: [...INITIAL_NAV.stack, { kind: 'group', groupId: group.groupId } as const],
    };
    rendered = await renderApp({ columns: 200, rows: 40, initialNav: nav });
    rendered.store.setModel(deploy);
    const frame = plain(await rendered.waitFor((f) => f.includes('no commit since')));
    expect(frame).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
    expect(frame).toMatch(/no commit since \d\d:\d\d:\d\d/);
    expect(frame.split('\n').at(-1)).toMatch(/^times UTC /);
  });
});
