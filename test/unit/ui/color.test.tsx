/**
 * Colour on and off. chalk (inside Ink) decides its colour level when it is first imported, so this file
 * forces colour support before importing Ink: then a missing colour in the NO_COLOR run is our doing.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

// Each test renders whole 120x40 frames through Ink several times; the default 5 s is tight on 2 shared cores.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

import type { ClusterModel } from '../../../source/model/types.js';

process.env.FORCE_COLOR = '1';
const { demoModel } = await import('./fixtures.js');
const { renderApp, plain } = await import('./render.js');
type Rendered = Awaited<ReturnType<typeof renderApp>>;

let rendered: Rendered | undefined;
afterEach(() => rendered?.unmount());

let model: ClusterModel;
beforeAll(async () => {
  model = await demoModel('hot-broker', 40);
});

const FOREGROUND = /\u001b\[(3[0-7]|9[0-7]|38;)/;

describe('colour', () => {
  it('uses colour when enabled', async () => {
    rendered = await renderApp({ color: true });
    rendered.store.setModel(model);
    const frame = await rendered.waitFor((f) => f.includes(`${model.groups.length} groups`));
    expect(frame).toMatch(FOREGROUND);
  });

  it('writes no colour codes with NO_COLOR / --no-color, yet keeps the status words and symbols', async () => {
    rendered = await renderApp({ color: false });
    rendered.store.setModel(model);
    const frame = await rendered.waitFor((f) => f.includes(`${model.groups.length} groups`));
    expect(frame).not.toMatch(FOREGROUND);
    expect(frame).not.toMatch(/\u001b\[(4[0-7]|10[0-7]|48;)/);
    expect(plain(frame)).toMatch(/[✖▲●] (OK|WARN|STOP|STALL|BUSY|SATUR)/);
  });

  it('draws only ASCII with --ascii', async () => {
    rendered = await renderApp({ color: false, ascii: true });
    rendered.store.setModel(model);
    const frame = plain(await rendered.waitFor((f) => f.includes(`${model.groups.length} groups`)));
    const nonAscii = [...frame].filter((c) => c.codePointAt(0)! > 0x7e);
    expect(nonAscii).toEqual([]);
    rendered.unmount();
    rendered = await renderApp({ color: false, ascii: true });
    rendered.store.setModel(model);
    await rendered.waitFor((f) => f.includes(`${model.groups.length} groups`));
    const chart = plain(await rendered.press('\r', '\r'));
    expect(chart).toContain('Lag (messages)');
    expect([...chart].filter((c) => c.codePointAt(0)! > 0x7e)).toEqual([]);
  });
});
