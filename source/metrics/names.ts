/**
 * Which exported series hold each broker value. Every logical value has an ordered list of
 * candidates; the first one present on an endpoint wins. A candidate is a series name, optionally
 * with label matchers in PromQL syntax (`kafka_server_ReplicaManager_Value{name="UnderReplicatedPartitions"}`),
 * so the same strings work against a JMX exporter page and as PromQL selectors.
 *
 * Sources of the defaults (looked up, not guessed):
 * - Strimzi `packaging/examples/metrics/kafka-metrics.yaml` (lowercased `kafka_$1_$2_$3`, `_percent`
 *   for *Percent Values, `_total` for *PerSec Counts, `_count` for other Meter Counts).
 * - prometheus/jmx_exporter `example_configs/kafka-2_0_0.yml` (same shapes, `...avgidlepercent` gauges).
 * - confluentinc/jmx-monitoring-stacks `kafka_broker.yml` (untyped `kafka_$1_$2_$3` for Count and Value;
 *   the request-handler OneMinuteRate exported as the gauge `..._requesthandleravgidlepercent_total`)
 *   and its `broker-alerts.yml`.
 * - The JMX exporter's default naming with no rules: `kafka_server_ReplicaManager_Value{name="..."}`.
 * - JMX exporter 1.x appends `_total` to COUNTER-typed names, so `x_count` becomes `x_count_total`.
 */

export interface MetricNames {
  /** Cumulative count of the RequestHandlerAvgIdlePercent Meter (idle nanoseconds): rated between scrapes. */
  requestHandlerIdleCount: string[];
  /** The same Meter's OneMinuteRate, already an idle fraction. Never its MeanRate (a lifetime average). */
  requestHandlerIdleRate: string[];
  networkProcessorIdle: string[];
  underReplicatedPartitions: string[];
  underMinIsrPartitions: string[];
  offlinePartitions: string[];
  isrShrinks: string[];
  isrExpands: string[];
  activeControllerCount: string[];
}

export type MetricKey = keyof MetricNames;

export const DEFAULT_METRIC_NAMES: Readonly<MetricNames> = Object.freeze({
  requestHandlerIdleCount: [
    // Strimzi and the jmx_exporter Kafka example, exporter 1.x then 0.x.
    'kafka_server_kafkarequesthandlerpool_requesthandleravgidlepercent_count_total',
    'kafka_server_kafkarequesthandlerpool_requesthandleravgidlepercent_count',
    // Confluent's rules export the Meter's Count untyped under the bare name.
    'kafka_server_kafkarequesthandlerpool_requesthandleravgidlepercent',
    // No rules at all (the exporter's default naming).
    'kafka_server_KafkaRequestHandlerPool_Count{name="RequestHandlerAvgIdlePercent"}',
    'kafka_server_KafkaRequestHandlerPool_RequestHandlerAvgIdlePercent_Count',
  ],
  requestHandlerIdleRate: [
    // Confluent exports OneMinuteRate as a gauge named ..._total.
    'kafka_server_kafkarequesthandlerpool_requesthandleravgidlepercent_total',
    'kafka_server_kafkarequesthandlerpool_requesthandleravgidlepercent_oneminuterate',
    // Strimzi-style `_percent` naming with an extra OneMinuteRate rule (Strimzi's own `_percent` is the MeanRate).
    'kafka_server_kafkarequesthandlerpool_requesthandleravgidle_percent_oneminuterate',
    'kafka_server_KafkaRequestHandlerPool_OneMinuteRate{name="RequestHandlerAvgIdlePercent"}',
    'kafka_server_KafkaRequestHandlerPool_RequestHandlerAvgIdlePercent_OneMinuteRate',
  ],
  networkProcessorIdle: [
    'kafka_network_socketserver_networkprocessoravgidle_percent',
    'kafka_network_socketserver_networkprocessoravgidlepercent',
    'kafka_network_socketserver_networkprocessoravgidlepercent_value',
    'kafka_network_SocketServer_Value{name="NetworkProcessorAvgIdlePercent"}',
  ],
  underReplicatedPartitions: [
    'kafka_server_replicamanager_underreplicatedpartitions',
    'kafka_server_replicamanager_underreplicatedpartitions_value',
    'kafka_server_ReplicaManager_Value{name="UnderReplicatedPartitions"}',
  ],
  underMinIsrPartitions: [
    'kafka_server_replicamanager_underminisrpartitioncount',
    'kafka_server_replicamanager_underminisrpartitioncount_value',
    'kafka_server_ReplicaManager_Value{name="UnderMinIsrPartitionCount"}',
  ],
  offlinePartitions: [
    'kafka_controller_kafkacontroller_offlinepartitionscount',
    'kafka_controller_kafkacontroller_offlinepartitionscount_value',
    'kafka_controller_KafkaController_Value{name="OfflinePartitionsCount"}',
  ],
  isrShrinks: [
    'kafka_server_replicamanager_isrshrinks_total',
    'kafka_server_replicamanager_isrshrinkspersec',
    'kafka_server_replicamanager_isrshrinkspersec_count',
    'kafka_server_ReplicaManager_Count{name="IsrShrinksPerSec"}',
  ],
  isrExpands: [
    'kafka_server_replicamanager_isrexpands_total',
    'kafka_server_replicamanager_isrexpandspersec',
    'kafka_server_replicamanager_isrexpandspersec_count',
    'kafka_server_ReplicaManager_Count{name="IsrExpandsPerSec"}',
  ],
  activeControllerCount: [
    'kafka_controller_kafkacontroller_activecontrollercount',
    'kafka_controller_kafkacontroller_activecontrollercount_value',
    'kafka_controller_KafkaController_Value{name="ActiveControllerCount"}',
  ],
});

export const METRIC_KEYS = Object.keys(DEFAULT_METRIC_NAMES) as MetricKey[];

/** Overrides replace a key's whole candidate list; keys not given keep the defaults. */
export function resolveNames(overrides?: Partial<MetricNames>): MetricNames {
  const names = {} as MetricNames;
  for (const key of METRIC_KEYS) {
    const given = overrides?.[key];
    names[key] = given && given.length > 0 ? [...given] : [...DEFAULT_METRIC_NAMES[key]];
  }
  return names;
}

export interface Selector {
  name: string;
  labels: Record<string, string>;
}

/** Parses `name` or `name{label="value",...}`; throws on anything else (names come from config). */
export function parseSelector(text: string): Selector {
  const match = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?:\{(.*)\})?\s*$/.exec(text);
  if (!match) throw new Error(`invalid metric name: ${JSON.stringify(text)}`);
  const labels: Record<string, string> = {};
  const body = match[2]?.trim() ?? '';
  if (body !== '') {
    for (const part of body.split(',')) {
      if (part.trim() === '') continue;
      const pair = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"([^"]*)"\s*$/.exec(part);
      if (!pair) throw new Error(`invalid label matcher in metric name: ${JSON.stringify(text)}`);
      labels[pair[1]!] = pair[2]!;
    }
  }
  return { name: match[1]!, labels };
}

/**
 * Parses `--metric-name key=name1|name2` style overrides, e.g. "isrShrinks=my_isr_shrinks_total".
 * Returns the partial names object; unknown keys throw so typos do not silently fall back.
 */
export function parseNameOverrides(entries: string[]): Partial<MetricNames> {
  const out: Partial<MetricNames> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    const key = entry.slice(0, eq).trim() as MetricKey;
    if (eq < 0 || !METRIC_KEYS.includes(key)) {
      throw new Error(
        `unknown metric key in ${JSON.stringify(entry)}; expected one of ${METRIC_KEYS.join(', ')}`,
      );
    }
    const candidates = entry
      .slice(eq + 1)
      .split('|')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    for (const c of candidates) parseSelector(c);
    out[key] = candidates;
  }
  return out;
}
