/**
 * Fetches Kafka's jars and the Prometheus JMX exporter agent from Maven Central with `mvn`
 * into a cache outside git, so a fresh clone needs nothing but Java 17 and Maven.
 *
 * Layout: `$KAFKATOP_CACHE` (default `~/.cache/kafkatop`)
 *   kafka-<version>/libs/*.jar   broker, tools and logging jars (the classpath)
 *   kafka-<version>/.complete    written last; its presence makes a fetch a no-op
 *   jmx_prometheus_javaagent-<v>.jar
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Kafka version used when none is asked for. */
export const DEFAULT_KAFKA_VERSION = '3.9.1';
/** Every version CI runs the integration tests against (keep in step with package.json test:integration:*). */
export const CI_KAFKA_VERSIONS = ['3.9.1', '4.4.0'] as const;
export const JMX_EXPORTER_VERSION = '1.0.1';

export function cacheRoot(): string {
  return process.env.KAFKATOP_CACHE ?? join(homedir(), '.cache', 'kafkatop');
}

export function kafkaLibsDir(version: string): string {
  return join(cacheRoot(), `kafka-${version}`, 'libs');
}

export function jmxAgentJar(): string {
  return join(cacheRoot(), `jmx_prometheus_javaagent-${JMX_EXPORTER_VERSION}.jar`);
}

export function isKafka3(version: string): boolean {
  return version.startsWith('3.');
}

/** Kafka 3.x logs through reload4j; 4.x through log4j2 with the slf4j 1.x bridge (Kafka 4 still uses slf4j-api 1.7). */
function loggingDependencies(version: string): Array<[string, string, string]> {
  if (isKafka3(version)) {
    return [
      ['ch.qos.reload4j', 'reload4j', '1.2.25'],
      ['org.slf4j', 'slf4j-reload4j', '1.7.36'],
    ];
  }
  return [
    ['org.apache.logging.log4j', 'log4j-api', '2.24.3'],
    ['org.apache.logging.log4j', 'log4j-core', '2.24.3'],
    ['org.apache.logging.log4j', 'log4j-slf4j-impl', '2.24.3'],
  ];
}

function pomFor(version: string): string {
  const deps: Array<[string, string, string]> = [
    ['org.apache.kafka', 'kafka_2.13', version],
    ['org.apache.kafka', 'kafka-tools', version],
    ...loggingDependencies(version),
  ];
  const xml = deps
    .map(
      ([g, a, v]) =>
        `    <dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version></dependency>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>kafkatop</groupId>
  <artifactId>kafka-test-cluster</artifactId>
  <version>${version}</version>
  <packaging>pom</packaging>
  <dependencies>
${xml}
  </dependencies>
</project>
`;
}

export async function mvn(args: string[], cwd: string): Promise<void> {
  try {
    await run('mvn', ['-B', '-q', ...args], { cwd, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `mvn ${args.join(' ')} failed (are Java 17 and Maven installed?)\n${e.stdout ?? ''}${e.stderr ?? e.message}`,
    );
  }
}

function isComplete(version: string): boolean {
  const libs = kafkaLibsDir(version);
  return (
    existsSync(join(libs, '..', '.complete')) && readdirSync(libs).some((f) => f.startsWith('kafka_2.13-'))
  );
}

/** Makes sure Kafka `version` and the JMX agent are in the cache; a no-op when they already are. */
export async function fetchKafka(version: string, log: (line: string) => void = () => {}): Promise<void> {
  const home = join(kafkaLibsDir(version), '..');
  if (!isComplete(version)) {
    log(`fetching Kafka ${version} from Maven Central into ${home}`);
    rmSync(home, { recursive: true, force: true });
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, 'pom.xml'), pomFor(version));
    await mvn(
      [
        'dependency:copy-dependencies',
        `-DoutputDirectory=${kafkaLibsDir(version)}`,
        '-DincludeScope=runtime',
        '-DexcludeTransitive=false',
      ],
      home,
    );
    writeFileSync(join(home, '.complete'), `${new Date().toISOString()}\n`);
  }
  if (!existsSync(jmxAgentJar())) {
    log(`fetching jmx_prometheus_javaagent ${JMX_EXPORTER_VERSION}`);
    mkdirSync(cacheRoot(), { recursive: true });
    await mvn(
      [
        'dependency:copy',
        `-Dartifact=io.prometheus.jmx:jmx_prometheus_javaagent:${JMX_EXPORTER_VERSION}`,
        `-DoutputDirectory=${cacheRoot()}`,
      ],
      home,
    );
  }
}
