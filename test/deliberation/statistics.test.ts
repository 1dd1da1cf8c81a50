/** Repness, consensus, group-informed consensus, priorities and ARI on hand-checkable data. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  adjustedRandIndex,
  computeOpinionGroups,
  nextStatement,
  priorityMetric,
  propTest,
  rankStatements,
  twoPropTest,
  type VoteRecord,
  type VoteValue,
} from '../../src/modules/deliberation/engine/index.js';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} ≠ ${b}`);

/**
 * Two camps of 20: camp A (ids 0..19) agrees with 1 and disagrees with 2, camp B the opposite;
 * everyone agrees with 3; statement 4 is passed by all; 5 splits each camp in half.
 */
function twoCamps(): VoteRecord[] {
  const votes: VoteRecord[] = [];
  for (let p = 0; p < 40; p++) {
    const a = p < 20;
    const v = (x: number) => x as VoteValue;
    votes.push(
      { participantId: p, statementId: 1, value: v(a ? 1 : -1) },
      { participantId: p, statementId: 2, value: v(a ? -1 : 1) },
      { participantId: p, statementId: 3, value: 1 },
      { participantId: p, statementId: 4, value: 0 },
      { participantId: p, statementId: 5, value: v(p % 2 ? 1 : -1) },
      { participantId: p, statementId: 6, value: v(a ? 1 : 0) },
      { participantId: p, statementId: 7, value: v(p % 3 === 0 ? -1 : 1) },
    );
  }
  return votes;
}

describe('statistics', () => {
  it('proportion tests follow polismath (pseudocount +1 on every count)', () => {
    close(propTest(3, 4), 2 * Math.sqrt(5) * (4 / 5 - 0.5));
    close(propTest(0, 0), 1); // (0 + 1) / (0 + 1) against ½, times 2·√1
    // (6/7 − 3/11) / sqrt(½·½·(1/7 + 1/11))
    close(twoPropTest(5, 2, 6, 10), (6 / 7 - 3 / 11) / Math.sqrt(0.25 * (1 / 7 + 1 / 11)));
    close(twoPropTest(4, 4, 4, 4), 0);
  });

  it('finds the two camps, their representative statements, consensus and group-informed consensus', () => {
    const r = computeOpinionGroups({ votes: twoCamps(), statementIds: [1, 2, 3, 4, 5, 6, 7, 8] });
    assert.equal(r.k, 2);
    assert.deepEqual(r.groups.map((g) => g.memberIds.length), [20, 20]);
    // Group 0 is the one holding participant 0 (equal sizes: smallest member id first).
    assert.equal(r.groupByParticipant.get(0), 0);
    assert.equal(r.groupByParticipant.get(39), 1);
    const rep0 = r.repness[0]!;
    const rep1 = r.repness[1]!;
    // Camp A: agrees with 1 (and 6), disagrees with 2. Camp B the reverse.
    assert.deepEqual(rep0.filter((x) => x.direction === 'agree').map((x) => x.statementId).sort(), [1, 6]);
    assert.deepEqual(rep0.filter((x) => x.direction === 'disagree').map((x) => x.statementId), [2]);
    assert.ok(rep1.some((x) => x.statementId === 2 && x.direction === 'agree'));
    assert.ok(rep1.some((x) => x.statementId === 1 && x.direction === 'disagree'));
    // Nothing both groups share is "representative".
    for (const list of r.repness) assert.ok(list.every((x) => ![3, 4, 5].includes(x.statementId)));
    const s1 = rep0.find((x) => x.statementId === 1)!;
    assert.equal(s1.nSuccess, 20);
    assert.equal(s1.nTrials, 20);
    close(s1.pSuccess, 21 / 22);
    close(s1.repness, 21 / 22 / (1 / 22));
    close(s1.repnessTest, twoPropTest(20, 0, 20, 20));
    // Consensus: 3 (everyone agrees), then 7 (two thirds agree).
    assert.deepEqual(r.consensus.agree.map((c) => c.statementId), [3, 7]);
    assert.deepEqual(r.consensus.disagree, []);
    // Group-informed consensus: 3 highest, 1 and 2 low, an unvoted statement (8) is ¼.
    const gic = new Map([...r.statements.statementIds].map((id, j) => [id, r.statements.groupInformedConsensus[j]!]));
    close(gic.get(3)!, (21 / 22) ** 2);
    close(gic.get(1)!, (21 / 22) * (1 / 22));
    close(gic.get(8)!, 0.25);
    assert.ok(gic.get(3)! > gic.get(7)! && gic.get(7)! > gic.get(1)!);
    // Axis 1 separates the camps: statements 1 and 2 load with opposite signs.
    const j1 = [...r.axes.statementIds].indexOf(1);
    const j2 = [...r.axes.statementIds].indexOf(2);
    assert.ok(r.axes.pc1[j1]! * r.axes.pc1[j2]! < 0);
    assert.ok(Math.sign(r.groups[0]!.centre[0]) !== Math.sign(r.groups[1]!.centre[0]));
  });

  it('priorities: unseen statements come first, a statement already voted on is never offered, draws are seeded', () => {
    close(priorityMetric(0, 0, 0, 0, false), (0.5 * 1 * 0.5 * 9) ** 2);
    assert.equal(priorityMetric(3, 1, 10, 2, true), 49);
    assert.ok(priorityMetric(20, 0, 40, 1, false) < priorityMetric(2, 0, 4, 1, false));
    const r = computeOpinionGroups({ votes: twoCamps(), statementIds: [1, 2, 3, 4, 5, 6, 7, 8] });
    const ranked = rankStatements(r, { votedStatementIds: [1, 2] });
    assert.equal(ranked[0]!.statementId, 8);
    assert.ok(ranked.every((x) => x.statementId !== 1 && x.statementId !== 2));
    // Statement 4 (passed by everyone) is the least useful to show again.
    assert.equal(ranked[ranked.length - 1]!.statementId, 4);
    const seen = new Map<number, number>();
    for (let seed = 0; seed < 400; seed++) {
      const s = nextStatement(r, { votedStatementIds: [1, 2, 3], seed })!;
      assert.ok(![1, 2, 3].includes(s));
      seen.set(s, (seen.get(s) ?? 0) + 1);
      assert.equal(nextStatement(r, { votedStatementIds: [1, 2, 3], seed }), s);
    }
    assert.ok((seen.get(8) ?? 0) > (seen.get(4) ?? 0));
    assert.equal(nextStatement(r, { votedStatementIds: [1, 2, 3, 4, 5, 6, 7, 8], seed: 1 }), null);
    // Candidates added after the computation count as unseen; excluded ones are never offered.
    assert.equal(rankStatements(r, { votedStatementIds: [], candidateStatementIds: [3, 42] })[0]!.statementId, 42);
    assert.deepEqual(rankStatements(r, { votedStatementIds: [], candidateStatementIds: [3, 42], excludedStatementIds: [42] }).map((x) => x.statementId), [3]);
  });

  it('adjusted Rand index', () => {
    assert.equal(adjustedRandIndex([0, 0, 1, 1], [5, 5, 9, 9]), 1);
    assert.equal(adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0]), 1);
    // sklearn's example: adjusted_rand_score([0, 0, 1, 1], [0, 0, 1, 2]) = 0.5714…
    close(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2]), 0.5714285714285714);
    assert.ok(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 1, 2, 0, 1, 2]) < 0);
    assert.throws(() => adjustedRandIndex([0], [0, 1]), RangeError);
  });
});
