/**
 * The connection contract: the TLS and SASL options a Kafka connection is opened with, as plain data.
 * config/ builds them (auth.ts: certificate files and secrets read, tokens fetched on demand) and kafka/ hands
 * them to kafkajs; neither imports the other. The shapes are the subset of kafkajs's `ssl` and `sasl` options
 * kafkatop uses, written out here so this module imports nothing (kafkajs's own types are assignable from them).
 */

/** TLS with a private CA, client certificate (mTLS) or verification off; PEM text, not file paths. */
export interface ConnectionTls {
  ca?: string[];
  cert?: string;
  key?: string;
  rejectUnauthorized?: boolean;
}

/** `true`: TLS with the system's CAs. */
export type ConnectionSsl = boolean | ConnectionTls;

export type ConnectionSasl =
  | { mechanism: 'plain'; username: string; password: string }
  | { mechanism: 'scram-sha-256'; username: string; password: string }
  | { mechanism: 'scram-sha-512'; username: string; password: string }
  /** Called on every (re)authentication. */
  | { mechanism: 'oauthbearer'; oauthBearerProvider: () => Promise<{ value: string }> };

/** What config/ resolves and the Kafka collector connects with (besides the brokers). */
export interface ConnectionAuth {
  ssl?: ConnectionSsl;
  sasl?: ConnectionSasl;
}
