/** For integration tests: a handle on the cluster the global setup started. */
import { inject } from 'vitest';
import { attachCluster, type Cluster } from './cluster.js';

export function testCluster(): Cluster {
  const info = inject('kafkaCluster');
  if (!info) throw new Error('no test cluster: run integration tests with `vitest --project integration`');
  return attachCluster(info);
}
