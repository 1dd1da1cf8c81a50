import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { cachedPage } from '../../http/cached-page.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { DomainError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { chinaDate } from '../../platform/calendar/index.js';
import { signInFirst } from '../account/account-routes.js';
import { pathId } from '../content/shared/ids.js';
import { managedConsultation, manageableBodies } from './access.js';
import { kept } from './admin-routes.js';
import { grassrootsApi } from './grassroots-api.js';
import { currentNotices, noticesOf, parseCurrentQuery, publishNotice } from './community-notice-service.js';
import { ESCALATION_STATUSES, type EscalationStatus, escalationItem, inbox, ofCommunities, sent } from './escalation-queries.js';
import { escalate, escalationRights, escalationSources, loadEscalation, respondToEscalation, sourceConsultations, sourceTopics } from './escalation-service.js';
import { assignLiaison, communityConsultations, endLiaison, isLiaisonAdmin, liaisonOptions, listLiaisons, myAssignments, joinAsLiaison } from './liaison-service.js';
import { ConsultationNoticesPage, CurrentNoticesPage, NoticeAdminPage } from './pages/community-notice-pages.js';
import { EscalationFormPage, EscalationPage, InboxPage, SentPage } from './pages/escalation-pages.js';
import { GrassrootsHubPage } from './pages/grassroots-hub.js';
import { LiaisonAdminPage, MyLiaisonEscalationsPage, MyLiaisonPage } from './pages/liaison-pages.js';
import { pageParam, publicConsultation } from './public-service.js';
import { view } from './view.js';

// Grassroots linkage pages: the organisers' hub, escalations (form, sent, inbox, one with its
// answer), liaison points (staff) and "my liaison communities" (members), community notices
// (the council's form, a consultation's public notices, the current notices). Services
// check every permission again.

type Req = FastifyRequest<{ Params: { id: string }; Querystring: Record<string, string | undefined> }>;
type Form = { values: Record<string, unknown>; issues: ValidationError['issues'] };
const HUB = '/admin/consultations/grassroots';
const qs = (req: Req, key: string): string | undefined => (typeof req.query[key] === 'string' ? req.query[key] : undefined);

/** A form post's domain error as the form's issues (validation keeps its fields; others land on `field`). */
function asIssues(err: unknown, field: string): { issues: ValidationError['issues']; status: number } | null {
  if (!(err instanceof DomainError) || [401, 403, 404].includes(err.status)) return null;
  return { issues: err instanceof ValidationError ? err.issues : [{ field, message: err.text }], status: err.status };
}

export const grassrootsRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const db = () => ctx.database.db;
  await app.register(grassrootsApi);
  const done = (req: Req): string | null => {
    const g = req.t.grassroots;
    const map: Record<string, string> = { escalated: g.doneEscalated, responded: g.doneResponded, added: g.doneLiaisonAdded, ended: g.doneLiaisonEnded, joined: g.doneJoined, notice: g.doneNotice };
    const d = qs(req, 'done');
    return d ? map[d] ?? null : null;
  };

  // —— The organisers' hub ——
  app.get(HUB, async (req: Req, reply) => {
    const user = signInFirst(req, reply);
    if (!user) return reply;
    const [bodies, sources, liaisonAdmin] = await Promise.all([manageableBodies(db(), user), escalationSources(db(), user), isLiaisonAdmin(db(), user)]);
    if (!bodies.length && !liaisonAdmin) throw new ForbiddenError();
    const page = pageParam(qs(req, 'page'));
    const ids = bodies.map((b) => b.id);
    const base = db().selectFrom('consultations').where('track', '=', 'community')
      .where('id', 'in', (eb) => eb.selectFrom('consultation_bodies').select('consultation_id').where('body_id', 'in', ids.length ? ids : [0]));
    const [count, items] = await Promise.all([
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      base.select(['id', 'title', 'stage', 'lead_body_id']).orderBy('sort_at', 'desc').orderBy('id', 'desc').limit(30).offset((page - 1) * 30).execute(),
    ]);
    return reply.page(view(GrassrootsHubPage, { v: {
      canEscalate: sources.length > 0, liaisonAdmin, sourceIds: sources.map((s) => s.id),
      consultations: { page, pages: Math.max(1, Math.ceil(Number(count.n) / 30)), items },
    } }));
  });

  // —— Escalations ——
  const escalationForm = async (req: Req, reply: FastifyReply, user: CurrentUser, fromRaw: unknown, form?: Form, status = 200) => {
    const sources = await escalationSources(db(), user);
    if (!sources.length) throw new ForbiddenError((t) => t.grassroots.errNoSource);
    const fromId = typeof fromRaw === 'string' && /^\d{1,10}$/.test(fromRaw) ? Number(fromRaw) : null;
    const source = sources.find((s) => s.id === fromId) ?? (sources.length === 1 ? sources[0] ?? null : null);
    const [consultations, topics] = source ? await Promise.all([sourceConsultations(db(), source.id), sourceTopics(db(), source.id)]) : [[], []];
    const values = form?.values ?? { consultationId: qs(req, 'consultation') ?? '' };
    return reply.page(view(EscalationFormPage, { sources, source, consultations, topics, form: { values, issues: form?.issues } }), status);
  };

  app.get('/admin/consultations/escalations/new', async (req: Req, reply) => {
    const user = signInFirst(req, reply);
    return user ? escalationForm(req, reply, user, qs(req, 'from')) : reply;
  });

  app.post('/admin/consultations/escalations', async (req: Req, reply) => {
    try {
      const id = await escalate(ctx, req.user, req.body);
      return reply.redirect(`/admin/consultations/escalations/${id}?done=escalated`, 303);
    } catch (err) {
      const bad = asIssues(err, 'title');
      if (!bad || !req.user) throw err;
      const values = kept(req.body);
      return escalationForm(req, reply, req.user, values.fromBodyId, { values, issues: bad.issues }, bad.status);
    }
  });

  app.get('/admin/consultations/escalations/sent', async (req: Req, reply) => {
    const user = signInFirst(req, reply);
    if (!user) return reply;
    const sources = await escalationSources(db(), user);
    if (!sources.length) throw new ForbiddenError((t) => t.grassroots.errNoSource);
    const r = await sent(db(), sources.map((s) => s.id), pageParam(qs(req, 'page')));
    return reply.page(view(SentPage, { items: r.items, page: r.page, pages: r.pages }));
  });

  app.get('/admin/consultations/escalations/inbox', async (req: Req, reply) => {
    const user = signInFirst(req, reply);
    if (!user) return reply;
    const bodies = await manageableBodies(db(), user);
    if (!bodies.length) throw new ForbiddenError();
    const raw = qs(req, 'status');
    const status = raw && (ESCALATION_STATUSES as readonly string[]).includes(raw) ? raw as EscalationStatus : null;
    const r = await inbox(db(), bodies.map((b) => b.id), status, pageParam(qs(req, 'page')));
    return reply.page(view(InboxPage, { items: r.items, page: r.page, pages: r.pages, status }));
  });

  const escalationPage = async (req: Req, reply: FastifyReply, user: CurrentUser, id: number, form?: Form, status = 200) => {
    const e = await loadEscalation(db(), id);
    const rights = await escalationRights(db(), user, e);
    if (!rights.view) throw new ForbiddenError();
    const item = await escalationItem(db(), id);
    if (!item) throw new NotFoundError();
    const [calls, departments] = rights.respond ? await Promise.all([
      db().selectFrom('topic_calls').select(['id', 'title', 'opens_on', 'closes_on']).where('body_id', '=', e.to_body_id).where('published', '=', 1)
        .where('closed_at', 'is', null).where('closes_on', '>=', chinaDate(new Date())).orderBy('opens_on', 'desc').limit(50).execute(),
      db().selectFrom('bodies').select(['id', 'name', 'name_en']).where('kind', '=', 'department').orderBy('sort').orderBy('id').limit(500).execute(),
    ]) : [[], []];
    return reply.page(view(EscalationPage, {
      e: item, canRespond: rights.respond, form: form ?? { values: { action: 'accept', result: 'none' } }, notice: done(req),
      options: { calls: calls.map((c) => ({ id: c.id, title: c.title })), departments: departments.map((d) => ({ id: d.id, name: d.name, nameEn: d.name_en })) },
    }), status);
  };

  app.get('/admin/consultations/escalations/:id', async (req: Req, reply) => {
    const id = pathId(req.params.id);
    const user = signInFirst(req, reply);
    return user ? escalationPage(req, reply, user, id) : reply;
  });

  app.post('/admin/consultations/escalations/:id/respond', async (req: Req, reply) => {
    const id = pathId(req.params.id);
    try {
      await respondToEscalation(ctx, req.user, id, req.body);
      return reply.redirect(`/admin/consultations/escalations/${id}?done=responded`, 303);
    } catch (err) {
      const bad = asIssues(err, 'action');
      if (!bad || !req.user) throw err;
      return escalationPage(req, reply, req.user, id, { values: kept(req.body), issues: bad.issues }, bad.status);
    }
  });

  // —— Liaison points (staff) ——
  const liaisonPage = async (req: Req, reply: FastifyReply, form?: Form, status = 200) => {
    const all = qs(req, 'all') === '1';
    const [list, options] = await Promise.all([listLiaisons(db(), all, pageParam(qs(req, 'page'))), liaisonOptions(db())]);
    return reply.page(view(LiaisonAdminPage, {
      items: list.items, page: list.page, pages: list.pages, all, options, notice: done(req),
      form: form ?? { values: { startsOn: chinaDate(new Date()) }, issues: [] },
    }), status);
  };

  app.get('/admin/consultations/liaisons', async (req: Req, reply) => {
    const user = signInFirst(req, reply);
    if (!user) return reply;
    if (!(await isLiaisonAdmin(db(), user))) throw new ForbiddenError((t) => t.grassroots.errNotLiaisonAdmin);
    return liaisonPage(req, reply);
  });

  app.post('/admin/consultations/liaisons', async (req: Req, reply) => {
    try {
      await assignLiaison(ctx, req.user, req.body);
      return reply.redirect('/admin/consultations/liaisons?done=added', 303);
    } catch (err) {
      const bad = asIssues(err, 'userId');
      if (!bad || !req.user) throw err;
      return liaisonPage(req, reply, { values: kept(req.body), issues: bad.issues }, bad.status);
    }
  });

  app.post('/admin/consultations/liaisons/:id/end', async (req: Req, reply) => {
    await endLiaison(ctx, req.user, pathId(req.params.id), req.body);
    return reply.redirect('/admin/consultations/liaisons?done=ended', 303);
  });

  // —— My liaison communities (members) ——
  app.get('/my/liaison', async (req: Req, reply) => {
    const user = signInFirst(req, reply);
    if (!user) return reply;
    const { assignments, councils } = await myAssignments(db(), user);
    const [consultations, escalations] = await Promise.all([
      communityConsultations(db(), user.id, councils, pageParam(qs(req, 'page'))),
      ofCommunities(db(), councils, 1),
    ]);
    return reply.page(view(MyLiaisonPage, { v: {
      assignments, consultations, escalations: escalations.items.slice(0, 10), moreEscalations: escalations.total > 10, notice: done(req),
    } }));
  });

  app.get('/my/liaison/escalations', async (req: Req, reply) => {
    const user = signInFirst(req, reply);
    if (!user) return reply;
    const { councils } = await myAssignments(db(), user);
    const r = await ofCommunities(db(), councils, pageParam(qs(req, 'page')));
    return reply.page(view(MyLiaisonEscalationsPage, { items: r.items, page: r.page, pages: r.pages }));
  });

  app.post('/my/liaison/consultations/:id/join', async (req: Req, reply) => {
    await joinAsLiaison(ctx, req.user, pathId(req.params.id));
    return reply.redirect('/my/liaison?done=joined#consultations-title', 303);
  });

  // —— Community notices ——
  const noticeAdmin = async (req: Req, reply: FastifyReply, user: CurrentUser, id: number, form?: Form, status = 200) => {
    const { c } = await managedConsultation(db(), user, id);
    return reply.page(view(NoticeAdminPage, { c, notices: await noticesOf(db(), id), form: form ?? { values: { kind: c.stage === 'decision' ? 'decision' : 'result' } }, notice: done(req) }), status);
  };

  app.get('/admin/consultations/:id/notices', async (req: Req, reply) => {
    const id = pathId(req.params.id);
    const user = signInFirst(req, reply);
    return user ? noticeAdmin(req, reply, user, id) : reply;
  });

  app.post('/admin/consultations/:id/notices', async (req: Req, reply) => {
    const id = pathId(req.params.id);
    try {
      await publishNotice(ctx, req.user, id, req.body);
      return reply.redirect(`/admin/consultations/${id}/notices?done=notice`, 303);
    } catch (err) {
      const bad = asIssues(err, 'kind');
      if (!bad || !req.user) throw err;
      return noticeAdmin(req, reply, req.user, id, { values: kept(req.body), issues: bad.issues }, bad.status);
    }
  });

  app.get('/consultations/notices', async (req: Req, reply) => {
    const q = parseCurrentQuery(req.query);
    return cachedPage(ctx, req, reply, async () => view(CurrentNoticesPage, { v: await currentNotices(db(), q) }));
  });

  app.get('/consultations/:id/notices', async (req: Req, reply) => {
    const id = pathId(req.params.id);
    return cachedPage(ctx, req, reply, async () => {
      const c = await publicConsultation(db(), id);
      return view(ConsultationNoticesPage, { c, notices: await noticesOf(db(), id) });
    });
  });
};
