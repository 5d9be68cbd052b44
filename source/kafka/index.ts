export { CONSUMER_PROTOCOL_STATE, isInternalTopic } from './assemble.js';
export {
  createKafkaCollector,
  DEFAULT_REFRESH_TIMEOUT_MS,
  type KafkaCollector,
  type KafkaCollectorOptions,
} from './collector.js';
export { TOPIC_CONFIG_NAMES } from './configs.js';
export type { KafkaLogLine, LogRing } from './log-ring.js';
