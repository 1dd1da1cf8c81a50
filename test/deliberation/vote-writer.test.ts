import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DeliberationClosedError } from '../../src/modules/deliberation/model.js';
import { ensureParticipant } from '../../src/modules/deliberation/participation.js';
import { inputChanged, requestRecompute } from '../../src/modules/deliberation/version.js';
import { voteWriter } from '../../src/modules/deliberation/vote-writer.js';
import { makeUser } from '../helpers/factories.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { type People, createThroughForm, people, statementIds } from './wiring-helpers.js';

// Votes written together (one transaction on SQLite, one statement on PostgreSQL): the last vote per
// participant and statement counts even inside one batch, the log keeps every vote in order, the
// version goes up by the number of votes, and one bad vote does not cost the others.

describe('deliberation: votes written together', () => {
  let t: TestApp;
  let p: People;
  let id = 0;
  let seeds: number[] = [];
  const db = () => t.ctx.database.db;
  const version = async () => (await db().selectFrom('deliberations').select('votes_version').where('id', '=', id).executeTakeFirstOrThrow()).votes_version;

  before(async () => {
    t = await createTestApp();
    p = await people(t.app, t.ctx);
    const made = await createThroughForm(t.app, p.staff, { owner: `body:${p.bodyId}`, title: '社区停车', seeds: '甲\n乙\n丙' });
    assert.equal(made.res.statusCode, 303, made.res.body);
    id = made.id;
    seeds = await statementIds(t.ctx, id);
  });
  after(async () => { await t.close(); });

  it('a batch with the same participant and statement twice: the last counts, the log keeps both in order', async () => {
    const users = await Promise.all([0, 1, 2].map((i) => makeUser(t.ctx, { name: `投票人${i}` })));
    const parts = await Promise.all(users.map((u) => ensureParticipant(db(), id, u)));
    const before = await version();
    const at = new Date().toISOString();
    const w = voteWriter(t.ctx.database);
    const votes = [
      { participantId: parts[0]!, statementId: seeds[0]!, value: 1 as const },
      { participantId: parts[1]!, statementId: seeds[0]!, value: -1 as const },
      { participantId: parts[0]!, statementId: seeds[0]!, value: 0 as const },
      { participantId: parts[2]!, statementId: seeds[1]!, value: 1 as const },
      { participantId: parts[0]!, statementId: seeds[0]!, value: -1 as const },
    ];
    await Promise.all(votes.map((v) => w.write({ deliberationId: id, at, ...v })));
    const current = await db().selectFrom('deliberation_votes').select(['participant_id', 'statement_id', 'value'])
      .where('deliberation_id', '=', id).orderBy('participant_id').orderBy('statement_id').execute();
    assert.deepEqual(current, [
      { participant_id: parts[0]!, statement_id: seeds[0]!, value: -1 },
      { participant_id: parts[1]!, statement_id: seeds[0]!, value: -1 },
      { participant_id: parts[2]!, statement_id: seeds[1]!, value: 1 },
    ].sort((a, b) => a.participant_id - b.participant_id));
    const log = await db().selectFrom('deliberation_vote_log').select(['participant_id', 'value']).where('deliberation_id', '=', id).orderBy('id').execute();
    assert.deepEqual(log.map((r) => [r.participant_id, r.value]), votes.map((v) => [v.participantId, v.value]));
    assert.equal(await version(), before + 5);
    const jobs = await db().selectFrom('jobs').select('status').where('kind', '=', 'deliberation.recompute').execute();
    assert.deepEqual(jobs.map((j) => j.status), ['pending'], 'one pending recomputation');
  });

  it('a vote that cannot be stored (no such participant) is refused alone; the votes beside it are stored once', async () => {
    const u = await makeUser(t.ctx, { name: '投票人丁' });
    const part = await ensureParticipant(db(), id, u);
    const before = await version();
    const at = new Date().toISOString();
    const w = voteWriter(t.ctx.database);
    const results = await Promise.allSettled([
      w.write({ deliberationId: id, participantId: part, statementId: seeds[2]!, value: 1, at }),
      w.write({ deliberationId: id, participantId: 99_999_999, statementId: seeds[2]!, value: 1, at }),
      w.write({ deliberationId: id, participantId: part, statementId: seeds[1]!, value: -1, at }),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    const log = await db().selectFrom('deliberation_vote_log').select(['statement_id', 'value']).where('participant_id', '=', part).orderBy('id').execute();
    assert.deepEqual(log.map((r) => [r.statement_id, r.value]), [[seeds[2], 1], [seeds[1], -1]], 'stored once each');
    assert.equal(await version(), before + 2, 'the refused vote does not count');
  });
  it('a vote reaching its commit after the deliberation closed is refused and not stored; the others of its batch are', async () => {
    const other = await createThroughForm(t.app, p.staff, { owner: `body:${p.bodyId}`, title: '垃圾分类', seeds: '子\n丑' });
    const otherSeeds = await statementIds(t.ctx, other.id);
    const u = await makeUser(t.ctx, { name: '投票人戊' });
    const [inClosed, inOpen] = await Promise.all([ensureParticipant(db(), id, u), ensureParticipant(db(), other.id, u)]);
    // Closed after the vote's own checks (which it passed): only the commit can still refuse it.
    await db().updateTable('deliberations').set({ status: 'closed' }).where('id', '=', id).execute();
    const before = await version();
    const at = new Date().toISOString();
    const w = voteWriter(t.ctx.database);
    const [late, fine] = await Promise.allSettled([
      w.write({ deliberationId: id, participantId: inClosed, statementId: seeds[0]!, value: 1, at }),
      w.write({ deliberationId: other.id, participantId: inOpen, statementId: otherSeeds[0]!, value: 1, at }),
    ]);
    assert.equal(late.status, 'rejected');
    assert.ok((late as PromiseRejectedResult).reason instanceof DeliberationClosedError);
    assert.equal(fine.status, 'fulfilled');
    assert.equal((await db().selectFrom('deliberation_vote_log').select('id').where('participant_id', '=', inClosed).execute()).length, 0);
    assert.equal((await db().selectFrom('deliberation_vote_log').select('id').where('participant_id', '=', inOpen).execute()).length, 1);
    assert.equal(await version(), before);
    await db().updateTable('deliberations').set({ status: 'open' }).where('id', '=', id).execute();
  });

  // A transaction of another writer still running when the votes' batch starts: on PostgreSQL
  // the batch is one statement that takes the job's key and the deliberation row while the other
  // holds one or both until its commit.
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('a vote while moderation asks for a recomputation waits for it, and neither fails (same lock order)', async () => {
    const u = await makeUser(t.ctx, { name: '投票人己' });
    const part = await ensureParticipant(db(), id, u);
    await db().deleteFrom('jobs').where('kind', '=', 'deliberation.recompute').execute();
    const before = await version();
    let vote: Promise<void> | undefined;
    await db().transaction().execute(async (trx) => {
      await requestRecompute(trx, id); // moderation holds the job's key (uncommitted)…
      vote = voteWriter(t.ctx.database).write({ deliberationId: id, participantId: part, statementId: seeds[0]!, value: 1, at: new Date().toISOString() });
      await pause(50);
      await inputChanged(trx, id, new Date().toISOString()); // …and then takes the deliberation row
      await pause(50);
    });
    await vote;
    assert.equal(await version(), before + 2);
    assert.equal((await db().selectFrom('jobs').select('id').where('kind', '=', 'deliberation.recompute').execute()).length, 1);
  });

  it('a vote while the deliberation is being closed waits for the closing and is then refused', async () => {
    const u = await makeUser(t.ctx, { name: '投票人庚' });
    const part = await ensureParticipant(db(), id, u);
    const before = await version();
    let vote: Promise<void> | undefined;
    await db().transaction().execute(async (trx) => {
      await trx.updateTable('deliberations').set({ status: 'closed' }).where('id', '=', id).execute();
      vote = voteWriter(t.ctx.database).write({ deliberationId: id, participantId: part, statementId: seeds[1]!, value: 1, at: new Date().toISOString() });
      void vote.catch(() => undefined);
      await pause(80);
    });
    await assert.rejects(vote!, DeliberationClosedError);
    assert.equal(await version(), before);
    assert.equal((await db().selectFrom('deliberation_vote_log').select('id').where('participant_id', '=', part).execute()).length, 0);
    await db().updateTable('deliberations').set({ status: 'open' }).where('id', '=', id).execute();
  });
});
