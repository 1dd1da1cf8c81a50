import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { AppContext } from '../../src/context.js';
import { parseParticipantsVotesCsv } from '../../src/modules/deliberation/engine/index.js';
import { exportPolis } from '../../src/modules/deliberation/polis-export.js';
import { importPolis, participantGroupsByExternal } from '../../src/modules/deliberation/polis-import.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { csrfToken, get } from '../helpers/http.js';
import { type People, people } from './wiring-helpers.js';

// Polis open data in and out: import → export → re-import gives the same votes and the same
// groups, on the three public conversations in test/fixtures/polis; the CLI prints the id;
// organisers upload the files and download the four CSVs.

const ROOT = new URL('../fixtures/polis/', import.meta.url).pathname;
const FIXTURES = ['15-per-hour-seattle', 'brexit-consensus', 'scoop-hivemind.ubi'];
const CLI = new URL('../../src/cli.ts', import.meta.url).pathname;
const run = promisify(execFile);
const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');

/** Current votes as "voter:comment" → value, by Polis ids. */
async function votesByExternal(ctx: AppContext, deliberationId: number): Promise<Map<string, number>> {
  const rows = await ctx.database.db.selectFrom('deliberation_votes as v')
    .innerJoin('deliberation_participants as p', 'p.id', 'v.participant_id')
    .innerJoin('deliberation_statements as s', 's.id', 'v.statement_id')
    .select(['p.external_id as pid', 's.external_id as cid', 'v.value']).where('v.deliberation_id', '=', deliberationId).execute();
  return new Map(rows.map((r) => [`${r.pid}:${r.cid}`, r.value]));
}

function multipart(fields: Record<string, string>, files: Record<string, { filename: string; content: string }>): { body: Buffer; type: string } {
  const b = `----xs${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const [k, f] of Object.entries(files)) {
    parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${k}"; filename="${f.filename}"\r\nContent-Type: text/csv\r\n\r\n`), Buffer.from(f.content), Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${b}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${b}` };
}

describe('deliberation: Polis open data', { timeout: 600_000 }, () => {
  let t: TestApp;
  let p: People;
  let work: string;
  const cliEnv = () => ({
    ...process.env, XS_DATA_DIR: t.ctx.config.dataDir, XS_COOKIE_SECRET: 'test-secret-test-secret-test-secret-123', LOG_LEVEL: 'silent',
    ...(t.ctx.config.pgSchema ? { XS_PG_SCHEMA: t.ctx.config.pgSchema } : {}),
  });

  before(async () => {
    t = await createTestApp();
    p = await people(t.app, t.ctx);
    work = mkdtempSync(join(tmpdir(), 'xs-polis-'));
  });
  after(async () => {
    await t.close();
    rmSync(work, { recursive: true, force: true });
  });

  for (const name of FIXTURES) {
    it(`${name}: import, export, re-import give the same votes and groups`, async () => {
      const dir = join(ROOT, name);
      const files = { comments: read(dir, 'comments.csv'), votes: read(dir, 'votes.csv'), participantsVotes: read(dir, 'participants-votes.csv'), summary: read(dir, 'summary.csv') };
      const first = await importPolis(t.ctx, files, { owner: null, createdBy: null, fallbackTitle: name });
      assert.equal(first.computed, 'computed');
      assert.ok(first.groups >= 2, `${first.groups} groups`);
      assert.ok(first.ari !== null && first.compared > 100);
      const out = await exportPolis(t.ctx, first.id);
      const pv = parseParticipantsVotesCsv(out['participants-votes.csv']);
      assert.ok(pv.rows.some((r) => r.groupId !== null), 'our group-id is exported');
      assert.doesNotMatch(out['summary.csv'], /^views,/m, 'views are not counted: no row, not a 0');
      assert.match(out['summary.csv'], /^voters,\d+$/m);
      const second = await importPolis(t.ctx, { comments: out['comments.csv'], votes: out['votes.csv'], participantsVotes: out['participants-votes.csv'], summary: out['summary.csv'] },
        { owner: null, createdBy: null, fallbackTitle: 'again' });
      assert.deepEqual(await votesByExternal(t.ctx, second.id), await votesByExternal(t.ctx, first.id));
      assert.equal(second.voteRows, first.voteRows, 'the whole history comes back');
      assert.deepEqual(await participantGroupsByExternal(t.ctx.database.db, second.id), await participantGroupsByExternal(t.ctx.database.db, first.id));
      assert.equal(second.ari, 1, 'the exported group-id is the groups we computed');
      const [a, b] = await Promise.all([first.id, second.id].map((id) => t.ctx.database.db.selectFrom('deliberations').select(['title', 'description']).where('id', '=', id).executeTakeFirstOrThrow()));
      assert.deepEqual(b, a);
      const statuses = await Promise.all([first.id, second.id].map(async (id) => (await t.ctx.database.db.selectFrom('deliberation_statements').select(['external_id', 'status', 'body']).where('deliberation_id', '=', id).orderBy('id').execute())));
      assert.deepEqual(statuses[1], statuses[0], 'moderation and texts survive the round trip');
    });
  }

  it('the CLI imports a folder and prints the id, exports it, and the re-import matches', async () => {
    const dir = join(ROOT, 'brexit-consensus');
    const imported = await run(process.execPath, ['--import', 'tsx', CLI, 'polis-import', dir], { env: cliEnv() });
    assert.match(imported.stdout, /^\d+\n$/);
    assert.match(imported.stderr, /adjusted Rand index/);
    const id = Number(imported.stdout.trim());
    const d = await t.ctx.database.db.selectFrom('deliberations').select(['title', 'source', 'status']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(d, { title: 'Can there be consensus on Brexit?', source: 'polis', status: 'closed' });
    const folder = join(work, 'brexit-out');
    const exported = await run(process.execPath, ['--import', 'tsx', CLI, 'polis-export', String(id), folder], { env: cliEnv() });
    assert.match(exported.stdout, /Wrote comments.csv, votes.csv, participants-votes.csv, summary.csv/);
    const again = await run(process.execPath, ['--import', 'tsx', CLI, 'polis-import', folder], { env: cliEnv() });
    const id2 = Number(again.stdout.trim());
    assert.ok(id2 > id);
    assert.deepEqual(await votesByExternal(t.ctx, id2), await votesByExternal(t.ctx, id));
    assert.deepEqual(await participantGroupsByExternal(t.ctx.database.db, id2), await participantGroupsByExternal(t.ctx.database.db, id));
    await assert.rejects(run(process.execPath, ['--import', 'tsx', CLI, 'polis-import', join(work, 'nowhere')], { env: cliEnv() }), /must hold comments.csv and votes.csv/);
  });

  it('organisers upload the files and download the four CSVs; bad files get a clear error', async () => {
    const dir = join(ROOT, '15-per-hour-seattle');
    const form = multipart({ _csrf: csrfToken(t.app, p.staff), owner: `body:${p.bodyId}` }, {
      comments: { filename: 'comments.csv', content: read(dir, 'comments.csv') }, votes: { filename: 'votes.csv', content: read(dir, 'votes.csv') },
      summary: { filename: 'summary.csv', content: read(dir, 'summary.csv') },
    });
    const res = await t.app.inject({ method: 'POST', url: '/deliberations/import', payload: form.body, headers: { 'content-type': form.type, cookie: p.staff.header() } });
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    const id = Number(/^\/deliberations\/(\d+)\/moderate/.exec(String(res.headers.location))![1]);
    const page = await get(t.app, String(res.headers.location), p.staff);
    assert.match(page.body, /已导入 2872 张表态/);
    const csv = await get(t.app, `/deliberations/${id}/export/participants-votes.csv`, p.staff);
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.ok(parseParticipantsVotesCsv(csv.body).rows.filter((r) => r.groupId !== null).length > 100);
    assert.equal((await get(t.app, `/deliberations/${id}/export/summary.csv`, p.citizen)).statusCode, 403);
    assert.equal((await get(t.app, `/deliberations/${id}/export/other.csv`, p.staff)).statusCode, 404);

    const bad = multipart({ _csrf: csrfToken(t.app, p.staff), owner: `body:${p.bodyId}` }, {
      comments: { filename: 'comments.csv', content: read(dir, 'comments.csv') }, votes: { filename: 'votes.csv', content: 'timestamp,comment-id\n1,2\n' },
    });
    const refused = await t.app.inject({ method: 'POST', url: '/deliberations/import', payload: bad.body, headers: { 'content-type': bad.type, cookie: p.staff.header() } });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /文件格式不正确：votes.csv：缺少“voter-id”列/);
    assert.doesNotMatch(refused.body, /missing column/);
    const refusedEn = await t.app.inject({ method: 'POST', url: '/deliberations/import', payload: bad.body, headers: { 'content-type': bad.type, cookie: p.staff.header(), 'accept-language': 'en' } });
    assert.equal(refusedEn.statusCode, 400);
    assert.match(refusedEn.body, /The file is not in the expected format: votes.csv: the column &quot;voter-id&quot; is missing/);
    const missing = multipart({ _csrf: csrfToken(t.app, p.staff), owner: `body:${p.bodyId}` }, { comments: { filename: 'comments.csv', content: 'x' } });
    const none = await t.app.inject({ method: 'POST', url: '/deliberations/import', payload: missing.body, headers: { 'content-type': missing.type, cookie: p.staff.header() } });
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /请上传 votes.csv/);
    const citizen = multipart({ _csrf: csrfToken(t.app, p.citizen), owner: `body:${p.bodyId}` }, {
      comments: { filename: 'comments.csv', content: read(dir, 'comments.csv') }, votes: { filename: 'votes.csv', content: read(dir, 'votes.csv') },
    });
    const denied = await t.app.inject({ method: 'POST', url: '/deliberations/import', payload: citizen.body, headers: { 'content-type': citizen.type, cookie: p.citizen.header() } });
    assert.equal(denied.statusCode, 403);
  });
});
