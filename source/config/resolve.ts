/**
 * Merges flags, environment and the config file's cluster into one connection, field by field:
 * flags > environment > config file. Pure: secrets stay references (see types.ts).
 */
import type { ClusterEntry, ConfigFile } from './file.js';
import {
  type ConnectionSettings,
  SASL_MECHANISMS,
  type SaslMechanism,
  type SaslSettings,
  type SecretRef,
  type TlsSettings,
} from './types.js';
import { UsageError } from './usage-error.js';

export interface ConnectionFlags {
  brokers?: string;
  metrics?: string;
  prometheus?: string;
  cluster?: string;
  tls?: boolean;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsInsecure?: boolean;
  saslMechanism?: string;
  saslUsername?: string;
  saslPasswordFile?: string;
  oauthTokenCommand?: string;
  oauthTokenFile?: string;
  awsRegion?: string;
}

export interface ResolvedConnection {
  brokers: string | undefined;
  metrics: string | undefined;
  prometheus: string | undefined;
  connection: ConnectionSettings;
}

type Env = Record<string, string | undefined>;

/** An environment variable counts only when set and not empty. */
const fromEnv = (env: Env, name: string): string | undefined => (env[name] ? env[name] : undefined);

function pickCluster(
  flags: ConnectionFlags,
  env: Env,
  file: ConfigFile | null,
): [string, ClusterEntry] | null {
  const asked = flags.cluster ?? fromEnv(env, 'KAFKATOP_CLUSTER');
  if (asked !== undefined) {
    const how = flags.cluster !== undefined ? '--cluster' : 'KAFKATOP_CLUSTER';
    if (!file) throw new UsageError(`${how} ${JSON.stringify(asked)}: no config file (see --config)`);
    const entry = file.clusters[asked];
    if (!entry) {
      const names = Object.keys(file.clusters);
      throw new UsageError(
        `${how} ${JSON.stringify(asked)} is not in ${file.path}; clusters: ${names.join(', ') || '(none)'}`,
      );
    }
    return [asked, entry];
  }
  // Brokers named on the command line or in the environment mean that cluster, not the file's current one.
  if (flags.brokers !== undefined || fromEnv(env, 'KAFKATOP_BROKERS') !== undefined) return null;
  if (file?.current) return [file.current, file.clusters[file.current]!];
  return null;
}

function resolveTls(flags: ConnectionFlags, env: Env, entry: ClusterEntry | undefined): TlsSettings | null {
  const ca = flags.tlsCa ?? fromEnv(env, 'KAFKATOP_TLS_CA') ?? entry?.tls?.ca ?? null;
  const cert = flags.tlsCert ?? fromEnv(env, 'KAFKATOP_TLS_CERT') ?? entry?.tls?.cert ?? null;
  const key = flags.tlsKey ?? fromEnv(env, 'KAFKATOP_TLS_KEY') ?? entry?.tls?.key ?? null;
  const insecure = flags.tlsInsecure ?? entry?.tls?.insecure ?? false;
  const wanted =
    flags.tls === true || ca !== null || cert !== null || key !== null || insecure || !!entry?.tls;
  if (flags.tls === false && (ca || cert || key || insecure)) {
    throw new UsageError('--no-tls cannot be used with --tls-ca, --tls-cert, --tls-key or --tls-insecure');
  }
  if (!wanted || flags.tls === false) return null;
  if ((cert === null) !== (key === null)) {
    throw new UsageError('mTLS needs both --tls-cert and --tls-key (a client certificate and its key)');
  }
  return { ca, cert, key, insecure };
}

function resolvePassword(
  flags: ConnectionFlags,
  env: Env,
  entry: ClusterEntry | undefined,
): SecretRef | null {
  if (flags.saslPasswordFile !== undefined) return { file: flags.saslPasswordFile };
  if (fromEnv(env, 'KAFKATOP_SASL_PASSWORD') !== undefined) return { env: 'KAFKATOP_SASL_PASSWORD' };
  if (entry?.sasl?.passwordFile !== undefined && entry.sasl.passwordEnv !== undefined) {
    throw new UsageError('the config file gives both sasl.passwordEnv and sasl.passwordFile: keep one');
  }
  if (entry?.sasl?.passwordFile !== undefined) return { file: entry.sasl.passwordFile };
  if (entry?.sasl?.passwordEnv !== undefined) return { env: entry.sasl.passwordEnv };
  return null;
}

function resolveSasl(flags: ConnectionFlags, env: Env, entry: ClusterEntry | undefined): SaslSettings | null {
  const mechanismText =
    flags.saslMechanism ?? fromEnv(env, 'KAFKATOP_SASL_MECHANISM') ?? entry?.sasl?.mechanism;
  const username = flags.saslUsername ?? fromEnv(env, 'KAFKATOP_SASL_USERNAME') ?? entry?.sasl?.username;
  const password = resolvePassword(flags, env, entry);
  const tokenCommand =
    flags.oauthTokenCommand ?? fromEnv(env, 'KAFKATOP_OAUTH_TOKEN_COMMAND') ?? entry?.sasl?.tokenCommand;
  const tokenFile =
    flags.oauthTokenFile ?? fromEnv(env, 'KAFKATOP_OAUTH_TOKEN_FILE') ?? entry?.sasl?.tokenFile;

  if (mechanismText === undefined) {
    const stray = [
      flags.saslUsername !== undefined && '--sasl-username',
      flags.saslPasswordFile !== undefined && '--sasl-password-file',
      flags.oauthTokenCommand !== undefined && '--oauth-token-command',
      flags.oauthTokenFile !== undefined && '--oauth-token-file',
      flags.awsRegion !== undefined && '--aws-region',
    ].filter(Boolean);
    if (stray.length > 0) throw new UsageError(`${stray.join(', ')} need --sasl-mechanism`);
    return null;
  }
  const mechanism = mechanismText.toLowerCase() as SaslMechanism;
  if (!SASL_MECHANISMS.includes(mechanism)) {
    throw new UsageError(
      `unknown --sasl-mechanism ${JSON.stringify(mechanismText)}; one of: ${SASL_MECHANISMS.join(', ')}`,
    );
  }
  switch (mechanism) {
    case 'plain':
    case 'scram-sha-256':
    case 'scram-sha-512':
      if (username === undefined) {
        throw new UsageError(
          `--sasl-mechanism ${mechanism} needs a username: --sasl-username, KAFKATOP_SASL_USERNAME or sasl.username in the config file`,
        );
      }
      if (password === null) {
        throw new UsageError(
          `--sasl-mechanism ${mechanism} needs a password: KAFKATOP_SASL_PASSWORD, --sasl-password-file FILE, or sasl.passwordEnv / sasl.passwordFile in the config file`,
        );
      }
      return { mechanism, username, password };
    case 'oauthbearer': {
      if (tokenCommand !== undefined && tokenFile !== undefined) {
        throw new UsageError('use either --oauth-token-command or --oauth-token-file, not both');
      }
      if (tokenCommand !== undefined) return { mechanism, token: { command: tokenCommand } };
      if (tokenFile !== undefined) return { mechanism, token: { file: tokenFile } };
      throw new UsageError(
        '--sasl-mechanism oauthbearer needs --oauth-token-command CMD or --oauth-token-file FILE',
      );
    }
    case 'aws':
      return {
        mechanism,
        region: flags.awsRegion ?? fromEnv(env, 'AWS_REGION') ?? entry?.sasl?.region ?? null,
      };
  }
}

/** Brokers, metrics and the connection for a live cluster. */
export function resolveConnection(
  flags: ConnectionFlags,
  env: Env,
  file: ConfigFile | null,
): ResolvedConnection {
  const picked = pickCluster(flags, env, file);
  const entry = picked?.[1];
  // --metrics and --prometheus exclude each other: the first layer that sets either decides both.
  const layers: Array<{ metrics?: string; prometheus?: string }> = [
    { metrics: flags.metrics, prometheus: flags.prometheus },
    { metrics: fromEnv(env, 'KAFKATOP_METRICS'), prometheus: fromEnv(env, 'KAFKATOP_PROMETHEUS') },
    { metrics: entry?.metrics, prometheus: entry?.prometheus },
  ];
  const metricsLayer = layers.find((l) => l.metrics !== undefined || l.prometheus !== undefined);
  const tls = resolveTls(flags, env, entry);
  const sasl = resolveSasl(flags, env, entry);
  return {
    brokers: flags.brokers ?? fromEnv(env, 'KAFKATOP_BROKERS') ?? entry?.brokers,
    metrics: metricsLayer?.metrics,
    prometheus: metricsLayer?.prometheus,
    connection: {
      cluster: picked?.[0] ?? null,
      configFile: file?.path ?? null,
      // AWS MSK IAM listeners only speak TLS.
      tls: tls ?? (sasl?.mechanism === 'aws' ? { ca: null, cert: null, key: null, insecure: false } : null),
      sasl,
    },
  };
}
