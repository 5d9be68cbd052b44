/**
 * `--print-config`: the effective configuration as JSON. Secrets are never read for it: a password shows
 * as "****" with where it comes from, so the output is safe to paste into a bug report.
 */

import type { SecretRef } from '../config/types.js';
import type { Options } from './options.js';

export const MASK = '****';

const origin = (ref: SecretRef) => ('env' in ref ? { passwordEnv: ref.env } : { passwordFile: ref.file });

export function effectiveConfig(options: Options): Record<string, unknown> {
  const { mode, connection } = options;
  const sasl = connection.sasl;
  return {
    configFile: connection.configFile,
    cluster: connection.cluster,
    source: mode.kind,
    brokers: mode.kind === 'live' ? mode.brokers : null,
    metrics: options.metrics,
    prometheus: options.prometheus,
    tls: connection.tls,
    sasl:
      sasl === null
        ? null
        : sasl.mechanism === 'oauthbearer'
          ? {
              mechanism: sasl.mechanism,
              ...('command' in sasl.token
                ? { tokenCommand: sasl.token.command }
                : { tokenFile: sasl.token.file }),
              token: MASK,
            }
          : sasl.mechanism === 'aws'
            ? { mechanism: sasl.mechanism, region: sasl.region }
            : {
                mechanism: sasl.mechanism,
                username: sasl.username,
                password: MASK,
                ...origin(sasl.password),
              },
    intervalMs: options.intervalMs,
    timeoutMs: options.timeoutMs,
    historyLength: options.historyLength,
    scope: { groups: options.groupPatterns, topics: options.topicPatterns },
    alerts: options.alertRules.map(({ name, severity, threshold, forMs }) => ({
      name,
      severity,
      threshold,
      forMs,
    })),
  };
}

export function formatEffectiveConfig(options: Options): string {
  return `${JSON.stringify(effectiveConfig(options), null, 2)}\n`;
}
