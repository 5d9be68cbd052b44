/** The cluster's counts for the header: brokers up and down, partitions, URP, firing alerts. */
import type { ClusterModel } from '../../model/types.js';
import { memoByIdentity } from './common.js';

/** Counts for the header. */
export const clusterCounts = memoByIdentity((model: ClusterModel) => {
  let partitions = 0;
  let urp = 0;
  let offline = 0;
  let underMinIsr = 0;
  for (const t of model.topics) {
    partitions += t.partitions.length;
    urp += t.underReplicatedCount;
    offline += t.offlineCount;
    underMinIsr += t.underMinIsrCount;
  }
  const firing = model.alerts.filter((a) => a.phase === 'firing');
  return {
    brokersUp: model.brokers.filter((b) => b.up).length,
    brokersDown: model.brokers.filter((b) => !b.up).map((b) => b.id),
    groups: model.groups.length,
    topics: model.topics.length,
    partitions,
    urp,
    offline,
    underMinIsr,
    critical: firing.filter((a) => a.rule.severity === 'critical'),
    warning: firing.filter((a) => a.rule.severity === 'warning'),
  };
});
