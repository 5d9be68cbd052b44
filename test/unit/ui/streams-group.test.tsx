/**
 * A streams group's view: one line per member with its tasks as Kafka Streams names them
 * (`subtopology_partition`), the members still reconciling first with their target.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterSnapshot, MemberSnapshot, StreamsMemberTasks } from '../../../source/snapshot.js';
import { INITIAL_NAV } from '../../../source/ui/navigation.js';
import { cluster, groupOf, step } from '../../fixtures/snapshots/builders.js';
import { foldAll } from '../model/helpers.js';
import { HOSTILE_CLIENT, HOSTILE_HOST } from './fixtures.js';
import { plain, type Rendered, renderApp } from './render.js';

let rendered: Rendered | undefined;
afterEach(() => {
  rendered?.unmount();
  rendered = undefined;
});

function tasks(current: string[][], target: string[][] = current): StreamsMemberTasks {
  return {
    active: current[0]!,
    standby: current[1]!,
    warmup: current[2]!,
    targetActive: target[0]!,
    targetStandby: target[1]!,
    targetWarmup: target[2]!,
  };
}

function member(id: string, clientId: string, partitions: number[], t: StreamsMemberTasks): MemberSnapshot {
  return {
    memberId: id,
    clientId,
    host: '/10.0.0.7',
    assignment: [{ topic: 'words', partitions }],
    memberEpoch: 5,
    targetAssignment: [{ topic: 'words', partitions }],
    tasks: t,
    processId: `${id.toLowerCase()}-9c1e-4b7d-8f00-1234567890ab`,
  };
}

const STABLE = member(
  'A7xQ2mZkT0uP5yVbN1cR3g',
  'wordcount-StreamThread-1',
  [0, 1],
  tasks([['0_0', '0_1'], ['1_0'], []]),
);
const MOVING = member(
  'B9kLw3nYq2sD8fGhJ4tE6a',
  'wordcount-StreamThread-2',
  [2],
  tasks([['0_2'], [], ['1_1']], [['0_2', '0_3'], [], []]),
);

function streams(members: MemberSnapshot[]) {
  return (d: ClusterSnapshot): void => {
    Object.assign(groupOf(d, 'wordcount'), {
      type: 'streams',
      protocolType: 'streams',
      protocol: 'sticky',
      state: 'Reconciling',
      groupEpoch: 6,
      assignmentEpoch: 6,
      topologyEpoch: 1,
      members,
    });
  };
}

const s0 = cluster({ topics: { words: 4 }, groups: { wordcount: { topic: 'words', members: 2 } } });
const nav = {
  ...INITIAL_NAV,
  stack: [...INITIAL_NAV.stack, { kind: 'group', groupId: 'wordcount' } as const],
};

async function open(members: MemberSnapshot[], columns: number, rows: number): Promise<string> {
  rendered = await renderApp({ columns, rows, initialNav: nav });
  rendered.store.setModel(foldAll([step(s0, 0, streams(members))]).model);
  return plain(await rendered.waitFor((f) => f.includes('topology epoch')));
}

const lines = (frame: string) => frame.split('\n');

describe('streams group view', () => {
  it('120x40: one line per member (a long one flowed), reconciling first with its target, then the partitions', async () => {
    const frame = await open([STABLE, MOVING], 120, 40);
    const moving = lines(frame).findIndex((l) => l.includes('B9kLw3nY…'));
    const stable = lines(frame).findIndex((l) => l.includes('A7xQ2mZk…'));
    expect(moving).toBeGreaterThan(0);
    // 132 columns: its target starts the next line instead of being cut.
    expect(lines(frame)[moving]).toContain(
      'B9kLw3nY… wordcount-StreamThread-2@/10.0.0.7  process b9klw3ny…  active 0_2 standby – warm-up 1_1',
    );
    expect(lines(frame)[moving + 1]).toMatch(/^→ target active 0_2,0_3 warm-up –\s*$/);
    expect(stable).toBe(moving + 2);
    expect(lines(frame)[stable]!.trimEnd()).toBe(
      'A7xQ2mZk… wordcount-StreamThread-1@/10.0.0.7  process a7xq2mzk…  active 0_0,0_1 standby 1_0 warm-up –',
    );
    expect(frame).toMatch(/words-3 /);
  });

  it('80x24: every member and the partition table still fit; more members than 4 are counted', async () => {
    const more = [1, 2, 3, 4].map((i) =>
      member(`C${i}xxxxxxxxxxxxxxxxxxxx`, `wc-${i}`, [], tasks([[`0_${i}`], [], []])),
    );
    const frame = await open([STABLE, MOVING, ...more], 80, 24);
    expect(frame).toContain('B9kLw3nY… wordcount-StreamThread-2@/10.0.0.7');
    expect(frame).toContain('→ target active 0_2,0_3 warm-up –');
    expect(frame).toContain('A7xQ2mZk…');
    expect(frame).toContain('+3 more members');
    expect(frame).toMatch(/words-\d /);
    expect(lines(frame).length).toBeLessThanOrEqual(24);
  });

  it('sanitizes member and process ids, client ids, hosts and task ids', async () => {
    const hostile: MemberSnapshot = {
      ...STABLE,
      memberId: 'm\u202eember-id-long',
      clientId: `${HOSTILE_CLIENT}\u2066`,
      host: `${HOSTILE_HOST}\n`,
      processId: 'p\u200brocess-id-long',
      tasks: tasks([['0\n_0'], [], []], [['0\n_0'], ['1\r_0'], []]),
    };
    rendered = await renderApp({ columns: 160, rows: 40, initialNav: nav });
    rendered.store.setModel(foldAll([step(s0, 0, streams([hostile]))]).model);
    const frame = await rendered.waitFor((f) => f.includes('topology epoch'));
    const text = plain(frame);
    // Controls and bidi overrides (U+0080-U+009F, U+200B-U+200F, U+202A-U+202E, U+2066-U+2069), not SGR.
    expect([
      ...text.matchAll(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g),
    ]).toEqual([]);
    expect(text.split('\n')).toContain(
      'member-i… client  @/10.0.0.1   process process-…  active 0 _0 standby – warm-up –  → target standby 1 _0',
    );
  });

  it('a new target with the same active partitions reaches the screen', async () => {
    const moved = { ...MOVING, tasks: tasks([['0_2'], [], ['1_1']], [['0_2'], ['1_1'], ['1_2']]) };
    rendered = await renderApp({ columns: 120, rows: 40, initialNav: nav });
    const first = step(s0, 0, streams([STABLE, MOVING]));
    rendered.store.setModel(foldAll([first, step(first, 2000, streams([STABLE, moved]))]).model);
    const frame = plain(await rendered.waitFor((f) => f.includes('topology epoch')));
    expect(frame).toContain('→ target standby 1_1 warm-up 1_2');
    expect(frame).not.toContain('0_3');
  });
});
