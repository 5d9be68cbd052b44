import { describe, expect, it } from 'vitest';
import {
  decodeListGroupsResponse,
  encodeListGroupsRequest,
  inferGroupType,
  listGroups,
} from '../../../source/kafka/list-groups.js';
import { captured, expectTruncationToFail, fakeBroker, hex } from './kafka4-support.js';

describe('encodeListGroupsRequest', () => {
  it('lays out v5 with both filters (ListGroupsRequest.json)', () => {
    expect(
      encodeListGroupsRequest(5, { states: ['Stable'], types: ['share', 'consumer'] }).toString('hex'),
    ).toBe(
      hex(`
        00                 # request header v2: no tagged fields
        02 07 537461626c65 # states_filter: ["Stable"]
        03 06 7368617265 09 636f6e73756d6572 # types_filter: ["share", "consumer"]
        00                 # tagged fields
      `),
    );
  });

  it('writes empty filters (every group) and only the fields of the version', () => {
    expect(encodeListGroupsRequest(5).toString('hex')).toBe('00010100');
    expect(encodeListGroupsRequest(4, { types: ['share'] }).toString('hex')).toBe('000100');
    expect(encodeListGroupsRequest(3, { states: ['Stable'] }).toString('hex')).toBe('0000');
  });
});

describe('decodeListGroupsResponse on answers captured from Kafka 4.4.0', () => {
  it('v5 names each group’s type as the broker knows it', () => {
    expect(decodeListGroupsResponse(captured('list-groups-v5'), 5)).toEqual({
      throttleTimeMs: 0,
      errorCode: 0,
      groups: [
        {
          groupId: 'g-classic',
          protocolType: 'consumer',
          groupState: 'Stable',
          groupType: 'classic',
          groupTypeFromBroker: true,
        },
        {
          groupId: 'g-consumer',
          protocolType: 'consumer',
          groupState: 'Stable',
          groupType: 'consumer',
          groupTypeFromBroker: true,
        },
      ],
    });
    expect(decodeListGroupsResponse(captured('list-groups-v5-share'), 5).groups).toEqual([
      {
        groupId: 's-share',
        protocolType: 'share',
        groupState: 'Stable',
        groupType: 'share',
        groupTypeFromBroker: true,
      },
    ]);
  });

  it('v4 has states but no types: a consumer-protocol group reads as classic, inferred, and says so', () => {
    expect(decodeListGroupsResponse(captured('list-groups-v4'), 4).groups).toEqual([
      {
        groupId: 'g-classic',
        protocolType: 'consumer',
        groupState: 'Stable',
        groupType: 'classic',
        groupTypeFromBroker: false,
      },
      {
        groupId: 'g-consumer',
        protocolType: 'consumer',
        groupState: 'Stable',
        groupType: 'classic',
        groupTypeFromBroker: false,
      },
    ]);
  });

  it('v3 has neither: state null', () => {
    const { groups } = decodeListGroupsResponse(captured('list-groups-v3'), 3);
    expect(groups.map((g) => [g.groupId, g.groupState, g.groupType])).toEqual([
      ['g-classic', null, 'classic'],
      ['g-consumer', null, 'classic'],
    ]);
  });

  it('reads Kafka 3.9.1’s v5 answer', () => {
    expect(decodeListGroupsResponse(captured('list-groups-v5-kafka-3.9.1'), 5).groups).toEqual([
      {
        groupId: 'g-classic',
        protocolType: 'consumer',
        groupState: 'Stable',
        groupType: 'classic',
        groupTypeFromBroker: true,
      },
    ]);
  });

  it('fails on a truncated answer, and on an answer read at the wrong version', () => {
    for (const [name, version] of [
      ['list-groups-v5', 5],
      ['list-groups-v4', 4],
      ['list-groups-v3', 3],
    ] as const) {
      expectTruncationToFail(
        (body) => decodeListGroupsResponse(body, version),
        captured(name),
        `ListGroups v${version} response`,
      );
    }
    expect(() => decodeListGroupsResponse(captured('list-groups-v5'), 4)).toThrow(/ListGroups v4 response/);
  });
});

describe('inferGroupType', () => {
  it('takes share and streams from the protocol type, anything else is classic', () => {
    expect(['share', 'streams', 'consumer', 'connect', ''].map(inferGroupType)).toEqual([
      'share',
      'streams',
      'classic',
      'classic',
      'classic',
    ]);
  });
});

describe('listGroups', () => {
  it('asks at the highest version both sides speak (at most v5) and decodes at that version', async () => {
    const { broker, sent } = fakeBroker({ 16: 9 }, captured('list-groups-v5'));
    const answer = await listGroups(broker, { types: ['consumer'] });
    expect(sent).toEqual([
      {
        apiName: 'ListGroups',
        apiKey: 16,
        apiVersion: 5,
        body: encodeListGroupsRequest(5, { types: ['consumer'] }),
      },
    ]);
    expect(answer?.groups.map((g) => g.groupType)).toEqual(['classic', 'consumer']);
  });

  it('falls to v4 on a broker that serves no v5', async () => {
    const { broker, sent } = fakeBroker({ 16: 4 }, captured('list-groups-v4'));
    expect((await listGroups(broker))?.groups[0]?.groupState).toBe('Stable');
    expect(sent[0]?.apiVersion).toBe(4);
  });

  it('gives null, sending nothing, on a broker without the flexible versions (v2 and older)', async () => {
    const { broker, sent } = fakeBroker({ 16: 2 }, Buffer.alloc(0));
    expect(await listGroups(broker)).toBeNull();
    expect(sent).toEqual([]);
  });
});
