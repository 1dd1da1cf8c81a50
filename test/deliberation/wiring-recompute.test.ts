import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadCurrentUser } from '../../src/platform/auth/current-user.js';
import { JobWorker } from '../../src/platform/jobs/worker.js';
import { computeDeliberation } from '../../src/modules/deliberation/compute.js';
import { type VoteSnapshot, loadSnapshot } from '../../src/modules/deliberation/load-votes.js';
import { recordVote } from '../../src/modules/deliberation/participation.js';
import { dbTarget, recomputeNow } from '../../src/modules/deliberation/recompute.js';
import { STORED_HEAD_CHARS, decodeParticipantGroups, storedMaxGroups } from '../../src/modules/deliberation/stored-result.js';
import { deliberationReport } from '../../src/modules/deliberation/report.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { makeUser } from '../helpers/factories.js';
import { get, postForm } from '../helpers/http.js';
import { type People, createThroughForm, people, statementIds } from './wiring-helpers.js';

// The recomputation job: one pending run per deliberation, a stored result with the version
// and digest of its input, nothing recomputed or stored when the input is unchanged, the same
// result from a worker thread; the results page and the report read it.

describe('deliberation: recompute job, results page, report', () => {
  let t: TestApp;
  let p: People;
  let id = 0;
  let s: number[] = [];
  const voters: number[] = [];
  const db = () => t.ctx.database.db;
  const results = () => db().selectFrom('deliberation_results').select(['id', 'votes_version', 'input_digest', 'participant_groups', 'data'])
    .where('deliberation_id', '=', id).orderBy('id').execute();
  const version = async () => (await db().selectFrom('deliberations').select('votes_version').where('id', '=', id).executeTakeFirstOrThrow()).votes_version;
  const vote = async (userId: number, statement: number, v: 'agree' | 'disagree' | 'pass') =>
    recordVote(t.ctx, await loadCurrentUser(db(), userId), id, { statement: String(statement), vote: v });
  const worker = () => new JobWorker(t.ctx, { pollMs: 10 });

  before(async () => {
    t = await createTestApp();
    p = await people(t.app, t.ctx);
    const made = await createThroughForm(t.app, p.staff, {
      owner: `body:${p.bodyId}`, title: '社区停车位分配', moderation: 'open',
      seeds: ['车位应按楼栋平均分配', '车位应优先给残疾人', '应允许车位出租', '应提高停车费', '应建立体停车楼', '外来车辆应禁止入内', '应按摇号分配车位', '应先到先得'].join('\n'),
    });
    id = made.id;
    s = await statementIds(t.ctx, id);
    // Two camps of fifteen: each agrees where the other disagrees (on the first six statements).
    for (let i = 0; i < 30; i++) voters.push(await makeUser(t.ctx, { name: `居民${i}` }));
    for (let i = 0; i < 30; i++) {
      for (let j = 0; j < 8; j++) {
        const camp = i < 15 ? 1 : -1;
        const v = j >= 6 ? (i % 3 === 0 ? 'pass' : 'agree') : (j % 2 === 0 ? camp : -camp) === 1 ? 'agree' : 'disagree';
        await vote(voters[i]!, s[j]!, v);
      }
    }
  });
  after(async () => { await t.close(); });

  it('votes leave exactly one pending recomputation', async () => {
    const jobs = await db().selectFrom('jobs').select(['status', 'dedupe_key']).where('kind', '=', 'deliberation.recompute').execute();
    assert.deepEqual(jobs, [{ status: 'pending', dedupe_key: `deliberation.recompute:${id}` }]);
  });

  it('the job stores a result with its input version and digest, and frees the key for later votes', async () => {
    assert.equal(await worker().runOnce(), 1);
    const rows = await results();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.votes_version, await version());
    assert.match(rows[0]!.input_digest ?? '', /^[0-9a-f]{64}$/);
    const groups = decodeParticipantGroups(rows[0]!.participant_groups!);
    assert.equal(groups.ids.length, 30);
    assert.equal(new Set(groups.groups).size, 2);
    // The camps are the groups.
    const participantOf = new Map((await db().selectFrom('deliberation_participants').select(['id', 'user_id']).where('deliberation_id', '=', id).execute()).map((r) => [r.id, r.user_id]));
    const groupOfUser = new Map(groups.ids.map((pid, k) => [participantOf.get(pid)!, groups.groups[k]!]));
    const campA = new Set(voters.slice(0, 15).map((u) => groupOfUser.get(u)));
    const campB = new Set(voters.slice(15).map((u) => groupOfUser.get(u)));
    assert.equal(campA.size, 1);
    assert.equal(campB.size, 1);
    assert.notDeepEqual([...campA], [...campB]);
    const data = JSON.parse(rows[0]!.data);
    assert.equal(data.counts.participants, 30);
    assert.equal(data.counts.votes, 240);
    assert.ok(!('participants' in data), 'no per-participant points in the page data');
    const job = await db().selectFrom('jobs').select(['status', 'dedupe_key']).where('kind', '=', 'deliberation.recompute').executeTakeFirstOrThrow();
    assert.deepEqual(job, { status: 'done', dedupe_key: null });
  });

  it('a re-run with unchanged votes stores nothing new', async () => {
    await postForm(t.app, `/deliberations/${id}/recompute`, {}, p.staff);
    assert.equal(await worker().runOnce(), 1);
    assert.equal((await results()).length, 1);
    // The same vote again: a new input version, the same digest — no new result, the version moves on.
    const before = (await results())[0]!;
    // The run reads only the head of the stored result for its number of groups.
    assert.equal(storedMaxGroups(before.data.slice(0, STORED_HEAD_CHARS)), (JSON.parse(before.data) as { maxGroups: number }).maxGroups);
    await vote(voters[0]!, s[0]!, 'agree');
    assert.equal(await worker().runOnce(), 1);
    const after = await results();
    assert.equal(after.length, 1);
    assert.equal(after[0]!.id, before.id);
    assert.equal(after[0]!.data, before.data);
    assert.equal(after[0]!.votes_version, await version());
  });

  it('a changed vote gives a new result; older ones are pruned', async () => {
    await vote(voters[1]!, s[6]!, 'disagree');
    assert.equal(await worker().runOnce(), 1);
    assert.equal((await results()).length, 2);
    await vote(voters[2]!, s[7]!, 'disagree');
    assert.equal(await worker().runOnce(), 1);
    const rows = await results();
    assert.equal(rows.length, 2, 'the newest and the one before are kept');
    assert.equal(rows[1]!.votes_version, await version());
  });

  it('a worker thread computes the same result as this thread', async () => {
    await vote(voters[3]!, s[7]!, 'disagree');
    const request = { target: dbTarget(t.ctx), deliberationId: id, previous: { digest: null, maxGroups: null } };
    const here = await computeDeliberation(request);
    const viaThread = await recomputeNow(t.ctx, id, { thread: true });
    assert.equal(here.kind, 'computed');
    assert.equal(viaThread.kind, 'computed');
    if (here.kind !== 'computed' || viaThread.kind !== 'computed') return;
    assert.equal(viaThread.digest, here.digest);
    assert.equal(viaThread.groups, here.groups);
    const strip = (d: string) => ({ ...JSON.parse(d), timings: null });
    assert.deepEqual(strip(viaThread.data), strip(here.data));
    assert.equal((await results()).at(-1)!.input_digest, here.digest);
  });

  it('the snapshot holds the version, the statements and exactly the current vote per participant and statement', async () => {
    const triples = (v: VoteSnapshot['votes']) => Array.from(v.participantIds, (pid, i) => `${pid}:${v.statementIds[i]}:${v.values[i]}`).sort();
    const snap = await loadSnapshot(dbTarget(t.ctx), id);
    assert.ok(snap);
    assert.equal(snap.votesVersion, await version());
    assert.equal(snap.maxGroups, 5);
    assert.deepEqual(snap.statements.map((x) => x.id), s);
    assert.ok(snap.statements.every((x) => x.status === 'accepted' && !x.meta && x.externalId === null));
    assert.equal(snap.statements[0]!.body, '车位应按楼栋平均分配');
    // 30 people × 8 statements, re-votes replacing earlier votes; the same rows as the table.
    assert.equal(snap.votes.participantIds.length, 240);
    assert.equal(snap.votes.statementIds.length, 240);
    assert.equal(snap.votes.values.length, 240);
    const rows = await db().selectFrom('deliberation_votes').select(['participant_id', 'statement_id', 'value']).where('deliberation_id', '=', id).execute();
    assert.deepEqual(triples(snap.votes), rows.map((r) => `${r.participant_id}:${r.statement_id}:${r.value}`).sort());
    assert.deepEqual([...new Set(snap.votes.values)].sort(), [-1, 0, 1]);
    // The changed votes above count with their latest value (voter 1 first agreed on statement 7).
    const participant = async (userId: number) => (await db().selectFrom('deliberation_participants').select('id').where('deliberation_id', '=', id).where('user_id', '=', userId).executeTakeFirstOrThrow()).id;
    const valueOf = (pid: number, sid: number) => {
      const at = snap.votes.participantIds.findIndex((x, i) => x === pid && snap.votes.statementIds[i] === sid);
      return at === -1 ? undefined : snap.votes.values[at];
    };
    assert.equal(valueOf(await participant(voters[1]!), s[6]!), -1);
    assert.equal(valueOf(await participant(voters[3]!), s[7]!), -1);
    assert.equal(valueOf(await participant(voters[0]!), s[0]!), 1);

    // Another deliberation: no votes yet, then one; neither sees the other's votes.
    const other = (await createThroughForm(t.app, p.staff, { owner: `body:${p.bodyId}`, title: '小区绿化', moderation: 'open', seeds: '多种树\n少种草' })).id;
    const empty = await loadSnapshot(dbTarget(t.ctx), other);
    assert.ok(empty);
    assert.equal(empty.statements.length, 2);
    assert.equal(empty.votes.participantIds.length, 0);
    assert.equal(empty.votes.values.length, 0);
    const [first] = await statementIds(t.ctx, other);
    await recordVote(t.ctx, await loadCurrentUser(db(), voters[0]!), other, { statement: String(first), vote: 'disagree' });
    const one = await loadSnapshot(dbTarget(t.ctx), other);
    assert.deepEqual([...one!.votes.statementIds], [first]);
    assert.deepEqual([...one!.votes.values], [-1]);
    assert.equal((await loadSnapshot(dbTarget(t.ctx), id))!.votes.values.length, 240);
    assert.equal(await loadSnapshot(dbTarget(t.ctx), 987654321), null);
  });

  it('the results page shows the map, the groups and their statements, in Chinese and English', async () => {
    const page = await get(t.app, `/deliberations/${id}/results`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<svg[^>]*role="img"/);
    assert.match(page.body, /A 群：15 人（50%）/);
    assert.match(page.body, /B 群：15 人（50%）/);
    assert.match(page.body, /车位应按楼栋平均分配/);
    assert.match(page.body, /本群 \d+% (赞同|反对)/);
    assert.match(page.body, /各方共识/);
    assert.match(page.body, /<dt>参与人数<\/dt><dd>30<\/dd>/);
    assert.doesNotMatch(page.body, /居民\d/, 'nobody is named');
    const en = await get(t.app, `/deliberations/${id}/results`, undefined, { 'accept-language': 'en' });
    assert.match(en.body, /Group A: 15 people \(50%\)/);
    const api = await t.app.inject({ method: 'GET', url: `/api/v1/deliberations/${id}/results` });
    assert.equal(api.statusCode, 200);
    const r = api.json();
    assert.equal(r.groups.length, 2);
    assert.equal(r.counts.participants, 30);
    assert.equal(r.stale, false);
  });

  it('a new participant is offered a statement drawn with the stored priorities', async () => {
    const page = await get(t.app, `/deliberations/${id}`, p.other);
    const shown = /name="statement" value="(\d+)"/.exec(page.body);
    assert.ok(shown && s.includes(Number(shown[1])));
  });

  it('the report gives data and a Markdown section for the outcome report', async () => {
    const r = await deliberationReport(db(), id);
    assert.equal(r.computed?.groups.length, 2);
    assert.match(r.markdown, /^## 网络议政“社区停车位分配”情况/);
    assert.match(r.markdown, /### A 群：15 人（50%）/);
    assert.match(r.markdown, /共 30 人参与/);
    assert.doesNotMatch(r.text, /###/);
    const en = await deliberationReport(db(), id, { locale: 'en' });
    assert.match(en.markdown, /### Group B: 15 people \(50%\)/);
  });
});
