import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type CurrentUser, loadCurrentUser } from '../../src/platform/auth/current-user.js';
import { createSession, findApiToken, findSession, hashToken, newToken } from '../../src/platform/auth/sessions.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { makeBody, makeUser } from '../helpers/factories.js';

// Who is asking, read in one round trip with the session or API token: the person and their
// current memberships (several, ended ones left out, none for a citizen), nobody for a revoked
// token, an expired session or a person who is no longer active.

describe('auth: the session or token with its person in one read', () => {
  let t: TestApp;
  let bodyA = 0;
  let bodyB = 0;
  const db = () => t.ctx.database.db;
  const now = () => new Date().toISOString();
  const token = async (userId: number, revoked = false) => {
    const value = `xs_${newToken()}`;
    await db().insertInto('api_tokens').values({ name: 't', token_hash: hashToken(value), user_id: userId, created_by: null, created_at: now(), last_used_at: null, revoked_at: revoked ? now() : null }).execute();
    return value;
  };
  const both = async (userId: number): Promise<Array<CurrentUser | null | undefined>> => [
    (await findApiToken(db(), await token(userId)))?.user,
    (await findSession(db(), await createSession(db(), userId)))?.user,
  ];

  before(async () => {
    t = await createTestApp();
    bodyA = await makeBody(t.ctx, { name: '县政协' });
    bodyB = await makeBody(t.ctx, { name: '城关镇委员联络组' });
  });
  after(async () => { await t.close(); });

  it('a member with two current memberships and an ended one', async () => {
    const id = await makeUser(t.ctx, { name: '委员甲', roles: [{ bodyId: bodyA, role: 'member' }, { bodyId: bodyB, role: 'staff' }] });
    await db().insertInto('memberships').values({ user_id: id, body_id: bodyB, role: 'organiser' as never, term_id: null, title: null, starts_on: null, ends_on: '2020-12-31', created_at: now() }).execute();
    const expected = await loadCurrentUser(db(), id);
    assert.ok(expected);
    assert.deepEqual(expected.memberships.map((m) => [m.bodyId, m.role]).sort(), [[bodyA, 'member'], [bodyB, 'staff']].sort());
    assert.equal(expected.displayName, '委员甲');
    for (const u of await both(id)) assert.deepEqual(u, expected);
  });

  it('a citizen: no memberships', async () => {
    const id = await makeUser(t.ctx, { name: '群众' });
    for (const u of await both(id)) assert.deepEqual(u, { id, displayName: '群众', isAdmin: false, hasPassword: false, totpEnabled: false, memberships: [] });
  });

  it('nobody for a revoked token, an expired session or a person no longer active', async () => {
    const id = await makeUser(t.ctx, { roles: [{ bodyId: bodyA, role: 'member' }] });
    assert.equal(await findApiToken(db(), await token(id, true)), null);
    const session = await createSession(db(), id);
    await db().updateTable('sessions').set({ expires_at: '2020-01-01T00:00:00.000Z' }).where('id', '=', hashToken(session)).execute();
    assert.equal(await findSession(db(), session), null);
    const live = await token(id);
    const liveSession = await createSession(db(), id);
    await db().updateTable('users').set({ status: 'disabled' }).where('id', '=', id).execute();
    assert.equal((await findApiToken(db(), live))?.user, null);
    assert.equal((await findSession(db(), liveSession))?.user, null);
    assert.equal(await loadCurrentUser(db(), id), null);
  });
});
