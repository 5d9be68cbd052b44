/**
 * The demo tells the truth: each scenario folded through the model shows what its description
 * (`--help`, README.md) promises, and nothing it does not explain.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createDemoSource, DEMO_SCENARIOS } from '../../../source/demo/index.js';
import { createModel } from '../../../source/model/index.js';
import type { ClusterModel, GroupState } from '../../../source/model/types.js';

interface Folded {
  readonly model: ClusterModel;
  readonly phase: string;
}

async function fold(scenario: string, refreshes: number, speed = 5): Promise<Folded[]> {
  const source = createDemoSource({ scenario, seed: 1, speed, intervalMs: 2000 });
  const model = createModel();
  const out: Folded[] = [];
  for (let i = 0; i < refreshes; i++) {
    const m = model.fold(await source.refresh());
    out.push({ model: m, phase: source.phase });
  }
  return out;
}

/** The batch job (Empty, STOP between runs) the steady scenario's description names. */
const BATCH_JOB = 'audit-archiver';

/** Groups not OK or with lag rising, other than the batch job, as `group:status:trend` per refresh. */
function unexplained(folded: readonly Folded[], except: readonly string[] = []): string[] {
  const out = new Set<string>();
  const skip = new Set([BATCH_JOB, ...except]);
  for (const { model } of folded) {
    for (const g of model.groups) {
      if (skip.has(g.groupId)) continue;
      if ((g.status !== null && g.status !== 'OK') || g.lagTrend === 'rising')
        out.add(`${g.groupId}:${g.status}:${g.lagTrend}`);
    }
  }
  return [...out];
}

const group = (m: ClusterModel, id: string): GroupState => m.groups.find((g) => g.groupId === id)!;
const urp = (m: ClusterModel) => m.topics.reduce((n, t) => n + t.underReplicatedCount, 0);

describe('demo scenarios through the model', () => {
  it('steady: settled on every refresh, no WARN or STOP but the batch job between runs (at speed 1 and 10)', async () => {
    for (const speed of [1, 10]) {
      const folded = await fold('steady', 150, speed);
      expect(folded.filter((f) => !f.model.settled.settled).map((f) => f.model.settled.reasons)).toEqual([]);
      expect(unexplained(folded)).toEqual([]);
      expect(new Set(folded.map((f) => group(f.model, BATCH_JOB).state))).toEqual(new Set(['Empty']));
    }
  });

  it('steady over 8 hours at speed 10, through the daily peak: no alert pending or firing; the batch job runs every 15 minutes', async () => {
    // Its time lag (the time since its last run) once fired ConsumerGroupTimeLagHigh after 10 refreshes and
    // …Critical after 85; a job that never ran would cross ConsumerGroupLagHigh's 100k after 3 hours.
    const folded = await fold('steady', 1440, 10);
    const alerting = folded.flatMap((f) =>
      f.model.alerts.filter((a) => a.phase !== 'inactive').map((a) => `${a.rule.name}:${a.phase}`),
    );
    expect(new Set(alerting)).toEqual(new Set());
    expect(folded.filter((f) => !f.model.settled.settled)).toEqual([]);
    const job = folded.map((f) => group(f.model, BATCH_JOB));
    expect(new Set(job.map((g) => g.state))).toEqual(new Set(['Empty']));
    expect(new Set(job.map((g) => g.status))).toEqual(new Set(['OK', 'STOP']));
    // Caught up once per run: 15 minutes are 45 refreshes of 20 s.
    const runs = job.filter((g, i) => i > 0 && g.totalLag === 0 && job[i - 1]!.totalLag > 0).length;
    expect(runs).toBeGreaterThanOrEqual(31);
    expect(runs).toBeLessThanOrEqual(32);
    expect(Math.max(...job.map((g) => g.totalLag))).toBeLessThan(100_000);
  });

  it('rolling-deploy: not settled only while billing rebalances or its lag bumps, settled between and after', async () => {
    // The first deploy starts after 30 s and ends within 100 refreshes (10 s each), before the next one.
    const folded = await fold('rolling-deploy', 100);
    const reasons = folded.flatMap((f) => f.model.settled.reasons);
    expect(reasons.length).toBeGreaterThan(0);
    expect(
      reasons.filter((r) => !/^group billing (PreparingRebalance|CompletingRebalance|lag rising)$/.test(r)),
    ).toEqual([]);
    expect(folded.filter((f) => /-done$/.test(f.phase)).some((f) => f.model.settled.settled)).toBe(true);
    expect(folded.at(-1)!.phase).toBe('before-deploy');
    expect(folded.at(-1)!.model.settled.settled).toBe(true);
    // Billing's lag rises while it rebalances (eager: every member stops), but it never reads WARN or worse.
    expect(new Set(folded.map((f) => group(f.model, 'billing').status))).toEqual(new Set(['OK']));
    expect(unexplained(folded, ['billing'])).toEqual([]);
  });

  it('broker-failure: not settled while the broker is down, settled again within 3 refreshes of URP 0', async () => {
    const folded = await fold('broker-failure', 60);
    const down = folded.filter((f) => f.model.brokers.some((b) => !b.up));
    expect(down.length).toBeGreaterThan(3);
    for (const f of down) expect(f.model.settled.reasons[0]).toMatch(/^broker \d+ down$/);
    const lastUrp = folded.reduce((last, f, i) => (urp(f.model) > 0 ? i : last), -1);
    expect(lastUrp).toBeGreaterThan(folded.indexOf(down.at(-1)!));
    const settledAt = folded.findIndex((f, i) => i > lastUrp && f.model.settled.settled);
    expect(settledAt - lastUrp).toBeLessThanOrEqual(3);
    expect(folded.slice(settledAt).every((f) => f.model.settled.settled)).toBe(true);
    expect(folded.some((f) => f.phase === 'preferred-leader-election')).toBe(true);
    expect(unexplained(folded)).toEqual([]);
  });

  it('slow-consumer: analytics-etl lag rising and WARN, then STALL, then catching up and settled', async () => {
    const folded = await fold('slow-consumer', 120);
    const etl = (f: Folded) => group(f.model, 'analytics-etl');
    const behind = folded.filter((f) => f.phase === 'falling-behind');
    expect(behind.some((f) => etl(f).lagTrend === 'rising')).toBe(true);
    expect(behind.some((f) => f.model.settled.reasons.includes('group analytics-etl lag rising'))).toBe(true);
    const statuses = folded.map((f) => etl(f).status);
    expect(statuses).toContain('WARN');
    expect(statuses.indexOf('STALL')).toBeGreaterThan(statuses.indexOf('WARN'));
    const catching = folded.filter((f) => f.phase === 'catching-up');
    expect(catching.length).toBeGreaterThan(5);
    expect(catching.at(-1)!.model.settled.settled).toBe(true);
    expect(unexplained(folded, ['analytics-etl'])).toEqual([]);
  });

  it('hot-broker: RequestHandlerIdleLow fires for broker 2; consumers keep up, settled', async () => {
    const folded = await fold('hot-broker', 80);
    const last = folded.at(-1)!.model;
    const alert = last.alerts.find((a) => a.rule.name === 'RequestHandlerIdleLow')!;
    expect(alert.phase).toBe('firing');
    expect(alert.instances.map((i) => i.subject)).toEqual(['broker:2']);
    expect(folded.every((f) => f.model.settled.settled)).toBe(true);
    expect(unexplained(folded)).toEqual([]);
  });

  it('kafka4: search-indexer leaves and joins by member id, Assigning → Reconciling → Stable with durations; share lag grows then drains', async () => {
    const folded = await fold('kafka4', 60);
    const indexer = (f: Folded) => group(f.model, 'search-indexer');
    const states = new Set(folded.map((f) => indexer(f).state));
    expect([...states].sort()).toEqual(['Assigning', 'Reconciling', 'Stable']);
    const events = folded
      .flatMap((f) => f.model.newEvents)
      .filter((e) => 'group' in e && e.group === 'search-indexer');
    const kinds = (k: string) => events.filter((e) => e.kind === k);
    expect(kinds('member-leave')).toHaveLength(3);
    expect(kinds('member-join')).toHaveLength(3);
    const ends = kinds('rebalance-end') as { durationMs: number | null; observed: boolean }[];
    expect(ends).toHaveLength(6);
    for (const end of ends) expect(end.durationMs).toBeGreaterThan(0);
    // Epochs move: the group epoch is bumped by every leave and join, and members' epochs catch up.
    const epochs = folded.map((f) => indexer(f).epochs!);
    expect(epochs.at(-1)!.group - epochs[0]!.group).toBe(6);
    expect(epochs.some((e) => e.group > e.assignment)).toBe(true);
    expect(epochs.some((e) => e.pendingRevocations > 0)).toBe(true);
    const share = folded.map((f) => group(f.model, 'notification-workers'));
    expect(share[0]!.type).toBe('share');
    const peak = share.reduce((i, g, k) => (g.totalLag > share[i]!.totalLag ? k : i), 0);
    expect(share[peak]!.totalLag).toBeGreaterThan(20 * share[0]!.totalLag);
    expect(share.slice(0, peak).some((g) => g.lagTrend === 'rising')).toBe(true);
    expect(share.at(-1)!.totalLag).toBeLessThan(share[peak]!.totalLag / 20);
    const last = folded.at(-1)!.model;
    expect(last.controllerId).toBe(3001);
    expect(last.quorum?.replicas.filter((r) => r.role !== 'observer').map((r) => r.id)).toEqual([
      3001, 3002, 3003,
    ]);
    expect(last.settled.settled).toBe(true);
    expect(unexplained(folded, ['search-indexer', 'notification-workers'])).toEqual([]);
  });

  it('README lists every scenario with the description --help shows', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    for (const s of DEMO_SCENARIOS) expect(readme).toContain(`- \`${s.name}\`: ${s.description}\n`);
  });
});
