/**
 * Kafka's own tools for the log-health tests, run from the cached jars (kafka-tools.ts has the group tools):
 * one-shot commands (TransactionsCommand, ReassignPartitionsCommand, LogDirsCommand) and a transactional producer
 * (ProducerPerformance) that holds a transaction open, tracked like every cluster process so the reaper
 * and `Cluster.stop()` clean it up.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ClusterInfo } from './cluster.js';
import { kafkaLibsDir } from './fetch.js';
import { isOurs, markerArg, spawnTracked, stopProcess } from './processes.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));

/** JVM options that keep the tools' own logging (both log4j 1 and 2) to warnings on stderr. */
function quietLogging(info: ClusterInfo): string[] {
  const log4j2 = join(info.dataDir, 'tools-log4j2.properties');
  const log4j = join(info.dataDir, 'tools-log4j.properties');
  if (!existsSync(log4j2)) {
    writeFileSync(
      log4j2,
      'appender.e.type = Console\nappender.e.name = E\nappender.e.target = SYSTEM_ERR\n' +
        'appender.e.layout.type = PatternLayout\nappender.e.layout.pattern = %p %m%n\n' +
        'rootLogger.level = WARN\nrootLogger.appenderRef.e.ref = E\n',
    );
    writeFileSync(
      log4j,
      'log4j.rootLogger=WARN, e\nlog4j.appender.e=org.apache.log4j.ConsoleAppender\n' +
        'log4j.appender.e.Target=System.err\nlog4j.appender.e.layout=org.apache.log4j.PatternLayout\n' +
        'log4j.appender.e.layout.ConversionPattern=%p %m%n\n',
    );
  }
  return [`-Dlog4j2.configurationFile=${log4j2}`, `-Dlog4j.configuration=file:${log4j}`];
}

function javaArgs(info: ClusterInfo, mainClass: string, args: string[]): string[] {
  return [
    markerArg(info.dataDir),
    '-Xmx96m',
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    ...quietLogging(info),
    '-cp',
    `${kafkaLibsDir(info.version)}/*`,
    mainClass,
    ...args,
  ];
}

/** Runs a Kafka tool class to completion and returns its stdout. */
export async function kafkaTool(info: ClusterInfo, mainClass: string, args: string[]): Promise<string> {
  const { stdout } = await run('java', javaArgs(info, mainClass, args), { timeout: 60_000 });
  return stdout;
}

/** Runs a single-file Java program (test/cluster/*.java) against the Kafka client jars; returns its stdout. */
export async function javaProgram(info: ClusterInfo, file: string, args: string[]): Promise<string> {
  const { stdout } = await run('java', javaArgs(info, join(here, file), args), { timeout: 90_000 });
  return stdout;
}

export interface TransactionalProducer {
  readonly transactionalId: string;
  readonly logFile: string;
  readonly running: boolean;
  /** Kills it (SIGKILL): a transaction it held open is left to the coordinator's timeout. */
  kill(): Promise<void>;
}

/**
 * `ProducerPerformance --transactional-id`: `records` at `perSecond` in one transaction (its duration is
 * longer than the run), committed when the last record is sent, then it exits. While it runs, the
 * partition's last stable offset stays at the transaction's first record.
 */
export function startTransactionalProducer(
  info: ClusterInfo,
  options: { topic: string; transactionalId: string; records: number; perSecond: number },
): TransactionalProducer {
  const logFile = join(info.dataDir, `txn-producer-${options.transactionalId}.log`);
  const args = [
    ...['--topic', options.topic, '--num-records', String(options.records), '--record-size', '100'],
    ...['--throughput', String(options.perSecond), '--transactional-id', options.transactionalId],
    ...['--transaction-duration-ms', String(3_600_000)],
    ...['--producer-props', `bootstrap.servers=${info.bootstrap}`, 'transaction.timeout.ms=300000'],
  ];
  const child = spawnTracked({
    dataDir: info.dataDir,
    role: 'producer',
    name: options.transactionalId,
    command: 'java',
    args: javaArgs(info, 'org.apache.kafka.tools.ProducerPerformance', args),
    logFile,
  });
  const pid = child.pid!;
  return {
    transactionalId: options.transactionalId,
    logFile,
    get running() {
      return isOurs(pid, info.dataDir);
    },
    async kill() {
      await stopProcess(pid, info.dataDir, 'SIGKILL');
    },
  };
}

/** The producer's output so far, for failure messages. */
export function producerLog(producer: TransactionalProducer): string {
  return existsSync(producer.logFile) ? readFileSync(producer.logFile, 'utf8').slice(-2000) : '';
}
