import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeParticipantGroups, encodeParticipantGroups } from '../../src/modules/deliberation/stored-result.js';

// The stored participant → group map (stored-result.ts): runs of consecutive ids and one digit
// per participant, read back as the same pairs; maps stored in the earlier JSON form still read.

const pairs = (g: { ids: number[]; groups: number[] }) => g.ids.map((id, i) => [id, g.groups[i]]).sort((a, b) => a[0]! - b[0]!);

describe('deliberation: the stored participant → group map', () => {
  it('reads back the same participant and group pairs, in any order and with gaps in the ids', () => {
    const ids = [7, 3, 4, 5, 100, 6, 101, 1_000_000, 2];
    const groups = [0, 1, 2, 3, 4, 5, 9, 8, 0];
    const text = encodeParticipantGroups({ ids, groups });
    assert.deepEqual(JSON.parse(text), { format: 2, runs: [2, 6, 100, 2, 1_000_000, 1], groups: '012350498' });
    const back = decodeParticipantGroups(text);
    assert.deepEqual(pairs(back), pairs({ ids, groups }));
    assert.deepEqual(back.ids, [...ids].sort((a, b) => a - b), 'ascending');
  });

  it('is about one byte per participant for a conversation whose ids are one run', () => {
    const ids = Array.from({ length: 33_000 }, (_, i) => 5_000 + i);
    const groups = ids.map((id) => (id * 7) % 5);
    const text = encodeParticipantGroups({ ids, groups });
    assert.ok(text.length < 33_100, `${text.length} characters`);
    assert.ok(JSON.stringify({ ids, groups }).length > 200_000);
    assert.deepEqual(decodeParticipantGroups(text), { ids, groups });
  });

  it('an empty map, and a map stored in the earlier form', () => {
    assert.deepEqual(decodeParticipantGroups(encodeParticipantGroups({ ids: [], groups: [] })), { ids: [], groups: [] });
    assert.deepEqual(decodeParticipantGroups('{"ids":[9,4],"groups":[1,0]}'), { ids: [9, 4], groups: [1, 0] });
  });

  it('refuses a group that is not one digit instead of storing a wrong map', () => {
    assert.throws(() => encodeParticipantGroups({ ids: [1], groups: [10] }), RangeError);
    assert.throws(() => encodeParticipantGroups({ ids: [1], groups: [-1] }), RangeError);
  });
});
