/** Topic configs the panes need, for the given topics (all by default) in one DescribeConfigs request. */
import type { StageContext } from './context.js';
import { errorMessage } from './text.js';
import { errorType, sendRaw, TOPIC_RESOURCE } from './wire.js';

export const TOPIC_CONFIG_NAMES = [
  'min.insync.replicas',
  'cleanup.policy',
  'retention.ms',
  'retention.bytes',
  'unclean.leader.election.enable',
];

interface DescribeConfigsResponse {
  resources: Array<{
    errorCode: number;
    resourceName: string;
    configEntries: Array<{ configName: string; configValue: string | null }>;
  }>;
}

export async function collectTopicConfigs(
  ctx: StageContext,
  topics: string[] = ctx.collected.metadata?.topicMetadata.map((t) => t.topic) ?? [],
): Promise<void> {
  if (topics.length === 0) return;
  try {
    const { result } = await ctx.limit(() =>
      ctx.connections.anyBroker((broker) =>
        sendRaw<DescribeConfigsResponse>(broker, 'DescribeConfigs', {
          resources: topics.map((name) => ({ type: TOPIC_RESOURCE, name, configNames: TOPIC_CONFIG_NAMES })),
          includeSynonyms: false,
        }),
      ),
    );
    for (const resource of result.resources) {
      if (resource.errorCode !== 0) {
        ctx.collected.errors.push({
          source: `topic:${resource.resourceName}`,
          message: `DescribeConfigs: ${errorType(resource.errorCode)}`,
        });
        continue;
      }
      const configs: Record<string, string> = {};
      for (const entry of resource.configEntries) {
        if (entry.configValue !== null) configs[entry.configName] = entry.configValue;
      }
      ctx.collected.configs.set(resource.resourceName, configs);
    }
  } catch (error) {
    ctx.collected.errors.push({
      source: 'configs',
      message: ctx.clean(`DescribeConfigs: ${errorMessage(error)}`),
    });
  }
}
