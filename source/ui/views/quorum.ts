/**
 * The quorum view: the KRaft metadata quorum as `kafka-metadata-quorum.sh describe --replication` prints
 * it, one row per replica, voters then observers, with a line on the leader and the voters' majority.
 * Dedicated controllers are not in Metadata: this is the one place their lag and last fetch show. Enter on
 * a broker opens it.
 */
import type { QuorumReplicaState, QuorumState } from '../../model/quorum.js';
import type { BrokerState } from '../../model/types.js';
import { formatDuration, formatExact } from '../format.js';
import type { Glyphs } from '../glyphs.js';
import { memoByIdentity, memoByIdentity2, searchText } from '../view-models/common.js';
import { leaderLogEnd, quorumLag, votersCaughtUp } from '../view-models/kafka4.js';
import { type Column, lazyRow, type RowParts, type TableModel } from '../view-models/table.js';
import type { Frame } from './index.js';
import type { DetailContent, Facts, View } from './view.js';

export interface QuorumFrame {
  readonly kind: 'quorum';
}

export const QUORUM_NOT_SERVED = 'quorum not available (ZooKeeper cluster, or DescribeQuorum not served)';

const ROLE_WORD = { leader: 'Leader', voter: 'Follower (voter)', observer: 'Observer' } as const;
const ROLE_RANK = { leader: 0, voter: 1, observer: 2 } as const;

interface Context {
  readonly glyphs: Glyphs;
  readonly leaderEnd: number | null;
}

function ago(ms: number | null, glyphs: Glyphs): string {
  return ms === null ? glyphs.unknown : `${formatDuration(ms)} ago`;
}

const REPLICA_ROW: RowParts<QuorumReplicaState, Context> = {
  cells: (r, { glyphs, leaderEnd }) => [
    { text: String(r.id) },
    { text: ROLE_WORD[r.role], tone: r.role === 'leader' ? 'accent' : undefined },
    { text: formatExact(r.logEndOffset) },
    { text: formatExact(quorumLag(r, leaderEnd)), tone: r.behind ? 'warn' : undefined },
    { text: ago(r.lastFetchAgeMs, glyphs), tone: r.lastFetchAgeMs === null ? 'muted' : undefined },
    { text: ago(r.lastCaughtUpAgeMs, glyphs), tone: r.lastCaughtUpAgeMs === null ? 'muted' : undefined },
    r.behind ? { text: `${glyphs.warn} behind`, tone: 'warn' } : { text: `${glyphs.ok} OK`, tone: 'ok' },
  ],
  sort: (r, { leaderEnd }) => [
    r.id,
    ROLE_RANK[r.role],
    r.logEndOffset,
    -quorumLag(r, leaderEnd),
    -(r.lastFetchAgeMs ?? -1),
    -(r.lastCaughtUpAgeMs ?? -1),
    r.behind ? 0 : 1,
  ],
  search: (r) => searchText(r.id, ROLE_WORD[r.role], r.behind ? 'behind' : 'ok'),
};

const COLUMNS: readonly Column[] = [
  { title: 'NODE', width: 4, align: 'right' },
  { title: 'ROLE', width: 8 },
  { title: 'LOG END OFFSET', width: 7, align: 'right' },
  { title: 'LAG', width: 3, align: 'right' },
  { title: 'LAST FETCH', width: 6, align: 'right', drop: 1 },
  { title: 'LAST CAUGHT UP', width: 6, align: 'right', drop: 2 },
  { title: 'STATUS', width: 6 },
];

/** Voters then observers, as the model lists them; rebuilt once per refresh. */
const replicaTable = memoByIdentity2((q: QuorumState, glyphs: Glyphs): TableModel => {
  const context: Context = { glyphs, leaderEnd: leaderLogEnd(q) };
  return { columns: COLUMNS, rows: q.replicas.map((r) => lazyRow(String(r.id), r, context, REPLICA_ROW)) };
});

/** Once per refresh, like the table: the frame only reads them. */
const quorumFacts = memoByIdentity2((q: QuorumState, glyphs: Glyphs): readonly Facts[] => {
  const { voters, caughtUp, majority } = votersCaughtUp(q);
  const observers = q.replicas.length - voters;
  const facts: Facts = [
    q.leaderId < 0
      ? { text: `${glyphs.crit} no leader`, tone: 'crit' }
      : { text: `leader ${q.leaderId}`, tone: 'accent' },
    { text: `epoch ${q.leaderEpoch}` },
    { text: `high watermark ${formatExact(q.highWatermark)}` },
    majority
      ? { text: `voters ${voters}: majority caught up (${caughtUp}/${voters})`, tone: 'ok' }
      : {
          text: `${glyphs.crit} voters ${voters}: no majority caught up (${caughtUp}/${voters})`,
          tone: 'crit',
        },
    { text: `observers ${observers}`, tone: 'muted' },
  ];
  return [facts];
});

/** Enter opens a replica that is a broker; a dedicated controller has no broker view. */
const brokerTarget = memoByIdentity((brokers: readonly BrokerState[]) => (id: string): Frame | null => {
  const brokerId = Number(id);
  return brokers.some((b) => b.id === brokerId) ? { kind: 'broker', brokerId } : null;
});

const NOT_SERVED: DetailContent = {
  facts: [[{ text: QUORUM_NOT_SERVED, tone: 'muted' }]],
  charts: [],
  list: null,
};

export const quorumView: View<QuorumFrame> = {
  label: () => 'quorum',
  content(model, _frame, glyphs): DetailContent {
    const q = model.quorum;
    if (!q) return NOT_SERVED;
    return {
      facts: quorumFacts(q, glyphs),
      charts: [],
      list: { table: replicaTable(q, glyphs), target: brokerTarget(model.brokers), empty: 'no replicas' },
    };
  },
};
