/**
 * Agreement with Polis on three public conversations (compdemocracy/openData, CC BY 4.0): our groups
 * against the `group-id` Polis exported, on the participants both placed.
 *
 * Achieved with the default parameters (adjusted Rand index):
 *   15-per-hour-seattle  0.94   (Polis 2 groups, we find 2)
 *   brexit-consensus     0.88   (Polis 2 groups, we find 2)
 *   scoop-hivemind.ubi   0.10   (Polis 4 groups, we find 2: the 9-person outlier group vs the rest)
 * Scoop is low because Polis's groups 0 and 2 differ by *which* statements their members saw (group 2
 * answered the statements added late), not by how they voted on shared ones: in a stateless
 * recomputation of Polis's own method (column-mean imputation, sparsity-aware projection) they
 * coincide, and no variant we tried (zero imputation, Polis's cold-start initialisation) separates
 * them. Polis's export reflects months of incremental, warm-started clustering, and it also placed 60
 * participants with fewer than 7 votes there. The floors below are set under the achieved values so
 * that a regression in the pipeline fails the test, not tuned constants.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  adjustedRandIndex,
  computeOpinionGroups,
  deliberationInputFromPolis,
  parseCommentsCsv,
  parseParticipantsVotesCsv,
  parseSummaryCsv,
  parseVotesCsv,
  summaryNumber,
  type DeliberationResult,
  type PolisParticipantsVotes,
} from '../../src/modules/deliberation/engine/index.js';

const ROOT = new URL('../fixtures/polis/', import.meta.url).pathname;

function load(name: string) {
  const read = (f: string) => readFileSync(join(ROOT, name, f), 'utf8');
  const comments = parseCommentsCsv(read('comments.csv'));
  const votes = parseVotesCsv(read('votes.csv'));
  const pv = parseParticipantsVotesCsv(read('participants-votes.csv'));
  const summary = parseSummaryCsv(read('summary.csv'));
  return { comments, votes, pv, summary, input: deliberationInputFromPolis(comments, votes) };
}

function ariAgainstPolis(result: DeliberationResult, pv: PolisParticipantsVotes) {
  const polis: number[] = [];
  const ours: number[] = [];
  let polisPlaced = 0;
  for (const row of pv.rows) {
    if (row.groupId === null) continue;
    polisPlaced++;
    const g = result.groupByParticipant.get(row.participant);
    if (g === undefined) continue;
    polis.push(row.groupId);
    ours.push(g);
  }
  return { ari: adjustedRandIndex(polis, ours), both: polis.length, polisPlaced };
}

const CASES = [
  { name: '15-per-hour-seattle', floor: 0.8, polisGroups: 2 },
  { name: 'brexit-consensus', floor: 0.8, polisGroups: 2 },
  { name: 'scoop-hivemind.ubi', floor: 0.05, polisGroups: 4 },
];

describe('Polis fixtures', () => {
  for (const c of CASES) {
    it(`${c.name}: parses consistently with summary.csv and agrees with Polis's groups (ARI ≥ ${c.floor})`, () => {
      const { comments, pv, summary, input } = load(c.name);
      const commentIds = new Set(comments.map((x) => x.commentId));
      assert.ok(pv.commentIds.every((id) => commentIds.has(id)));
      assert.ok(Math.abs(comments.length - summaryNumber(summary, 'comments')!) <= 1);
      assert.equal(summaryNumber(summary, 'groups'), c.polisGroups);
      const result = computeOpinionGroups(input);
      assert.equal(result.counts.participants, summaryNumber(summary, 'voters'));
      assert.equal(new Set(pv.rows.filter((r) => r.groupId !== null).map((r) => r.groupId)).size, c.polisGroups);
      const { ari, both, polisPlaced } = ariAgainstPolis(result, pv);
      // Most of the participants Polis placed are placed by us too (Polis keeps early voters in).
      assert.ok(both >= 0.7 * polisPlaced, `only ${both} of ${polisPlaced} compared`);
      assert.ok(ari >= c.floor, `ARI ${ari.toFixed(3)} below ${c.floor}`);
      assert.ok(result.k >= 2 && result.k <= 5);
    });
  }

  it('scoop-hivemind.ubi: the small outlier group Polis found is one of ours, nearly alone', () => {
    const { pv, input } = load('scoop-hivemind.ubi');
    const result = computeOpinionGroups(input);
    const outliers = pv.rows.filter((r) => r.groupId === 3).map((r) => r.participant);
    assert.equal(outliers.length, 9);
    const theirGroups = new Set(outliers.map((p) => result.groupByParticipant.get(p)));
    assert.equal(theirGroups.size, 1);
    const g = [...theirGroups][0]!;
    assert.ok(g !== undefined && result.groups[g]!.memberIds.length <= 15);
  });

  it('moderated-out statements take no part: no loading, no representative or consensus statement', () => {
    const { comments, input } = load('15-per-hour-seattle');
    const result = computeOpinionGroups(input);
    const out = new Set(comments.filter((x) => x.moderated === -1).map((x) => x.commentId));
    assert.equal(out.size, 23);
    for (const id of result.axes.statementIds) assert.ok(!out.has(id));
    for (const id of result.statements.statementIds) assert.ok(!out.has(id));
    for (const list of result.repness) for (const r of list) assert.ok(!out.has(r.statementId));
    for (const r of [...result.consensus.agree, ...result.consensus.disagree]) assert.ok(!out.has(r.statementId));
    assert.equal(result.counts.statementsExcluded, 23);
  });

  it('every group gets representative statements, each significant or the best available', () => {
    const { input } = load('brexit-consensus');
    const result = computeOpinionGroups(input);
    assert.equal(result.repness.length, result.groups.length);
    for (const list of result.repness) {
      assert.ok(list.length >= 1 && list.length <= 5);
      // Agrees are listed before disagrees.
      const firstDisagree = list.findIndex((r) => r.direction === 'disagree');
      if (firstDisagree >= 0) assert.ok(list.slice(firstDisagree).every((r) => r.direction === 'disagree'));
      for (const r of list) {
        assert.ok(r.pSuccess > 0 && r.pSuccess < 1);
        assert.equal(r.pSuccess, (r.nSuccess + 1) / (r.nTrials + 2));
      }
    }
  });
});
