/** Risky configs on screen: the topic view says what each one risks. */
import { afterEach, describe, expect, it } from 'vitest';
import { INITIAL_NAV } from '../../../source/ui/navigation.js';
import { cluster, groupOf, step, topicOf } from '../../fixtures/snapshots/builders.js';
import { foldAll } from '../model/helpers.js';
import { plain, type Rendered, renderApp } from './render.js';

let rendered: Rendered | undefined;
afterEach(() => {
  rendered?.unmount();
  rendered = undefined;
});

describe('config insights on screen', () => {
  it('the topic view of a topic with RF 2 and min.insync.replicas 2', async () => {
    const s0 = cluster({ brokers: 3, topics: { risky: 2 } });
    const s1 = step(s0, 2000, (d) => {
      for (const p of topicOf(d, 'risky').partitions) {
        p.replicas = p.replicas.slice(0, 2);
        p.isr = p.replicas;
      }
    });
    const nav = { ...INITIAL_NAV, stack: [...INITIAL_NAV.stack, { kind: 'topic', topic: 'risky' } as const] };
    rendered = await renderApp({ columns: 160, rows: 30, initialNav: nav });
    rendered.store.setModel(foldAll([s0, s1]).model);
    const frame = plain(await rendered.waitFor((f) => f.includes('replication factor 2')));
    expect(frame).toContain('replication factor 2: one broker lost leaves one copy');
    expect(frame).toContain(
      'min.insync.replicas 2 ≥ replication factor 2: any broker down blocks acks=all writes',
    );
  });

  it('the topic view reads unknown configs as –, not ?', async () => {
    const s0 = cluster({ brokers: 3, topics: { bare: 1 } });
    const s1 = step(s0, 2000, (d) => {
      topicOf(d, 'bare').configs = {};
    });
    const nav = { ...INITIAL_NAV, stack: [...INITIAL_NAV.stack, { kind: 'topic', topic: 'bare' } as const] };
    rendered = await renderApp({ columns: 160, rows: 30, initialNav: nav });
    rendered.store.setModel(foldAll([s0, s1]).model);
    const frame = plain(await rendered.waitFor((f) => f.includes('1 partitions')));
    expect(frame).toContain('min ISR –');
    expect(frame).toContain('retention –');
    expect(frame).toContain('cleanup –');
    expect(frame).not.toMatch(/min ISR \?|retention \?|cleanup \?/);
  });

  /** RF 2 and min.insync.replicas 2 on `risky` (10 partitions), read by `app`'s 3 members with range. */
  function riskyGroup() {
    const s0 = cluster({
      brokers: 3,
      topics: { risky: 10, other: 1 },
      groups: { app: { topic: 'risky', members: 3 } },
    });
    const s1 = step(s0, 2000, (d) => {
      for (const p of topicOf(d, 'risky').partitions) {
        p.replicas = p.replicas.slice(0, 2);
        p.isr = p.replicas;
      }
    });
    return foldAll([s0, s1]).model;
  }

  it("the group view: its uneven assignment and its topics' config insights, one line each", async () => {
    const nav = { ...INITIAL_NAV, stack: [...INITIAL_NAV.stack, { kind: 'group', groupId: 'app' } as const] };
    rendered = await renderApp({ columns: 160, rows: 30, initialNav: nav });
    rendered.store.setModel(riskyGroup());
    const frame = plain(await rendered.waitFor((f) => f.includes('1 member gets one more')));
    // One line per insight, each marked.
    expect(frame).toMatch(
      /^\s*\S risky: {2}10 partitions over 3 members: 1 member gets one more \(skew 4-3 = 1\)\s*$/m,
    );
    expect(frame).toMatch(/^\s*\S risky: {2}replication factor 2: one broker lost leaves one copy\s*$/m);
    expect(frame).toMatch(
      /^\s*\S risky: {2}min.insync.replicas 2 ≥ replication factor 2: any broker down blocks acks=all writes\s*$/m,
    );
    expect(frame).not.toContain('other:');
    expect(frame).not.toContain('assignment even');
  });

  it('at 80 columns an insight wraps under its subject instead of losing its skew', async () => {
    for (const f of [
      { kind: 'group', groupId: 'app' } as const,
      { kind: 'topic', topic: 'risky' } as const,
    ]) {
      const nav = { ...INITIAL_NAV, stack: [...INITIAL_NAV.stack, f] };
      rendered = await renderApp({ columns: 80, rows: 24, initialNav: nav });
      rendered.store.setModel(riskyGroup());
      const frame = plain(await rendered.waitFor((x) => x.includes('1 member gets one more')));
      expect(frame).toContain('10 partitions over 3 members: 1 member gets one more (skew 4-3 = 1)');
      rendered.unmount();
      rendered = undefined;
    }
  });

  it("the group view: a spread over all the partitions is the assignment's, not a topic's", async () => {
    const s0 = cluster({
      brokers: 3,
      topics: { orders: 10 },
      groups: { app: { topic: 'orders', members: 3, protocol: 'cooperative-sticky' } },
    });
    const nav = { ...INITIAL_NAV, stack: [...INITIAL_NAV.stack, { kind: 'group', groupId: 'app' } as const] };
    rendered = await renderApp({ columns: 160, rows: 30, initialNav: nav });
    rendered.store.setModel(foldAll([s0]).model);
    const frame = plain(await rendered.waitFor((f) => f.includes('1 member gets one more')));
    expect(frame).toMatch(
      /^\s*\S assignment: {2}10 partitions over 3 members: 1 member gets one more \(skew 4-3 = 1\)\s*$/m,
    );
  });

  it('the topic view: the groups reading it unevenly', async () => {
    const nav = { ...INITIAL_NAV, stack: [...INITIAL_NAV.stack, { kind: 'topic', topic: 'risky' } as const] };
    rendered = await renderApp({ columns: 160, rows: 30, initialNav: nav });
    rendered.store.setModel(riskyGroup());
    const frame = plain(await rendered.waitFor((f) => f.includes('1 member gets one more')));
    expect(frame).toMatch(
      /^\s*\S group app: {2}10 partitions over 3 members: 1 member gets one more \(skew 4-3 = 1\)\s*$/m,
    );
  });

  it('the group view counts the insights past four instead of drawing them', async () => {
    const s0 = cluster({
      brokers: 3,
      topics: { risky: 10, other: 1 },
      configs: {
        risky: { 'unclean.leader.election.enable': 'true' },
        other: { 'unclean.leader.election.enable': 'true' },
      },
      groups: { app: { topic: 'risky', members: 3 } },
    });
    const s1 = step(s0, 2000, (d) => {
      for (const p of topicOf(d, 'risky').partitions) {
        p.replicas = p.replicas.slice(0, 2);
        p.isr = p.replicas;
      }
      groupOf(d, 'app').partitions.push({
        topic: 'other',
        partition: 0,
        committedOffset: 0,
        logEndOffset: 0,
        lag: 0,
        memberId: null,
      });
    });
    const nav = { ...INITIAL_NAV, stack: [...INITIAL_NAV.stack, { kind: 'group', groupId: 'app' } as const] };
    rendered = await renderApp({ columns: 160, rows: 30, initialNav: nav });
    rendered.store.setModel(foldAll([s0, s1]).model);
    // 1 uneven + 3 for risky + 1 for other: three drawn, two counted.
    const frame = plain(await rendered.waitFor((f) => f.includes('more insights')));
    expect(frame).toContain('risky:  10 partitions over 3 members');
    expect(frame).toContain('risky:  replication factor 2');
    expect(frame).toContain('risky:  min.insync.replicas 2');
    expect(frame).not.toContain('unclean');
    expect(frame).not.toContain('other:');
    expect(frame).toContain('+2 more insights (topic views)');
  });
});
