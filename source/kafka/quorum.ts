/**
 * The KRaft metadata quorum, from DescribeQuorum sent to any broker (it forwards it to the controllers):
 * the only reliable source of the active controller under KRaft, where Metadata and DescribeCluster name
 * a random broker. A cluster that does not serve it (ZooKeeper-era brokers) leaves the quorum null.
 */
import type { QuorumReplicaSnapshot, QuorumSnapshot } from '../snapshot.js';
import type { StageContext } from './context.js';
import {
  CLUSTER_METADATA_TOPIC,
  type DescribeQuorumResponse,
  describeQuorum,
  type QuorumReplica,
} from './describe-quorum.js';
import { errorMessage } from './text.js';
import { errorType } from './wire.js';

export async function collectQuorum(ctx: StageContext): Promise<void> {
  try {
    const { result } = await ctx.limit(() => ctx.connections.anyBroker(describeQuorum));
    if (result === null) return;
    ctx.collected.quorum = quorumOf(result);
  } catch (error) {
    ctx.collected.errors.push({
      source: 'quorum',
      message: ctx.clean(`DescribeQuorum: ${errorMessage(error)}`),
    });
  }
}

/** The metadata partition's quorum; throws on an error code. */
export function quorumOf(response: DescribeQuorumResponse): QuorumSnapshot {
  if (response.errorCode !== 0) throw new Error(response.errorMessage ?? errorType(response.errorCode));
  const partition = response.topics.find((t) => t.topicName === CLUSTER_METADATA_TOPIC)?.partitions[0];
  if (!partition) throw new Error(`no ${CLUSTER_METADATA_TOPIC} partition in the answer`);
  if (partition.errorCode !== 0) throw new Error(partition.errorMessage ?? errorType(partition.errorCode));
  const hw = partition.highWatermark;
  return {
    leaderId: partition.leaderId,
    leaderEpoch: partition.leaderEpoch,
    highWatermark: hw,
    voters: partition.currentVoters.map((r) => replica(r, hw)).sort(byId),
    observers: partition.observers.map((r) => replica(r, hw)).sort(byId),
  };
}

function replica(r: QuorumReplica, highWatermark: number): QuorumReplicaSnapshot {
  return {
    id: r.replicaId,
    logEndOffset: r.logEndOffset,
    lag: Math.max(0, highWatermark - r.logEndOffset),
    lastFetchTimestamp: r.lastFetchTimestamp,
    lastCaughtUpTimestamp: r.lastCaughtUpTimestamp,
  };
}

function byId(a: QuorumReplicaSnapshot, b: QuorumReplicaSnapshot): number {
  return a.id - b.id;
}
