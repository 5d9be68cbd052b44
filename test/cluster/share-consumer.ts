/**
 * Share-group consumers (KIP-932, Kafka 4.x): Kafka's own ConsoleShareConsumer from the cached jars, one
 * tracked cluster process per member, so the reaper and `Cluster.stop()` clean them up too.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClusterInfo } from './cluster.js';
import { isKafka3, kafkaLibsDir } from './fetch.js';
import { isOurs, isStopped, markerArg, spawnTracked, stopProcess } from './processes.js';

export interface ShareConsumers {
  readonly groupId: string;
  readonly clientIds: string[];
  /** True while every member process is alive. */
  running(): boolean;
  /**
   * SIGSTOPs every member and waits until each is stopped: each stays in the group until its session
   * times out (the broker's `group.share.session.timeout.ms`, 45 s by default) and holds what it
   * acquired, acknowledging nothing.
   */
  pause(): Promise<void>;
  /** SIGCONTs every member. */
  resume(): void;
  /** True while every member is stopped by `pause()`. */
  paused(): boolean;
  /** Stops every member (SIGTERM: it acknowledges what it holds and leaves the group). */
  stop(): Promise<void>;
}

/** Starts `members` share consumers of `topic` in `groupId`, client ids `${groupId}-${i}`. */
export function startShareConsumers(
  info: ClusterInfo,
  options: { groupId: string; topic: string; members: number },
): ShareConsumers {
  if (isKafka3(info.version)) throw new Error('share groups need Kafka 4.x');
  const clientIds = Array.from({ length: options.members }, (_, i) => `${options.groupId}-${i}`);
  const pids = clientIds.map((clientId) => {
    const child = spawnTracked({
      dataDir: info.dataDir,
      role: 'share-consumer',
      name: clientId,
      command: 'java',
      args: [
        markerArg(info.dataDir),
        '-Xmx64m',
        '-XX:+UseSerialGC',
        '-XX:TieredStopAtLevel=1',
        '-cp',
        `${kafkaLibsDir(info.version)}/*`,
        'org.apache.kafka.tools.consumer.ConsoleShareConsumer',
        ...['--bootstrap-server', info.bootstrap, '--topic', options.topic, '--group', options.groupId],
        ...['--consumer-property', `client.id=${clientId}`],
      ],
      logFile: join(info.dataDir, `share-consumer-${clientId}.log`),
    });
    return child.pid ?? null;
  });
  const signal = (name: 'SIGSTOP' | 'SIGCONT') => {
    for (const pid of pids) if (pid !== null && isOurs(pid, info.dataDir)) process.kill(pid, name);
  };
  return {
    groupId: options.groupId,
    clientIds,
    running: () => pids.every((pid) => pid !== null && isOurs(pid, info.dataDir)),
    async pause() {
      signal('SIGSTOP');
      // The signal is delivered asynchronously: wait until /proc reads each process as stopped.
      const deadline = Date.now() + 10_000;
      while (!pids.every((pid) => pid === null || !isOurs(pid, info.dataDir) || isStopped(pid))) {
        if (Date.now() > deadline) throw new Error(`${options.groupId} not stopped after SIGSTOP`);
        await sleep(20);
      }
    },
    resume: () => signal('SIGCONT'),
    paused: () => pids.every((pid) => pid !== null && isOurs(pid, info.dataDir) && isStopped(pid)),
    async stop() {
      await Promise.all(
        pids.map((pid) => (pid === null ? undefined : stopProcess(pid, info.dataDir, 'SIGTERM'))),
      );
    },
  };
}
