import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { submitOpinion } from '../../src/modules/opinions/submit.js';
import { catalogFor } from '../../src/web/i18n/index.js';
import { makeUser } from '../helpers/factories.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { type OpinionWorld, makeOpinionWorld, sampleOpinion, userOf } from '../helpers/opinions.js';

// A new opinion's notices are written together (one insert each for in-site notices, text
// messages and their jobs): still one per person, in each person's language, only to active
// people, text messages to whom they were sent before, each job naming its own message.

describe('opinions: the notices of a new opinion', () => {
  let t: TestApp;
  let w: OpinionWorld;
  before(async () => {
    t = await createTestApp();
    w = await makeOpinionWorld(t.ctx);
  });
  after(() => t.close());
  const db = () => t.ctx.database.db;

  async function noticesOf(opinionId: number, trackingCode: string) {
    const rows = await db().selectFrom('notifications').select(['user_id', 'title', 'link'])
      .where('link', 'in', [`/handle/opinions/${opinionId}`, `/opinions/track?code=${trackingCode}`]).orderBy('id').execute();
    // The citizen's first; the inbox's people in no particular order.
    return [...rows.slice(0, 1), ...rows.slice(1).sort((a, b) => a.user_id - b.user_id)];
  }

  async function textsSince(smsId: number) {
    const sms = await db().selectFrom('sms_messages').select(['id', 'phone']).where('id', '>', smsId).orderBy('id').execute();
    const jobs = await db().selectFrom('jobs').select('payload').where('kind', '=', 'sms.send').execute();
    const named = new Set(jobs.map((j) => (JSON.parse(j.payload) as { messageId: number }).messageId));
    return { phones: sms.map((s) => s.phone).sort(), allHaveJobs: sms.every((s) => named.has(s.id)) };
  }

  const lastSms = async () => Number((await db().selectFrom('sms_messages').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst())?.m ?? 0);

  it('to a body: the citizen, and every active person of its inbox once, each in their language; a text only to the citizen', async () => {
    const english = await makeUser(t.ctx, { name: 'Staff EN', phone: '13900002001', roles: [{ bodyId: w.liaisonGroup, role: 'staff' }] });
    await db().updateTable('users').set({ locale: 'en' }).where('id', '=', english).execute();
    const twoRoles = await makeUser(t.ctx, { name: '双角色', roles: [{ bodyId: w.liaisonGroup, role: 'staff' }, { bodyId: w.liaisonGroup, role: 'council_facilitator' }] });
    const disabled = await makeUser(t.ctx, { name: '停用', roles: [{ bodyId: w.liaisonGroup, role: 'staff' }] });
    await db().updateTable('users').set({ status: 'disabled' }).where('id', '=', disabled).execute();
    const before = await lastSms();

    const sent = await submitOpinion(t.ctx, { kind: 'user', user: await userOf(t.ctx, w.citizen) },
      sampleOpinion(w, { title: '公交站台破损', target: 'body', targetBodyId: String(w.liaisonGroup), targetMemberId: undefined }));
    const notes = await noticesOf(sent.id, sent.trackingCode);
    const zh = catalogFor('zh-CN').opinions;
    const en = catalogFor('en').opinions;
    assert.deepEqual(notes.map((n) => [n.user_id, n.title, n.link]), [
      [w.citizen, zh.nSubmittedTitle(sent.trackingCode.replace(/(.{5})(.{5})/, '$1-$2')), `/opinions/track?code=${sent.trackingCode}`],
      ...[[english, en.nNewInboxTitle], [twoRoles, zh.nNewInboxTitle]].sort((a, b) => Number(a[0]) - Number(b[0]))
        .map(([id, title]) => [id, title, `/handle/opinions/${sent.id}`]),
    ]);
    assert.deepEqual(await textsSince(before), { phones: [w.citizenPhone], allHaveJobs: true });
  });

  it('to a member: the citizen and the member, in-site and by text, each text with its own job', async () => {
    const before = await lastSms();
    const sent = await submitOpinion(t.ctx, { kind: 'user', user: await userOf(t.ctx, w.citizen) }, sampleOpinion(w, { title: '河道清理' }));
    const notes = await noticesOf(sent.id, sent.trackingCode);
    assert.deepEqual(notes.map((n) => n.user_id), [w.citizen, w.member]);
    const memberPhone = (await db().selectFrom('user_pii').select('phone').where('user_id', '=', w.member).executeTakeFirstOrThrow()).phone!;
    assert.deepEqual(await textsSince(before), { phones: [w.citizenPhone, memberPhone].sort(), allHaveJobs: true });
  });
});
