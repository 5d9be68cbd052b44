import { createDemoSource, type DemoOptions } from '../../../source/demo/index.js';
import type { ClusterSnapshot, GroupSnapshot } from '../../../source/snapshot.js';

export async function run(options: DemoOptions, refreshes: number): Promise<ClusterSnapshot[]> {
  const source = createDemoSource(options);
  const out: ClusterSnapshot[] = [];
  for (let i = 0; i < refreshes; i++) out.push(await source.refresh());
  await source.close();
  return out;
}

export function group(s: ClusterSnapshot, id: string): GroupSnapshot {
  const g = s.groups.find((x) => x.groupId === id);
  if (!g) throw new Error(`no group ${id} at ${s.takenAt}`);
  return g;
}

export function sumMetric(
  s: ClusterSnapshot,
  key: 'underReplicatedPartitions' | 'underMinIsrPartitions' | 'isrExpands' | 'isrShrinks',
): number {
  return s.brokers.reduce((sum, b) => sum + (b.metrics?.[key] ?? 0), 0);
}

export function partitions(s: ClusterSnapshot) {
  return s.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, ...p })));
}
