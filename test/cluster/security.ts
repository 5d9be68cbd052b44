/**
 * A small secured KRaft cluster for the security tests, separate from the main test cluster: one
 * controller (node 0) and one broker (node 1) with four client listeners, on port base B (default 29140; the security tests
 * use their main test cluster's base + 50, so two test runs side by side do not collide):
 *
 *   B     CONTROLLER      (controller quorum, plaintext)
 *   B+1   SASL_PLAINTEXT  SCRAM-SHA-512; user `alice` created at format time (`--add-scram`)
 *   B+2   SSL             server certificate signed by a CA the test generates (no client auth)
 *   B+3   PLAINTEXT       inter-broker, and for the test's own setup (topics, readiness)
 *   B+4   MTLS (SSL)      like B+2 but requires a client certificate
 *   B+5   OAUTH           SASL_PLAINTEXT with OAUTHBEARER and Kafka's default (unsecured JWT) validator
 *
 * Certificates come from `openssl` into the data directory (a temp dir), which `stop()` removes. The
 * processes are tracked like the main cluster's (processes.ts): a reaper kills them if the test dies.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { DEFAULT_KAFKA_VERSION, fetchKafka, isKafka3, kafkaLibsDir } from './fetch.js';
import {
  claimDataDir,
  isOurs,
  killAll,
  killAllSync,
  markerArg,
  readTracked,
  removeDataDir,
  spawnTracked,
  startReaper,
} from './processes.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));

export const SECURE_PORT_BASE = 29140;
export const SCRAM_USER = 'alice';

export interface SecureCluster {
  version: string;
  dataDir: string;
  /** HOST:PORT of each listener. */
  sasl: string;
  ssl: string;
  mtls: string;
  plaintext: string;
  oauth: string;
  /** The SCRAM-SHA-512 user's password (random per start). */
  password: string;
  /** PEM files: the CA that signed the broker's certificate, and a client certificate and key it signed. */
  caFile: string;
  clientCertFile: string;
  clientKeyFile: string;
  /** A CA that signed nothing here: trusting only it must fail verification. */
  otherCaFile: string;
  stop(): Promise<void>;
}

function props(values: Record<string, string | number | boolean>): string {
  return `${Object.entries(values)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await run('openssl', args, { cwd });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`openssl ${args[0]} failed: ${e.stderr || e.message}`);
  }
}

/** A CA, a broker certificate for 127.0.0.1 / localhost (PKCS12 for Kafka), and a client certificate. */
async function makeCertificates(dir: string, storePassword: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const days = ['-days', '2'];
  for (const ca of ['ca', 'other-ca']) {
    await openssl(
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        `${ca}.key`,
        '-out',
        `${ca}.crt`,
        ...days,
        '-subj',
        `/CN=kafkatop test ${ca}`,
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      ],
      dir,
    );
  }
  writeFileSync(
    join(dir, 'server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const [name, cn] of [
    ['server', '127.0.0.1'],
    ['client', 'kafkatop-client'],
  ] as const) {
    await openssl(
      [
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.csr`,
        '-subj',
        `/CN=${cn}`,
      ],
      dir,
    );
    await openssl(
      [
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        `${name}.crt`,
        ...days,
        '-extfile',
        `${name}.ext`,
      ],
      dir,
    );
  }
  await openssl(
    [
      'pkcs12',
      '-export',
      '-in',
      'server.crt',
      '-inkey',
      'server.key',
      '-certfile',
      'ca.crt',
      '-name',
      'kafka',
      '-out',
      'server.p12',
      '-passout',
      `pass:${storePassword}`,
    ],
    dir,
  );
}

function logConfigArgs(version: string): string[] {
  return isKafka3(version)
    ? [`-Dlog4j.configuration=file:${join(here, 'log4j.properties')}`]
    : [`-Dlog4j2.configurationFile=${join(here, 'log4j2.properties')}`];
}

async function portOpen(hostPort: string): Promise<boolean> {
  const { createConnection } = await import('node:net');
  const [host, port] = hostPort.split(':');
  return new Promise((done) => {
    const socket = createConnection({ host: host!, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

async function brokerUp(plaintext: string): Promise<boolean> {
  const kafka = new Kafka({
    clientId: 'kafkatop-secure-setup',
    brokers: [plaintext],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    return (await admin.describeCluster()).brokers.some((b) => b.nodeId === 1);
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/** An unsecured (alg none) JWT as Kafka's default OAUTHBEARER validator accepts, valid for `lifetimeS`. */
export function unsecuredJwt(subject: string, lifetimeS = 3600): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${encode({ alg: 'none' })}.${encode({ sub: subject, iat: now, exp: now + lifetimeS })}.`;
}

export async function startSecureCluster(
  options: { version?: string; portBase?: number; timeoutMs?: number } = {},
): Promise<SecureCluster> {
  const version = options.version ?? process.env.KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION;
  const base = options.portBase ?? Number(process.env.KAFKATOP_SECURE_PORT_BASE ?? SECURE_PORT_BASE);
  await fetchKafka(version);
  const busy = [];
  for (let p = base; p <= base + 5; p++) if (await portOpen(`127.0.0.1:${p}`)) busy.push(p);
  if (busy.length > 0) throw new Error(`ports ${busy.join(', ')} are in use; set KAFKATOP_SECURE_PORT_BASE`);

  const dataDir = join(tmpdir(), `kafkatop-secure-${base}-${process.pid}-${randomBytes(3).toString('hex')}`);
  if (!claimDataDir(dataDir, process.pid)) throw new Error(`${dataDir} already exists`);
  writeFileSync(join(dataDir, 'pids'), '');
  startReaper(dataDir, process.pid);
  const onExit = () => killAllSync(dataDir);
  process.once('exit', onExit);

  const stop = async () => {
    process.removeListener('exit', onExit);
    await killAll(dataDir);
    removeDataDir(dataDir);
  };

  const password = `scram-${randomBytes(9).toString('base64url')}`;
  const storePassword = randomBytes(9).toString('hex');
  const certs = join(dataDir, 'certs');
  const addr = (offset: number) => `127.0.0.1:${base + offset}`;
  const cluster: SecureCluster = {
    version,
    dataDir,
    sasl: addr(1),
    ssl: addr(2),
    plaintext: addr(3),
    mtls: addr(4),
    oauth: addr(5),
    password,
    caFile: join(certs, 'ca.crt'),
    clientCertFile: join(certs, 'client.crt'),
    clientKeyFile: join(certs, 'client.key'),
    otherCaFile: join(certs, 'other-ca.crt'),
    stop,
  };
  try {
    await makeCertificates(certs, storePassword);
    const voters = `0@${addr(0)}`;
    const common = { 'controller.quorum.voters': voters, 'controller.listener.names': 'CONTROLLER' };
    const controllerProps = join(dataDir, 'controller.properties');
    const brokerProps = join(dataDir, 'broker.properties');
    writeFileSync(
      controllerProps,
      props({
        ...common,
        'process.roles': 'controller',
        'node.id': 0,
        listeners: `CONTROLLER://${addr(0)}`,
        'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT',
        'log.dirs': join(dataDir, 'node-0'),
        'num.io.threads': 2,
        'num.network.threads': 1,
      }),
    );
    const listeners = `SASL_PLAINTEXT://${addr(1)},SSL://${addr(2)},PLAINTEXT://${addr(3)},MTLS://${addr(4)},OAUTH://${addr(5)}`;
    writeFileSync(
      brokerProps,
      props({
        ...common,
        'process.roles': 'broker',
        'node.id': 1,
        listeners,
        'advertised.listeners': listeners,
        'inter.broker.listener.name': 'PLAINTEXT',
        'listener.security.protocol.map':
          'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL,MTLS:SSL,OAUTH:SASL_PLAINTEXT',
        'sasl.enabled.mechanisms': 'SCRAM-SHA-512',
        'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config':
          'org.apache.kafka.common.security.scram.ScramLoginModule required;',
        // No server callback handler configured: Kafka validates unsigned JWTs (sub, exp), fine for a test.
        'listener.name.oauth.sasl.enabled.mechanisms': 'OAUTHBEARER',
        'listener.name.oauth.oauthbearer.sasl.jaas.config':
          'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;',
        'ssl.keystore.type': 'PKCS12',
        'ssl.keystore.location': join(certs, 'server.p12'),
        'ssl.keystore.password': storePassword,
        'ssl.key.password': storePassword,
        'ssl.truststore.type': 'PEM',
        'ssl.truststore.location': join(certs, 'ca.crt'),
        'ssl.client.auth': 'none',
        'listener.name.mtls.ssl.client.auth': 'required',
        'log.dirs': join(dataDir, 'node-1'),
        'offsets.topic.replication.factor': 1,
        'offsets.topic.num.partitions': 3,
        'transaction.state.log.replication.factor': 1,
        'transaction.state.log.min.isr': 1,
        'auto.create.topics.enable': false,
        'group.initial.rebalance.delay.ms': 0,
        'num.network.threads': 2,
        'num.io.threads': 2,
        'log.cleaner.threads': 1,
        'log.cleaner.dedupe.buffer.size': 8 * 1024 * 1024,
      }),
    );

    const classpath = `${kafkaLibsDir(version)}/*`;
    const jvm = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', ...logConfigArgs(version), '-cp', classpath];
    const clusterId = randomBytes(16).toString('base64url').replace(/^-/, 'A');
    // SCRAM credentials go into the controller's bootstrap metadata: the user exists before the broker starts.
    for (const [file, extra] of [
      [controllerProps, ['--add-scram', `SCRAM-SHA-512=[name=${SCRAM_USER},password=${password}]`]],
      [brokerProps, []],
    ] as const) {
      try {
        await run('java', [
          '-Xmx128m',
          ...jvm,
          'kafka.tools.StorageTool',
          'format',
          '-t',
          clusterId,
          '-c',
          file,
          ...extra,
        ]);
      } catch (error) {
        const e = error as { stdout?: string; stderr?: string; message: string };
        throw new Error(`formatting ${file} failed: ${e.stderr || e.stdout || e.message}`);
      }
    }
    for (const [id, file, heap] of [
      [0, controllerProps, 160],
      [1, brokerProps, 256],
    ] as const) {
      spawnTracked({
        dataDir,
        role: id === 0 ? 'controller' : 'broker',
        name: String(id),
        command: 'java',
        args: [
          markerArg(dataDir),
          '-Xms64m',
          `-Xmx${heap}m`,
          '-XX:MaxMetaspaceSize=128m',
          ...jvm,
          'kafka.Kafka',
          file,
        ],
        logFile: join(dataDir, `node-${id}.log`),
      });
    }
    const deadline = Date.now() + (options.timeoutMs ?? 180_000);
    for (;;) {
      const dead = readTracked(dataDir).filter((p) => !isOurs(p.pid, dataDir));
      if (dead.length > 0) throw new Error(`secure cluster node ${dead[0]!.name} exited; see ${dataDir}`);
      if (
        (await brokerUp(cluster.plaintext)) &&
        (await portOpen(cluster.sasl)) &&
        (await portOpen(cluster.mtls)) &&
        (await portOpen(cluster.oauth))
      )
        return cluster;
      if (Date.now() > deadline) throw new Error(`secure cluster not ready in time; logs in ${dataDir}`);
      await sleep(500);
    }
  } catch (error) {
    // Keep the logs of a failed start for a moment only if asked; never leave JVMs behind.
    await killAll(dataDir);
    if (!process.env.KAFKATOP_KEEP_SECURE_DATA) removeDataDir(dataDir);
    process.removeListener('exit', onExit);
    throw error;
  }
}
