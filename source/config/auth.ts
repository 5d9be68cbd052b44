/**
 * Turns connection settings into the `ssl` and `sasl` options of the Kafka collector, reading certificate
 * files and secrets. Everything read that is secret is remembered, so `secrets()` can redact it from
 * whatever the collector reports (kafkajs errors, log lines).
 */
import { readFile } from 'node:fs/promises';
import type { ConnectionAuth, ConnectionSsl, ConnectionTls } from '../connection.js';
import { type CommandRunner, readSecret, readToken, runShellCommand, SecretError } from './secrets.js';
import type { ConnectionSettings, TlsSettings } from './types.js';

/** The AWS MSK IAM signer; an optional dependency, never in package.json. */
export const AWS_SIGNER_PACKAGE = 'aws-msk-iam-sasl-signer-js';

export interface KafkaAuth extends ConnectionAuth {
  /** Every secret value read so far (tokens are added as they are fetched). */
  secrets(): string[];
}

export interface AuthDeps {
  env: Record<string, string | undefined>;
  runCommand?: CommandRunner;
  /** Loads a package by name (default: dynamic import); swapped in tests to simulate a missing package. */
  importModule?: (name: string) => Promise<unknown>;
}

interface AwsSigner {
  generateAuthToken(options: { region: string }): Promise<{ token: string }>;
}

async function readPem(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SecretError(
      `cannot read ${what} ${path}: ${code === 'ENOENT' ? 'no such file' : (code ?? 'error')}`,
    );
  }
}

async function buildTls(tls: TlsSettings, remember: (s: string) => void): Promise<ConnectionSsl> {
  if (!tls.ca && !tls.cert && !tls.insecure) return true;
  const ssl: ConnectionTls = { rejectUnauthorized: !tls.insecure };
  if (tls.ca) ssl.ca = [await readPem(tls.ca, '--tls-ca')];
  if (tls.cert && tls.key) {
    ssl.cert = await readPem(tls.cert, '--tls-cert');
    const key = await readPem(tls.key, '--tls-key');
    remember(key);
    ssl.key = key;
  }
  return ssl;
}

async function loadAwsSigner(importModule: (name: string) => Promise<unknown>): Promise<AwsSigner> {
  let loaded: unknown;
  try {
    loaded = await importModule(AWS_SIGNER_PACKAGE);
  } catch {
    throw new SecretError(
      `install ${AWS_SIGNER_PACKAGE} (npm install ${AWS_SIGNER_PACKAGE}) to use --sasl-mechanism aws`,
    );
  }
  const signer = loaded as Partial<AwsSigner> & { default?: Partial<AwsSigner> };
  const generate = signer.generateAuthToken ?? signer.default?.generateAuthToken;
  if (typeof generate !== 'function') {
    throw new SecretError(`${AWS_SIGNER_PACKAGE} has no generateAuthToken(): is it the right version?`);
  }
  return { generateAuthToken: generate };
}

export async function buildKafkaAuth(connection: ConnectionSettings, deps: AuthDeps): Promise<KafkaAuth> {
  const known = new Set<string>();
  const remember = (secret: string) => {
    if (secret) known.add(secret);
  };
  const auth: KafkaAuth = { secrets: () => [...known] };
  if (connection.tls) auth.ssl = await buildTls(connection.tls, remember);

  const sasl = connection.sasl;
  if (!sasl) return auth;
  switch (sasl.mechanism) {
    case 'plain':
    case 'scram-sha-256':
    case 'scram-sha-512': {
      const password = await readSecret(sasl.password, deps.env, 'SASL password');
      remember(password);
      auth.sasl = { mechanism: sasl.mechanism, username: sasl.username, password };
      return auth;
    }
    case 'oauthbearer': {
      const runCommand = deps.runCommand ?? runShellCommand;
      // Read once now so a broken token source is a startup error, then again on every (re)authentication.
      remember(await readToken(sasl.token, runCommand));
      auth.sasl = {
        mechanism: 'oauthbearer',
        oauthBearerProvider: async () => {
          const value = await readToken(sasl.token, runCommand);
          remember(value);
          return { value };
        },
      };
      return auth;
    }
    case 'aws': {
      const region = sasl.region;
      if (!region) throw new SecretError('--sasl-mechanism aws needs a region: --aws-region or AWS_REGION');
      const signer = await loadAwsSigner(deps.importModule ?? ((name) => import(name)));
      // MSK IAM is OAUTHBEARER with a token the signer makes from the default AWS credential chain.
      auth.sasl = {
        mechanism: 'oauthbearer',
        oauthBearerProvider: async () => {
          const { token } = await signer.generateAuthToken({ region });
          remember(token);
          return { value: token };
        },
      };
      return auth;
    }
  }
}
