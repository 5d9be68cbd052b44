/** The group view's facts where something is unknown. */
import { afterEach, describe, expect, it } from 'vitest';
import { INITIAL_NAV } from '../../../source/ui/navigation.js';
import { cluster, groupOf } from '../../fixtures/snapshots/builders.js';
import { foldAll } from '../model/helpers.js';
import { plain, type Rendered, renderApp } from './render.js';

let rendered: Rendered | undefined;
afterEach(() => {
  rendered?.unmount();
  rendered = undefined;
});

describe('group view', () => {
  it('the members of a consumer-protocol group only DescribeGroups saw read –, not ?', async () => {
    const s0 = cluster({ topics: { orders: 2 }, groups: { cg: { topic: 'orders' } } });
    Object.assign(groupOf(s0, 'cg'), { consumerProtocol: true, state: 'Dead', protocol: '', members: [] });
    const nav = { ...INITIAL_NAV, stack: [...INITIAL_NAV.stack, { kind: 'group', groupId: 'cg' } as const] };
    rendered = await renderApp({ columns: 160, rows: 30, initialNav: nav });
    rendered.store.setModel(foldAll([s0]).model);
    const frame = plain(await rendered.waitFor((f) => f.includes('KIP-848')));
    expect(frame).toContain('members – (KIP-848)');
    expect(frame).not.toContain('members ?');
  });
});
