/**
 * Property tests: the result depends on the votes, not on the order they arrive in; and any valid
 * input, however degenerate, gives a bounded, well-formed result without throwing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { computeOpinionGroups, type DeliberationResult, type VoteRecord, type VoteValue } from '../../src/modules/deliberation/engine/index.js';

/** Votes of up to 40 participants on up to 12 statements, with two latent camps so groups exist. */
const votesArb = fc
  .record({
    participants: fc.integer({ min: 0, max: 40 }),
    statements: fc.integer({ min: 1, max: 12 }),
    seed: fc.integer(),
    density: fc.double({ min: 0.2, max: 1, noNaN: true }),
  })
  .chain(({ participants, statements, seed, density }) =>
    fc.constant(makeVotes(participants, statements, seed, density)),
  );

function makeVotes(participants: number, statements: number, seed: number, density: number): VoteRecord[] {
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const out: VoteRecord[] = [];
  for (let p = 0; p < participants; p++) {
    const camp = rand() < 0.5 ? 1 : -1;
    for (let t = 0; t < statements; t++) {
      if (rand() > density) continue;
      const lean = t % 2 === 0 ? camp : -camp;
      const r = rand();
      const value: VoteValue = r < 0.15 ? 0 : r < 0.8 ? (lean as VoteValue) : (-lean as VoteValue);
      out.push({ participantId: 100 + p * 3, statementId: 7 + t * 5, value });
    }
  }
  return out;
}

function shuffle<T>(list: readonly T[], seed: number): T[] {
  const a = list.slice();
  let s = seed >>> 0 || 1;
  for (let i = a.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

function wellFormed(r: DeliberationResult, maxGroups = 5): void {
  const placed = new Set<number>();
  for (const [i, g] of r.groups.entries()) {
    assert.equal(g.id, i);
    assert.ok(g.memberIds.length > 0);
    for (const id of g.memberIds) {
      assert.ok(!placed.has(id), 'participant in two groups');
      placed.add(id);
      assert.equal(r.groupByParticipant.get(id), i);
    }
    if (i > 0) assert.ok(r.groups[i - 1]!.memberIds.length >= g.memberIds.length, 'groups ordered by size');
    assert.ok(Number.isFinite(g.centre[0]) && Number.isFinite(g.centre[1]));
  }
  assert.equal(placed.size, r.groupByParticipant.size);
  assert.equal(r.counts.placed, placed.size);
  assert.equal(r.k, r.groups.length);
  assert.ok(r.k <= maxGroups);
  assert.ok(r.silhouette >= -1 && r.silhouette <= 1);
  assert.equal(r.repness.length, r.groups.length);
  for (const arr of [r.participants.x, r.participants.y, r.axes.pc1, r.axes.pc2, r.axes.centre, r.statements.groupInformedConsensus, r.statements.extremity]) {
    for (const x of arr) assert.ok(Number.isFinite(x));
  }
  for (const x of r.statements.groupInformedConsensus) assert.ok(x > 0 && x <= 1);
  const norm = (v: Float64Array) => Math.sqrt(v.reduce((a, x) => a + x * x, 0));
  for (const pc of [r.axes.pc1, r.axes.pc2]) {
    const n = norm(pc);
    assert.ok(n === 0 || Math.abs(n - 1) < 1e-9, `axis norm ${n}`);
  }
  const dot = r.axes.pc1.reduce((a, x, j) => a + x * r.axes.pc2[j]!, 0);
  assert.ok(Math.abs(dot) < 1e-9, 'axes orthogonal');
  const ids = new Set(r.statements.statementIds);
  for (const list of r.repness) for (const s of list) assert.ok(ids.has(s.statementId));
  assert.match(r.inputDigest, /^[0-9a-f]{64}$/);
}

describe('deliberation engine properties', () => {
  it('same votes in any order give identical groups, axes, projections and digest', () => {
    fc.assert(
      fc.property(votesArb, fc.integer(), (votes, seed) => {
        const a = computeOpinionGroups({ votes });
        const b = computeOpinionGroups({ votes: shuffle(votes, seed) });
        assert.equal(a.inputDigest, b.inputDigest);
        assert.deepEqual(a.groups, b.groups);
        assert.deepEqual(a.axes, b.axes);
        assert.deepEqual(a.participants, b.participants);
        assert.deepEqual(a.repness, b.repness);
        assert.deepEqual(a.consensus, b.consensus);
        assert.deepEqual(a.statements, b.statements);
        wellFormed(a);
      }),
      { numRuns: 60 },
    );
  });

  it('columnar and record input agree; repeated runs agree', () => {
    fc.assert(
      fc.property(votesArb, (votes) => {
        const columns = {
          participantIds: Int32Array.from(votes, (v) => v.participantId),
          statementIds: Int32Array.from(votes, (v) => v.statementId),
          values: Int8Array.from(votes, (v) => v.value),
        };
        const a = computeOpinionGroups({ votes });
        const b = computeOpinionGroups({ votes: columns });
        const c = computeOpinionGroups({ votes: columns });
        assert.deepEqual(a.groups, b.groups);
        assert.deepEqual(b.axes, c.axes);
        assert.equal(a.inputDigest, c.inputDigest);
      }),
      { numRuns: 30 },
    );
  });

  it('a superseded vote does not count, whatever the order (timestamps decide)', () => {
    fc.assert(
      fc.property(votesArb, fc.integer(), (votes, seed) => {
        if (votes.length === 0) return;
        const stamped = votes.map((v, i) => ({ ...v, timestamp: 1000 + i }));
        // An earlier, opposite vote on every pair must be ignored.
        const older = votes.map((v) => ({ ...v, value: (v.value === 1 ? -1 : 1) as VoteValue, timestamp: 1 }));
        const a = computeOpinionGroups({ votes: stamped });
        const b = computeOpinionGroups({ votes: shuffle([...older, ...stamped], seed) });
        assert.deepEqual(a.groups, b.groups);
        assert.deepEqual(a.axes, b.axes);
        assert.equal(b.counts.duplicatesDropped, votes.length);
      }),
      { numRuns: 30 },
    );
  });

  it('relabelling ids without reordering them (here: spread over the 32-bit range) changes nothing', () => {
    fc.assert(
      fc.property(votesArb, (votes) => {
        // Order-preserving map onto ids ~40M apart (exercises the radix-sort / binary-search path).
        const far = (id: number) => -2_000_000_000 + id * 13_000_000;
        const spread = votes.map((v) => ({ ...v, participantId: far(v.participantId), statementId: far(v.statementId) }));
        const a = computeOpinionGroups({ votes });
        const b = computeOpinionGroups({ votes: spread });
        assert.deepEqual(b.groups.map((g) => [...g.memberIds]), a.groups.map((g) => [...g.memberIds].map(far)));
        assert.deepEqual([...b.axes.statementIds], [...a.axes.statementIds].map(far));
        // Only the order of ids enters the math: axes and projections are bit-identical.
        assert.deepEqual(b.axes.pc1, a.axes.pc1);
        assert.deepEqual(b.axes.pc2, a.axes.pc2);
        assert.deepEqual(b.participants.x, a.participants.x);
      }),
      { numRuns: 30 },
    );
  });

  it('any valid input yields a well-formed result', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ participantId: fc.integer({ min: -5, max: 30 }), statementId: fc.integer({ min: -3, max: 8 }), value: fc.constantFrom<VoteValue>(-1, 0, 1) }),
          { maxLength: 200 },
        ),
        fc.array(fc.integer({ min: -3, max: 8 }), { maxLength: 4 }),
        fc.integer({ min: 1, max: 6 }),
        (votes, excluded, maxGroups) => {
          const r = computeOpinionGroups({ votes, excludedStatementIds: excluded }, { maxGroups });
          wellFormed(r, maxGroups);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('degenerate input', () => {
  const many = (n: number, f: (p: number) => VoteRecord[]) => Array.from({ length: n }, (_, p) => f(p)).flat();

  it('zero participants', () => {
    const r = computeOpinionGroups({ votes: [] });
    wellFormed(r);
    assert.equal(r.k, 0);
    assert.equal(r.counts.participants, 0);
    assert.equal(r.axes.statementIds.length, 0);
  });

  it('one participant', () => {
    const r = computeOpinionGroups({ votes: [1, 2, 3].map((s) => ({ participantId: 5, statementId: s, value: 1 as const })) });
    wellFormed(r);
    assert.equal(r.k, 1);
    assert.deepEqual([...r.groups[0]!.memberIds], [5]);
  });

  it('all passes', () => {
    const r = computeOpinionGroups({ votes: many(30, (p) => [1, 2, 3, 4].map((s) => ({ participantId: p, statementId: s, value: 0 as const }))) });
    wellFormed(r);
    assert.ok(r.k <= 1);
    assert.ok(r.axes.pc1.every((x) => x === 0));
    assert.equal(r.consensus.agree.length, 0);
  });

  it('all identical votes', () => {
    const r = computeOpinionGroups({ votes: many(50, (p) => [1, 2, 3, 4, 5, 6, 7, 8].map((s) => ({ participantId: p, statementId: s, value: 1 as const }))) });
    wellFormed(r);
    assert.equal(r.k, 1);
    assert.equal(r.groups[0]!.memberIds.length, 50);
    assert.deepEqual(r.consensus.agree.map((c) => c.statementId).sort(), [1, 2, 3, 4, 5]);
  });

  it('a single statement', () => {
    const r = computeOpinionGroups({ votes: many(40, (p) => [{ participantId: p, statementId: 9, value: (p % 2 ? 1 : -1) as VoteValue }]) });
    wellFormed(r);
    assert.ok(r.axes.pc2.every((x) => x === 0));
    assert.equal(r.k, 2);
    assert.ok(r.groups.every((g) => g.memberIds.length === 20));
  });

  it('participants whose only votes are on excluded statements, and announced statements nobody voted on', () => {
    const votes = [
      ...many(20, (p) => [1, 2, 3].map((s) => ({ participantId: p, statementId: s, value: (p % 2 ? 1 : -1) as VoteValue }))),
      { participantId: 99, statementId: 4, value: 1 as const },
    ];
    const r = computeOpinionGroups({ votes, excludedStatementIds: [4], statementIds: [1, 2, 3, 4, 5] });
    wellFormed(r);
    assert.equal(r.counts.participants, 21);
    assert.equal(r.groupByParticipant.has(99), false);
    const row = r.participants.ids.indexOf(99);
    assert.equal(r.participants.voteCount[row], 0);
    assert.deepEqual([...r.statements.statementIds], [1, 2, 3, 5]);
    assert.equal(r.statements.inMath[3], 0);
  });

  it('rejects malformed votes with a typed error', () => {
    assert.throws(() => computeOpinionGroups({ votes: [{ participantId: 1, statementId: 1, value: 2 as VoteValue }] }), { name: 'InvalidVotesError' });
    assert.throws(() => computeOpinionGroups({ votes: [{ participantId: 1.5, statementId: 1, value: 1 }] }), { name: 'InvalidVotesError' });
    assert.throws(
      () => computeOpinionGroups({ votes: { participantIds: new Int32Array(2), statementIds: new Int32Array(1), values: new Int8Array(2) } }),
      { name: 'InvalidVotesError' },
    );
    assert.throws(() => computeOpinionGroups({ votes: [] }, { maxGroups: 0 }), RangeError);
  });
});
