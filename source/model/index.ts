/** The cluster model: fold ClusterSnapshots into an immutable ClusterModel. See docs/model.md. */

export { DEFAULT_ALERT_RULES } from './alerts.js';
export {
  createModel,
  DEFAULT_HISTORY_LENGTH,
  DEFAULT_LONG_HISTORY,
  DEFAULT_MAX_EVENTS,
  DEFAULT_RATE_WINDOW,
  DEFAULT_STALL_AFTER_MS,
  DEFAULT_STATUS_WINDOW,
  EMPTY_MODEL,
} from './model.js';
export { EMPTY_SERIES } from './series.js';
export type * from './types.js';
