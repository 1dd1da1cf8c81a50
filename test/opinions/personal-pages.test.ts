import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { acceptOpinion } from '../../src/modules/opinions/handling.js';
import { formatTrackingCode } from '../../src/modules/opinions/model.js';
import { submitOpinion } from '../../src/modules/opinions/submit.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { signedInJar } from '../helpers/factories.js';
import { Jar, get, postForm } from '../helpers/http.js';
import { type OpinionWorld, makeOpinionWorld, sampleOpinion, userOf } from '../helpers/opinions.js';

// The inbox and the tracking view are kept per person and URL until something is recorded
// (src/http/personal-page.ts): a change shows at once, rights are checked on every request,
// and the form token in a kept page is this browser's own and is accepted.

const tokenIn = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

describe('opinions: pages kept per person', () => {
  let t: TestApp;
  let w: OpinionWorld;
  before(async () => {
    t = await createTestApp({ opinions: { perSenderPerHour: 1000, perIpPerHour: 1000, powMaxNumber: 1000, attachmentMaxBytes: 2_000_000, maxAttachments: 3 } });
    w = await makeOpinionWorld(t.ctx);
  });
  after(() => t.close());

  it('an inbox seen twice shows a change made in between, and its form token works', async () => {
    const staff = await signedInJar(t.app, t.ctx, w.staff);
    const sent = await submitOpinion(t.ctx, { kind: 'user', user: await userOf(t.ctx, w.citizen) },
      sampleOpinion(w, { title: '路灯不亮', target: 'body', targetBodyId: String(w.liaisonGroup) }));
    const url = `/handle/opinions?body=${w.liaisonGroup}&status=received`;
    const first = await get(t.app, url, staff);
    assert.equal(first.statusCode, 200);
    assert.ok(first.body.includes('路灯不亮'));
    const again = await get(t.app, url, staff);
    assert.equal(again.body.replace(/name="_csrf" value="[^"]+"/g, ''), first.body.replace(/name="_csrf" value="[^"]+"/g, ''), 'the same page while nothing changed');
    assert.ok(tokenIn(again.body).length > 10, 'the kept page carries a form token');
    assert.ok(!again.body.includes('xs-csrf-'), 'no placeholder is ever sent');

    await acceptOpinion(t.ctx, await userOf(t.ctx, w.staff), sent.id);
    const after = await get(t.app, url, staff);
    assert.ok(!after.body.includes('路灯不亮'), 'accepted: no longer among the received ones');

    // The token of a kept page is valid for this browser: a bulk action with it is not refused as forgery.
    const kept = await get(t.app, `/handle/opinions?body=${w.liaisonGroup}`, staff);
    const body = new URLSearchParams({ _csrf: tokenIn(kept.body), action: 'accept', back: `/handle/opinions?body=${w.liaisonGroup}` });
    const posted = await t.app.inject({ method: 'POST', url: '/handle/opinions/bulk', payload: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: staff.header() } });
    assert.notEqual(posted.statusCode, 403, posted.body.slice(0, 300));
  });

  it('rights are checked on every request, whoever had the page before', async () => {
    const staff = await signedInJar(t.app, t.ctx, w.staff);
    const member = await signedInJar(t.app, t.ctx, w.member);
    const url = `/handle/opinions?body=${w.liaisonGroup}`;
    assert.equal((await get(t.app, url, staff)).statusCode, 200);
    assert.equal((await get(t.app, url, member)).statusCode, 403);
    assert.equal((await get(t.app, url, new Jar())).statusCode, 303, 'signed out: to the sign-in page');
  });

  it('a tracking view seen twice shows the handler\'s step taken in between', async () => {
    const sent = await submitOpinion(t.ctx, { kind: 'user', user: await userOf(t.ctx, w.citizen) }, sampleOpinion(w, { title: '井盖缺失' }));
    const jar = new Jar();
    const proof = await postForm(t.app, '/opinions/track', { code: formatTrackingCode(sent.trackingCode), last4: w.citizenPhone.slice(-4) }, jar);
    assert.equal(proof.statusCode, 303, proof.body.slice(0, 300));
    const url = `/opinions/track/${sent.trackingCode}`;
    const first = await get(t.app, url, jar);
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /待受理/);
    assert.equal((await get(t.app, url, new Jar())).statusCode, 303, 'another browser without the proof is sent to the lookup');
    await acceptOpinion(t.ctx, await userOf(t.ctx, w.member), sent.id);
    const after = await get(t.app, url, jar);
    assert.match(after.body, /办理中/);
  });
});
