import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestApp, createTestApp } from '../helpers/app.js';

describe('security headers', () => {
  let t: TestApp;
  before(async () => { t = await createTestApp(); });
  after(async () => { await t.close(); });

  it('sends the CSP and the other helmet headers on pages, errors and the API', async () => {
    for (const url of ['/', '/no-such-page', '/healthz', '/api/v1/nothing']) {
      const res = await t.app.inject({ method: 'GET', url });
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /default-src 'self'/, url);
      assert.match(csp, /frame-ancestors 'none'/, url);
      assert.doesNotMatch(csp, /unsafe-inline/, url);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN', url);
      assert.equal(res.headers['referrer-policy'], 'no-referrer', url);
      assert.equal(res.headers['x-powered-by'], undefined, url);
    }
  });
});

describe('database conflicts', () => {
  let t: TestApp;
  before(async () => { t = await createTestApp(); });
  after(async () => { await t.close(); });

  it('a unique-index violation that slips past a service check is a localised 409, not a 500', async () => {
    const body = await t.ctx.database.db.insertInto('bodies').values({ name: '县政协', kind: 'committee', parent_id: null, name_en: null, region_id: null, created_at: new Date().toISOString() }).returning('id').executeTakeFirstOrThrow();
    const page = { body_id: body.id, slug: 'same', kind: 'page' as const, title: 't', body_md: '', body_html: '', status: 'draft' as const, publish_at: null, published_at: null, author_id: null, created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' };
    await t.ctx.database.db.insertInto('pages').values(page).execute();
    const { buildApp } = await import('../../src/app.js');
    const app = await buildApp(t.ctx);
    app.post('/api/v1/test-dup', async () => { await t.ctx.database.db.insertInto('pages').values(page).execute(); return {}; });
    await app.ready();
    const res = await app.inject({ method: 'POST', url: '/api/v1/test-dup', payload: {} });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error.code, 'conflict');
    await app.close();
  });
});
