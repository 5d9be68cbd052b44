import { afterEach, describe, expect, it, vi } from 'vitest';

// Each test renders whole 120x40 frames through Ink several times; the default 5 s is tight on 2 shared cores.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

import { INITIAL_NAV } from '../../../source/ui/navigation.js';
import { HOSTILE_GROUP, HOSTILE_TOPIC, hostileModel } from './fixtures.js';
import { KEYS, type Rendered, renderApp } from './render.js';

let rendered: Rendered | undefined;
afterEach(() => rendered?.unmount());

/** Anything but SGR colour codes and newlines that could reach the terminal from a frame. */
function dangerous(frame: string): string[] {
  const withoutSgr = frame.replace(/\u001b\[[0-9;]*m/g, '');
  return [
    ...withoutSgr.matchAll(
      /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200b-\u200f]/g,
    ),
  ].map((m) => `U+${m[0].codePointAt(0)!.toString(16)}`);
}

describe('hostile names never reach the terminal raw', () => {
  it('sanitizes group ids, topics, client ids, hosts, states and errors in every view', async () => {
    rendered = await renderApp({ ascii: false });
    rendered.store.setModel(hostileModel());
    await rendered.waitFor((f) => f.includes('1 group,'));
    const frames: string[] = [rendered.lastFrame()];
    frames.push(await rendered.press(KEYS.enter)); // group view: client ids, hosts, member ids
    frames.push(await rendered.press(KEYS.enter)); // partition view
    frames.push(await rendered.press(KEYS.escape, KEYS.escape, 't')); // topic list
    frames.push(await rendered.press(KEYS.enter)); // topic matrix
    frames.push(await rendered.press(KEYS.enter)); // topic-partition view: its groups, clients, hosts
    frames.push(await rendered.press(KEYS.escape, KEYS.escape, KEYS.escape, '2', KEYS.enter)); // broker view
    for (const frame of frames) expect(dangerous(frame)).toEqual([]);
    const all = frames.join('\n');
    // What is left of each name after the controls are removed is still shown.
    expect(all).toContain('evilgroup');
    expect(all).toContain('topicx-0');
    expect(frames[1]).toContain('/10.0.0.1');
    expect(frames[1]).toContain('client');
    expect(frames[5]).toContain('evilgroup');
    expect(frames[5]).toContain('/10.0.0.1');
    expect(all).not.toContain(HOSTILE_GROUP);
    expect(all).not.toContain(HOSTILE_TOPIC);
    expect(all).not.toContain('pwned');
  });

  it('sanitizes the filter text typed by the user', async () => {
    rendered = await renderApp({ initialNav: INITIAL_NAV });
    rendered.store.setModel(hostileModel());
    await rendered.waitFor((f) => f.includes('1 group,'));
    const frame = await rendered.press('/', 'a\u0007\u202eb');
    expect(dangerous(frame)).toEqual([]);
    expect(frame).toContain('/ab_');
  });
});
