/**
 * The brokers' `transaction.max.timeout.ms`: no transaction may stay open longer, so a last stable offset
 * unmoved for longer belongs to a hanging one (model/stuck-lso.ts). One DescribeConfigs to one broker about
 * itself (a broker answers only for its own id) on the slowly changing data's full read, carried between.
 */
import type { StageContext } from './context.js';
import { errorMessage } from './text.js';
import { errorType, sendRaw } from './wire.js';

const BROKER_RESOURCE = 4;
const NAME = 'transaction.max.timeout.ms';

interface DescribeConfigsResponse {
  resources: Array<{
    errorCode: number;
    configEntries: Array<{ configName: string; configValue: string | null }>;
  }>;
}

export interface BrokerConfigWatch {
  transactionMaxTimeoutMs: number | null;
}

export function createBrokerConfigWatch(): BrokerConfigWatch {
  return { transactionMaxTimeoutMs: null };
}

export async function collectBrokerConfigs(
  ctx: StageContext,
  watch: BrokerConfigWatch,
  fullRead: boolean,
): Promise<void> {
  const id = ctx.connections.nodeIds()[0];
  const broker = id === undefined ? undefined : ctx.connections.get(id);
  if (fullRead && broker) {
    try {
      const { resources } = await ctx.limit(() =>
        sendRaw<DescribeConfigsResponse>(broker, 'DescribeConfigs', {
          resources: [{ type: BROKER_RESOURCE, name: String(id), configNames: [NAME] }],
          includeSynonyms: false,
        }),
      );
      const resource = resources[0];
      if (resource && resource.errorCode !== 0) throw new Error(errorType(resource.errorCode));
      const value = Number(resource?.configEntries.find((e) => e.configName === NAME)?.configValue);
      if (Number.isFinite(value) && value > 0) watch.transactionMaxTimeoutMs = value;
    } catch (error) {
      ctx.collected.errors.push({
        source: `broker:${id}`,
        message: ctx.clean(`DescribeConfigs (${NAME}): ${errorMessage(error)}`),
      });
    }
  }
  ctx.collected.transactionMaxTimeoutMs = watch.transactionMaxTimeoutMs;
}
