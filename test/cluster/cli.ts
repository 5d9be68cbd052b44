/**
 * npm run cluster:fetch | cluster:up | cluster:down
 *
 *   fetch  fetch every Kafka version CI tests (or $KAFKA_VERSION) into the cache
 *   up     start a dev cluster that keeps running after this command exits
 *   down   stop it and remove its data
 *
 * Environment: KAFKA_VERSION (default 3.9.1), KAFKATOP_PORT_BASE (default 19090),
 * KAFKATOP_CACHE (default ~/.cache/kafkatop).
 */
import { DEV_PORT_BASE, defaultDataDir, destroyCluster, readClusterInfo, startCluster } from './cluster.js';
import { CI_KAFKA_VERSIONS, DEFAULT_KAFKA_VERSION, fetchKafka } from './fetch.js';

const log = (line: string) => process.stdout.write(`${line}\n`);
const portBase = Number(process.env.KAFKATOP_PORT_BASE ?? DEV_PORT_BASE);

async function main(command: string | undefined): Promise<void> {
  switch (command) {
    case 'fetch': {
      const versions = process.env.KAFKA_VERSION ? [process.env.KAFKA_VERSION] : [...CI_KAFKA_VERSIONS];
      for (const version of versions) {
        await fetchKafka(version, log);
        log(`Kafka ${version}: cached`);
      }
      return;
    }
    case 'up': {
      const version = process.env.KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION;
      const started = Date.now();
      // ownerPid null: no reaper, the cluster outlives this command until `cluster:down`.
      const cluster = await startCluster({ version, portBase, ownerPid: null, log });
      log(`\nKafka ${version} is up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      log(`  bootstrap   ${cluster.bootstrap}`);
      log(`  controller  node ${cluster.controller.id}  metrics ${cluster.controller.metricsUrl}`);
      for (const b of cluster.brokers) log(`  broker ${b.id}    port ${b.port}  metrics ${b.metricsUrl}`);
      log(`  data/logs   ${cluster.dataDir}`);
      log('\nnpm run cluster:down stops it.');
      return;
    }
    case 'down': {
      const dataDir = defaultDataDir(portBase);
      const info = readClusterInfo(dataDir);
      await destroyCluster(dataDir);
      log(
        info ? `stopped Kafka ${info.version} at ${info.bootstrap}` : `no cluster at port base ${portBase}`,
      );
      return;
    }
    default:
      throw new Error('usage: tsx test/cluster/cli.ts fetch|up|down');
  }
}

main(process.argv[2]).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
