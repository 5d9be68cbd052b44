import { afterEach, describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

import { createModel } from '../../../source/model/index.js';
import type { ClusterModel } from '../../../source/model/types.js';
import { UNICODE_GLYPHS as G } from '../../../source/ui/glyphs.js';
import { brokerPartitionTable } from '../../../source/ui/views/broker.js';
import { topicListTable } from '../../../source/ui/views/topics.js';
import { cluster, step, topicOf } from '../../fixtures/snapshots/builders.js';
import { plain, type Rendered, renderApp } from './render.js';

/** Internal topics listed first by the cluster, as Kafka's metadata order can: they must still rank last. */
function plumbingFirst(): ClusterModel {
  const s0 = cluster({
    brokers: 3,
    topics: { __consumer_offsets: 12, __transaction_state: 3, __share_group_state: 3, cdc: 3, pay: 6 },
  });
  topicOf(s0, '__consumer_offsets').internal = true;
  const model = createModel({});
  model.fold(s0);
  return model.fold(step(s0, 2000));
}

const PLUMBING = /^__(consumer_offsets|transaction_state|share_group_state)/;
const PLUMBING_CELL = /\s__(consumer_offsets|transaction_state|share_group_state)\s/;
const isInternal = (id: string) => PLUMBING.test(id);

describe('internal topics rank after the user topics', () => {
  it('in the broker drill-down, among partitions in the same state', () => {
    const model = plumbingFirst();
    const ids = brokerPartitionTable(model, model.brokers[0]!).rows.map((r) => r.id);
    const firstInternal = ids.findIndex(isInternal);
    expect(firstInternal).toBe(9); // cdc 3 + pay 6 on every broker at RF 3
    expect(ids.slice(firstInternal).every(isInternal)).toBe(true);
    // Within each kind, the partitions it leads first.
    expect(ids.slice(0, 3)).toEqual(['cdc-0', 'pay-0', 'pay-3']);
  });

  it('in the topics view', () => {
    const model = plumbingFirst();
    const ids = topicListTable(model.topics, G).rows.map((r) => r.id);
    expect(ids.slice(0, 2)).toEqual(['cdc', 'pay']);
    expect(ids.slice(2).sort()).toEqual(['__consumer_offsets', '__share_group_state', '__transaction_state']);
  });

  it('and are left out when hidden', () => {
    const model = plumbingFirst();
    expect(topicListTable(model.topics, G, true).rows.map((r) => r.id)).toEqual(['cdc', 'pay']);
    expect(brokerPartitionTable(model, model.brokers[0]!, true).rows.some((r) => isInternal(r.id))).toBe(
      false,
    );
  });
});

describe('the i key', () => {
  let rendered: Rendered | undefined;
  afterEach(() => {
    rendered?.unmount();
    rendered = undefined;
  });

  it('hides and shows internal topics in the topics view and the broker view, with a marker', async () => {
    rendered = await renderApp({ columns: 120, rows: 40 });
    rendered.store.setModel(plumbingFirst());
    await rendered.waitFor((f) => f.includes('0 groups'));
    const topics = plain(await rendered.press('t'));
    const rows = topics.split('\n').filter((l) => /● OK/.test(l));
    expect(rows[0]).toContain('cdc');
    expect(rows.at(-1)).toMatch(PLUMBING_CELL);
    const hidden = plain(await rendered.press('i'));
    expect(hidden).toContain('internal hidden');
    expect(hidden).not.toContain('__consumer_offsets');
    const shown = plain(await rendered.press('i'));
    expect(shown).not.toContain('internal hidden');
    expect(shown).toContain('__consumer_offsets');
    // The broker view: from the overview, the Brokers pane.
    await rendered.press('\u001b');
    await new Promise((resolve) => setTimeout(resolve, 30));
    await rendered.press('2', '\r');
    const broker = plain(await rendered.waitFor((f) => f.includes('overview › broker')));
    expect(broker).toContain('__consumer_offsets');
    const brokerHidden = plain(await rendered.press('i'));
    expect(brokerHidden).toContain('internal hidden');
    expect(brokerHidden).not.toContain('__consumer_offsets');
  });
});
