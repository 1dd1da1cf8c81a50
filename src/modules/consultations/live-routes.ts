import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { liveHub } from '../../platform/live/hub.js';
import { SseServer, parseLastEventId } from '../../platform/live/sse.js';
import { pathId } from '../content/shared/ids.js';
import { LivePage } from './live-page.js';
import { type LiveHead, type Memo, assertReadable, liveHasForms, liveHead } from './live-rights.js';
import { answerQuestion, askQuestion, liveTopic, liveView, moderateQuestion, parseBefore, replayEvents } from './live-service.js';
import { parseWaiting } from './live-waiting.js';
import { view } from './view.js';
import { cachedPage } from '../../http/cached-page.js';
import { personalPage } from '../../http/personal-page.js';

// The live question session's pages, forms and event stream (/consultations/:id/live…).

type Req = FastifyRequest<{ Params: { id: string; qid?: string }; Querystring: { done?: string; lastEventId?: string; before?: unknown; waiting?: unknown } }>;

class NotAcceptableError extends DomainError {
  override name = 'NotAcceptableError';
  constructor() { super('not_acceptable', 406, (t) => t.consultationsLive.errNotEventStream); }
}
class TooManyStreamsError extends DomainError {
  override name = 'TooManyStreamsError';
  constructor(status: 429 | 503) { super(status === 429 ? 'too_many_streams' : 'unavailable', status, (t) => t.consultationsLive.errTooManyStreams); }
}

const servers = new WeakMap<object, SseServer>();
/** The SSE connections of an app's context (tests and the bench adjust its options and read its counters). */
export const liveSseOf = (app: FastifyInstance): SseServer | undefined => servers.get(app.ctx);

/** The page a form was sent from (its `before`, kept in a hidden field): a bad value is the newest page. */
const beforeOf = (body: unknown): number | null => (body && typeof body === 'object' ? parseBefore((body as Record<string, unknown>).before) ?? null : null);
/** The page's address with `before` and a notice. */
const pageUrl = (id: number, before: number | null, done: string): string => `/consultations/${id}/live?${before ? `before=${before}&` : ''}done=${done}`;

const kept = (body: unknown): Record<string, unknown> => (body && typeof body === 'object' ? { ...(body as Record<string, unknown>), _csrf: undefined } : {});

export const liveRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const db = () => ctx.database.db;
  const memo: Memo = (key, load) => ctx.pageCache.memo(key, load);
  const hub = liveHub(ctx, app.log);
  const sse = new SseServer(hub);
  servers.set(ctx, sse);
  // Open streams would hold the server's close (and close-with-grace) open: end them first.
  app.addHook('preClose', async () => { sse.closeAll(); });
  app.addHook('onClose', async () => { await hub.stop(); });

  const page = async (req: Req, reply: FastifyReply, id: number, before: number | null, form?: { values: Record<string, unknown>; issues: ValidationError['issues'] }, head?: LiveHead, waiting: number | null = null) => {
    const notices: Record<string, string> = { asked: req.t.consultationsLive.done_asked, answered: req.t.consultationsLive.done_answered, moderated: req.t.consultationsLive.done_moderated };
    const done = typeof req.query.done === 'string' ? req.query.done : '';
    return reply.header('cache-control', 'no-store')
      .page(view(LivePage, { v: await liveView(db(), req.user, id, head, before, waiting), notice: Object.hasOwn(notices, done) ? notices[done] : null, form }), form ? 400 : 200);
  };

  // A viewer the page offers no form to (anyone not signed in, a citizen who did not register)
  // gets a copy rendered once per version of the session: the key carries the stream's last
  // event id, so a new question or answer makes the next request render afresh.
  // The page shows the newest LIVE_PAGE_SIZE questions; `?before=<question id>` the next older
  // ones (a `before` that is not an id is a page that does not exist: 404); on the newest page,
  // `?waiting=<question id>` pages through the older questions still waiting (live-waiting.ts).
  app.get('/consultations/:id/live', async (req: Req, reply) => {
    const id = pathId(req.params.id);
    const before = parseBefore(req.query.before);
    const waiting = parseWaiting(req.query.waiting);
    if (before === undefined || waiting === undefined) throw new NotFoundError();
    const head = await liveHead(db(), req.user, id, memo);
    if (liveHasForms(head)) {
      if (typeof req.query.done === 'string') return page(req, reply, id, before, undefined, head, waiting);
      // With forms, the page is this person's own: kept for them under the stream's last event
      // and the rights just computed (a change of either renders it afresh).
      const version = `live:${head.lastEventId}:${JSON.stringify(head.rights)}:${head.open ? 1 : 0}`;
      return personalPage(ctx, req, reply, version, async () => view(LivePage, { v: await liveView(db(), req.user, id, head, before, waiting), notice: null }));
    }
    return cachedPage(ctx, req, reply, async () => view(LivePage, { v: await liveView(db(), req.user, id, head, before, waiting) }), `live:${head.lastEventId}`);
  });

  app.post('/consultations/:id/live/questions', async (req: Req, reply) => {
    const id = pathId(req.params.id);
    try {
      const qid = await askQuestion(ctx, req.user, id, req.body);
      return reply.redirect(`/consultations/${id}/live?done=asked#q-${qid}`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return page(req, reply, id, null, { values: kept(req.body), issues: err.issues });
    }
  });

  app.post('/consultations/:id/live/questions/:qid/answer', async (req: Req, reply) => {
    const id = pathId(req.params.id);
    const qid = pathId(req.params.qid);
    try {
      await answerQuestion(ctx, req.user, id, qid, req.body);
      return reply.redirect(`${pageUrl(id, beforeOf(req.body), 'answered')}#q-${qid}`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return page(req, reply, id, beforeOf(req.body), { values: {}, issues: err.issues });
    }
  });

  app.post('/consultations/:id/live/questions/:qid/moderate', async (req: Req, reply) => {
    const id = pathId(req.params.id);
    const qid = pathId(req.params.qid);
    try {
      await moderateQuestion(ctx, req.user, id, qid, req.body);
      return reply.redirect(pageUrl(id, beforeOf(req.body), 'moderated'), 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return page(req, reply, id, beforeOf(req.body), { values: {}, issues: err.issues });
    }
  });

  // The event stream. Everything that can be refused is checked before the stream opens
  // (bad id, unknown or unreadable consultation, a client that does not ask for an event
  // stream, too many connections), so those requests end with an ordinary 4xx/5xx answer.
  app.get('/consultations/:id/live/events', async (req: Req, reply) => {
    const id = pathId(req.params.id);
    await assertReadable(db(), req.user, id);
    if (!String(req.headers.accept ?? '').includes('text/event-stream')) throw new NotAcceptableError();
    const refused = sse.refusal(req.ip);
    if (refused) throw new TooManyStreamsError(refused === 'ip' ? 429 : 503);
    const lastId = parseLastEventId(req.headers['last-event-id']) ?? parseLastEventId(req.query.lastEventId);
    reply.hijack();
    await sse.open(reply.raw, req.ip, liveTopic(id), lastId, (after) => replayEvents(db(), id, after));
    return reply;
  });
};
