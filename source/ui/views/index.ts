/**
 * The drill-down views, one per kind of frame. Adding a view is its own file (its frame type, label and
 * content) and its line in `Frame` and in `VIEWS` here; the compiler rejects a frame kind without a view.
 */
import { type BrokerFrame, brokerView } from './broker.js';
import { type GroupFrame, groupView } from './group.js';
import { type PartitionFrame, partitionView } from './partition.js';
import { type QuorumFrame, quorumView } from './quorum.js';
import { type TopicFrame, topicView } from './topic.js';
import { type TopicPartitionFrame, topicPartitionView } from './topic-partition.js';
import { type TopicsFrame, topicsView } from './topics.js';
import type { View } from './view.js';

export interface OverviewFrame {
  readonly kind: 'overview';
}

/** Where the user is: the overview, or a drill-down view with its subject. */
export type Frame =
  | OverviewFrame
  | GroupFrame
  | PartitionFrame
  | BrokerFrame
  | TopicFrame
  | TopicPartitionFrame
  | TopicsFrame
  | QuorumFrame;

export type DetailFrame = Exclude<Frame, OverviewFrame>;

export const VIEWS: { readonly [K in DetailFrame['kind']]: View<Extract<DetailFrame, { kind: K }>> } = {
  group: groupView,
  partition: partitionView,
  broker: brokerView,
  topic: topicView,
  topicPartition: topicPartitionView,
  topics: topicsView,
  quorum: quorumView,
};

export function frameLabel(frame: Frame): string {
  if (frame.kind === 'overview') return 'overview';
  return (VIEWS[frame.kind] as View<DetailFrame>).label(frame);
}

export type { ChartView, DetailContent, DetailList, Facts, Missing, View } from './view.js';
