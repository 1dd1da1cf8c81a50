import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { restBeforeNextRun } from '../../src/modules/deliberation/recompute.js';
import { recomputeKey, requestRecompute } from '../../src/modules/deliberation/version.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { makeBody } from '../helpers/factories.js';

// Under a steady stream of votes, the run asked for while another ran waits as long as that run
// took (bounded), so the recomputation does not take a core without pause; a vote after a quiet
// spell, or a short run, is not held back.

describe('deliberation: the rest between recomputations', () => {
  let t: TestApp;
  let id = 0;
  const db = () => t.ctx.database.db;
  const pending = async () => (await db().selectFrom('jobs').select(['run_at', 'status']).where('dedupe_key', '=', recomputeKey(id)).executeTakeFirst());

  before(async () => {
    t = await createTestApp();
    const bodyId = await makeBody(t.ctx, { name: '社区协商议事会' });
    const now = new Date().toISOString();
    id = (await db().insertInto('deliberations').values({
      consultation_id: null, body_id: bodyId, title: '停车', description: '', moderation: 'open', status: 'open', max_groups: 5,
      source: 'native', external_id: null, votes_version: 0, created_by: null, created_at: now, updated_at: now, closed_at: null,
    }).returning('id').executeTakeFirstOrThrow()).id;
  });
  after(async () => { await t.close(); });

  it('the waiting run is put off by the time the last run took, at most 10 s', async () => {
    const now = Date.parse('2026-12-07T10:00:00.000Z');
    await restBeforeNextRun(db(), id, 800, now);
    assert.equal(await pending(), undefined, 'no run waiting: nothing to put off');
    await requestRecompute(db(), id);
    const asked = (await pending())!.run_at;
    await restBeforeNextRun(db(), id, 20, Date.parse(asked));
    assert.equal((await pending())!.run_at, asked, 'a short run: the next is not held back');
    await restBeforeNextRun(db(), id, 800, Date.parse(asked));
    assert.deepEqual(await pending(), { run_at: new Date(Date.parse(asked) + 800).toISOString(), status: 'pending' });
    await restBeforeNextRun(db(), id, 300, Date.parse(asked));
    assert.equal((await pending())!.run_at, new Date(Date.parse(asked) + 800).toISOString(), 'never brought forward');
    await restBeforeNextRun(db(), id, 60_000, Date.parse(asked));
    assert.equal((await pending())!.run_at, new Date(Date.parse(asked) + 10_000).toISOString());
    // A second request while it waits is the same job, still waiting.
    await requestRecompute(db(), id);
    assert.equal((await db().selectFrom('jobs').select('id').where('dedupe_key', '=', recomputeKey(id)).execute()).length, 1);
    assert.equal((await pending())!.run_at, new Date(Date.parse(asked) + 10_000).toISOString());
  });
});
