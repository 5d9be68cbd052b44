/**
 * Vitest globalSetup of the `integration` project: one real cluster shared by every integration
 * test file. Tests get its ClusterInfo with `inject('kafkaCluster')` (or `testCluster()` from
 * ./test-cluster.ts). Any failure here (no Java, no Maven, a broker that does not start) fails
 * the run loudly; integration tests never skip.
 */
import type { TestProject } from 'vitest/node';
import { type Cluster, type ClusterInfo, startCluster, TEST_PORT_BASE } from './cluster.js';
import { DEFAULT_KAFKA_VERSION } from './fetch.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaCluster: ClusterInfo;
  }
}

let cluster: Cluster | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const version = process.env.KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION;
  const portBase = Number(process.env.KAFKATOP_TEST_PORT_BASE ?? TEST_PORT_BASE);
  const started = Date.now();
  cluster = await startCluster({ version, portBase });
  // One line, so a CI log shows what the tests ran against and how long the cluster took.
  process.stderr.write(
    `[test cluster] Kafka ${version} at ${cluster.bootstrap} ready in ${Date.now() - started} ms (data: ${cluster.dataDir})\n`,
  );
  project.provide('kafkaCluster', cluster.info);
  return async () => {
    await cluster?.stop();
    cluster = undefined;
  };
}
