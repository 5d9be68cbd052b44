/**
 * How kafkatop connects to a cluster (TLS, SASL), as resolved from flags, environment and the config file.
 * Secrets are held only as references (an environment variable's name or a file path): the values are read
 * when the connection is built (auth.ts), so options, usage errors and --print-config cannot carry them.
 */

export type SecretRef = { env: string } | { file: string };

export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512', 'oauthbearer', 'aws'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

export interface TlsSettings {
  /** PEM file of the CA(s) to trust instead of the system's. */
  ca: string | null;
  /** PEM client certificate and key, for mTLS. */
  cert: string | null;
  key: string | null;
  /** Skip certificate verification (warned about on stderr). */
  insecure: boolean;
}

export type SaslSettings =
  | { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: SecretRef }
  | { mechanism: 'oauthbearer'; token: { command: string } | { file: string } }
  | { mechanism: 'aws'; region: string | null };

export interface ConnectionSettings {
  /** The config file's cluster in use, if any. */
  cluster: string | null;
  /** The config file read, if any. */
  configFile: string | null;
  tls: TlsSettings | null;
  sasl: SaslSettings | null;
}

export const NO_CONNECTION_SETTINGS: ConnectionSettings = {
  cluster: null,
  configFile: null,
  tls: null,
  sasl: null,
};
