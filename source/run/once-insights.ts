/**
 * `--once`: the config insights (model/config-insights.ts) of a snapshot, one line each: brokers, topics by
 * name, then groups whose partitions spread unevenly over their members.
 */
import {
  brokersOverReplicaCeiling,
  configInsightText,
  REPLICAS_PER_BROKER_CEILING,
  replicationFactorOf,
  topicConfigInsights,
  unevenAssignments,
  unevenAssignmentText,
} from '../model/config-insights.js';
import type { ClusterSnapshot } from '../snapshot.js';
import { sanitize } from '../ui/sanitize.js';

export function insightLines(snapshot: ClusterSnapshot): string[] {
  const lines: string[] = [];
  for (const [id, replicas] of brokersOverReplicaCeiling(snapshot.topics)) {
    lines.push(
      `  broker ${id}: ${replicas} partition replicas, above the ~${REPLICAS_PER_BROKER_CEILING} per broker ceiling`,
    );
  }
  for (const t of snapshot.topics) {
    if (t.internal) continue;
    for (const i of topicConfigInsights(t.configs, replicationFactorOf(t.partitions))) {
      lines.push(`  topic ${sanitize(t.name)}: ${configInsightText(i)}`);
    }
  }
  for (const g of snapshot.groups) {
    for (const u of unevenAssignments(g.protocolType, g.state, g.protocol, g.members)) {
      lines.push(`  group ${sanitize(g.groupId)}: uneven assignment: ${sanitize(unevenAssignmentText(u))}`);
    }
  }
  return lines.length === 0 ? [] : ['', 'INSIGHTS', ...lines];
}
