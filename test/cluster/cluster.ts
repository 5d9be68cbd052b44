/**
 * A real KRaft cluster for tests and for trying kafkatop by hand: one dedicated controller and
 * three brokers on 127.0.0.1, each JVM running the Prometheus JMX exporter agent.
 *
 * Ports from `portBase` (B): controller quorum listener B, broker n's client listener B+n (n=1..3),
 * metrics at http://127.0.0.1:(B+10)/metrics for the controller and B+10+n for broker n.
 * Node ids: controller 0, brokers 1, 2, 3.
 *
 * `startCluster()` starts one; `attachCluster(info)` gives another process (a vitest worker) a
 * handle on a running one. Both operate through `<dataDir>/pids`, see processes.ts.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { clusterStateReader } from './cluster-state.js';
import { DEFAULT_KAFKA_VERSION, fetchKafka, isKafka3, jmxAgentJar, kafkaLibsDir } from './fetch.js';
import {
  claimDataDir,
  isOurs,
  isStopped,
  killAll,
  killAllSync,
  liveOwner,
  markerArg,
  ownsDataDir,
  readTracked,
  removeDataDir,
  spawnTracked,
  startReaper,
  stopProcess,
} from './processes.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');

export const DEV_PORT_BASE = 19090;
export const TEST_PORT_BASE = 29090;
export const CONTROLLER_ID = 0;
export const BROKER_IDS = [1, 2, 3] as const;
/** The metric every node must serve before the cluster counts as up. */
export const READY_METRIC = 'kafka_server_kafkarequesthandlerpool_requesthandleravgidlepercent';

export type ConfigValue = string | number | boolean;

export interface StartClusterOptions {
  /** Kafka version from Maven Central; default $KAFKA_VERSION or 3.9.1. */
  version?: string;
  /** First of the ports the cluster uses (see the file comment); default 19090. */
  portBase?: number;
  /** Where storage, configs, logs and the pids file go; default `<repo>/.cluster/<portBase>`. */
  dataDir?: string;
  /** Extra or overriding broker properties, e.g. `{ 'auto.create.topics.enable': false }`. */
  brokerConfig?: Record<string, ConfigValue>;
  /**
   * Pid whose death makes the reaper kill the cluster; default this process.
   * `null` leaves the cluster running after this process exits (`npm run cluster:up`).
   */
  ownerPid?: number | null;
  /** Milliseconds to wait for the cluster to be ready; default 180000 (CI machines can be slow). */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface NodeInfo {
  id: number;
  port: number;
  metricsUrl: string;
}

/** Plain JSON describing a running cluster (what the vitest global setup provides to tests). */
export interface ClusterInfo {
  version: string;
  portBase: number;
  dataDir: string;
  /** "127.0.0.1:B+1,127.0.0.1:B+2,127.0.0.1:B+3" */
  bootstrap: string;
  brokers: NodeInfo[];
  controller: NodeInfo;
  /** Broker properties the brokers were started with, overrides included. */
  brokerConfig: Record<string, ConfigValue>;
}

export function defaultDataDir(portBase: number): string {
  return join(repoRoot, '.cluster', String(portBase));
}

export function clusterInfoFor(version: string, portBase: number, dataDir: string): ClusterInfo {
  const brokers = BROKER_IDS.map((id) => ({
    id,
    port: portBase + id,
    metricsUrl: `http://127.0.0.1:${portBase + 10 + id}/metrics`,
  }));
  return {
    version,
    portBase,
    dataDir,
    bootstrap: brokers.map((b) => `127.0.0.1:${b.port}`).join(','),
    brokers,
    controller: {
      id: CONTROLLER_ID,
      port: portBase,
      metricsUrl: `http://127.0.0.1:${portBase + 10}/metrics`,
    },
    brokerConfig: {},
  };
}

/** Broker defaults tuned for tests: fast rebalances, fast ISR shrinks, RF 3 internal topics. */
function defaultBrokerConfig(): Record<string, ConfigValue> {
  return {
    'offsets.topic.replication.factor': 3,
    'offsets.topic.num.partitions': 10,
    'transaction.state.log.replication.factor': 3,
    'transaction.state.log.min.isr': 2,
    'transaction.state.log.num.partitions': 5,
    'min.insync.replicas': 1,
    'default.replication.factor': 1,
    'auto.create.topics.enable': true,
    'group.initial.rebalance.delay.ms': 0,
    // A stopped follower leaves the ISR after ~5 s instead of 30 s.
    'replica.lag.time.max.ms': 5000,
    'replica.socket.timeout.ms': 5000,
    'replica.fetch.wait.max.ms': 500,
    'broker.session.timeout.ms': 6000,
    'broker.heartbeat.interval.ms': 1000,
    'num.network.threads': 2,
    'num.io.threads': 4,
    'num.replica.fetchers': 1,
    'log.cleaner.threads': 1,
    'log.cleaner.dedupe.buffer.size': 8 * 1024 * 1024,
    'num.recovery.threads.per.data.dir': 1,
  };
}

function propertiesText(props: Record<string, ConfigValue>): string {
  return `${Object.entries(props)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`;
}

function controllerProperties(info: ClusterInfo): Record<string, ConfigValue> {
  return {
    'process.roles': 'controller',
    'node.id': CONTROLLER_ID,
    'controller.quorum.voters': `${CONTROLLER_ID}@127.0.0.1:${info.controller.port}`,
    'controller.listener.names': 'CONTROLLER',
    listeners: `CONTROLLER://127.0.0.1:${info.controller.port}`,
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT',
    'log.dirs': join(info.dataDir, `node-${CONTROLLER_ID}`, 'data'),
    'num.io.threads': 2,
    'num.network.threads': 1,
  };
}

function brokerProperties(info: ClusterInfo, id: number): Record<string, ConfigValue> {
  const port = info.portBase + id;
  return {
    ...defaultBrokerConfig(),
    'process.roles': 'broker',
    'node.id': id,
    'controller.quorum.voters': `${CONTROLLER_ID}@127.0.0.1:${info.controller.port}`,
    'controller.listener.names': 'CONTROLLER',
    listeners: `PLAINTEXT://127.0.0.1:${port}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': join(info.dataDir, `node-${id}`, 'data'),
    ...info.brokerConfig,
  };
}

function nodeConfigPath(info: ClusterInfo, id: number): string {
  return join(info.dataDir, `node-${id}`, 'server.properties');
}

function nodeLogPath(info: ClusterInfo, id: number): string {
  return join(info.dataDir, `node-${id}.log`);
}

function logConfigArgs(version: string): string[] {
  return isKafka3(version)
    ? [`-Dlog4j.configuration=file:${join(here, 'log4j.properties')}`]
    : [`-Dlog4j2.configurationFile=${join(here, 'log4j2.properties')}`];
}

function classpath(version: string): string {
  return `${kafkaLibsDir(version)}/*`;
}

function nodeJvmArgs(info: ClusterInfo, id: number, heapMb: number, metricsPort: number): string[] {
  return [
    markerArg(info.dataDir),
    `-Xms${Math.min(64, heapMb)}m`,
    `-Xmx${heapMb}m`,
    '-XX:+UseSerialGC',
    // C1 only: much less JIT work while 4 JVMs start on 2 cores; peak speed does not matter here.
    '-XX:TieredStopAtLevel=1',
    '-XX:MaxMetaspaceSize=128m',
    '-Djava.awt.headless=true',
    `-Dkafkatop.node=${id}`,
    ...logConfigArgs(info.version),
    `-javaagent:${jmxAgentJar()}=127.0.0.1:${metricsPort}:${join(here, 'jmx-exporter.yml')}`,
    '-cp',
    classpath(info.version),
    'kafka.Kafka',
    nodeConfigPath(info, id),
  ];
}

function startNode(info: ClusterInfo, id: number): void {
  const isController = id === CONTROLLER_ID;
  const metricsPort = info.portBase + 10 + id;
  spawnTracked({
    dataDir: info.dataDir,
    role: isController ? 'controller' : 'broker',
    name: String(id),
    command: 'java',
    args: nodeJvmArgs(info, id, isController ? 192 : 256, metricsPort),
    logFile: nodeLogPath(info, id),
  });
}

/** A Kafka Uuid (16 random bytes, base64url) as `StorageTool random-uuid` makes, without a JVM start. */
function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    // Kafka avoids ids starting with '-' (they read as command-line flags).
    if (!id.startsWith('-')) return id;
  }
}

/** Formats every node's storage in a single JVM (FormatStorage.java): JVM starts dominate on 2 cores. */
async function formatStorage(info: ClusterInfo, clusterId: string, ids: number[]): Promise<void> {
  try {
    await run(
      'java',
      [
        '-Xmx128m',
        '-XX:+UseSerialGC',
        '-XX:TieredStopAtLevel=1',
        ...logConfigArgs(info.version),
        '-cp',
        classpath(info.version),
        join(here, 'FormatStorage.java'),
        clusterId,
        ...ids.map((id) => nodeConfigPath(info, id)),
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`formatting KRaft storage failed: ${e.stderr || e.stdout || e.message}`);
  }
}

async function portInUse(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

function allPorts(info: ClusterInfo): number[] {
  return [info.controller.port, ...info.brokers.map((b) => b.port)].flatMap((p) => [p, p + 10]);
}

function tailOf(file: string, lines = 30): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

function infoFile(dataDir: string): string {
  return join(dataDir, 'cluster.json');
}

/** Reads the ClusterInfo a running cluster wrote into its data directory, or null. */
export function readClusterInfo(dataDir: string): ClusterInfo | null {
  if (!existsSync(infoFile(dataDir))) return null;
  return JSON.parse(readFileSync(infoFile(dataDir), 'utf8')) as ClusterInfo;
}

/** The port base (or its data directory) is in use by a live cluster or another program; try another base. */
export class PortBaseBusyError extends Error {}

/** Kills whatever a previous run left in `dataDir` and removes it. */
export async function destroyCluster(dataDir: string): Promise<void> {
  if (!existsSync(dataDir)) return;
  if (!ownsDataDir(dataDir)) {
    throw new Error(`${dataDir} exists but was not created by the test cluster; not touching it`);
  }
  await killAll(dataDir);
  removeDataDir(dataDir);
}

export class Cluster {
  readonly info: ClusterInfo;

  constructor(info: ClusterInfo) {
    this.info = info;
  }

  get bootstrap(): string {
    return this.info.bootstrap;
  }
  get brokers(): NodeInfo[] {
    return this.info.brokers;
  }
  get controller(): NodeInfo {
    return this.info.controller;
  }
  get version(): string {
    return this.info.version;
  }
  get dataDir(): string {
    return this.info.dataDir;
  }

  /** The live pid of node `id` (controller 0, brokers 1..3), or null when it is not running. */
  pidOf(id: number): number | null {
    const candidates = readTracked(this.dataDir).filter(
      (p) => (p.role === 'broker' || p.role === 'controller') && p.name === String(id),
    );
    const live = candidates.reverse().find((p) => isOurs(p.pid, this.dataDir));
    return live?.pid ?? null;
  }

  private brokerInfo(id: number): NodeInfo {
    const broker = this.brokers.find((b) => b.id === id);
    if (!broker) throw new Error(`no broker ${id}; brokers are ${BROKER_IDS.join(', ')}`);
    return broker;
  }

  /** SIGKILLs broker `id` (an unclean crash) and waits until the process is gone. */
  async killBroker(id: number): Promise<void> {
    this.brokerInfo(id);
    const pid = this.pidOf(id);
    if (pid !== null) await stopProcess(pid, this.dataDir, 'SIGKILL');
  }

  /** Stops broker `id` cleanly (SIGTERM: controlled shutdown, leadership moves first). */
  async stopBroker(id: number): Promise<void> {
    this.brokerInfo(id);
    const pid = this.pidOf(id);
    if (pid !== null) await stopProcess(pid, this.dataDir, 'SIGTERM');
  }

  /** Starts broker `id` again (stopping it cleanly first if it runs) and waits until it is back in metadata. */
  async restartBroker(id: number, timeoutMs = 90_000): Promise<void> {
    await this.stopBroker(id);
    startNode(this.info, id);
    await waitForReady(this.info, [id], timeoutMs);
  }

  /** SIGSTOPs broker `id`: the process stays, but answers nothing (a hung broker). */
  pauseBroker(id: number): void {
    this.signalBroker(id, 'SIGSTOP');
  }

  resumeBroker(id: number): void {
    this.signalBroker(id, 'SIGCONT');
  }

  private signalBroker(id: number, signal: NodeJS.Signals): void {
    this.brokerInfo(id);
    const pid = this.pidOf(id);
    if (pid === null) throw new Error(`broker ${id} is not running`);
    process.kill(pid, signal);
  }

  /**
   * Puts the cluster back together after fault tests: resumes paused brokers and restarts dead
   * ones, so the next test file starts with 3 healthy brokers. Returns the ids it had to fix.
   */
  async ensureBrokersRunning(): Promise<number[]> {
    const fixed: number[] = [];
    for (const { id } of this.brokers) {
      const pid = this.pidOf(id);
      if (pid === null) {
        await this.restartBroker(id);
        fixed.push(id);
      } else if (isStopped(pid)) {
        process.kill(pid, 'SIGCONT');
        fixed.push(id);
      }
    }
    if (fixed.length > 0) await waitForReady(this.info, fixed, 90_000);
    return fixed;
  }

  /** Kills every process of the cluster (test consumers included) and removes its data. */
  async stop(): Promise<void> {
    await destroyCluster(this.dataDir);
  }
}

/** A handle on a cluster started elsewhere (e.g. by the vitest global setup). */
export function attachCluster(info: ClusterInfo): Cluster {
  return new Cluster(info);
}

async function metricsReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    return response.ok && (await response.text()).includes(READY_METRIC);
  } catch {
    return false;
  }
}

async function brokersInMetadata(info: ClusterInfo): Promise<number[]> {
  // Not kafkajs's describeCluster: it fails while any RF-1 partition's only broker is down.
  const state = clusterStateReader(info.bootstrap.split(','));
  try {
    return (await state.read()).brokers;
  } catch {
    return [];
  } finally {
    await state.close();
  }
}

/** Waits until `nodeIds` run, every broker of the cluster is in metadata and each node's metrics answer. */
async function waitForReady(info: ClusterInfo, nodeIds: number[], timeoutMs: number): Promise<void> {
  const cluster = new Cluster(info);
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(nodeIds.map((id) => `metrics:${id}`));
  pending.add('metadata');
  while (Date.now() < deadline) {
    for (const id of nodeIds) {
      if (cluster.pidOf(id) === null) {
        throw new Error(
          `node ${id} exited during startup; last log lines:\n${tailOf(nodeLogPath(info, id))}`,
        );
      }
    }
    const checks = nodeIds
      .filter((id) => pending.has(`metrics:${id}`))
      .map(async (id) => {
        const url = id === CONTROLLER_ID ? info.controller.metricsUrl : cluster.brokers[id - 1]!.metricsUrl;
        if (await metricsReady(url)) pending.delete(`metrics:${id}`);
      });
    if (pending.has('metadata')) {
      checks.push(
        brokersInMetadata(info).then((ids) => {
          if (BROKER_IDS.every((id) => ids.includes(id))) pending.delete('metadata');
        }),
      );
    }
    await Promise.all(checks);
    if (pending.size === 0) return;
    await sleep(300);
  }
  const logs = nodeIds.map(
    (id) => `--- node ${id} (${nodeLogPath(info, id)}):\n${tailOf(nodeLogPath(info, id), 8)}`,
  );
  throw new Error(
    `cluster at ${info.bootstrap} not ready after ${timeoutMs} ms; waiting for ${[...pending].join(', ')}\n${logs.join('\n')}`,
  );
}

/**
 * Fetches Kafka if needed, kills a stale cluster at the same data directory, formats storage and
 * starts the controller and 3 brokers; resolves once all are ready.
 */
export async function startCluster(options: StartClusterOptions = {}): Promise<Cluster> {
  const version = options.version ?? process.env.KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION;
  const portBase = options.portBase ?? DEV_PORT_BASE;
  const dataDir = resolve(options.dataDir ?? defaultDataDir(portBase));
  const log = options.log ?? (() => {});
  const ownerPid = options.ownerPid === undefined ? process.pid : options.ownerPid;

  await fetchKafka(version, log);
  const owner = liveOwner(dataDir);
  if (owner !== null) {
    throw new PortBaseBusyError(
      `a cluster owned by live process ${owner} runs in ${dataDir} (port base ${portBase})`,
    );
  }
  // Left by a process that died, or a dev cluster: replace it.
  await destroyCluster(dataDir);

  const info: ClusterInfo = {
    ...clusterInfoFor(version, portBase, dataDir),
    brokerConfig: options.brokerConfig ?? {},
  };
  const busy = (await Promise.all(allPorts(info).map(async (p) => ((await portInUse(p)) ? p : null)))).filter(
    (p) => p !== null,
  );
  if (busy.length > 0) {
    throw new PortBaseBusyError(
      `ports ${busy.join(', ')} are in use: another cluster at port base ${portBase}? (npm run cluster:down stops the dev cluster)`,
    );
  }
  if (!claimDataDir(dataDir, ownerPid)) {
    throw new PortBaseBusyError(`another process is starting a cluster in ${dataDir}`);
  }
  writeFileSync(join(dataDir, 'pids'), '');
  if (ownerPid !== null) {
    startReaper(dataDir, ownerPid);
    if (ownerPid === process.pid) process.once('exit', () => killAllSync(dataDir));
  }
  for (const id of [CONTROLLER_ID, ...BROKER_IDS]) {
    mkdirSync(join(dataDir, `node-${id}`), { recursive: true });
    const props = id === CONTROLLER_ID ? controllerProperties(info) : brokerProperties(info, id);
    writeFileSync(nodeConfigPath(info, id), propertiesText(props));
  }
  info.brokerConfig = { ...defaultBrokerConfig(), ...info.brokerConfig };
  writeFileSync(infoFile(dataDir), `${JSON.stringify(info, null, 2)}\n`);

  const started = Date.now();
  try {
    const clusterId = randomClusterId();
    await formatStorage(info, clusterId, [CONTROLLER_ID, ...BROKER_IDS]);
    log(`formatted storage for cluster ${clusterId} in ${Date.now() - started} ms`);
    for (const id of [CONTROLLER_ID, ...BROKER_IDS]) startNode(info, id);
    await waitForReady(info, [CONTROLLER_ID, ...BROKER_IDS], options.timeoutMs ?? 180_000);
  } catch (error) {
    await killAll(dataDir);
    throw error;
  }
  log(`Kafka ${version} cluster up in ${Date.now() - started} ms at ${info.bootstrap}`);
  return new Cluster(info);
}
