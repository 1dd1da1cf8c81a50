import type { FastifyPluginAsync } from 'fastify';
import { parseId, parsePage, requireAdmin } from '../access.js';
import { doneOf, submitForm, view } from '../form.js';
import { bodyTree } from '../structure/bodies-service.js';
import { regionTree } from '../structure/regions-service.js';
import { allTerms } from '../structure/terms-service.js';
import { addMembership, endMembership, listMemberships } from './memberships-service.js';
import { AccountFormPage, MembershipFormPage, PasswordFormPage, ProfileFormPage } from './pages/user-forms.js';
import { UserDetailPage } from './pages/user-detail.js';
import { NewUserPage, UsersPage } from './pages/users.js';
import { getProfile, saveProfile } from './profiles-service.js';
import { createAccount, getAccount, listUsers, resetPassword, setUserStatus, updateAccount } from './users-service.js';

type IdParams = { Params: { id: string } };
const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));

export const peopleRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const db = ctx.database.db;

  app.get<{ Querystring: { q?: string; page?: string } }>('/admin/users', async (req, reply) => {
    const r = await listUsers(db, req.user, { q: req.query.q, page: parsePage(req.query.page) });
    return reply.page(view(UsersPage, { ...r, done: doneOf(req) }));
  });
  app.get('/admin/users/new', async (req, reply) => {
    await requireAdmin(db, req.user, 'admin.users');
    return reply.page(view(NewUserPage, { form: { values: {} } }));
  });
  app.post('/admin/users/new', async (req, reply) => submitForm(req, reply,
    async (v) => `/admin/users/${await createAccount(ctx, req.user, v)}?done=created`,
    (form) => view(NewUserPage, { form: { ...form, values: { ...form.values, password: '' } } })));

  app.get<IdParams>('/admin/users/:id', async (req, reply) => {
    const id = parseId(req.params.id);
    const account = await getAccount(db, req.user, id);
    const [profile, ms] = [await getProfile(db, req.user, id), await listMemberships(db, req.user, { userId: id, pageSize: 200 })];
    return reply.page(view(UserDetailPage, { account, profile, memberships: ms.rows, done: doneOf(req), isSelf: req.user?.id === id }));
  });

  // One page per form, so each has its own error summary and kept values.
  app.get<IdParams>('/admin/users/:id/account', async (req, reply) => {
    const a = await getAccount(db, req.user, parseId(req.params.id));
    const values = { displayName: a.displayName, username: str(a.username), phone: a.piiVisible ? a.phone : '', realName: a.piiVisible ? a.realName : '' };
    return reply.page(view(AccountFormPage, { id: a.id, name: a.displayName, form: { values } }));
  });
  app.post<IdParams>('/admin/users/:id/account', async (req, reply) => {
    const a = await getAccount(db, req.user, parseId(req.params.id));
    return submitForm(req, reply, async (v) => { await updateAccount(ctx, req.user, a.id, v); return `/admin/users/${a.id}?done=saved`; },
      (form) => view(AccountFormPage, { id: a.id, name: a.displayName, form }));
  });

  app.get<IdParams>('/admin/users/:id/password', async (req, reply) => {
    const a = await getAccount(db, req.user, parseId(req.params.id));
    return reply.page(view(PasswordFormPage, { id: a.id, name: a.displayName, form: { values: {} } }));
  });
  app.post<IdParams>('/admin/users/:id/password', async (req, reply) => {
    const a = await getAccount(db, req.user, parseId(req.params.id));
    return submitForm(req, reply, async (v) => { await resetPassword(ctx, req.user, a.id, v); return `/admin/users/${a.id}?done=saved`; },
      (form) => view(PasswordFormPage, { id: a.id, name: a.displayName, form: { ...form, values: {} } }));
  });

  for (const [path, status] of [['disable', 'disabled'], ['enable', 'active']] as const) {
    app.post<IdParams>(`/admin/users/:id/${path}`, async (req, reply) => {
      const id = parseId(req.params.id);
      await setUserStatus(ctx, req.user, id, status);
      return reply.redirect(`/admin/users/${id}?done=saved`, 303);
    });
  }

  const profileOptions = async () => ({
    sectors: (await db.selectFrom('sectors').select(['id', 'name']).orderBy('sort').orderBy('id').execute()).map((s) => ({ value: s.id, label: s.name })),
    townships: (await regionTree(db)).filter((r) => r.level === 'township').map((r) => ({ value: r.id, label: r.name })),
  });
  app.get<IdParams>('/admin/users/:id/profile', async (req, reply) => {
    const a = await getAccount(db, req.user, parseId(req.params.id));
    const p = await getProfile(db, req.user, a.id);
    const values = p ? { ...p, sectorId: str(p.sectorId), regionId: str(p.regionId), gender: str(p.gender), ethnicity: str(p.ethnicity), party: str(p.party) }
      : { isPublic: true, sortName: a.displayName };
    return reply.page(view(ProfileFormPage, { id: a.id, name: a.displayName, form: { values }, ...(await profileOptions()) }));
  });
  app.post<IdParams>('/admin/users/:id/profile', async (req, reply) => {
    const a = await getAccount(db, req.user, parseId(req.params.id));
    return submitForm(req, reply, async (v) => { await saveProfile(ctx, req.user, a.id, v); return `/admin/users/${a.id}?done=saved`; },
      async (form) => view(ProfileFormPage, { id: a.id, name: a.displayName, form, ...(await profileOptions()) }));
  });

  const membershipOptions = async () => ({
    bodies: (await bodyTree(db)).map((b) => ({ value: b.id, label: `${'— '.repeat(b.depth)}${b.name}` })),
    terms: (await allTerms(db)).map((r) => ({ value: r.id, label: r.name })),
  });
  app.get<IdParams>('/admin/users/:id/memberships', async (req, reply) => {
    const a = await getAccount(db, req.user, parseId(req.params.id));
    return reply.page(view(MembershipFormPage, { id: a.id, name: a.displayName, form: { values: {} }, ...(await membershipOptions()) }));
  });
  app.post<IdParams>('/admin/users/:id/memberships', async (req, reply) => {
    const a = await getAccount(db, req.user, parseId(req.params.id));
    return submitForm(req, reply, async (v) => { await addMembership(ctx, req.user, { ...v, userId: a.id }); return `/admin/users/${a.id}?done=created`; },
      async (form) => view(MembershipFormPage, { id: a.id, name: a.displayName, form, ...(await membershipOptions()) }));
  });
  app.post<IdParams>('/admin/memberships/:id/end', async (req, reply) => {
    const userId = await endMembership(ctx, req.user, parseId(req.params.id));
    return reply.redirect(`/admin/users/${userId}?done=ended`, 303);
  });
};
