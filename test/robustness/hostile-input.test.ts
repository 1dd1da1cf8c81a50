import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedDemo } from '../../src/modules/demo/seed.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { makeUser, signedInJar } from '../helpers/factories.js';
import { type Jar, csrfToken } from '../helpers/http.js';

// Every route, every way of asking badly: no input may produce a 500.
const PARAM_VALUES = ['0', '-1', '2147483648', 'abc', '1.5', '%ED%A0%80', '%00', encodeURIComponent("1' OR '1'='1"), 'x'.repeat(250), encodeURIComponent('养老')];
const QUERIES = ['', '?page=-1', '?page=abc&q=%ED%A0%80', '?q=' + 'x'.repeat(500), '?kind=zzz&body=abc&sector=1e9&term=-5&type=%00', '?q[]=1&q[]=2&page[]=3', '?next=//evil.example&lang=xx&care=7'];
const BODIES: Record<string, string | string[]>[] = [
  {},
  { title: '', name: '', phone: '12', code: 'abcdef', password: 'x', username: '' },
  { title: 'x'.repeat(100_000 / 10), body_md: '<script>alert(1)</script>', name: '\uD800', kind: 'nope', body_id: 'abc', parentId: '-1', publish_at: '2026-02-30T25:61' },
  { id: ['1', '2'], title: ['a', 'b'], intent: 'publish', regionId: '99999999', sectorId: '1.5', termId: 'x', startsOn: '2026-13-01' },
];

function fill(url: string, value: string): string {
  return url.replace(/:[a-zA-Z]+/g, value).replace(/\*$/, value);
}

describe('hostile input against every route', { timeout: 600_000 }, () => {
  let t: TestApp;
  let admin: Jar;
  before(async () => {
    t = await createTestApp({}, { setupDone: false });
    await seedDemo(t.ctx);
    admin = await signedInJar(t.app, t.ctx, await makeUser(t.ctx, { isAdmin: true }));
  });
  after(async () => { await t.close(); });

  it('GET with bad ids and bad query parameters never answers 5xx', async () => {
    const gets = t.app.routeList.filter((r) => r.method === 'GET');
    assert.ok(gets.length > 40, `only ${gets.length} GET routes`);
    const failures: string[] = [];
    for (const r of gets) {
      for (const v of PARAM_VALUES.slice(0, r.url.includes(':') ? PARAM_VALUES.length : 1)) {
        for (const q of QUERIES) {
          const url = fill(r.url, v) + q;
          for (const cookie of ['', admin.header()]) {
            const res = await t.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
            if (res.statusCode >= 500) failures.push(`${res.statusCode} GET ${url}${cookie ? ' (admin)' : ''}: ${res.body.slice(0, 200)}`);
          }
        }
      }
    }
    assert.deepEqual(failures, []);
  });

  it('POST with bad bodies, as an administrator with a valid CSRF token, never answers 5xx', async () => {
    const posts = t.app.routeList.filter((r) => r.method === 'POST');
    assert.ok(posts.length > 20, `only ${posts.length} POST routes`);
    const failures: string[] = [];
    for (const r of posts) {
      for (const v of ['1', 'abc', '99999999']) {
        const url = fill(r.url, v);
        for (const body of BODIES) {
          const form = new URLSearchParams();
          for (const [k, val] of Object.entries({ _csrf: csrfToken(t.app, admin), ...body })) for (const one of [val].flat()) form.append(k, one);
          const asForm = await t.app.inject({ method: 'POST', url, payload: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: admin.header() } });
          if (asForm.statusCode >= 500) failures.push(`${asForm.statusCode} POST ${url} form ${JSON.stringify(body).slice(0, 80)}: ${asForm.body.slice(0, 200)}`);
          const asJson = await t.app.inject({ method: 'POST', url, payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
          if (asJson.statusCode >= 500) failures.push(`${asJson.statusCode} POST ${url} json: ${asJson.body.slice(0, 200)}`);
        }
        const broken = await t.app.inject({ method: 'POST', url, payload: '{"a":', headers: { 'content-type': 'application/json' } });
        if (broken.statusCode >= 500) failures.push(`${broken.statusCode} POST ${url} broken JSON`);
        const multipart = await t.app.inject({ method: 'POST', url, payload: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n', headers: { 'content-type': 'multipart/form-data; boundary=x', cookie: admin.header() } });
        if (multipart.statusCode >= 500) failures.push(`${multipart.statusCode} POST ${url} truncated multipart`);
      }
    }
    assert.deepEqual(failures, []);
  });
});
