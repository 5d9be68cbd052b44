/**
 * Vitest globalSetup of the `integration` project: one real cluster shared by every integration
 * test file. Tests get its ClusterInfo with `inject('kafkaCluster')` (or `testCluster()` from
 * ./test-cluster.ts). Any failure here (no Java, no Maven, a broker that does not start) fails
 * the run loudly; integration tests never skip.
 */
import type { TestProject } from 'vitest/node';
import {
  type Cluster,
  type ClusterInfo,
  PortBaseBusyError,
  startCluster,
  TEST_PORT_BASE,
} from './cluster.js';
import { DEFAULT_KAFKA_VERSION } from './fetch.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaCluster: ClusterInfo;
  }
}

let cluster: Cluster | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const version = process.env.KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION;
  const firstBase = Number(process.env.KAFKATOP_TEST_PORT_BASE ?? TEST_PORT_BASE);
  const started = Date.now();
  // Another test run (a colleague's, in the same checkout) may own the first base: take the next.
  for (let attempt = 0; cluster === undefined; attempt++) {
    try {
      cluster = await startCluster({ version, portBase: firstBase + attempt * 100 });
    } catch (error) {
      if (!(error instanceof PortBaseBusyError) || attempt >= 9) throw error;
      process.stderr.write(
        `[test cluster] ${error.message}; trying port base ${firstBase + (attempt + 1) * 100}\n`,
      );
    }
  }
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
