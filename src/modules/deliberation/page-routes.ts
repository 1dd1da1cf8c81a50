import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { cachedPage } from '../../http/cached-page.js';
import { DomainError, NotFoundError, UnauthenticatedError } from '../../platform/errors.js';
import { view } from '../consultations/view.js';
import { pathId } from '../content/shared/ids.js';
import { canManage, visibleDeliberation } from './access.js';
import { DeliberationPage, type DeliberationPageProps } from './pages/deliberation-page.js';
import { ListPage } from './pages/manage-pages.js';
import { ResultsPage } from './pages/results-page.js';
import { addStatement, recordVote, statementIssue } from './participation.js';
import { nextFor, pageParam, publicList } from './queries.js';
import { resultsView } from './report.js';

// The public and participant pages: the list, a participant's page (the next statement,
// voting and adding statements, with plain POST forms), and the results (from the page cache).

type IdReq = FastifyRequest<{ Params: { id: string }; Querystring: { done?: string; page?: string } }>;

/** Votes one person may cast per minute (far above anyone reading the statements). */
export const VOTES_PER_MINUTE = 300;
export const voteLimit = {
  rateLimit: { max: VOTES_PER_MINUTE, timeWindow: '1 minute', keyGenerator: (req: FastifyRequest) => (req.user ? `u${req.user.id}` : req.ip) },
};

export const pageRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const db = () => ctx.database.db;

  app.get<{ Querystring: { page?: string } }>('/deliberations', async (req, reply) => {
    const page = pageParam(req.query.page);
    return cachedPage(ctx, req, reply, async () => view(ListPage, { ...(await publicList(db(), page)), page }));
  });

  app.get('/deliberations/for-consultation/:id', async (req: IdReq, reply) => {
    const row = await db().selectFrom('deliberations').select('id').where('consultation_id', '=', pathId(req.params.id))
      .orderBy('id', 'desc').limit(1).executeTakeFirst();
    if (!row) throw new NotFoundError((t) => t.deliberation.errNoneForConsultation);
    return reply.redirect(`/deliberations/${row.id}`, 303);
  });

  const participantPage = async (req: IdReq, reply: FastifyReply, id: number, o: Partial<DeliberationPageProps> & { status?: number } = {}) => {
    const d = await visibleDeliberation(db(), id, req.user);
    const consultation = d.consultation_id === null ? null
      : (await db().selectFrom('consultations').select(['id', 'title']).where('id', '=', d.consultation_id).executeTakeFirst()) ?? null;
    const m = req.t.deliberation;
    const notices: Record<string, string> = { voted: m.doneVoted, pending: m.donePending, added: m.doneAdded };
    return reply.page(view(DeliberationPage, {
      d, consultation, view: req.user && d.status === 'open' ? await nextFor(db(), d, req.user.id) : null, canModerate: await canManage(db(), req.user, d),
      notice: o.notice ?? (req.query.done ? notices[req.query.done] ?? null : null), voteError: o.voteError, form: o.form,
    }), o.status ?? 200);
  };

  app.get('/deliberations/:id', async (req: IdReq, reply) => participantPage(req, reply, pathId(req.params.id)));

  app.post('/deliberations/:id/vote', { config: voteLimit }, async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    try {
      await recordVote(ctx, req.user, id, req.body);
      return reply.redirect(`/deliberations/${id}?done=voted`, 303);
    } catch (err) {
      if (!(err instanceof DomainError) || err instanceof UnauthenticatedError) throw err;
      return participantPage(req, reply, id, { voteError: err.text(req.t), status: err.status });
    }
  });

  app.post('/deliberations/:id/statements', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    try {
      const s = await addStatement(ctx, req.user, id, req.body);
      return reply.redirect(`/deliberations/${id}?done=${s.status === 'pending' ? 'pending' : 'added'}#add-title`, 303);
    } catch (err) {
      const issue = statementIssue(err);
      if (!issue) throw err;
      const body = (req.body as Record<string, unknown> | null)?.body;
      return participantPage(req, reply, id, { form: { values: { body }, issues: issue.issues }, status: (err as DomainError).status });
    }
  });

  app.get('/deliberations/:id/results', async (req: IdReq, reply) => {
    const d = await visibleDeliberation(db(), pathId(req.params.id));
    return cachedPage(ctx, req, reply, async () => view(ResultsPage, { r: await resultsView(db(), d, req.locale) }));
  });
};
