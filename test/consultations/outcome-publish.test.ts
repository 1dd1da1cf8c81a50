import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AppContext } from '../../src/context.js';
import { type WarnLog, publishOutcome as publish } from '../../src/modules/consultations/outcome-publish.js';
import { showDateTime } from '../../src/modules/content/shared/dates.js';
import { ensureParticipant, recordVote } from '../../src/modules/deliberation/participation.js';
import { recomputeNow } from '../../src/modules/deliberation/recompute.js';
import { deliberationReport } from '../../src/modules/deliberation/report.js';
import { inputChanged } from '../../src/modules/deliberation/version.js';
import { type CurrentUser, loadCurrentUser } from '../../src/platform/auth/current-user.js';
import { catalogFor } from '../../src/web/i18n/index.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { makeUser, signedInJar } from '../helpers/factories.js';
import { type Jar, get, postForm } from '../helpers/http.js';
import { createThroughForm, statementIds } from '../deliberation/wiring-helpers.js';
import { consultationWithOutcome, docxText, unzip, writeAndPublish } from './outcome-helpers.js';
import { type ConsultationWorld, makeConsultationWorld, textOf } from './world.js';

// Publishing an outcome keeps the deliberations' section: it must cover exactly the votes the
// deliberations took (closed first, then recomputed, then kept), and a recomputation that fails
// then is logged and the kept section says when its result was computed.

describe('consultations: the deliberation section kept at publication', () => {
  let t: TestApp;
  let w: ConsultationWorld;
  let staff: Jar;
  let staffUser: CurrentUser;
  const db = () => t.ctx.database.db;
  const userOf = async (id: number): Promise<CurrentUser> => {
    const u = await loadCurrentUser(db(), id);
    assert.ok(u);
    return u;
  };
  const voter = async (name: string) => userOf(await makeUser(t.ctx, { name }));
  const kept = async (id: number) => {
    const row = await db().selectFrom('consultation_outcomes').select('deliberation_report').where('consultation_id', '=', id).executeTakeFirstOrThrow();
    return JSON.parse(row.deliberation_report ?? 'null') as { sections: Array<{ id: number; markdown: Record<'zh-CN' | 'en', string> }> };
  };

  /** A consultation at its meeting with a saved outcome and a deliberation six people voted in. */
  async function ready(title: string): Promise<{ id: number; did: number; s: number[] }> {
    const id = await consultationWithOutcome(t.app, w, staff, { title });
    const made = await createThroughForm(t.app, staff, { owner: `consultation:${id}`, title: `${title}的议政`, moderation: 'open', seeds: '观点甲\n观点乙\n观点丙\n观点丁' });
    assert.ok(made.id > 0, `deliberation created: ${made.res.statusCode}`);
    const s = await statementIds(t.ctx, made.id);
    for (let i = 0; i < 6; i++) {
      const u = await voter(`${title}居民${i}`);
      for (const [j, sid] of s.entries()) await recordVote(t.ctx, u, made.id, { statement: String(sid), vote: (i + j) % 2 ? 'agree' : 'disagree' });
    }
    await writeAndPublish(t.app, w, staff, id, false);
    return { id, did: made.id, s };
  }

  /** The live result brought up to every vote the deliberation holds. */
  async function final(did: number) {
    await recomputeNow(t.ctx, did);
    const r = await deliberationReport(db(), did);
    assert.ok(r.computed);
    const d = await db().selectFrom('deliberations').select(['status', 'votes_version']).where('id', '=', did).executeTakeFirstOrThrow();
    return { counts: r.computed.counts, votesVersion: r.computed.votesVersion, d };
  }

  before(async () => {
    t = await createTestApp();
    w = await makeConsultationWorld(t.ctx);
    staff = await signedInJar(t.app, t.ctx, w.staff);
    staffUser = await userOf(w.staff);
  });
  after(() => t.close());

  it('a vote made after the recomputation, before the section is kept, is refused as closed or is in the section', async () => {
    const { id, did, s } = await ready('公交线路优化协商会');
    const late = await voter('迟到的居民');
    let squeezed: 'refused' | 'counted' | null = null;
    await publish(t.ctx, staffUser, id, {
      log: { warn: () => assert.fail('no recomputation fails here') },
      afterRecompute: async (attempt) => {
        if (attempt > 1) return;
        try {
          for (const sid of s) await recordVote(t.ctx, late, did, { statement: String(sid), vote: 'agree' });
          squeezed = 'counted';
        } catch (err) {
          assert.equal((err as { code?: string }).code, 'deliberation_closed', String(err));
          squeezed = 'refused';
        }
      },
    });
    assert.ok(squeezed, 'the vote was attempted between the recomputation and the kept section');
    const live = await final(did);
    assert.equal(live.d.status, 'closed');
    const section = (await kept(id)).sections.find((x) => x.id === did)?.markdown['zh-CN'] ?? '';
    assert.ok(section.includes(`共 ${live.counts.participants} 人参与，表态 ${live.counts.votes} 次`), `kept: ${section.split('\n')[2]}; live: ${live.counts.participants} / ${live.counts.votes} (${squeezed})`);
    assert.ok(!section.includes(catalogFor('zh-CN').consultations.sectionStale), 'nothing left out');
  });

  it('a vote past the open check when the deliberation closed, committed after the recomputation, is recomputed into the section', async () => {
    const { id, did, s } = await ready('背街小巷照明协商会');
    const straggler = await voter('在途的居民');
    const attempts: number[] = [];
    await publish(t.ctx, staffUser, id, {
      afterRecompute: async (attempt) => {
        attempts.push(attempt);
        if (attempt > 1) return;
        // As a vote that read the deliberation open just before it closed commits: written as
        // the vote path writes it, whatever the status now is.
        await db().transaction().execute(async (trx) => {
          const pid = await ensureParticipant(trx, did, straggler.id);
          const now = new Date().toISOString();
          await trx.insertInto('deliberation_votes').values({ deliberation_id: did, participant_id: pid, statement_id: s[0] as number, value: 1, voted_at: now }).execute();
          await trx.insertInto('deliberation_vote_log').values({ deliberation_id: did, participant_id: pid, statement_id: s[0] as number, value: 1, voted_at: now }).execute();
          await inputChanged(trx, did, now);
        });
      },
    });
    assert.deepEqual(attempts, [1, 2], 'recomputed again for the vote that came in');
    const live = await final(did);
    const result = await db().selectFrom('deliberation_results').select('votes_version').where('deliberation_id', '=', did).orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(result.votes_version, live.d.votes_version, 'the stored result covers every vote');
    assert.ok((await kept(id)).sections[0]?.markdown['zh-CN'].includes(`共 ${live.counts.participants} 人参与，表态 ${live.counts.votes} 次`));
    assert.equal(live.counts.participants, 7);
  });

  it('a recomputation failing at publication is logged; the section keeps the last result, says when it was computed and that later votes are not in it', async () => {
    const { id, did, s } = await ready('农贸市场搬迁协商会');
    await recomputeNow(t.ctx, did);
    const before = await db().selectFrom('deliberation_results').select(['computed_at', 'votes_version']).where('deliberation_id', '=', did).orderBy('id', 'desc').executeTakeFirstOrThrow();
    await recordVote(t.ctx, await voter('后来的居民'), did, { statement: String(s[0]), vote: 'agree' });
    // A second deliberation whose votes were never computed.
    const second = await createThroughForm(t.app, staff, { owner: `consultation:${id}`, title: '摊位怎么分', moderation: 'open', seeds: '按抽签分配' });
    const [only] = await statementIds(t.ctx, second.id);
    await recordVote(t.ctx, await voter('摊主'), second.id, { statement: String(only), vote: 'agree' });
    // The math reads the votes through its own connection: pointed at nothing, it fails.
    const broken: AppContext = { ...t.ctx, config: { ...t.ctx.config, sqliteFile: '/nonexistent/xs/none.db', pgSchema: 'xs_no_such_schema' } };
    const warned: Array<{ obj: Record<string, unknown>; msg: string }> = [];
    const log: WarnLog = { warn: (obj, msg) => warned.push({ obj, msg }) };
    await publish(broken, staffUser, id, { log });
    assert.equal(warned.length, 2, 'a warning per deliberation');
    for (const x of warned) assert.deepEqual(Object.keys(x.obj).sort(), ['consultationId', 'deliberationId', 'err'], 'ids and the message, nothing about people');
    assert.deepEqual(warned.map((x) => x.obj.deliberationId).sort(), [did, second.id].sort());
    assert.ok(typeof warned[0]?.obj.err === 'string' && (warned[0].obj.err as string).length > 0);
    assert.match(warned[0]?.msg ?? '', /recomputation failed/);
    assert.equal((await db().selectFrom('deliberations').select('status').where('id', '=', did).executeTakeFirstOrThrow()).status, 'closed');

    const at = showDateTime(before.computed_at);
    const zh = catalogFor('zh-CN');
    const en = catalogFor('en');
    const page = textOf(await get(t.app, `/consultations/${id}`));
    assert.ok(page.includes(zh.deliberation.reportComputed(at)), `the page says when (${at})`);
    assert.ok(page.includes(zh.consultations.sectionStale), 'and that later votes are not in it');
    assert.match(page, /共 6 人参与/);
    const enPage = textOf(await get(t.app, `/consultations/${id}`, undefined, { 'accept-language': 'en' }));
    assert.ok(enPage.includes(en.deliberation.reportComputed(at)) && enPage.includes(en.consultations.sectionStale), 'in English too');
    const file = unzip((await get(t.app, `/consultations/${id}/outcome.docx`)).rawPayload).get('word/document.xml')?.toString('utf8') ?? '';
    const text = docxText(file);
    assert.ok(text.includes(zh.deliberation.reportComputed(at)) && text.includes(zh.consultations.sectionStale), 'the .docx says both');
    assert.ok(page.includes(zh.consultations.sectionUncomputed) && text.includes(zh.consultations.sectionUncomputed), 'the uncomputed one says its votes are not in the report');
  });

  it('publication refused for its input leaves the deliberations open', async () => {
    const id = await consultationWithOutcome(t.app, w, staff, { title: '无建议的协商会' });
    const made = await createThroughForm(t.app, staff, { owner: `consultation:${id}`, title: '无建议的议政', moderation: 'open', seeds: '观点一' });
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/stage`, { stage: 'meeting' }, staff)).statusCode, 303);
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/outcome`, { report: '## 情况\n\n正文。' }, staff)).statusCode, 303);
    await assert.rejects(publish(t.ctx, staffUser, id), { status: 409 });
    assert.equal((await db().selectFrom('deliberations').select('status').where('id', '=', made.id).executeTakeFirstOrThrow()).status, 'open');
    assert.equal((await db().selectFrom('consultation_outcomes').select('status').where('consultation_id', '=', id).executeTakeFirstOrThrow()).status, 'draft');
  });

  it('two publications at once: one publishes, the other is refused; one set of action items', async () => {
    const { id } = await ready('路边摊点管理协商会');
    const results = await Promise.allSettled([publish(t.ctx, staffUser, id), publish(t.ctx, staffUser, id)]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, JSON.stringify(results.map((r) => r.status)));
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.equal((refused.reason as { status?: number }).status, 409);
    const items = await db().selectFrom('action_items').select('id').where('source_type', '=', 'recommendation')
      .where('source_id', 'in', db().selectFrom('consultation_recommendations').select('id').where('consultation_id', '=', id)).execute();
    assert.equal(items.length, 2, 'two recommendations, two items');
  });
});
