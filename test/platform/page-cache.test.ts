import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { PageCache } from '../../src/platform/page-cache.js';
import { type TestApp, createTestApp } from '../helpers/app.js';

describe('page cache', () => {
  it('renders once for concurrent misses, and not again until invalidated', async () => {
    const cache = new PageCache(60_000);
    let renders = 0;
    const render = async () => { renders++; await new Promise((r) => setTimeout(r, 20)); return `<p>${renders}</p>`; };
    const all = await Promise.all(Array.from({ length: 20 }, () => cache.getOrCreate('k', render)));
    assert.equal(renders, 1);
    assert.ok(all.every((e) => e.body.toString() === '<p>1</p>'));
    await cache.getOrCreate('k', render);
    assert.equal(renders, 1);
    cache.invalidate();
    assert.equal((await cache.getOrCreate('k', render)).body.toString(), '<p>2</p>');
  });

  it('does not keep a render that an invalidation overtook', async () => {
    const cache = new PageCache(60_000);
    let release!: () => void;
    const slow = cache.getOrCreate('k', () => new Promise<string>((r) => { release = () => r('old'); }));
    cache.invalidate();
    release();
    assert.equal((await slow).body.toString(), 'old');
    assert.equal(cache.get('k'), undefined);
    assert.equal(cache.size, 0);
  });

  it('memoises data until invalidated, and forgets failures', async () => {
    const cache = new PageCache(60_000);
    let loads = 0;
    const load = async () => ++loads;
    assert.equal(await cache.memo('m', load), 1);
    assert.equal(await cache.memo('m', load), 1);
    cache.clearLocal();
    assert.equal(await cache.memo('m', load), 2);
    await assert.rejects(cache.memo('bad', async () => { throw new Error('x'); }));
    assert.equal(await cache.memo('bad', async () => 7), 7);
  });
});

describe('cached public pages over HTTP', () => {
  let t: TestApp;
  before(async () => { t = await createTestApp(); });
  after(async () => { await t.close(); });

  it('serves gzip to clients that take it, the same page otherwise, and 304 on a matching ETag', async () => {
    const plain = await t.app.inject({ method: 'GET', url: '/api/docs' });
    const zipped = await t.app.inject({ method: 'GET', url: '/api/docs', headers: { 'accept-encoding': 'gzip, br' } });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(zipped.rawPayload).toString(), plain.body);
    assert.ok(zipped.rawPayload.length < plain.rawPayload.length);
    const again = await t.app.inject({ method: 'GET', url: '/api/docs', headers: { 'if-none-match': String(plain.headers.etag) } });
    assert.equal(again.statusCode, 304);
  });
});
