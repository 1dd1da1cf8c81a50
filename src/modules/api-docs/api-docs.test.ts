import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestApp, createTestApp } from '../../../test/helpers/app.js';
import { describeSchema } from './routes.js';

describe('API documentation', () => {
  let t: TestApp;
  before(async () => { t = await createTestApp(); });
  after(async () => { await t.close(); });

  it('publishes an OpenAPI 3.1 document listing the documented routes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(res.statusCode, 200);
    const spec = res.json();
    assert.equal(spec.openapi, '3.1.0');
    assert.ok(spec.paths['/healthz']?.get, 'healthz documented');
  });

  it('renders a readable page from the same document, in both languages', async () => {
    const zh = await t.app.inject({ method: 'GET', url: '/api/docs' });
    assert.equal(zh.statusCode, 200);
    assert.match(zh.body, /开放接口/);
    assert.match(zh.body, /GET \/healthz/);
    const en = await t.app.inject({ method: 'GET', url: '/api/docs', headers: { 'accept-language': 'en' } });
    assert.match(en.body, /API documentation/);
  });

  it('describes nested schemas compactly', () => {
    const s = describeSchema({ type: 'object', required: ['a'], properties: { a: { type: 'string', maxLength: 5 }, b: { type: 'array', items: { enum: ['x', 'y'] } } } });
    assert.equal(s, '{\n  a: string (≤5),\n  b?: "x" | "y"[]\n}');
  });
});
