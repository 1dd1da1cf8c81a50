import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { DomainError, type FieldIssue, NotFoundError, UnauthenticatedError, ValidationError } from '../../platform/errors.js';
import { signInFirst } from '../account/account-routes.js';
import { formValues } from '../admin/form.js';
import { view } from '../consultations/view.js';
import { pathId } from '../content/shared/ids.js';
import { managedDeliberation } from './access.js';
import { PolisFormatError } from './engine/index.js';
import { DeliberationEndedError, addSeeds, askRecompute, assertOwner, createDeliberation, moderateStatement, parseOwner, updateSettings } from './manage-service.js';
import type { StatementStatus } from './model.js';
import { ImportPage, ManagePage, NewPage } from './pages/manage-pages.js';
import { ModeratePage, type ModeratePageProps } from './pages/moderate-page.js';
import { POLIS_FILES, type PolisFileName, exportPolis } from './polis-export.js';
import { importPolis } from './polis-import.js';
import { managedBodyIds, managedList, ownerOptions, pageParam, statementCounts, statementsByStatus } from './queries.js';

// Organisers' pages: their deliberations, starting one, importing Polis data, moderation and
// settings, export. Rendered fresh (they depend on who is looking); services check permissions.

type IdReq = FastifyRequest<{ Params: { id: string }; Querystring: { done?: string; page?: string; status?: string; n?: string } }>;
const STATUSES: readonly StatementStatus[] = ['pending', 'accepted', 'rejected'];

function mustUser(req: FastifyRequest): CurrentUser {
  if (!req.user) throw new UnauthenticatedError();
  return req.user;
}

interface FilePart { type?: string; filename?: string; toBuffer?: () => Promise<Buffer> }
async function fileText(body: unknown, name: string): Promise<string | null> {
  const raw = (body as Record<string, unknown> | null)?.[name];
  const p = (Array.isArray(raw) ? raw[0] : raw) as FilePart | undefined;
  if (!p || typeof p !== 'object' || p.type !== 'file' || typeof p.toBuffer !== 'function' || !p.filename) return null;
  const buf = await p.toBuffer();
  return buf.length ? buf.toString('utf8') : null;
}

/** The issues a form shows at its fields: bad input (400), or a deliberation that may not open (409). */
function formIssues(err: unknown): FieldIssue[] | null {
  if (err instanceof ValidationError) return err.issues;
  if (err instanceof DeliberationEndedError) return [{ field: err.field, message: err.text }];
  return null;
}

export const manageRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const db = () => ctx.database.db;

  app.get('/deliberations/manage', async (req: IdReq, reply) => {
    const user = signInFirst(req, reply);
    if (!user) return reply;
    const page = pageParam(req.query.page);
    const bodies = await managedBodyIds(db(), user);
    return reply.page(view(ManagePage, { ...(await managedList(db(), user, page)), page, canCreate: bodies === null || bodies.length > 0 }));
  });

  app.get('/deliberations/new', async (req: IdReq, reply) => {
    const user = signInFirst(req, reply);
    if (!user) return reply;
    return reply.page(view(NewPage, { owners: await ownerOptions(db(), user) }));
  });

  app.post('/deliberations', async (req, reply) => {
    const values = formValues(req.body);
    try {
      const id = await createDeliberation(ctx, req.user, values);
      return reply.redirect(`/deliberations/${id}/moderate?done=created`, 303);
    } catch (err) {
      const issues = formIssues(err);
      if (!issues) throw err;
      return reply.page(view(NewPage, { owners: await ownerOptions(db(), mustUser(req)), form: { values, issues } }), err instanceof DomainError ? err.status : 400);
    }
  });

  app.get('/deliberations/import', async (req: IdReq, reply) => {
    const user = signInFirst(req, reply);
    if (!user) return reply;
    return reply.page(view(ImportPage, { owners: await ownerOptions(db(), user) }));
  });

  app.post('/deliberations/import', async (req, reply) => {
    const user = mustUser(req);
    const values = formValues(req.body);
    const owner = parseOwner(values.owner);
    const issues: FieldIssue[] = [];
    if (!owner) issues.push({ field: 'owner', message: (t) => t.deliberation.errOwner });
    const [comments, votes, participantsVotes, summary] = await Promise.all(['comments', 'votes', 'participantsVotes', 'summary'].map((f) => fileText(req.body, f)));
    if (!comments) issues.push({ field: 'comments', message: (t) => t.deliberation.errFileMissing('comments.csv') });
    if (!votes) issues.push({ field: 'votes', message: (t) => t.deliberation.errFileMissing('votes.csv') });
    const rerender = async (list: FieldIssue[]) => reply.page(view(ImportPage, { owners: await ownerOptions(db(), user), form: { values: { owner: values.owner }, issues: list } }), 400);
    if (issues.length) return rerender(issues);
    await assertOwner(db(), user, owner);
    try {
      const r = await importPolis(ctx, { comments: comments!, votes: votes!, participantsVotes, summary }, { owner, createdBy: user.id, fallbackTitle: req.t.deliberation.importedTitle('') });
      return reply.redirect(`/deliberations/${r.id}/moderate?done=imported&n=${r.votes}${r.ari === null ? '' : `&ari=${r.ari.toFixed(3)}`}`, 303);
    } catch (err) {
      if (!(err instanceof PolisFormatError)) throw err;
      const problem = err.problem;
      const field = ({ 'comments.csv': 'comments', 'votes.csv': 'votes', 'participants-votes.csv': 'participantsVotes', 'summary.csv': 'summary' } as const)[problem.file];
      return rerender([{ field, message: (t) => t.deliberation.errPolis(problem) }]);
    }
  });

  const moderatePage = async (req: IdReq, reply: FastifyReply, id: number, o: Partial<ModeratePageProps> & { status?: number } = {}) => {
    const { d } = await managedDeliberation(db(), req.user, id);
    const tab = STATUSES.find((s) => s === req.query.status) ?? 'pending';
    const page = pageParam(req.query.page);
    const m = req.t.deliberation;
    const n = /^\d{1,10}$/.test(req.query.n ?? '') ? Number(req.query.n) : 0;
    const ari = (req.query as { ari?: string }).ari;
    const notices: Record<string, string> = {
      settings: m.doneSettings, moderated: m.doneModerated, seeded: m.doneSeeded(n), recompute: m.doneRecompute, created: m.doneCreated,
      imported: m.doneImported(n, ari && /^-?\d\.\d{3}$/.test(ari) ? m.ariNote(ari) : ''),
    };
    return reply.page(view(ModeratePage, {
      d, counts: await statementCounts(db(), d.id), tab, page, items: await statementsByStatus(db(), d.id, tab, page),
      notice: o.notice ?? (req.query.done ? notices[req.query.done] ?? null : null), form: o.form,
    }), o.status ?? 200);
  };

  app.get('/deliberations/:id/moderate', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    if (!req.user) {
      signInFirst(req, reply);
      return reply;
    }
    return moderatePage(req, reply, id);
  });

  app.post('/deliberations/statements/:id/moderate', async (req: IdReq, reply) => {
    const values = formValues(req.body);
    const r = await moderateStatement(ctx, req.user, pathId(req.params.id), values);
    const back = typeof values.back === 'string' ? /^(pending|accepted|rejected):(\d{1,5})$/.exec(values.back) : null;
    return reply.redirect(`/deliberations/${r.deliberationId}/moderate?done=moderated${back ? `&status=${back[1]}&page=${back[2]}` : ''}`, 303);
  });

  app.post('/deliberations/:id/settings', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    const values = formValues(req.body);
    try {
      await updateSettings(ctx, req.user, id, values);
      return reply.redirect(`/deliberations/${id}/moderate?done=settings`, 303);
    } catch (err) {
      const issues = formIssues(err);
      if (!issues) throw err;
      return moderatePage(req, reply, id, { form: { name: 'settings', values, issues }, status: err instanceof DomainError ? err.status : 400 });
    }
  });

  app.post('/deliberations/:id/seeds', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    const values = formValues(req.body);
    try {
      const n = await addSeeds(ctx, req.user, id, values);
      return reply.redirect(`/deliberations/${id}/moderate?done=seeded&n=${n}&status=accepted`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return moderatePage(req, reply, id, { form: { name: 'seeds', values, issues: err.issues }, status: 400 });
    }
  });

  app.post('/deliberations/:id/recompute', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    await askRecompute(ctx, req.user, id);
    return reply.redirect(`/deliberations/${id}/moderate?done=recompute`, 303);
  });

  app.get<{ Params: { id: string; file: string } }>('/deliberations/:id/export/:file', async (req, reply) => {
    const file = POLIS_FILES.find((f) => f === req.params.file) as PolisFileName | undefined;
    const id = pathId(req.params.id);
    if (!file) throw new NotFoundError();
    const { d } = await managedDeliberation(db(), req.user, id);
    const files = await exportPolis(ctx, d.id, [file]);
    return reply.type('text/csv; charset=utf-8').header('cache-control', 'private, no-store')
      .header('content-disposition', `attachment; filename="deliberation-${d.id}-${file}"`).send(files[file]);
  });
};
