import { describe, expect, it } from 'vitest';
import { resolveOptions, UsageError } from '../../../source/cli/options.js';
import { formatEffectiveConfig } from '../../../source/cli/print.js';
import { NO_SCOPE, scopeOf, scopeSnapshot } from '../../../source/cli/scope.js';
import { cluster, produce, step } from '../../fixtures/snapshots/builders.js';

describe('scopeOf (--group / --topic)', () => {
  it('no pattern: everything in scope', () => {
    expect(scopeOf([], 'group')).toBeNull();
  });

  it('matches the whole name; repeatable includes; ! excludes', () => {
    const inScope = scopeOf(['billing.*', 'orders', '!billing-test'], 'group')!;
    expect(
      ['billing', 'billing-v2', 'orders', 'orders-v2', 'billing-test', 'x-billing'].filter(inScope),
    ).toEqual(['billing', 'billing-v2', 'orders']);
  });

  it('only excludes: everything else is in scope', () => {
    const inScope = scopeOf(['!__.*', '!scratch-.*'], 'topic')!;
    expect(['orders', '__consumer_offsets', 'scratch-1'].filter(inScope)).toEqual(['orders']);
  });

  it('a bad regex or an empty one is a usage error naming the flag', () => {
    expect(() => scopeOf(['('], 'group')).toThrow(UsageError);
    expect(() => scopeOf(['('], 'group')).toThrow(/^--group "\(" is not a regular expression/);
    expect(() => scopeOf(['!'], 'topic')).toThrow('--topic needs a regular expression: --topic REGEX');
  });
});

describe('--group and --topic in the options', () => {
  it('are kept as given, checked to compile, and shown by --print-config', () => {
    const options = resolveOptions(
      { demo: true, group: ['billing.*', '!billing-test'], topic: ['orders'] },
      {},
      ['steady'],
    );
    expect(JSON.parse(formatEffectiveConfig(options)).scope).toEqual({
      groups: ['billing.*', '!billing-test'],
      topics: ['orders'],
    });
    expect(() => resolveOptions({ demo: true, topic: ['[a-'] }, {}, ['steady'])).toThrow(/^--topic "\[a-"/);
  });
});

describe('scopeSnapshot', () => {
  const s = cluster({
    brokers: 3,
    topics: { orders: 2, payments: 2 },
    groups: { billing: { topic: 'orders', members: 1 }, audit: { topic: 'payments', members: 1 } },
  });

  it('returns the snapshot itself when nothing is out of scope', () => {
    expect(scopeSnapshot(s, NO_SCOPE)).toBe(s);
    expect(scopeSnapshot(s, { group: scopeOf(['billing', 'audit'], 'group'), topic: null })).toBe(s);
  });

  it("leaves out groups and topics out of scope, and a group's partitions on topics out of scope, without writing into the snapshot", () => {
    const lagging = step(s, 2000, (d) => produce(d, 'payments', 5));
    expect(lagging.groups.find((g) => g.groupId === 'audit')!.totalLag).toBe(10);
    const before = structuredClone(lagging);
    const scoped = scopeSnapshot(lagging, {
      group: scopeOf(['!billing'], 'group'),
      topic: scopeOf(['orders'], 'topic'),
    });
    expect(scoped.topics.map((t) => t.name)).toEqual(['orders']);
    expect(scoped.groups.map((g) => g.groupId)).toEqual(['audit']);
    expect(scoped.groups[0]).toMatchObject({ partitions: [], totalLag: 0 });
    expect(scoped.groups[0]!.members[0]!.assignment).toEqual([]);
    expect(lagging).toEqual(before);
  });
});
