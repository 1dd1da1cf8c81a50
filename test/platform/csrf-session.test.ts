import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import type { AppContext } from '../../src/context.js';
import { createTestContext } from '../helpers/app.js';
import { makeUser, signedInJar } from '../helpers/factories.js';
import { Jar, postForm } from '../helpers/http.js';

describe('CSRF and sessions', () => {
  let app: FastifyInstance;
  let ctx: AppContext;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ ctx, cleanup } = await createTestContext());
    app = await buildApp(ctx);
    app.post('/echo', async (req) => ({ user: req.user?.id ?? null }));
    await app.ready();
  });
  after(async () => { await app.close(); await cleanup(); });

  it('accepts a form post with a valid token and recognises the session', async () => {
    const uid = await makeUser(ctx);
    const jar = await signedInJar(app, ctx, uid);
    const res = await postForm(app, '/echo', { a: '1' }, jar);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { user: uid });
  });

  it('refuses a form post with a token for another secret', async () => {
    const other = new Jar();
    await postForm(app, '/echo', {}, other);
    const res = await app.inject({ method: 'POST', url: '/echo', payload: '_csrf=forged', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: other.header() } });
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /页面已过期/);
  });

  it('refuses a JSON post that rides on a session cookie without the header', async () => {
    const uid = await makeUser(ctx);
    const jar = await signedInJar(app, ctx, uid);
    const res = await app.inject({ method: 'POST', url: '/echo', payload: { a: 1 }, headers: { cookie: jar.header(), accept: 'application/json' } });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'csrf');
  });

  it('lets an anonymous JSON client post without a token', async () => {
    const res = await app.inject({ method: 'POST', url: '/echo', payload: { a: 1 } });
    assert.equal(res.statusCode, 200);
  });
});
