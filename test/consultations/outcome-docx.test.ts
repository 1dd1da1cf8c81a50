import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadCurrentUser } from '../../src/platform/auth/current-user.js';
import { recordVote } from '../../src/modules/deliberation/participation.js';
import { recomputeNow } from '../../src/modules/deliberation/recompute.js';
import { deliberationReport } from '../../src/modules/deliberation/report.js';
import { type NumberFormat, Numbering, buildOutcomeDocx } from '../../src/modules/consultations/outcome-docx.js';
import { chineseNumber } from '../../src/modules/consultations/outcome-messages.js';
import { catalogFor } from '../../src/web/i18n/index.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { makeUser, signedInJar } from '../helpers/factories.js';
import { type Jar, get, postForm } from '../helpers/http.js';
import { createThroughForm, statementIds } from '../deliberation/wiring-helpers.js';
import { REC_1, REC_2, consultationWithOutcome, publishOutcome, docxText, unzip, writeAndPublish } from './outcome-helpers.js';
import { type ConsultationWorld, makeConsultationWorld, postAndId, textOf } from './world.js';

// The outcome report as .docx (official layout, Chinese intact, public only once published)
// and the online deliberation's section in the published outcome, on the page and in the file.

describe('consultations: outcome report export and deliberation section', () => {
  let t: TestApp;
  let w: ConsultationWorld;
  let staff: Jar;
  let citizen: Jar;
  let dept = '';
  let otherDept = '';
  const db = () => t.ctx.database.db;
  const docx = async (id: number, jar?: Jar) => get(t.app, `/consultations/${id}/outcome.docx`, jar);
  /** The published outcome's part of the page text (the rest, e.g. evaluation counts, may change). */
  const pageOutcome = (text: string) => {
    const from = text.search(/协商成果|Outcome/);
    const to = text.search(/参与者评价|Participants’ evaluation/);
    assert.ok(from >= 0 && to > from, 'the page has the outcome section');
    return text.slice(from, to);
  };
  const documentXml = (buf: Buffer) => {
    const files = unzip(buf);
    assert.ok(files.has('[Content_Types].xml'), 'a package with its content types');
    const xml = files.get('word/document.xml')?.toString('utf8');
    assert.ok(xml, 'word/document.xml');
    return { xml, files };
  };

  before(async () => {
    t = await createTestApp();
    w = await makeConsultationWorld(t.ctx);
    staff = await signedInJar(t.app, t.ctx, w.staff);
    citizen = await signedInJar(t.app, t.ctx, w.citizens[0] as number);
    const names = await db().selectFrom('bodies').select(['id', 'name']).where('id', 'in', [w.department, w.otherDepartment]).execute();
    dept = names.find((b) => b.id === w.department)?.name ?? '';
    otherDept = names.find((b) => b.id === w.otherDepartment)?.name ?? '';
  });
  after(() => t.close());

  it('a draft is for its organisers only; once published anyone downloads a valid .docx with the title, recommendations and departments', async () => {
    const id = await consultationWithOutcome(t.app, w, staff, { title: '城区停车设施规划建设专题协商会' });
    await writeAndPublish(t.app, w, staff, id, false);
    assert.equal((await docx(id)).statusCode, 404, 'a draft is not public');
    assert.equal((await docx(id, citizen)).statusCode, 404);
    assert.equal((await docx(id, await signedInJar(t.app, t.ctx, w.outsider))).statusCode, 404, 'staff of another body see nothing either');
    const draft = await docx(id, staff);
    assert.equal(draft.statusCode, 200);
    assert.match(docxText(documentXml(draft.rawPayload).xml), /协商成果报告（草稿）/);
    assert.match(draft.headers['cache-control'] as string, /no-store/);
    assert.doesNotMatch(textOf(await get(t.app, `/consultations/${id}`)), /下载协商成果报告/, 'no link before publication');

    await publishOutcome(t.app, staff, id);
    assert.equal((await db().selectFrom('consultation_outcomes').select('status').where('consultation_id', '=', id).executeTakeFirstOrThrow()).status, 'published');
    const res = await docx(id);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    assert.match(res.headers['content-disposition'] as string, /^attachment; filename="[^"]*\.docx"; filename\*=UTF-8''/);
    assert.equal(res.rawPayload.subarray(0, 2).toString('latin1'), 'PK');
    const { xml, files } = documentXml(res.rawPayload);
    const text = docxText(xml);
    assert.match(text, /关于“城区停车设施规划建设专题协商会”的协商成果报告\n/);
    assert.doesNotMatch(text, /草稿/);
    for (const s of ['与会各方一致认为应统筹规划停车设施。', `责任部门：${dept}`, `责任部门：${otherDept}`, '会议由县政协副主席主持']) {
      assert.ok(text.includes(s), `document has ${s}`);
    }
    // Numbered the official way: the report's sections and the recommendations' section
    // 一、二、, the report's list and the recommendations （一）（二）, the annex unnumbered.
    assert.ok(text.includes(['一、主要共识', '与会各方一致认为应统筹规划停车设施。', '（一）盘活存量', '（二）适度新建', '二、协商建议', `（一）${REC_1}`].join('\n')), text);
    assert.ok(text.includes(`\n（二）${REC_2}\n`));
    assert.ok(text.includes('\n附件：会议纪要\n'));
    assert.ok(!xml.includes('•'), 'no bullets');
    const lead = (await db().selectFrom('bodies').select('name').where('id', '=', w.committee).executeTakeFirstOrThrow()).name;
    assert.ok(text.includes(`${lead}\n`), 'signed by the issuing body');
    const joint = (await db().selectFrom('bodies').select('name').where('id', '=', w.specialCommittee).executeTakeFirstOrThrow()).name;
    assert.ok(text.includes(`${lead}\n${joint}\n`), 'and by the joint holder');
    assert.match(text, /\d{4}年\d{1,2}月\d{1,2}日/, 'dated');
    // The official layout: A4, 方正小标宋 title, 仿宋 body at 三号, page numbers in the footer.
    assert.match(xml, /<w:pgSz w:w="11906" w:h="16838"/);
    assert.match(xml, /w:eastAsia="方正小标宋简体"/);
    assert.match(xml, /w:eastAsia="仿宋_GB2312"/);
    assert.match(xml, /<w:sz w:val="32"\/>/);
    assert.match(xml, /<w:b\/>[^]*统筹规划/, 'bold kept from the Markdown');
    const footers = [...files.keys()].filter((k) => /^word\/footer\d+\.xml$/.test(k)).map((k) => files.get(k)?.toString('utf8') ?? '');
    assert.ok(footers.length >= 1 && footers.every((f) => /PAGE/.test(f)), 'page number fields in the footers');
    const page = await get(t.app, `/consultations/${id}`);
    assert.ok(page.body.includes(`href="/consultations/${id}/outcome.docx"`), 'the outcome section links to the file');
    const en = await get(t.app, `/consultations/${id}/outcome.docx`, undefined, { 'accept-language': 'en' });
    const enText = docxText(documentXml(en.rawPayload).xml);
    assert.match(enText, /Responsible department: /);
    assert.ok(enText.includes(['1. 主要共识', '与会各方一致认为应统筹规划停车设施。', '1.1 盘活存量', '1.2 适度新建', '2. Recommendations', `1. ${REC_1}`].join('\n')), enText);
  });

  it('a private consultation’s published report stays with its organisers; bad ids are not found', async () => {
    const id = await consultationWithOutcome(t.app, w, staff, { title: '内部协商会', isPublic: false });
    await writeAndPublish(t.app, w, staff, id);
    assert.equal((await docx(id)).statusCode, 404);
    assert.equal((await docx(id, citizen)).statusCode, 404);
    assert.equal((await docx(id, staff)).statusCode, 200);
    for (const bad of ['abc', '0', '99999999', '1e3', '-1']) assert.equal((await get(t.app, `/consultations/${bad}/outcome.docx`)).statusCode, 404, bad);
    const noOutcome = await consultationWithOutcome(t.app, w, staff, { title: '还没有成果的协商会' });
    assert.equal((await docx(noOutcome, staff)).statusCode, 404);
  });

  it('the published outcome carries the deliberation report: on the page and in the .docx', async () => {
    const id = await consultationWithOutcome(t.app, w, staff, { title: '老旧小区加装电梯协商会' });
    const made = await createThroughForm(t.app, staff, {
      owner: `consultation:${id}`, title: '加装电梯怎么分摊', moderation: 'open',
      seeds: ['低楼层住户应少出钱', '费用应按楼层递增分摊', '政府应补贴一半', '一楼住户应有否决权', '应统一由物业管理电梯', '应先试点再推广'].join('\n'),
    });
    assert.ok(made.id > 0, `deliberation created: ${made.res.statusCode}`);
    const s = await statementIds(t.ctx, made.id);
    for (let i = 0; i < 12; i++) {
      const voter = await loadCurrentUser(db(), await makeUser(t.ctx, { name: `居民${i}` }));
      for (let j = 0; j < s.length; j++) {
        const camp = i < 6 ? 1 : -1;
        const v = j >= 4 ? 'agree' : (j % 2 === 0 ? camp : -camp) === 1 ? 'agree' : 'disagree';
        await recordVote(t.ctx, voter, made.id, { statement: String(s[j]), vote: v });
      }
    }
    await recomputeNow(t.ctx, made.id);
    // One more participant votes after the last computation: publishing brings the results
    // up to the votes before the report keeps them.
    const late = await loadCurrentUser(db(), await makeUser(t.ctx, { name: '居民迟到' }));
    for (const sid of s) await recordVote(t.ctx, late, made.id, { statement: String(sid), vote: 'agree' });
    const stale = await deliberationReport(db(), made.id);
    assert.equal(stale.computed?.counts.participants, 12, 'the stored result is behind the votes');

    await writeAndPublish(t.app, w, staff, id, false);
    assert.doesNotMatch(textOf(await get(t.app, `/consultations/${id}`)), /网络议政情况/, 'nothing of the outcome before it is published');
    await publishOutcome(t.app, staff, id);
    const report = await deliberationReport(db(), made.id);
    assert.ok(report.computed, 'computed');
    assert.equal(report.computed.counts.participants, 13, 'recomputed at publication with the late votes');
    const heading = report.text.split('\n')[0] as string;
    const consensus = report.computed.consensus[0]?.text ?? '应先试点再推广';
    const page = textOf(await get(t.app, `/consultations/${id}`));
    assert.match(page, /网络议政情况/);
    assert.ok(page.includes(heading), `page has ${heading}`);
    assert.ok(page.includes(consensus), 'page has a consensus statement');
    assert.match(page, new RegExp(`${report.computed.counts.participants} 人`), 'page has the counts');
    const html = (await get(t.app, `/consultations/${id}`)).body;
    assert.ok(html.includes(`href="/deliberations/${made.id}/results"`));
    const enPage = textOf(await get(t.app, `/consultations/${id}`, undefined, { 'accept-language': 'en' }));
    const enReport = await deliberationReport(db(), made.id, { locale: 'en' });
    assert.ok(enPage.includes(enReport.text.split('\n')[0] as string), 'the English page has the English section');

    const text = docxText(documentXml((await docx(id)).rawPayload).xml);
    assert.ok(text.includes('网络议政情况'));
    assert.ok(text.includes(heading), 'docx has the section heading');
    assert.ok(text.includes(consensus), 'docx has a consensus statement');
    const gi = text.indexOf('网络议政情况');
    assert.ok(gi > text.indexOf(REC_2), 'after the recommendations');
    // The section continues the numbering: 三、 after the report's 一、 and the recommendations'
    // 二、; the deliberation is its （一）, its groups and consensus 1. 2. …, their statements （1）.
    assert.ok(text.includes(`\n三、网络议政情况\n（一）${heading}\n`), text.slice(gi - 10, gi + 200));
    const groups = report.computed.groups.length;
    assert.ok(groups >= 1);
    assert.ok(text.includes(`\n${groups + 1}.${catalogFor('zh-CN').deliberation.consensusTitle}\n`), 'consensus after the groups, numbered');
    assert.match(text.slice(gi), /\n1\.[^\n]+\n（1）/, 'a group heading, then its first statement');
    assert.ok(!text.includes('•'), 'no bullets');

    // The outcome ended the deliberation: no more votes (the deliberation's "closed" error),
    // its results still public.
    const row = await db().selectFrom('deliberations').select(['status', 'closed_at']).where('id', '=', made.id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'closed');
    assert.ok(row.closed_at);
    const voter = await loadCurrentUser(db(), await makeUser(t.ctx, { name: '居民补投' }));
    await assert.rejects(recordVote(t.ctx, voter, made.id, { statement: String(s[0]), vote: 'disagree' }), { code: 'deliberation_closed', status: 409 });
    const voteRes = await postForm(t.app, `/deliberations/${made.id}/vote`, { statement: String(s[0]), vote: 'disagree' }, citizen);
    assert.equal(voteRes.statusCode, 409, 'the vote form answers with the closed error');
    assert.match(textOf(voteRes), /本次网络议政已结束/);
    const results = await get(t.app, `/deliberations/${made.id}/results`);
    assert.equal(results.statusCode, 200);
    assert.ok(textOf(results).includes(consensus), 'the results stay visible');

    // The published report does not change afterwards, even when the deliberation is opened
    // again and more votes are counted: the page and the .docx show what was published.
    const pageBefore = pageOutcome(textOf(await get(t.app, `/consultations/${id}`)));
    const enBefore = pageOutcome(textOf(await get(t.app, `/consultations/${id}`, undefined, { 'accept-language': 'en' })));
    const docxBefore = docxText(documentXml((await docx(id)).rawPayload).xml);
    await db().updateTable('deliberations').set({ status: 'open', closed_at: null }).where('id', '=', made.id).execute();
    for (let i = 0; i < 3; i++) {
      const more = await loadCurrentUser(db(), await makeUser(t.ctx, { name: `居民新增${i}` }));
      for (const sid of s) await recordVote(t.ctx, more, made.id, { statement: String(sid), vote: 'disagree' });
    }
    await recomputeNow(t.ctx, made.id);
    t.ctx.pageCache.invalidate();
    assert.equal((await deliberationReport(db(), made.id)).computed?.counts.participants, 16, 'the live results moved on');
    assert.equal(pageOutcome(textOf(await get(t.app, `/consultations/${id}`))), pageBefore, 'the page keeps the published section');
    assert.equal(pageOutcome(textOf(await get(t.app, `/consultations/${id}`, undefined, { 'accept-language': 'en' }))), enBefore);
    assert.equal(docxText(documentXml((await docx(id)).rawPayload).xml), docxBefore, 'the .docx keeps it too');
    assert.match(pageBefore, /共 13 人参与/);
  });

  it('moving a consultation to the outcome stage closes its deliberation; a draft report previews the live results', async () => {
    const id = await consultationWithOutcome(t.app, w, staff, { title: '社区菜市场改造协商会' });
    const made = await createThroughForm(t.app, staff, { owner: `consultation:${id}`, title: '菜市场怎么改', moderation: 'open', seeds: '延长营业时间\n增设停车位' });
    const s = await statementIds(t.ctx, made.id);
    const voter = await loadCurrentUser(db(), await makeUser(t.ctx, { name: '摊主' }));
    await recordVote(t.ctx, voter, made.id, { statement: String(s[0]), vote: 'agree' });
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/stage`, { stage: 'meeting' }, staff)).statusCode, 303);
    await recordVote(t.ctx, voter, made.id, { statement: String(s[1]), vote: 'agree' });
    assert.equal((await db().selectFrom('deliberations').select('status').where('id', '=', made.id).executeTakeFirstOrThrow()).status, 'open', 'open during the meeting');
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/stage`, { stage: 'outcome' }, staff)).statusCode, 303);
    assert.equal((await db().selectFrom('deliberations').select('status').where('id', '=', made.id).executeTakeFirstOrThrow()).status, 'closed');
    await assert.rejects(recordVote(t.ctx, voter, made.id, { statement: String(s[0]), vote: 'disagree' }), { code: 'deliberation_closed' });
    const ev = await db().selectFrom('audit_events').select('data').where('stream_type', '=', 'consultation').where('stream_id', '=', String(id)).where('action', '=', 'stage').orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(ev.data), { from: 'meeting', to: 'outcome', closedDeliberations: [made.id] });
    // A draft's .docx shows the deliberation as it is now; nothing is kept until publication.
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/outcome`, { report: '## 情况\n\n正文。', text_1: REC_1, department_1: String(w.department), days_1: '5' }, staff)).statusCode, 303);
    assert.equal((await db().selectFrom('consultation_outcomes').select('deliberation_report').where('consultation_id', '=', id).executeTakeFirstOrThrow()).deliberation_report, null);
    await recomputeNow(t.ctx, made.id);
    assert.match(docxText(documentXml((await docx(id, staff)).rawPayload).xml), /共 1 人参与/);
  });

  it('a community consultation’s deliberation closes with its decision, and with a published outcome', async () => {
    const community = async (title: string) => postAndId(t.app, '/admin/consultations', {
      title, form: 'community', mode: 'in_person', leadBodyId: String(w.committee), summary: '', isPublic: 'on', startsAt: '', endsAt: '', place: '', onlineUrl: '', agenda: '',
    }, staff, /consultations\/(\d+)/);
    const status = async (did: number) => (await db().selectFrom('deliberations').select('status').where('id', '=', did).executeTakeFirstOrThrow()).status;
    const id = await community('社区停车位分配议事');
    const made = await createThroughForm(t.app, staff, { owner: `consultation:${id}`, title: '车位怎么分', moderation: 'open', seeds: '按户抽签\n按需分配' });
    assert.ok(made.id > 0);
    const move = async (stage: string) => assert.equal((await postForm(t.app, `/admin/consultations/${id}/stage`, { stage }, staff)).statusCode, 303, stage);
    await move('deliberation');
    assert.equal(await status(made.id), 'open', 'deliberating');
    await move('decision');
    assert.equal(await status(made.id), 'closed', 'closed with the decision');

    // Publishing an outcome closes the deliberations too (a community consultation's stage does not move with it).
    const other = await community('社区垃圾分类议事');
    const second = await createThroughForm(t.app, staff, { owner: `consultation:${other}`, title: '分类点放哪', moderation: 'open', seeds: '小区门口\n每栋楼下' });
    assert.equal((await postForm(t.app, `/admin/consultations/${other}/stage`, { stage: 'deliberation' }, staff)).statusCode, 303);
    assert.equal((await postForm(t.app, `/admin/consultations/${other}/outcome`, { report: '## 情况\n\n正文。', text_1: REC_1, department_1: String(w.department), days_1: '5' }, staff)).statusCode, 303);
    await publishOutcome(t.app, staff, other);
    assert.equal((await db().selectFrom('consultations').select('stage').where('id', '=', other).executeTakeFirstOrThrow()).stage, 'deliberation');
    assert.equal(await status(second.id), 'closed');
  });

  it('an outcome published before reports were kept gets its section kept on first reading', async () => {
    const id = await consultationWithOutcome(t.app, w, staff, { title: '历史成果协商会' });
    const made = await createThroughForm(t.app, staff, { owner: `consultation:${id}`, title: '旧的议政', moderation: 'open', seeds: '观点一\n观点二' });
    const [s1] = await statementIds(t.ctx, made.id);
    await recordVote(t.ctx, await loadCurrentUser(db(), await makeUser(t.ctx, { name: '旧居民' })), made.id, { statement: String(s1), vote: 'agree' });
    await writeAndPublish(t.app, w, staff, id);
    // As the row was before migration 0019, and the deliberation still open.
    await db().updateTable('consultation_outcomes').set({ deliberation_report: null }).where('consultation_id', '=', id).execute();
    await db().updateTable('deliberations').set({ status: 'open', closed_at: null }).where('id', '=', made.id).execute();
    t.ctx.pageCache.invalidate();
    const first = textOf(await get(t.app, `/consultations/${id}`));
    assert.match(first, /共 1 人参与/);
    const kept = (await db().selectFrom('consultation_outcomes').select('deliberation_report').where('consultation_id', '=', id).executeTakeFirstOrThrow()).deliberation_report;
    assert.ok(kept && JSON.parse(kept).sections[0].id === made.id, 'kept at the first reading');
    await recordVote(t.ctx, await loadCurrentUser(db(), await makeUser(t.ctx, { name: '新居民' })), made.id, { statement: String(s1), vote: 'agree' });
    await recomputeNow(t.ctx, made.id);
    t.ctx.pageCache.invalidate();
    assert.match(textOf(await get(t.app, `/consultations/${id}`)), /共 1 人参与/, 'and not changed since');
    assert.match(docxText(documentXml((await docx(id)).rawPayload).xml), /共 1 人参与/);
  });

  it('evidence a department attached is public with the published outcome, and only then', async () => {
    const id = await consultationWithOutcome(t.app, w, staff, { title: '背街小巷整治协商会' });
    await writeAndPublish(t.app, w, staff, id);
    const item = (await db().selectFrom('consultation_recommendations').select('action_item_id').where('consultation_id', '=', id).where('number', '=', 1).executeTakeFirstOrThrow()).action_item_id as number;
    const key = `evidence-test/${id}.pdf`;
    await mkdir(dirname(join(t.ctx.config.uploadsDir, key)), { recursive: true });
    await writeFile(join(t.ctx.config.uploadsDir, key), '%PDF-1.4 test');
    const now = new Date().toISOString();
    const file = await db().insertInto('attachments').values({
      owner_type: 'action_item', owner_id: item, filename: '完工照片说明.pdf', mime: 'application/pdf', size: 13, sha256: '0'.repeat(64), storage_key: key, created_by: w.deptHandler, created_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    t.ctx.pageCache.invalidate();
    const href = `/consultations/${id}/evidence/${file.id}/${encodeURIComponent('完工照片说明.pdf')}`;
    const page = await get(t.app, `/consultations/${id}`);
    assert.ok(page.body.includes(`href="${href}"`), 'the recommendation links its evidence');
    const res = await get(t.app, href);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.equal(res.body, '%PDF-1.4 test');
    assert.equal((await get(t.app, `/consultations/${id + 1000}/evidence/${file.id}/x.pdf`)).statusCode, 404, 'only under its own consultation');
    assert.equal((await get(t.app, `/consultations/${id}/evidence/abc/x.pdf`)).statusCode, 404);
    await db().updateTable('consultations').set({ is_public: 0 }).where('id', '=', id).execute();
    assert.equal((await get(t.app, href)).statusCode, 404, 'not for a private consultation');
  });
});

describe('consultations: the .docx report’s numbering', () => {
  const textOfDocx = async (input: Partial<Parameters<typeof buildOutcomeDocx>[0]>, locale: 'zh-CN' | 'en' = 'zh-CN') => {
    const buf = await buildOutcomeDocx({
      title: '测试', issuer: '县政协', joint: [], date: '2026-12-07', draft: false, reportMd: '', recommendations: [], sectionsMd: [], minutesMd: null, ...input,
    }, catalogFor(locale));
    const xml = unzip(buf).get('word/document.xml')?.toString('utf8') ?? '';
    assert.ok(!xml.includes('•'), 'never a bullet');
    return docxText(xml);
  };

  it('Chinese numerals as documents write them', () => {
    assert.deepEqual([1, 2, 9, 10, 11, 19, 20, 21, 99, 100, 101, 110, 111].map(chineseNumber),
      ['一', '二', '九', '十', '十一', '十九', '二十', '二十一', '九十九', '一百', '一百零一', '一百一十', '一百一十一']);
  });

  it('sections 一、, then （一）, 1., （1）; restarting under each new heading; list items one level below their heading, counted with its sub-headings', async () => {
    const text = await textOfDocx({
      reportMd: '# 基本情况\n\n正文。\n\n- 甲\n- 乙\n  - 乙一\n  - 乙二\n\n# 意见\n\n## 分项\n\n1. 有序一\n2. 有序二\n\n### 细项\n\n- 细一\n    - 更细\n\n## 另一分项\n',
      recommendations: [1, 2, 11].map((n) => ({ number: n, text: `建议${n}号`, department: '住建局', dueOn: null, dueDays: 5 })),
      sectionsMd: [{ heading: '网络议政情况', markdown: '## 议政一\n\n### 第一组\n\n- 观点甲\n' }, { heading: '网络议政情况', markdown: '## 议政二\n\n尚未计算。\n' }],
      minutesMd: '## 会议议程\n\n- 发言\n',
    });
    assert.ok(text.includes([
      '一、基本情况', '正文。', '（一）甲', '（二）乙', '1.乙一', '2.乙二',
      '二、意见', '（一）分项', '1.有序一', '2.有序二', '3.细项', '（1）细一', '（2）更细', '（二）另一分项',
      '三、协商建议', '（一）建议1号',
    ].join('\n')), text);
    assert.ok(text.includes('\n（二）建议2号\n') && text.includes('\n（十一）建议11号\n'), 'a recommendation keeps its own number');
    assert.ok(text.includes(['四、网络议政情况', '（一）议政一', '1.第一组', '（1）观点甲', '（二）议政二', '尚未计算。'].join('\n')), 'two deliberations under one section');
    assert.equal(text.split('网络议政情况').length, 2, 'the section heading once');
    assert.ok(text.includes(['附件：会议纪要', '一、会议议程', '（一）发言'].join('\n')), 'the annex numbers its own sections');
  });

  it('what the author numbered keeps its number; a list outside any heading is 1. 2.', async () => {
    const text = await textOfDocx({
      reportMd: '前言。\n\n- 无标题的列表\n- 第二项\n\n## 一、已有编号\n\n## （二）也有\n\n## 2024 年的工作\n\n- 1.5 倍的增长\n- （1）作者的编号\n',
      recommendations: [{ number: 1, text: '建议', department: '住建局', dueOn: null, dueDays: 5 }],
    });
    assert.ok(text.includes(['前言。', '1.无标题的列表', '2.第二项', '一、已有编号', '（二）也有', '三、2024 年的工作', '（一）1.5 倍的增长', '（1）作者的编号', '四、协商建议'].join('\n')), text);
  });

  it('English: 1. 1.1 (a) (i); recommendations 1. 2.', async () => {
    const text = await textOfDocx({
      reportMd: '## Summary\n\n- first\n- second\n\n### Detail\n\n- point\n  - sub\n\n## 2.1 Numbered by the author\n',
      recommendations: [{ number: 1, text: 'Build more parking', department: 'Housing', dueOn: null, dueDays: 5 }],
    }, 'en');
    assert.ok(text.includes(['1. Summary', '1.1 first', '1.2 second', '1.3 Detail', '(a) point', '(i) sub', '2.1 Numbered by the author', '3. Recommendations', '1. Build more parking'].join('\n')), text);
  });

  it('the numbering restarts lower levels and passes the numbers above', () => {
    const seen: string[] = [];
    const fmt: NumberFormat = (level, n, parents) => { const s = `${level}:${[...parents, n].join('.')}`; seen.push(s); return s; };
    const nb = new Numbering(fmt);
    nb.next(1); nb.next(2); nb.next(2); nb.next(3); nb.next(1); nb.skip(2); nb.next(2);
    assert.deepEqual(seen, ['1:1', '2:1.1', '2:1.2', '3:1.2.1', '1:2', '2:2.2']);
    nb.next(3);
    assert.equal(seen.at(-1), '3:2.2.1', 'a new number above restarts the levels below');
  });
});
