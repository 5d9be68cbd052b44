import { afterEach, describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 30_000 });

import { createModel } from '../../../source/model/index.js';
import { cluster, partitionOf, step } from '../../fixtures/snapshots/builders.js';
import { HOSTILE_TOPIC } from './fixtures.js';
import { KEYS, plain, type Rendered, renderApp } from './render.js';

let rendered: Rendered | undefined;
afterEach(() => {
  rendered?.unmount();
  rendered = undefined;
});

/** The broker view of broker 1 (the brokers pane selects it first), with its topic's one partition at `isr`. */
async function brokerView(isr: number[]) {
  const s0 = cluster({ brokers: 3, topics: { [HOSTILE_TOPIC]: 1 } });
  const s1 = step(s0, 2000, (d) => {
    partitionOf(d, HOSTILE_TOPIC, 0).isr = isr;
  });
  const model = createModel();
  model.fold(s0);
  rendered = await renderApp();
  rendered.store.setModel(model.fold(s1));
  await rendered.waitFor((f) => f.includes('Brokers'));
  await rendered.press('2');
  const frame = plain(await rendered.press(KEYS.enter));
  expect(frame).toContain('overview › broker 1');
  return frame;
}

describe('broker view: safe to restart', () => {
  it('says yes when every partition keeps min.insync.replicas without the broker', async () => {
    expect(await brokerView([1, 2, 3])).toContain('safe to restart: yes');
    // Out of the ISR already, broker 1 takes nothing away by restarting.
    rendered?.unmount();
    expect(await brokerView([2, 3])).toContain('safe to restart: yes');
  });

  it('says no, naming the partition (sanitized), for a broker in an ISR of exactly min.insync.replicas', async () => {
    expect(await brokerView([1, 2])).toContain('safe to restart: no (topicx-0: at min ISR)');
    expect(rendered!.lastFrame()).not.toContain('\u001b[31mic');
  });
});
