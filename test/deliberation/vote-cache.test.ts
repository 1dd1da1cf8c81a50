import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type ComputeAnswer, computeDeliberation } from '../../src/modules/deliberation/compute.js';
import type { VoteColumns } from '../../src/modules/deliberation/engine/index.js';
import { createPrng } from '../../src/modules/deliberation/engine/prng.js';
import { ensureParticipant } from '../../src/modules/deliberation/participation.js';
import { dbTarget } from '../../src/modules/deliberation/recompute.js';
import { inputChanged } from '../../src/modules/deliberation/version.js';
import { loadSnapshot } from '../../src/modules/deliberation/load-votes.js';
import { currentVotes, forgetHeldVotes, mergeDelta, sinceHeld, sortByPair } from '../../src/modules/deliberation/vote-cache.js';
import { voteWriter } from '../../src/modules/deliberation/vote-writer.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { makeUser } from '../helpers/factories.js';
import { createThroughForm, people, statementIds } from './wiring-helpers.js';

// A warm recomputation reads only the votes logged since the votes its thread holds and merges
// them in. The merged votes must be exactly the current votes (the last per participant and
// statement), and the result the same as from reading every vote; whenever the held votes may
// no longer match the database, every vote is read again.

const triples = (v: VoteColumns) => Array.from(v.participantIds, (p, i) => `${p}:${v.statementIds[i]}:${v.values[i]}`).sort();
const columns = (rows: Array<[number, number, number]>): VoteColumns => ({
  participantIds: Int32Array.from(rows, (r) => r[0]), statementIds: Int32Array.from(rows, (r) => r[1]), values: Int8Array.from(rows, (r) => r[2]),
});

describe('deliberation: merging the log since into held votes', () => {
  it('sorts by statement then participant, and the merge equals folding every vote in order', () => {
    for (let round = 0; round < 40; round++) {
      const rnd = createPrng(round);
      const pick = (n: number) => Math.floor(rnd() * n);
      const value = () => (pick(3) - 1) as -1 | 0 | 1;
      // Ids as a database gives them: large, sparse, unordered.
      const people = Array.from({ length: 1 + pick(40) }, () => 1 + pick(2 ** 31 - 2));
      const statements = Array.from({ length: 1 + pick(12) }, () => 1 + pick(5_000_000));
      const current = new Map<string, [number, number, number]>();
      const cast = () => {
        const vote: [number, number, number] = [people[pick(people.length)]!, statements[pick(statements.length)]!, value()];
        current.set(`${vote[0]}:${vote[1]}`, vote);
        return vote;
      };
      for (let i = pick(300); i > 0; i--) cast();
      const held = sortByPair(columns([...current.values()]));
      assert.ok(held);
      assert.deepEqual(triples(held), triples(columns([...current.values()])));
      for (let i = 1; i < held.values.length; i++) {
        const a = [held.statementIds[i - 1]!, held.participantIds[i - 1]!];
        const b = [held.statementIds[i]!, held.participantIds[i]!];
        assert.ok(a[0]! < b[0]! || (a[0] === b[0] && a[1]! < b[1]!), `round ${round}: not sorted at ${i}`);
      }
      // The log since: new pairs, changed votes, the same pair several times (the last counts).
      const log = Array.from({ length: pick(80) }, cast);
      const merged = mergeDelta(held, columns(log));
      assert.deepEqual(triples(merged), triples(columns([...current.values()])), `round ${round}`);
      assert.deepEqual(sortByPair(merged), merged, `round ${round}: the merge keeps the order`);
    }
  });

  it('an empty log since leaves the held votes as they are', () => {
    const held = sortByPair(columns([[5, 1, 1], [2, 1, -1], [9, 3, 0]]))!;
    assert.equal(mergeDelta(held, columns([])), held);
  });
});

describe('deliberation: a warm recomputation reads only the log since', () => {
  let t: TestApp;
  let id = 0;
  let s: number[] = [];
  const parts: number[] = [];
  const db = () => t.ctx.database.db;
  const hold = { minVotes: 1 };
  const compute = (opts = hold): Promise<ComputeAnswer> => computeDeliberation({ target: dbTarget(t.ctx), deliberationId: id, previous: { digest: null, maxGroups: null }, hold: opts });
  /** What reading every vote afresh gives. */
  const fresh = async () => {
    forgetHeldVotes();
    const a = await compute({ minVotes: Number.MAX_SAFE_INTEGER });
    assert.ok(a.kind === 'computed' && !a.delta);
    return a;
  };
  const same = (a: ComputeAnswer, b: ComputeAnswer) => {
    assert.ok(a.kind === 'computed' && b.kind === 'computed');
    assert.equal(a.votesVersion, b.votesVersion);
    assert.equal(a.digest, b.digest);
    assert.equal(a.groups, b.groups);
  };
  const write = (votes: Array<[number, number, -1 | 0 | 1]>) => Promise.all(votes.map(([pi, si, value]) => voteWriter(t.ctx.database)
    .write({ deliberationId: id, participantId: parts[pi]!, statementId: s[si]!, value, at: new Date().toISOString() })));

  before(async () => {
    t = await createTestApp();
    const p = await people(t.app, t.ctx);
    const made = await createThroughForm(t.app, p.staff, { owner: `body:${p.bodyId}`, title: '老旧小区加装电梯', moderation: 'open', seeds: ['一楼住户应得补偿', '费用按楼层分摊', '政府应补贴一半', '应全体同意才装', '维护费由物业出'].join('\n') });
    assert.equal(made.res.statusCode, 303, made.res.body);
    id = made.id;
    s = await statementIds(t.ctx, id);
    for (let i = 0; i < 24; i++) parts.push(await ensureParticipant(db(), id, await makeUser(t.ctx, { name: `住户${i}` })));
    const rnd = createPrng('elevator');
    await write(parts.flatMap((_, pi) => s.map((_, si) => [pi, si, (pi < 12 ? 1 : -1) * (si % 2 === 0 ? 1 : -1) * (rnd() < 0.2 ? 0 : 1)] as [number, number, -1 | 0 | 1])));
  });
  beforeEach(() => forgetHeldVotes());
  after(async () => { forgetHeldVotes(); await t.close(); });

  it('votes are logged with the version their transaction committed', async () => {
    await write([[0, 0, -1]]);
    const d = await db().selectFrom('deliberations').select('votes_version').where('id', '=', id).executeTakeFirstOrThrow();
    const last = await db().selectFrom('deliberation_vote_log').select(['votes_version', 'value']).where('deliberation_id', '=', id).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    assert.deepEqual(last, { votes_version: d.votes_version, value: -1 });
    const versions = (await db().selectFrom('deliberation_vote_log').select('votes_version').where('deliberation_id', '=', id).orderBy('id').execute()).map((r) => r.votes_version);
    assert.ok(versions.every((v, i) => v > 0 && (i === 0 || v >= versions[i - 1]!)), 'versions rise with the log');
  });

  it('new votes, changed votes and the same vote twice: merged, the same result as reading every vote', async () => {
    const cold = await compute();
    assert.ok(cold.kind === 'computed' && !cold.delta, 'the first run reads every vote');
    const newcomer = await ensureParticipant(db(), id, await makeUser(t.ctx, { name: '新住户' }));
    parts.push(newcomer);
    await write([[3, 1, -1], [24, 0, 1], [24, 2, -1], [15, 4, 0]]);
    await write([[24, 2, 1], [3, 1, 1]]);
    const warm = await compute();
    assert.ok(warm.kind === 'computed' && warm.delta, 'the second run reads only the log since');
    same(warm, await fresh());
  });

  it('a change of input without votes (a statement moderated out) is read too', async () => {
    await compute();
    await db().updateTable('deliberation_statements').set({ status: 'rejected' }).where('id', '=', s[4]!).execute();
    await inputChanged(db(), id, new Date().toISOString());
    const warm = await compute();
    assert.ok(warm.kind === 'computed' && warm.delta);
    same(warm, await fresh());
    await db().updateTable('deliberation_statements').set({ status: 'accepted' }).where('id', '=', s[4]!).execute();
    await inputChanged(db(), id, new Date().toISOString());
  });

  it('held votes that may no longer match the database are read again whole', async () => {
    // The log rewritten behind the vote writer's back: the last vote logged when the votes were
    // read (the anchor) is gone.
    await write([[5, 3, 1]]);
    await compute();
    const lastLogged = await db().selectFrom('deliberation_vote_log').select('id').where('deliberation_id', '=', id).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    await db().deleteFrom('deliberation_vote_log').where('id', '=', lastLogged.id).execute();
    await inputChanged(db(), id, new Date().toISOString());
    const after = await compute();
    assert.ok(after.kind === 'computed' && !after.delta, 'a missing anchor means a full read');
    // Another deliberation under the same id (a database made again): another creation time.
    await compute();
    await db().updateTable('deliberations').set({ created_at: '2020-01-01T00:00:00.000Z' }).where('id', '=', id).execute();
    await write([[6, 3, 1]]);
    const again = await compute();
    assert.ok(again.kind === 'computed' && !again.delta, 'another creation time means a full read');
    // Held longer than refreshMs: read whole.
    await compute();
    await write([[7, 3, 0]]);
    const stale = await compute({ ...hold, refreshMs: 0 } as typeof hold);
    assert.ok(stale.kind === 'computed' && !stale.delta, 'held votes older than refreshMs are read again');
    same(stale, await fresh());
  });

  it('a log read before another run moved the held votes on is not merged into them', async () => {
    const target = dbTarget(t.ctx);
    await compute();
    await write([[8, 0, 1]]);
    const early = await loadSnapshot(target, id, sinceHeld(target, id, hold));
    assert.ok(early?.delta);
    await write([[8, 0, -1]]);
    const between = await compute();
    assert.ok(between.kind === 'computed' && between.delta);
    // Merged now, the early log would put the first of the two votes back over the second.
    assert.equal(currentVotes(target, early, hold), null);
    const next = await compute();
    assert.ok(next.kind !== 'missing');
    same(between, await fresh());
  });
});
