/**
 * Fixture models: demo scenarios folded through the real model (deterministic for a seed), and a
 * hostile cluster whose ids carry escape sequences and bidi controls.
 */

import { createDemoSource } from '../../../source/demo/index.js';
import { createModel } from '../../../source/model/index.js';
import type { ClusterModel } from '../../../source/model/types.js';
import type { ClusterSnapshot } from '../../../source/snapshot.js';

const cache = new Map<string, ClusterModel>();

/** The model after `refreshes` refreshes of a demo scenario (seed 1, 2 s interval, speed 5). */
export async function demoModel(scenario: string, refreshes = 40): Promise<ClusterModel> {
  const key = `${scenario}:${refreshes}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const source = createDemoSource({ scenario, seed: 1, speed: 5, intervalMs: 2000 });
  const model = createModel({});
  let m = model.get();
  for (let i = 0; i < refreshes; i++) m = model.fold(await source.refresh());
  cache.set(key, m);
  return m;
}

/** Successive models of a scenario, for driving updates. */
export async function demoModels(scenario: string, refreshes: number): Promise<ClusterModel[]> {
  const source = createDemoSource({ scenario, seed: 1, speed: 5, intervalMs: 2000 });
  const model = createModel({});
  const out: ClusterModel[] = [];
  for (let i = 0; i < refreshes; i++) out.push(model.fold(await source.refresh()));
  return out;
}

export const HOSTILE_GROUP = 'evil\u001b[2J\u001b]0;pwned\u0007\u202egroup';
export const HOSTILE_TOPIC = 'top\u001b[31mic\u2066x';
export const HOSTILE_CLIENT = 'client\r\n\u009b1;1H';
export const HOSTILE_HOST = '/10.0.0.1\u001bP+q\u001b\\';

function hostileSnapshot(at: string, committed: number, logEnd: number): ClusterSnapshot {
  return {
    schemaVersion: 2,
    takenAt: at,
    clusterId: 'c\u001b[5mluster',
    controllerId: 1,
    brokers: [
      { id: 1, host: 'b\u001b]8;;http://x\u0007roker', port: 9092, rack: null, error: null, metrics: null },
    ],
    topics: [
      {
        name: HOSTILE_TOPIC,
        internal: false,
        configs: {},
        partitions: [
          {
            partition: 0,
            leader: 1,
            replicas: [1],
            isr: [1],
            offlineReplicas: [],
            logStartOffset: 0,
            logEndOffset: logEnd,
          },
        ],
      },
    ],
    groups: [
      {
        groupId: HOSTILE_GROUP,
        state: 'Stable\u001b[1A',
        protocolType: 'consumer',
        protocol: 'range',
        members: [
          {
            memberId: 'm\u0007-1',
            clientId: HOSTILE_CLIENT,
            host: HOSTILE_HOST,
            assignment: [{ topic: HOSTILE_TOPIC, partitions: [0] }],
          },
        ],
        totalLag: logEnd - committed,
        partitions: [
          {
            topic: HOSTILE_TOPIC,
            partition: 0,
            committedOffset: committed,
            logEndOffset: logEnd,
            lag: logEnd - committed,
            memberId: 'm\u0007-1',
          },
        ],
      },
    ],
    errors: [{ source: 'metrics:1', message: 'boom\u001b[2Jbad' }],
  };
}

export function hostileModel(): ClusterModel {
  const model = createModel({});
  model.fold(hostileSnapshot('2025-03-12T08:30:00.000Z', 10, 100));
  return model.fold(hostileSnapshot('2025-03-12T08:30:02.000Z', 20, 130));
}
