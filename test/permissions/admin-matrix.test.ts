import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type { MembershipRole } from '../../src/db/schema.js';
import type { CurrentUser } from '../../src/platform/auth/current-user.js';
import { type Action, can } from '../../src/platform/permissions.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { makeBody, makeUser, signedInJar } from '../helpers/factories.js';
import { Jar, csrfToken, get, postForm } from '../helpers/http.js';
import { multipartBody } from './multipart.js';

// Every protected admin action, tried as every role. Expectations come from `can` (and so
// from GRANTS in src/platform/permissions.ts): a later capability adds rows, not logic.

const ROLES = ['anonymous', 'citizen', 'member', 'standing_member', 'staff', 'department_handler', 'council_facilitator', 'admin'] as const;
type Role = (typeof ROLES)[number];

interface Fixture { regionId: number; childRegionId: number; bodyId: number; sectorId: number; termId: number; userId: number; endedMembershipId: number; revokedTokenId: number }
type Gate = Action | 'dashboard';
interface Row { gate: Gate; method: 'GET' | 'POST'; kind: 'page' | 'form' | 'api' | 'multipart'; url: (f: Fixture) => string; body?: Record<string, string> }

const page = (gate: Gate, url: Row['url']): Row => ({ gate, method: 'GET', kind: 'page', url });
const form = (gate: Gate, url: Row['url'], body: Record<string, string> = {}): Row => ({ gate, method: 'POST', kind: 'form', url, body });
const api = (gate: Gate, method: 'GET' | 'POST', url: string): Row => ({ gate, method, kind: 'api', url: () => url, body: {} });

export const ADMIN_MATRIX: Row[] = [
  page('dashboard', () => '/admin'),
  ...['regions', 'bodies', 'sectors', 'terms'].flatMap((p) => [
    page('admin.structure', () => `/admin/${p}`),
    page('admin.structure', () => `/admin/${p}/new`),
    form('admin.structure', () => `/admin/${p}/new`),
  ]),
  page('admin.structure', (f) => `/admin/regions/${f.regionId}`),
  form('admin.structure', (f) => `/admin/regions/${f.regionId}`),
  form('admin.structure', (f) => `/admin/regions/${f.regionId}/delete`),
  page('admin.structure', (f) => `/admin/bodies/${f.bodyId}`),
  form('admin.structure', (f) => `/admin/bodies/${f.bodyId}`),
  page('admin.structure', (f) => `/admin/sectors/${f.sectorId}`),
  form('admin.structure', (f) => `/admin/sectors/${f.sectorId}`),
  page('admin.structure', (f) => `/admin/terms/${f.termId}`),
  form('admin.structure', (f) => `/admin/terms/${f.termId}`),
  page('admin.users', () => '/admin/users'),
  page('admin.users', () => '/admin/users?q=%E5%BC%A0&page=2'),
  page('admin.users', () => '/admin/users/new'),
  form('admin.users', () => '/admin/users/new'),
  ...['', '/account', '/password', '/profile', '/memberships'].map((s) => page('admin.users', (f) => `/admin/users/${f.userId}${s}`)),
  ...['/account', '/password', '/profile', '/memberships'].map((s) => form('admin.users', (f) => `/admin/users/${f.userId}${s}`, { sectorId: 'x' })),
  form('admin.users', (f) => `/admin/users/${f.userId}/disable`),
  form('admin.users', (f) => `/admin/users/${f.userId}/enable`),
  form('admin.users', (f) => `/admin/memberships/${f.endedMembershipId}/end`),
  page('admin.users', () => '/admin/import'),
  page('admin.users', () => '/admin/import/template.xlsx'),
  { gate: 'admin.users', method: 'POST', kind: 'multipart', url: () => '/admin/import' },
  form('admin.users', () => '/admin/import/confirm', { token: 'nope' }),
  page('admin.tokens', () => '/admin/tokens'),
  form('admin.tokens', () => '/admin/tokens'),
  form('admin.tokens', (f) => `/admin/tokens/${f.revokedTokenId}/revoke`),
  page('admin.outbox', () => '/admin/outbox'),
  ...['regions', 'bodies', 'sectors', 'terms', 'users', 'memberships'].flatMap((p) => [api('admin.structure', 'GET', `/api/v1/admin/${p}`), api('admin.structure', 'POST', `/api/v1/admin/${p}`)])
    .map((r) => (/users|memberships/.test(r.url({} as Fixture)) ? { ...r, gate: 'admin.users' as const } : r)),
];

function grantee(role: Role, rootId: number): CurrentUser | null {
  if (role === 'anonymous') return null;
  const memberships = role === 'citizen' ? [] : [{ bodyId: rootId, role: role as MembershipRole, termId: null }];
  return { id: 0, displayName: role, isAdmin: false, hasPassword: false, totpEnabled: false, memberships };
}

function expected(gate: Gate, role: Role, rootId: number): 'allowed' | 401 | 403 {
  const u = grantee(role, rootId);
  if (!u) return 401;
  const scope = { bodyPath: [rootId], rootBodyIds: [rootId] };
  const ok = gate === 'dashboard'
    ? (['admin.structure', 'admin.users', 'admin.tokens', 'admin.outbox', 'content.publish', 'privacy.handle'] as Action[]).some((a) => can(u, a, scope))
    : can(u, gate, scope);
  return ok ? 'allowed' : 403;
}

describe('admin permission matrix', () => {
  let t: TestApp;
  let f: Fixture;
  let rootId: number;
  const jars = new Map<Role, Jar | undefined>();

  before(async () => {
    t = await createTestApp();
    const db = t.ctx.database.db;
    rootId = await makeBody(t.ctx, { name: '县政协', kind: 'committee' });
    await db.insertInto('settings').values({ key: 'committee_body_id', value: String(rootId) }).execute();
    for (const role of ROLES) {
      if (role === 'anonymous') { jars.set(role, undefined); continue; }
      const uid = await makeUser(t.ctx, { name: role, roles: role === 'citizen' ? [] : [{ bodyId: rootId, role: role as MembershipRole }] });
      jars.set(role, await signedInJar(t.app, t.ctx, uid));
    }
    const now = new Date().toISOString();
    const region = await db.insertInto('regions').values({ parent_id: null, level: 'county', name: '青山县', name_en: null, code: null }).returning('id').executeTakeFirstOrThrow();
    const child = await db.insertInto('regions').values({ parent_id: region.id, level: 'township', name: '城关镇', name_en: null, code: null }).returning('id').executeTakeFirstOrThrow();
    const sector = await db.insertInto('sectors').values({ name: '教育界', name_en: null }).returning('id').executeTakeFirstOrThrow();
    const term = await db.insertInto('terms').values({ number: 15, name: '第十五届', starts_on: '2022-01-01', ends_on: null }).returning('id').executeTakeFirstOrThrow();
    const userId = await makeUser(t.ctx, { name: '目标用户' });
    const ms = await db.insertInto('memberships').values({ user_id: userId, body_id: rootId, role: 'member', term_id: null, title: null, starts_on: null, ends_on: '2020-01-01', created_at: now }).returning('id').executeTakeFirstOrThrow();
    const tok = await db.insertInto('api_tokens').values({ name: 'old', token_hash: 'x'.repeat(64), user_id: userId, created_by: null, created_at: now, last_used_at: null, revoked_at: now }).returning('id').executeTakeFirstOrThrow();
    f = { regionId: region.id, childRegionId: child.id, bodyId: rootId, sectorId: sector.id, termId: term.id, userId, endedMembershipId: ms.id, revokedTokenId: tok.id };
  });
  after(async () => { await t.close(); });

  async function attempt(row: Row, jar: Jar | undefined): Promise<LightMyRequestResponse> {
    const url = row.url(f);
    if (row.kind === 'page') return get(t.app, url, jar);
    if (row.kind === 'form') return postForm(t.app, url, row.body ?? {}, jar);
    const cookie = jar ? { cookie: jar.header() } : {};
    if (row.kind === 'multipart') {
      const j = jar ?? new Jar();
      const { body, contentType } = multipartBody({ _csrf: csrfToken(t.app, j) });
      return t.app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': contentType, cookie: j.header() } });
    }
    const csrf = jar && row.method === 'POST' ? { 'x-csrf-token': csrfToken(t.app, jar), cookie: jar.header() } : cookie;
    return t.app.inject({ method: row.method, url, headers: { accept: 'application/json', ...csrf }, ...(row.method === 'POST' ? { payload: row.body ?? {} } : {}) });
  }

  for (const role of ROLES) {
    it(`as ${role}`, async () => {
      for (const row of ADMIN_MATRIX) {
        const res = await attempt(row, jars.get(role));
        const want = expected(row.gate, role, rootId);
        const label = `${role} ${row.method} ${row.url(f)} → ${res.statusCode}`;
        assert.ok(res.statusCode < 500, `${label}: ${res.body.slice(0, 300)}`);
        if (want === 'allowed') assert.ok(res.statusCode !== 401 && res.statusCode !== 403, `${label} should be allowed: ${res.body.slice(0, 300)}`);
        else assert.equal(res.statusCode, want, label);
      }
    });
  }

  it('names only real routes, and many of them', () => {
    const covered = new Set(ADMIN_MATRIX.map((r) => `${r.method} ${r.url(f).split('?')[0]?.replace(/\/\d+(?=\/|$)/g, '/:id')}`));
    const adminRoutes: string[] = [];
    for (const c of covered) {
      const [method, url] = c.split(' ') as ['GET' | 'POST', string];
      assert.ok(t.app.hasRoute({ method, url }), `matrix row ${c} names a real route`);
      adminRoutes.push(c);
    }
    assert.ok(adminRoutes.length >= 45, `matrix has ${adminRoutes.length} distinct actions`);
  });
});
