import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestApp, createTestApp } from '../../../test/helpers/app.js';

describe('health', () => {
  let t: TestApp;
  before(async () => { t = await createTestApp(); });
  after(async () => { await t.close(); });

  it('answers with the engine in use', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok', db: process.env.DATABASE_URL ? 'postgres' : 'sqlite' });
  });

  it('answers unknown paths with a localised 404 page', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/no/such/page' });
    assert.equal(res.statusCode, 404);
    assert.match(res.body, /页面不存在/);
    const en = await t.app.inject({ method: 'GET', url: '/no/such/page', headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    assert.match(en.body, /Page not found/);
  });

  it('answers unknown API paths with a JSON error', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nothing' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'not_found');
  });

  it('refuses a form post without a CSRF token', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/healthz', payload: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.ok(res.statusCode === 403 || res.statusCode === 404, `got ${res.statusCode}`);
  });
});
