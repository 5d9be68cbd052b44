/**
 * A Kafka Streams application in a streams group (Kafka 4.x): StreamsApp.java on the cached Kafka jars
 * plus kafka-streams (fetched from Maven Central into the cache on first use), one tracked cluster process
 * per instance, so the reaper and `Cluster.stop()` clean them up too.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ClusterInfo } from './cluster.js';
import { isKafka3, kafkaLibsDir, mvn } from './fetch.js';
import { isOurs, isStopped, markerArg, spawnTracked, stopProcess } from './processes.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));

export interface StreamsApp {
  readonly applicationId: string;
  readonly clientIds: string[];
  running(): boolean;
  /**
   * SIGSTOPs every instance and waits until each is stopped: each stays in the group until its session
   * times out (the broker's `group.streams.session.timeout.ms`, 45 s by default), processing and
   * committing nothing.
   */
  pause(): Promise<void>;
  /** SIGCONTs every instance. */
  resume(): void;
  /** SIGTERM: each instance closes and leaves the group. */
  stop(): Promise<void>;
}

export async function streamsJar(version: string): Promise<string> {
  const dir = join(kafkaLibsDir(version), '..', 'streams');
  const jar = join(dir, `kafka-streams-${version}.jar`);
  if (!existsSync(jar)) {
    mkdirSync(dir, { recursive: true });
    await mvn(
      ['dependency:copy', `-Dartifact=org.apache.kafka:kafka-streams:${version}`, `-DoutputDirectory=${dir}`],
      dir,
    );
  }
  return jar;
}

async function compile(info: ClusterInfo, classpath: string): Promise<string> {
  const classes = join(info.dataDir, 'streams-app-classes');
  if (existsSync(join(classes, 'StreamsApp.class'))) return classes;
  mkdirSync(classes, { recursive: true });
  await run('javac', ['-cp', classpath, '-d', classes, join(here, 'StreamsApp.java')]);
  return classes;
}

/** Starts `instances` instances of a copy from `input` to `output`, client ids `${applicationId}-${i}`. */
export async function startStreamsApp(
  info: ClusterInfo,
  options: { applicationId: string; input: string; output: string; instances: number },
): Promise<StreamsApp> {
  if (isKafka3(info.version)) throw new Error('streams groups need Kafka 4.x');
  const classpath = `${await streamsJar(info.version)}:${kafkaLibsDir(info.version)}/*`;
  const classes = await compile(info, classpath);
  const clientIds = Array.from({ length: options.instances }, (_, i) => `${options.applicationId}-${i}`);
  const pids = clientIds.map((clientId) => {
    const child = spawnTracked({
      dataDir: info.dataDir,
      role: 'streams-app',
      name: clientId,
      command: 'java',
      args: [
        markerArg(info.dataDir),
        '-Xmx96m',
        '-XX:+UseSerialGC',
        '-XX:TieredStopAtLevel=1',
        '-cp',
        `${classes}:${classpath}`,
        'StreamsApp',
        ...[info.bootstrap, options.applicationId, options.input, options.output, clientId],
        join(info.dataDir, `streams-state-${clientId}`),
      ],
      logFile: join(info.dataDir, `streams-app-${clientId}.log`),
    });
    return child.pid ?? null;
  });
  const signal = (name: 'SIGSTOP' | 'SIGCONT') => {
    for (const pid of pids) if (pid !== null && isOurs(pid, info.dataDir)) process.kill(pid, name);
  };
  return {
    applicationId: options.applicationId,
    clientIds,
    running: () => pids.every((pid) => pid !== null && isOurs(pid, info.dataDir)),
    async pause() {
      signal('SIGSTOP');
      // The signal is delivered asynchronously: wait until /proc reads each process as stopped.
      const deadline = Date.now() + 10_000;
      while (!pids.every((pid) => pid === null || !isOurs(pid, info.dataDir) || isStopped(pid))) {
        if (Date.now() > deadline) throw new Error(`${options.applicationId} not stopped after SIGSTOP`);
        await sleep(20);
      }
    },
    resume: () => signal('SIGCONT'),
    async stop() {
      await Promise.all(
        pids.map((pid) => (pid === null ? undefined : stopProcess(pid, info.dataDir, 'SIGTERM'))),
      );
    },
  };
}
