import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dueDates } from '../../src/modules/opinions/clocks.js';
import { formatTrackingCode } from '../../src/modules/opinions/model.js';
import type { TestApp } from '../helpers/app.js';
import { signedInJar } from '../helpers/factories.js';
import { Jar, get, postForm } from '../helpers/http.js';
import { type OpinionWorld, makeOpinionWorld, sampleOpinion } from '../helpers/opinions.js';
import { PNG, ageCodes, challengeIn, citizenTestApp, countOpinions, hiddenFields, lastCode, postMultipart, proofFor } from './citizen-helpers.js';

// Sending from the citizen's pages: the form, the preview with recipient and deadlines, the
// texted code and the proof of work, attachments, and every way of getting it wrong.

describe('citizen pages: sending an opinion', () => {
  let t: TestApp;
  let w: OpinionWorld;
  before(async () => {
    t = await citizenTestApp();
    w = await makeOpinionWorld(t.ctx);
  });
  after(() => t.close());

  const db = () => t.ctx.database.db;
  const due = () => dueDates(new Date(), { accept_days: 2, reply_days: 15 });

  /** Fills step 1, previews, asks for a code: returns the confirmation page with the code field. */
  async function upToCode(jar: Jar, phone: string, o: Record<string, string> = {}) {
    const preview = await postForm(t.app, '/opinions/new', { step: 'preview', ...sampleOpinion(w, o) as Record<string, string> }, jar);
    assert.equal(preview.statusCode, 200, preview.body);
    const carried = hiddenFields(preview.body);
    const coded = await postMultipart(t.app, '/opinions/new/code', { ...carried, phone }, [], jar);
    assert.equal(coded.statusCode, 200, coded.body);
    return { carried: hiddenFields(coded.body), page: coded.body };
  }

  it('anonymous: form, preview with recipient and deadlines, code, proof of work, attachment, acknowledgement', async () => {
    const jar = new Jar();
    const form = await get(t.app, '/opinions/new', jar);
    assert.equal(form.statusCode, 200);
    assert.ok(Buffer.byteLength(form.body) < 100_000, `form page is ${form.body.length} bytes`);
    for (const name of ['kind', 'title', 'body', 'category', 'regionId', 'target', 'targetBodyId', 'targetMemberId', 'public', 'email']) {
      assert.match(form.body, new RegExp(`name="${name}"`), name);
    }
    assert.match(form.body, /<optgroup label="城关镇\d+">/, 'places grouped by township');
    assert.match(form.body, /<noscript>/);
    assert.doesNotMatch(form.body, /pow\.js/, 'the proof-of-work script only comes with the confirmation step');

    const preview = await postForm(t.app, '/opinions/new', { step: 'preview', ...sampleOpinion(w) as Record<string, string> }, jar);
    assert.equal(preview.statusCode, 200, preview.body);
    assert.match(preview.body, /谁来办理/);
    assert.match(preview.body, /李委员\d+（青山县政协\d+）/, 'the member and the body they sit on');
    assert.ok(preview.body.includes(`${due().acceptDue} 前（2 个工作日）`), 'accept-by date');
    assert.ok(preview.body.includes(`${due().replyDue} 前（15 个工作日）`), 'answer-by date');
    assert.match(preview.body, /获取验证码/);
    assert.doesNotMatch(preview.body, /name="code"/, 'the code field comes once a code was texted');
    assert.equal(await countOpinions(t.ctx), 0, 'the preview writes nothing');

    const phone = '13912345678';
    const carried = hiddenFields(preview.body);
    const coded = await postMultipart(t.app, '/opinions/new/code', { ...carried, phone }, [], jar);
    assert.equal(coded.statusCode, 200, coded.body);
    assert.match(coded.body, /验证码已发送/);
    assert.match(coded.body, /name="code"/);
    assert.match(coded.body, /<script src="\/assets\/pow\.js" defer>/);
    const sms = await db().selectFrom('sms_messages').select('text').where('phone', '=', phone).execute();
    assert.equal(sms.length, 1);
    assert.match(sms[0]?.text ?? '', /发送意见建议的验证码是 \d{6}/);
    const challenge = challengeIn(coded.body);
    assert.equal(challenge?.maxnumber, 3000);

    const sent = await postMultipart(t.app, '/opinions/new', {
      ...hiddenFields(coded.body), phone, code: await lastCode(t.ctx, phone), proof: await proofFor(coded.body), step: 'send',
    }, [{ filename: '现场照片.png', type: 'image/png', data: PNG }], jar);
    assert.equal(sent.statusCode, 303, sent.body);
    const m = /^\/opinions\/track\/([2-9A-HJ-NP-Z]{10})\?sent=1$/.exec(String(sent.headers.location));
    assert.ok(m?.[1], String(sent.headers.location));
    const code = m[1];
    const op = await db().selectFrom('opinions').selectAll().where('tracking_code', '=', code).executeTakeFirstOrThrow();
    assert.equal(op.phone_last4, '5678');
    assert.equal(op.handler_user_id, w.member);
    assert.equal(op.public_consent, 1);
    const citizen = await db().selectFrom('user_pii').select('user_id').where('phone', '=', phone).executeTakeFirstOrThrow();
    assert.equal(op.citizen_id, citizen.user_id);
    const files = await db().selectFrom('attachments').selectAll().where('owner_type', '=', 'opinion').where('owner_id', '=', op.id).execute();
    assert.equal(files.length, 1);
    assert.equal(files[0]?.mime, 'image/png');

    // The acknowledgement: no need to give the last four digits again in this browser.
    const ack = await get(t.app, String(sent.headers.location), jar);
    assert.equal(ack.statusCode, 200);
    assert.ok(ack.body.includes(`<p class="xs-tracking-code" lang="en">${formatTrackingCode(code)}</p>`));
    assert.match(ack.body, /查询码已用短信发到尾号 5678 的手机/);
    assert.ok(ack.body.includes(`应在 ${op.accept_due} 前受理，在 ${op.reply_due} 前答复`));
    assert.match(ack.body, /已收到/);
    const smsCode = await db().selectFrom('sms_messages').select('text').where('phone', '=', phone).orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.ok(smsCode.text.includes(formatTrackingCode(code)), 'the tracking code is texted');

    const link = /href="(\/opinions\/files\/\d+\/[^"]+)"/.exec(ack.body)?.[1];
    assert.ok(link, 'attachment linked');
    const file = await get(t.app, link, jar);
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers['content-type'], 'image/png');
    assert.equal((await get(t.app, link)).statusCode, 404, 'a stranger cannot download it');
    assert.equal((await get(t.app, link, await signedInJar(t.app, t.ctx, w.member))).statusCode, 200, 'the member it was sent to can');
    assert.equal((await get(t.app, link, await signedInJar(t.app, t.ctx, w.otherMember))).statusCode, 404, 'another member cannot');
  });

  it('refuses a missing proof, a wrong code, a reused proof and a bad file, storing nothing and spending the code only on a real attempt', async () => {
    const jar = new Jar();
    const phone = '13912340001';
    const { carried, page } = await upToCode(jar, phone, { title: '路口红绿灯时间太短', targetMemberId: String(w.otherMember) });
    const code = await lastCode(t.ctx, phone);
    const before = await countOpinions(t.ctx);

    const noProof = await postMultipart(t.app, '/opinions/new', { ...carried, phone, code, step: 'send' }, [], jar);
    assert.equal(noProof.statusCode, 400);
    assert.match(noProof.body, /<title>错误：/);
    assert.match(noProof.body, /没有完成安全校验/);
    assert.match(noProof.body, /先用手机验证码登录/, 'the no-JavaScript way is offered');

    const badFile = await postMultipart(t.app, '/opinions/new', { ...carried, phone, code, proof: await proofFor(page), step: 'send' },
      [{ filename: 'notes.png', type: 'image/png', data: Buffer.from('just text, not an image') }], jar);
    assert.equal(badFile.statusCode, 400);
    assert.match(badFile.body, /附件只能是 JPG、PNG 图片或 PDF 文件/);

    const wrong = code === '000000' ? '111111' : '000000';
    const wrongCode = await postMultipart(t.app, '/opinions/new', { ...hiddenFields(badFile.body), phone, code: wrong, proof: await proofFor(badFile.body), step: 'send' }, [], jar);
    assert.equal(wrongCode.statusCode, 400);
    assert.match(wrongCode.body, /验证码不正确，还可以再试 4 次/, 'the missing proof and the bad file did not count as tries');

    const proof = await proofFor(wrongCode.body);
    const ok = await postMultipart(t.app, '/opinions/new', { ...hiddenFields(wrongCode.body), phone, code, proof, step: 'send' }, [], jar);
    assert.equal(ok.statusCode, 303, ok.body);
    assert.equal(await countOpinions(t.ctx), before + 1);

    // The same solved challenge again (another text this time, so it is not a duplicate).
    await ageCodes(t.ctx, phone);
    const again = await upToCode(jar, phone, { title: '路口红绿灯时间太短（二）', targetMemberId: String(w.otherMember) });
    const reused = await postMultipart(t.app, '/opinions/new', { ...again.carried, phone, code: await lastCode(t.ctx, phone), proof, step: 'send' }, [], jar);
    assert.equal(reused.statusCode, 400);
    assert.match(reused.body, /安全校验未通过/);
    assert.equal(await countOpinions(t.ctx), before + 1);
  });

  it('bad fields come back on the form, localised, with what was typed; a tampered confirmation too', async () => {
    const jar = new Jar();
    const stored = await countOpinions(t.ctx);
    const bad = await postForm(t.app, '/opinions/new', { step: 'preview', ...sampleOpinion(w, { title: '', body: '太短', email: 'not-an-address' }) as Record<string, string> }, jar);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /<title>错误：/);
    for (const msg of ['请填写标题', '内容至少需要 10 个字', '电子邮箱格式不正确']) assert.ok(bad.body.includes(msg), msg);
    assert.match(bad.body, /太短<\/textarea>/, 'what was typed is kept');
    const unknown = await postForm(t.app, '/opinions/new', { step: 'preview', ...sampleOpinion(w, { category: 'nope', target: 'member', targetMemberId: String(w.staff) }) as Record<string, string> }, jar);
    assert.equal(unknown.statusCode, 400);
    for (const msg of ['请选择一个类别。', '请选择一位委员。']) assert.ok(unknown.body.includes(msg), msg);
    assert.match(unknown.body, /href="#f-targetMemberId"/);

    const en = await postForm(t.app, '/opinions/new', { step: 'preview', ...sampleOpinion(w, { regionId: '99999999' }) as Record<string, string> }, jar);
    assert.equal(en.statusCode, 400);
    assert.match(en.body, /请选择所在的区县/);
    const english = await t.app.inject({ method: 'POST', url: '/opinions/new', headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en', cookie: jar.header() },
      payload: new URLSearchParams({ _csrf: (await import('../helpers/http.js')).csrfToken(t.app, jar), step: 'preview', ...sampleOpinion(w, { title: 'x' }) as Record<string, string> }).toString() });
    assert.equal(english.statusCode, 400);
    assert.match(english.body, /<title>Error: /);

    // A confirmation whose hidden fields were changed goes back to step 1 with the message.
    const signed = await signedInJar(t.app, t.ctx, w.citizen);
    const preview = await postForm(t.app, '/opinions/new', { step: 'preview', ...sampleOpinion(w, { title: '公交站没有遮雨棚' }) as Record<string, string> }, signed);
    const tampered = await postMultipart(t.app, '/opinions/new', { ...hiddenFields(preview.body), category: 'nope', step: 'send' }, [], signed);
    assert.equal(tampered.statusCode, 400);
    assert.match(tampered.body, /请选择一个类别。/);
    assert.match(tampered.body, /name="step" value="preview"/, 'back on step 1');
    assert.equal(await db().selectFrom('opinions').select('id').where('title', '=', '公交站没有遮雨棚').executeTakeFirst(), undefined);
    assert.equal(await countOpinions(t.ctx), stored, 'nothing stored');
  });

  it('signed in: no code, no proof; goes to a body; "my opinions" and the personal-data export list it; the same text twice is one opinion', async () => {
    const jar = await signedInJar(t.app, t.ctx, w.citizen);
    const form = await get(t.app, `/opinions/new?body=${w.liaisonGroup}`, jar);
    assert.match(form.body, /您已登录/);
    assert.match(form.body, new RegExp(`<option value="${w.liaisonGroup}" selected>`), 'prefilled from ?body=');
    assert.match(form.body, /name="target" value="body" checked/);
    const fields = sampleOpinion(w, { title: '菜市场周边占道经营', body: '城关镇菜市场周边占道经营严重，早高峰车辆无法通行。', target: 'body', targetBodyId: String(w.liaisonGroup), targetMemberId: '' }) as Record<string, string>;
    const preview = await postForm(t.app, '/opinions/new', { step: 'preview', ...fields }, jar);
    assert.equal(preview.statusCode, 200);
    assert.match(preview.body, /城关镇联络组\d+/);
    assert.ok(preview.body.includes(due().acceptDue) && preview.body.includes(due().replyDue));
    assert.doesNotMatch(preview.body, /name="phone"|pow\.js/, 'no phone check when signed in');
    const sent = await postMultipart(t.app, '/opinions/new', { ...hiddenFields(preview.body), step: 'send' }, [], jar);
    assert.equal(sent.statusCode, 303, sent.body);
    const code = /track\/(\w+)\?sent=1/.exec(String(sent.headers.location))?.[1] ?? '';
    const op = await db().selectFrom('opinions').selectAll().where('tracking_code', '=', code).executeTakeFirstOrThrow();
    assert.equal(op.citizen_id, w.citizen);
    assert.equal(op.handler_body_id, w.liaisonGroup);
    assert.equal(op.public_consent, 1);

    const again = await postMultipart(t.app, '/opinions/new', { ...hiddenFields(preview.body), step: 'send', idem: '' }, [], jar);
    assert.equal(again.statusCode, 303);
    assert.equal(again.headers.location, `/opinions/track/${code}?sent=dup`);
    assert.match((await get(t.app, String(again.headers.location), jar)).body, /没有重复保存/);

    const mine = await get(t.app, '/my/opinions', jar);
    assert.equal(mine.statusCode, 200);
    assert.ok(mine.body.includes(formatTrackingCode(code)));
    assert.match(mine.body, /菜市场周边占道经营/);
    assert.equal((await get(t.app, '/my/opinions')).statusCode, 303, 'anonymous visitors are sent to sign in');
    const exported = JSON.parse((await get(t.app, '/account/data.json', jar)).body) as { opinions: { trackingCode: string }[] };
    assert.ok(exported.opinions.some((o) => o.trackingCode === code));
  });

  it('"let the committee route it" shows the committee as receiver', async () => {
    const jar = await signedInJar(t.app, t.ctx, w.citizen);
    const preview = await postForm(t.app, '/opinions/new', { step: 'preview', ...sampleOpinion(w, { target: 'route', targetMemberId: '' }) as Record<string, string> }, jar);
    assert.equal(preview.statusCode, 200);
    assert.match(preview.body, /<strong>青山县政协\d+<\/strong>/);
    assert.match(preview.body, /您选择了由政协分办/);
    const back = await postMultipart(t.app, '/opinions/new', { ...hiddenFields(preview.body), step: 'edit' }, [], jar);
    assert.equal(back.statusCode, 200);
    assert.match(back.body, /name="target" value="route" checked/, '“go back and edit” keeps the choices');
  });

  it('attachments: over the opinion limit is refused on the page, over the upload limit gets a page saying to go back, files sent with a code request are asked for again', async () => {
    const jar = await signedInJar(t.app, t.ctx, w.citizen);
    const preview = await postForm(t.app, '/opinions/new', { step: 'preview', ...sampleOpinion(w, { title: '附件限制说明' }) as Record<string, string> }, jar);
    assert.match(preview.body, /最多 3 个，每个不超过 0\.2 MB/, 'the limits are stated on the form');
    const big = Buffer.concat([PNG, Buffer.alloc(250_000, 1)]);
    const tooBig = await postMultipart(t.app, '/opinions/new', { ...hiddenFields(preview.body), step: 'send' }, [{ filename: 'big.png', type: 'image/png', data: big }], jar);
    assert.equal(tooBig.statusCode, 400);
    assert.match(tooBig.body, /每个附件不能超过 0\.2 MB/);
    assert.equal(hiddenFields(tooBig.body).title, '附件限制说明');
    const four = await postMultipart(t.app, '/opinions/new', { ...hiddenFields(preview.body), step: 'send' }, [1, 2, 3, 4].map((i) => ({ filename: `p${i}.png`, type: 'image/png', data: PNG })), jar);
    assert.equal(four.statusCode, 400);
    assert.match(four.body, /最多上传 3 个附件/);
    const huge = await postMultipart(t.app, '/opinions/new', { ...hiddenFields(preview.body), step: 'send' }, [{ filename: 'huge.png', type: 'image/png', data: Buffer.concat([PNG, Buffer.alloc(400_000, 1)]) }], jar);
    assert.equal(huge.statusCode, 413);
    assert.match(huge.body, /附件太大或太多/);
    assert.match(huge.body, /“返回”/);
    assert.equal(await db().selectFrom('opinions').select('id').where('title', '=', '附件限制说明').executeTakeFirst(), undefined);

    const anon = new Jar();
    const anonPreview = await postForm(t.app, '/opinions/new', { step: 'preview', ...sampleOpinion(w, { title: '附件和验证码' }) as Record<string, string> }, anon);
    const withFile = await postMultipart(t.app, '/opinions/new/code', { ...hiddenFields(anonPreview.body), phone: '13512340077' }, [{ filename: 'a.png', type: 'image/png', data: PNG }], anon);
    assert.equal(withFile.statusCode, 200);
    assert.match(withFile.body, /请重新选择附件/);
  });

  // Last: it uses up this address's code requests for the hour.
  it('limits code requests per address, answering on the confirmation page with what was typed', async () => {
    const jar = new Jar();
    const preview = await postForm(t.app, '/opinions/new', { step: 'preview', ...sampleOpinion(w, { title: '限流时保留已填内容' }) as Record<string, string> }, jar);
    const carried = hiddenFields(preview.body);
    let limited = null;
    for (let i = 0; i < 30 && !limited; i++) {
      const res = await postMultipart(t.app, '/opinions/new/code', { ...carried, phone: `1860000${String(1000 + i)}` }, [], jar);
      if (res.statusCode === 429) limited = res;
      else assert.equal(res.statusCode, 200, res.body);
    }
    assert.ok(limited, 'the per-address limit answered');
    assert.match(limited.body, /操作太频繁/);
    assert.match(limited.body, /限流时保留已填内容/, 'the opinion is still there');
    assert.equal(hiddenFields(limited.body).title, '限流时保留已填内容');
  });
});
