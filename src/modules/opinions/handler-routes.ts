import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { personalPage } from '../../http/personal-page.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { auditHead } from '../../platform/timeline/audit.js';
import { BadRequestError, ConflictError, ForbiddenError, UnauthenticatedError, ValidationError } from '../../platform/errors.js';
import { parseId, parsePage } from '../admin/access.js';
import { formValues, view } from '../admin/form.js';
import { signInFirst } from '../account/account-routes.js';
import { loadOpinion } from './access.js';
import { todayInChina } from './clocks.js';
import { CONTENT_TYPES, EXPORT_CAP, csvStream, exportFilename, xlsxStream } from './export.js';
import {
  BULK_ACTIONS, type BulkAction, bulkApply, errorText, handlerOptions, listCategories, loadReport, mayExport, opinionDetail, parseBulkIds,
  saveReport, updateCategory,
} from './handler-service.js';
import {
  acceptOpinion, askCitizen, assignOpinion, closeOpinion, declineOpinion, draftSentimentReport, forwardOpinion, mergeOpinion,
  replyToOpinion, setPublicVisible,
} from './handling.js';
import { exportBatches, filterOptions, inboxQuery, loadInbox, parseFilters, parseScope } from './inbox-queries.js';
import { type HandlerAccess, handlerAccess, navOf, rightsFrom } from './handler-access.js';
import { notSatisfied, overdueItems, overdueOpinions } from './supervision-queries.js';
import { BulkResultPage } from './pages/handler/bulk-result.js';
import { CategoriesPage } from './pages/handler/categories.js';
import { type DetailAction, OpinionDetailPage } from './pages/handler/detail.js';
import { InboxPage } from './pages/handler/inbox.js';
import { doneWord } from './pages/handler/layout.js';
import { OverduePage } from './pages/handler/overdue.js';
import { ReportPage } from './pages/handler/report.js';
import type { FormState } from '../../web/components/fields.js';

// The handlers' pages: every page is personal (reply.page, never the shared cache), every
// action is a form post that redirects back (303), and bad input re-renders the form (400).

type Query = Record<string, unknown>;

/** For form posts: a session, or 401 (no redirect to a page that only answers POST). */
function mustUser(req: FastifyRequest): CurrentUser {
  if (!req.user || req.authVia !== 'session') throw new UnauthenticatedError();
  return req.user;
}

/** Where the bulk form came from: an inbox URL, never anywhere else. */
function safeBack(raw: unknown): string {
  return typeof raw === 'string' && /^\/handle\/opinions(\?[^#\s]{0,2000})?$/.test(raw) ? raw : '/handle/opinions';
}

const queryOf = (url: string): Query => Object.fromEntries(new URLSearchParams(url.split('?')[1] ?? ''));

export const handlerRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const db = ctx.database.db;
  const memo = <T,>(key: string, load: () => Promise<T>) => ctx.pageCache.memo(key, load);

  const renderInbox = async (req: FastifyRequest, reply: FastifyReply, a: HandlerAccess, query: Query, form?: FormState, status = 200) => {
    const scope = parseScope(query, a);
    const filters = parseFilters(query);
    const page = async () => {
      const [list, options, targets] = await Promise.all([loadInbox(db, scope, filters), memo('opinions.filterOptions', () => filterOptions(db)), handlerOptions(db, a, req.locale, memo)]);
      const scopes = { mine: a.hasMine, bodies: targets.bodies.filter((b) => a.handle.has(b.id)) };
      const canExport = scope.kind === 'mine' || a.supervise.has(scope.bodyId);
      return view(InboxPage, { nav: navOf(a), scopes, scope, filters, options, list, canExport, targets: { bodies: targets.bodies, members: targets.members }, form });
    };
    if (form || status !== 200) return reply.page(await page(), status);
    // Rights are checked above (handlerAccess, parseScope); the list changes only with a recorded
    // change (every state change of an opinion is an audit event) or with the date (overdue marks).
    return personalPage(ctx, req, reply, `${await auditHead(db)}:${todayInChina()}`, page);
  };

  app.get('/handle', async (req, reply) => {
    const user = signInFirst(req, reply);
    if (!user) return reply;
    const nav = navOf(await handlerAccess(db, user));
    if (nav.inbox) return reply.redirect('/handle/opinions', 303);
    if (nav.actions) return reply.redirect('/handle/actions', 303);
    throw new ForbiddenError();
  });

  app.get('/handle/opinions', async (req, reply) => {
    const user = signInFirst(req, reply);
    if (!user) return reply;
    const a = await handlerAccess(db, user, memo);
    if (!navOf(a).inbox) {
      if (a.departments.length) return reply.redirect('/handle/actions', 303);
      throw new ForbiddenError();
    }
    return renderInbox(req, reply, a, req.query as Query);
  });

  // Exports: the inbox's filters, for the person's own inbox or a body they supervise.
  const sendExport = (reply: FastifyReply, ext: 'csv' | 'xlsx', stream: Readable) => reply
    .type(CONTENT_TYPES[ext]).header('cache-control', 'private, no-store')
    .header('content-disposition', `attachment; filename="${exportFilename(ext)}"`).send(stream);

  for (const ext of ['csv', 'xlsx'] as const) {
    app.get(`/handle/opinions/export.${ext}`, async (req, reply) => {
      const user = signInFirst(req, reply);
      if (!user) return reply;
      const a = await handlerAccess(db, user);
      if (!navOf(a).inbox) throw new ForbiddenError();
      const scope = parseScope(req.query as Query, a);
      if (scope.kind === 'body' && !a.supervise.has(scope.bodyId)) throw new ForbiddenError();
      const filters = parseFilters(req.query as Query);
      const batches = exportBatches(db, (today) => inboxQuery(db, scope, filters, today), EXPORT_CAP + 1);
      return sendExport(reply, ext, ext === 'csv' ? csvStream(batches, req.t, req.locale) : xlsxStream(batches, req.t, req.locale));
    });
  }

  app.post('/handle/opinions/bulk', async (req, reply) => {
    const user = mustUser(req);
    const a = await handlerAccess(db, user);
    if (!navOf(a).inbox) throw new ForbiddenError();
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = formValues(body);
    const back = safeBack(values.back);
    const action = values.action;
    if (typeof action !== 'string' || !(BULK_ACTIONS as readonly string[]).includes(action)) throw new BadRequestError();
    try {
      const ids = parseBulkIds(body.ids);
      const act = action as BulkAction;
      if (act === 'accept' || act === 'assign') {
        const outcomes = await bulkApply(ctx, user, a, act, ids, values, (err) => req.log.error({ err }, 'bulk action failed'));
        return reply.page(view(BulkResultPage, { nav: navOf(a), outcomes, back }));
      }
      if (act === 'report') {
        const reportId = await draftSentimentReport(ctx, user, ids, {});
        return reply.redirect(`/handle/reports/${reportId}?done=saved`, 303);
      }
      const rows = await db.selectFrom('opinions').select(['id', 'handler_body_id', 'handler_user_id']).where('id', 'in', ids).execute();
      const allowed = rows.filter((r) => mayExport(a, r)).map((r) => r.id);
      if (allowed.length === 0) throw new ForbiddenError();
      const batches = exportBatches(db, () => db.selectFrom('opinions').where('opinions.id', 'in', allowed), allowed.length);
      const ext = act === 'export-csv' ? 'csv' : 'xlsx';
      return sendExport(reply, ext, ext === 'csv' ? csvStream(batches, req.t, req.locale) : xlsxStream(batches, req.t, req.locale));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return renderInbox(req, reply, a, queryOf(back), { values, issues: err.issues }, 400);
    }
  });

  // One opinion.
  const renderDetail = async (req: FastifyRequest, reply: FastifyReply, a: HandlerAccess, id: number, extra: { done?: string | null; failed?: { action: DetailAction; form: FormState } }, status = 200) => {
    const d = await opinionDetail(db, a, id);
    const options = await handlerOptions(db, a, req.locale, memo);
    return reply.page(view(OpinionDetailPage, { d, nav: navOf(a), options, done: extra.done ?? null, failed: extra.failed }), status);
  };

  app.get<{ Params: { id: string }; Querystring: { done?: string } }>('/handle/opinions/:id', async (req, reply) => {
    const user = signInFirst(req, reply);
    if (!user) return reply;
    return renderDetail(req, reply, await handlerAccess(db, user), parseId(req.params.id), { done: doneWord(req.query.done) });
  });

  type Run = (user: CurrentUser, id: number, v: Record<string, unknown>) => Promise<string>;
  const actions: Record<DetailAction, Run> = {
    accept: async (u, id) => { await acceptOpinion(ctx, u, id); return 'accepted'; },
    decline: async (u, id, v) => { await declineOpinion(ctx, u, id, v); return 'declined'; },
    reply: async (u, id, v) => { await replyToOpinion(ctx, u, id, v); return 'replied'; },
    ask: async (u, id, v) => { await askCitizen(ctx, u, id, v); return 'asked'; },
    assign: async (u, id, v) => { await assignOpinion(ctx, u, id, v); return 'assigned'; },
    forward: async (u, id, v) => { await forwardOpinion(ctx, u, id, v); return 'forwarded'; },
    merge: async (u, id, v) => { await mergeOpinion(ctx, u, id, v); return 'merged'; },
    close: async (u, id) => { await closeOpinion(ctx, u, id); return 'closed'; },
    visibility: async (u, id, v) => {
      const show = v.visible === '1';
      await setPublicVisible(ctx, u, id, show);
      return show ? 'shown' : 'hidden';
    },
    report: async (u, id) => `report:${await draftSentimentReport(ctx, u, [id], {})}`,
  };

  for (const [name, run] of Object.entries(actions) as [DetailAction, Run][]) {
    app.post<{ Params: { id: string } }>(`/handle/opinions/:id/${name}`, async (req, reply) => {
      const user = mustUser(req);
      const id = parseId(req.params.id);
      const values = formValues(req.body);
      try {
        const done = await run(user, id, values);
        if (done.startsWith('report:')) return reply.redirect(`/handle/reports/${done.slice(7)}?done=saved`, 303);
        // Passed on to someone else: this person may no longer see it.
        const a = await handlerAccess(db, user);
        const r = rightsFrom(a, await loadOpinion(db, id));
        return reply.redirect(r.handle || r.supervise ? `/handle/opinions/${id}?done=${done}` : '/handle/opinions', 303);
      } catch (err) {
        const a = await handlerAccess(db, user);
        if (err instanceof ValidationError) return renderDetail(req, reply, a, id, { failed: { action: name, form: { values, issues: err.issues } } }, 400);
        if (err instanceof ConflictError) {
          return renderDetail(req, reply, a, id, { failed: { action: name, form: { values, issues: [{ field: `act-${name}`, message: errorText(err) }] } } }, 409);
        }
        throw err;
      }
    });
  }

  app.get<{ Querystring: { page?: string; ipage?: string; rpage?: string } }>('/handle/overdue', async (req, reply) => {
    const user = signInFirst(req, reply);
    if (!user) return reply;
    const a = await handlerAccess(db, user);
    if (a.supervise.size === 0) throw new ForbiddenError();
    const [page, ipage, rpage] = [parsePage(req.query.page), parsePage(req.query.ipage), parsePage(req.query.rpage)];
    const [opinions, items, ratings] = await Promise.all([overdueOpinions(db, a, page), overdueItems(db, a, ipage), notSatisfied(db, a, rpage)]);
    return reply.page(view(OverduePage, {
      nav: navOf(a),
      opinions: { ...opinions, page: Math.min(page, opinions.pages) },
      items: { ...items, page: Math.min(ipage, items.pages) },
      ratings: { ...ratings, page: Math.min(rpage, ratings.pages) },
    }));
  });

  // Public-sentiment report drafts.
  app.get<{ Params: { id: string }; Querystring: { done?: string } }>('/handle/reports/:id', async (req, reply) => {
    const user = signInFirst(req, reply);
    if (!user) return reply;
    const a = await handlerAccess(db, user);
    const r = await loadReport(db, a, parseId(req.params.id));
    return reply.page(view(ReportPage, { r, nav: navOf(a), done: doneWord(req.query.done) }));
  });

  app.post<{ Params: { id: string } }>('/handle/reports/:id', async (req, reply) => {
    const user = mustUser(req);
    const id = parseId(req.params.id);
    const values = formValues(req.body);
    const submit = values.intent === 'submit';
    try {
      await saveReport(ctx, user, id, values, submit);
      return reply.redirect(`/handle/reports/${id}?done=${submit ? 'submitted' : 'saved'}`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const a = await handlerAccess(db, user);
      const r = await loadReport(db, a, id);
      return reply.page(view(ReportPage, { r, nav: navOf(a), done: null, form: { values, issues: err.issues } }), 400);
    }
  });

  // Per-category clocks ('opinion.configure').
  const renderCategories = async (req: FastifyRequest, reply: FastifyReply, user: CurrentUser | null, extra: { done?: string | null; failed?: { key: string; form: FormState } }, status = 200) => {
    const rows = await listCategories(db, user);
    const a = await handlerAccess(db, user);
    const bodies = (await handlerOptions(db, a, req.locale, memo)).bodies;
    return reply.page(view(CategoriesPage, { rows, bodies, done: extra.done ?? null, failed: extra.failed }), status);
  };

  app.get<{ Querystring: { done?: string } }>('/admin/opinion-categories', async (req, reply) => {
    const user = signInFirst(req, reply);
    if (!user) return reply;
    return renderCategories(req, reply, user, { done: req.query.done === 'saved' ? 'saved' : null });
  });

  app.post('/admin/opinion-categories', async (req, reply) => {
    const user = mustUser(req);
    const values = formValues(req.body);
    const key = typeof values.key === 'string' ? values.key : '';
    try {
      await updateCategory(ctx, user, key, values);
      return reply.redirect('/admin/opinion-categories?done=saved', 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return renderCategories(req, reply, user, { failed: { key, form: { values, issues: err.issues } } }, 400);
    }
  });
};
