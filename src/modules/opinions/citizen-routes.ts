import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { type VNode, h } from 'preact';
import { handleError } from '../../http/errors.js';
import { personalPage } from '../../http/personal-page.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { DomainError, type FieldIssue, NotFoundError, ValidationError } from '../../platform/errors.js';
import type { Catalog } from '../../web/i18n/index.js';
import { ErrorPage } from '../../web/error-page.js';
import { signInFirst } from '../account/account-routes.js';
import { requestCode } from '../account/service.js';
import { megabytes } from '../content/attachments/service.js';
import { contentDisposition } from '../content/attachments/routes.js';
import { pathId } from '../content/shared/ids.js';
import { type OpinionRow, loadOpinion, rightsOn } from './access.js';
import { addInformation, findByTracking, rateOpinion, withdrawOpinion } from './citizen.js';
import { isOverdue, todayInChina } from './clocks.js';
import { streamVersion } from './stream-cache.js';
import { type Upload, checkOpinionFiles } from './files.js';
import { formatTrackingCode, parseTrackingCode } from './model.js';
import { myOpinionsPage } from './pages/citizen/my-opinions.js';
import { loadFormOptions } from './pages/citizen/form-options.js';
import { type ConfirmPageProps, confirmPage } from './pages/citizen/send-confirm.js';
import { CARRIED, sendPage } from './pages/citizen/send-form.js';
import { type TrackViewProps, lookupPage, trackView, withdrawPage } from './pages/citizen/track.js';
import { type Preview, previewOf, trackViewOf } from './pages/citizen/view-data.js';
import { newChallenge } from './pow.js';
import { submitOpinion } from './submit.js';

// The citizen's pages: send (two steps: fill in, then see who receives it and by when, and
// send), follow with the tracking code and the phone's last four digits, add information,
// withdraw, rate, and the signed-in citizen's own list.
//
// A browser that sent or looked up an opinion keeps a signed, httpOnly cookie listing the
// opinion ids it proved (the last ten, for four hours), so the acknowledgement and the
// tracking view open without asking for the last four digits again.

const PROOF_COOKIE = 'xs_opinions';
const PROOF_KEEP = 10;
const PER_PAGE = 20;

type Fields = Record<string, unknown>;
interface FilePart { type: 'file'; filename: string; toBuffer(): Promise<Buffer> }

/** Form fields from a urlencoded, multipart (attachFieldsToBody) or JSON body; files of the `files` input apart. */
async function readForm(body: unknown): Promise<{ fields: Fields; uploads: Upload[] }> {
  const fields: Fields = {};
  const uploads: Upload[] = [];
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { fields, uploads };
  for (const [key, raw] of Object.entries(body as Record<string, unknown>)) {
    const values: unknown[] = [];
    for (const item of Array.isArray(raw) ? raw : [raw]) {
      const part = item as { type?: unknown; value?: unknown; fieldname?: unknown; filename?: string; toBuffer?: FilePart['toBuffer'] };
      if (part && typeof part === 'object' && typeof part.fieldname === 'string') {
        if (part.type === 'file' && typeof part.toBuffer === 'function') {
          if (key === 'files' && part.filename) uploads.push({ filename: part.filename, data: await part.toBuffer() });
        } else if (part.type === 'field') values.push(part.value);
      } else values.push(item);
    }
    if (values.length) fields[key] = values.length === 1 ? values[0] : values;
  }
  return { fields, uploads };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const keep = (f: Fields, names: readonly string[]) => Object.fromEntries(names.map((n) => [n, str(f[n])]));

/** The account module texts the code; the text says what it is for. */
const codeSms = (t: Catalog): Catalog => ({ ...t, account: { ...t.account, smsText: t.opinionsCitizen.smsText } });

export const citizenRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const db = () => ctx.database.db;
  const proofCookie = { path: '/opinions', httpOnly: true, sameSite: 'lax' as const, secure: ctx.config.secureCookies, signed: true, maxAge: 4 * 3600 };
  const limits = () => ({ maxFiles: ctx.config.opinions.maxAttachments, maxMb: megabytes(ctx.config.opinions.attachmentMaxBytes) });

  const sessionUser = (req: FastifyRequest): CurrentUser | null => (req.user && req.authVia === 'session' ? req.user : null);
  const proven = (req: FastifyRequest): number[] => {
    const raw = req.cookies[PROOF_COOKIE];
    const u = raw ? req.unsignCookie(raw) : null;
    if (!u?.valid || !u.value || !/^\d{1,10}(\.\d{1,10}){0,20}$/.test(u.value)) return [];
    return u.value.split('.').map(Number);
  };
  const remember = (req: FastifyRequest, reply: FastifyReply, id: number) => {
    const ids = [id, ...proven(req).filter((x) => x !== id)].slice(0, PROOF_KEEP);
    reply.setCookie(PROOF_COOKIE, ids.join('.'), proofCookie);
  };
  const mayFollow = (req: FastifyRequest, op: OpinionRow) =>
    proven(req).includes(op.id) || (op.citizen_id !== null && sessionUser(req)?.id === op.citizen_id);

  // ---- Sending -------------------------------------------------------------------------

  const step1 = async (req: FastifyRequest, values: Fields, issues?: FieldIssue[]) =>
    sendPage({ options: await loadFormOptions(db(), req.locale), form: { values, issues }, signedInAs: sessionUser(req)?.displayName ?? null });

  /** Checks step 1 without writing and works out who receives it and by when. */
  const preview = (req: FastifyRequest, f: Fields): Promise<Preview> => previewOf(db(), req.locale, req.t, f);

  const step2 = async (req: FastifyRequest, p: Preview, o: { form?: ConfirmPageProps['form']; codeSent?: boolean; notice?: ConfirmPageProps['notice']; idem?: unknown }) => {
    const anonymous = sessionUser(req) ? null : { codeSent: Boolean(o.codeSent), challenge: o.codeSent ? await newChallenge(ctx) : null };
    const idem = typeof o.idem === 'string' && /^[0-9a-f]{32}$/.test(o.idem) ? o.idem : randomBytes(16).toString('hex');
    return confirmPage({
      ...p, signedInAs: sessionUser(req)?.displayName ?? null, anonymous, form: o.form ?? {}, notice: o.notice ?? null, limits: limits(), idempotencyKey: idem,
    });
  };

  /**
   * The per-address limit answers on the page itself, with what was typed (the limit runs
   * after the body is read); oversized or too many files are refused while the body is
   * read, before the handler, so what was typed is gone: the page says to go back.
   */
  const sendErrors = async (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (err.statusCode === 429 && req.t) {
      const { fields } = await readForm(req.body);
      reply.header('retry-after', reply.getHeader('retry-after') ?? '600');
      try {
        const p = await preview(req, fields);
        const issues: FieldIssue[] = [{ field: sessionUser(req) ? 'files' : 'phone', message: (t) => t.common.errRateLimited }];
        return reply.page(await step2(req, p, { form: { values: keep(fields, ['phone']), issues }, codeSent: fields.codeSent === '1', idem: fields.idem }), 429);
      } catch (e) {
        if (e instanceof ValidationError) return reply.page(await step1(req, keep(fields, CARRIED), e.issues), 400);
        throw e;
      }
    }
    const tooBig = ['FST_REQ_FILE_TOO_LARGE', 'FST_FILES_LIMIT', 'FST_PARTS_LIMIT', 'FST_FIELDS_LIMIT'].includes(err.code);
    if (!tooBig || !req.t) return handleError(ctx, err, req, reply);
    const c = req.t.opinionsCitizen;
    const l = limits();
    return reply.page(h(ErrorPage, { title: c.filesRefusedTitle, message: c.filesRefused(l.maxFiles, l.maxMb) }) as VNode, 413);
  };

  app.get<{ Querystring: { member?: string; body?: string } }>('/opinions/new', async (req, reply) => {
    const values: Fields = { kind: 'opinion', public: '0', target: 'route' };
    const member = typeof req.query.member === 'string' && /^\d{1,10}$/.test(req.query.member) ? req.query.member : null;
    const body = typeof req.query.body === 'string' && /^\d{1,10}$/.test(req.query.body) ? req.query.body : null;
    if (member) Object.assign(values, { target: 'member', targetMemberId: member });
    else if (body) Object.assign(values, { target: 'body', targetBodyId: body });
    return reply.page(await step1(req, values));
  });

  app.post('/opinions/new', { config: { rateLimit: { max: 60, timeWindow: '10 minutes', hook: 'preHandler' } }, errorHandler: sendErrors }, async (req, reply) => {
    const { fields, uploads } = await readForm(req.body);
    const typed = keep(fields, CARRIED);
    if (fields.step === 'edit') return reply.page(await step1(req, typed));
    let p: Preview;
    try {
      p = await preview(req, fields);
    } catch (err) {
      if (err instanceof ValidationError) return reply.page(await step1(req, typed, err.issues), 400);
      throw err;
    }
    if (fields.step !== 'send') return reply.page(await step2(req, p, {}));

    const user = sessionUser(req);
    const codeSent = fields.codeSent === '1';
    const again = (issues: FieldIssue[], status: number) =>
      step2(req, p, { form: { values: keep(fields, ['phone']), issues }, codeSent, idem: fields.idem }).then((page) => reply.page(page, status));
    try {
      if (!user && !str(fields.proof)) throw new ValidationError([{ field: 'proof', message: (t) => t.opinionsCitizen.errNoProof }]);
      // Files are checked before the code and the proof are spent on this attempt.
      checkOpinionFiles(ctx, uploads);
      const result = await submitOpinion(ctx, user ? { kind: 'user', user } : { kind: 'phone', phone: fields.phone, code: fields.code, proof: fields.proof }, fields, {
        idempotencyKey: typeof fields.idem === 'string' && /^[0-9a-f]{32}$/.test(fields.idem) ? `form:${fields.idem}` : null,
        ip: req.ip, uploads, email: fields.email,
      });
      remember(req, reply, result.id);
      return reply.redirect(`/opinions/track/${result.trackingCode}?sent=${result.duplicate ? 'dup' : '1'}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) {
        // Fields of step 1 (changed on the way) go back to step 1, the rest stay here.
        if (err.issues.some((i) => (CARRIED as readonly string[]).includes(i.field))) return reply.page(await step1(req, typed, err.issues), 400);
        return again(err.issues, 400);
      }
      if (err instanceof DomainError && err.status === 429) {
        reply.header('retry-after', '3600');
        return again([{ field: user ? 'files' : 'phone', message: err.text }], 429);
      }
      throw err;
    }
  });

  app.post('/opinions/new/code', { config: { rateLimit: { max: 20, timeWindow: '1 hour', hook: 'preHandler' } }, errorHandler: sendErrors }, async (req, reply) => {
    const { fields, uploads } = await readForm(req.body);
    let p: Preview;
    try {
      p = await preview(req, fields);
    } catch (err) {
      if (err instanceof ValidationError) return reply.page(await step1(req, keep(fields, CARRIED), err.issues), 400);
      throw err;
    }
    if (sessionUser(req)) return reply.page(await step2(req, p, {}));
    const form = { values: keep(fields, ['phone']) };
    const codeSent = fields.codeSent === '1';
    try {
      await requestCode(ctx.database, ctx.config.cookieSecret, ctx.config.sms.adapter, { phone: fields.phone }, codeSms(req.t));
      return reply.page(await step2(req, p, { form, codeSent: true, notice: uploads.length ? 'files-again' : 'code-sent', idem: fields.idem }));
    } catch (err) {
      if (err instanceof ValidationError) return reply.page(await step2(req, p, { form: { ...form, issues: err.issues }, codeSent, idem: fields.idem }), 400);
      if (err instanceof DomainError && err.status === 429) {
        reply.header('retry-after', '60');
        return reply.page(await step2(req, p, { form: { ...form, issues: [{ field: 'phone', message: err.text }] }, codeSent, idem: fields.idem }), 429);
      }
      throw err;
    }
  });

  // ---- Following -----------------------------------------------------------------------

  const byCode = (code: string) => db().selectFrom('opinions').selectAll().where('tracking_code', '=', code).executeTakeFirst();

  app.get<{ Querystring: { code?: unknown } }>('/opinions/track', async (req, reply) => {
    const code = parseTrackingCode(req.query.code);
    if (code) {
      const op = await byCode(code);
      if (op && mayFollow(req, op)) return reply.redirect(`/opinions/track/${code}`, 303);
    }
    const typed = code ? formatTrackingCode(code) : str(req.query.code).slice(0, 20);
    return reply.page(lookupPage({ form: { values: { code: typed } }, signedIn: sessionUser(req) !== null }));
  });

  const lookupErrors = (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (err.statusCode !== 429 || !req.t) return handleError(ctx, err, req, reply);
    reply.header('retry-after', reply.getHeader('retry-after') ?? '600');
    return reply.page(lookupPage({ form: { issues: [{ field: 'code', message: (t) => t.opinionsCitizen.errLookupTooMany }] }, signedIn: sessionUser(req) !== null }), 429);
  };

  app.post('/opinions/track', { config: { rateLimit: { max: 30, timeWindow: '10 minutes' } }, errorHandler: lookupErrors }, async (req, reply) => {
    const { fields } = await readForm(req.body);
    const form = { values: { code: str(fields.code).slice(0, 20) } };
    try {
      const op = await findByTracking(ctx, fields.code, fields.last4);
      remember(req, reply, op.id);
      return reply.redirect(`/opinions/track/${op.tracking_code}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return reply.page(lookupPage({ form: { ...form, issues: err.issues }, signedIn: sessionUser(req) !== null }), 400);
      if (err instanceof DomainError && err.status === 429) {
        reply.header('retry-after', '3600');
        return reply.page(lookupPage({ form: { ...form, issues: [{ field: 'code', message: (t) => t.opinionsCitizen.errCodeLocked }] }, signedIn: sessionUser(req) !== null }), 429);
      }
      throw err;
    }
  });

  /** The opinion in the path, if this browser or signed-in person may follow it; else null. */
  async function followed(req: FastifyRequest<{ Params: { code: string } }>): Promise<OpinionRow | null> {
    const code = parseTrackingCode(req.params.code);
    if (!code) throw new NotFoundError();
    const op = await byCode(code);
    return op && mayFollow(req, op) ? op : null;
  }
  const toLookup = (req: FastifyRequest<{ Params: { code: string } }>, reply: FastifyReply) =>
    reply.redirect(`/opinions/track?code=${encodeURIComponent(parseTrackingCode(req.params.code) ?? '')}`, 303);

  const view = async (req: FastifyRequest, op: OpinionRow, extra: Partial<Pick<TrackViewProps, 'ack' | 'notice' | 'forms'>> = {}) =>
    trackView({ ...(await trackViewOf(db(), op, req.locale, req.t)), ack: extra.ack ?? null, notice: extra.notice ?? null, forms: extra.forms ?? {}, signedIn: sessionUser(req) !== null });

  const NOTICES = ['added', 'rated', 'reopened', 'withdrawn'] as const;
  app.get<{ Params: { code: string }; Querystring: { sent?: unknown; done?: unknown } }>('/opinions/track/:code', async (req, reply) => {
    const op = await followed(req);
    if (!op) return toLookup(req, reply);
    const ack = req.query.sent === '1' ? 'sent' : req.query.sent === 'dup' ? 'dup' : null;
    const notice = NOTICES.find((n) => n === req.query.done) ?? null;
    // Checked above (mayFollow). Everything the view shows changes with an event on the
    // opinion's stream, or with the date (overdue marks); a merged one also shows the other's.
    if (op.status === 'merged') return reply.page(await view(req, op, { ack, notice }));
    return personalPage(ctx, req, reply, `${op.id}:${await streamVersion(db(), op.id)}:${todayInChina()}`, () => view(req, op, { ack, notice }));
  });

  type CodeReq = FastifyRequest<{ Params: { code: string } }>;
  const base = (op: OpinionRow) => `/opinions/track/${op.tracking_code}`;

  app.post('/opinions/track/:code/info', async (req: CodeReq, reply) => {
    const op = await followed(req);
    if (!op) return toLookup(req, reply);
    const { fields } = await readForm(req.body);
    try {
      await addInformation(ctx, op, fields);
      return reply.redirect(`${base(op)}?done=added`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return reply.page(await view(req, op, { forms: { info: { values: keep(fields, ['info']), issues: err.issues } } }), 400);
      throw err;
    }
  });

  app.post('/opinions/track/:code/withdraw', async (req: CodeReq, reply) => {
    const op = await followed(req);
    if (!op) return toLookup(req, reply);
    const { fields } = await readForm(req.body);
    if (fields.confirm !== 'yes') return reply.page(withdrawPage({ code: formatTrackingCode(op.tracking_code), title: op.title }));
    await withdrawOpinion(ctx, op);
    return reply.redirect(`${base(op)}?done=withdrawn`, 303);
  });

  app.post('/opinions/track/:code/rate', async (req: CodeReq, reply) => {
    const op = await followed(req);
    if (!op) return toLookup(req, reply);
    const { fields } = await readForm(req.body);
    try {
      const { reopened } = await rateOpinion(ctx, op, fields);
      return reply.redirect(`${base(op)}?done=${reopened ? 'reopened' : 'rated'}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) {
        return reply.page(await view(req, op, { forms: { rate: { values: keep(fields, ['handling', 'result', 'comment']), issues: err.issues } } }), 400);
      }
      throw err;
    }
  });

  // ---- The signed-in citizen's list, and attachments ------------------------------------

  app.get<{ Querystring: { page?: unknown } }>('/my/opinions', async (req, reply) => {
    const user = signInFirst(req, reply);
    if (!user) return reply;
    const d = db();
    const count = await d.selectFrom('opinions').select((eb) => eb.fn.countAll<number>().as('n')).where('citizen_id', '=', user.id).executeTakeFirst();
    const total = Number(count?.n ?? 0);
    const pages = Math.max(1, Math.ceil(total / PER_PAGE));
    const asked = typeof req.query.page === 'string' && /^\d{1,6}$/.test(req.query.page) ? Number(req.query.page) : 1;
    const page = Math.min(Math.max(asked, 1), pages);
    const rows = await d.selectFrom('opinions').select(['tracking_code', 'title', 'status', 'created_at', 'accept_due', 'reply_due'])
      .where('citizen_id', '=', user.id).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(PER_PAGE).offset((page - 1) * PER_PAGE).execute();
    return reply.page(myOpinionsPage({
      page, pages, total,
      rows: rows.map((r) => {
        const due = r.status === 'received' ? r.accept_due : r.status === 'accepted' ? r.reply_due : null;
        return { trackingCode: r.tracking_code, title: r.title, status: r.status, createdAt: r.created_at, due, overdue: due !== null && isOverdue(due) };
      }),
    }));
  });

  app.get<{ Params: { id: string; name: string } }>('/opinions/files/:id/:name', async (req, reply) => {
    const d = db();
    const row = await d.selectFrom('attachments').selectAll().where('id', '=', pathId(req.params.id)).where('owner_type', '=', 'opinion').executeTakeFirst();
    if (!row || row.filename !== req.params.name) throw new NotFoundError();
    const op = await loadOpinion(d, row.owner_id);
    let allowed = proven(req).includes(op.id);
    if (!allowed && req.user) {
      const r = await rightsOn(d, req.user, op);
      allowed = r.sender || r.handle || r.supervise;
    }
    if (!allowed) throw new NotFoundError();
    const path = join(ctx.config.uploadsDir, row.storage_key);
    if (!(await stat(path).catch(() => null))?.isFile()) throw new NotFoundError();
    return reply.type(row.mime).header('content-length', row.size)
      .header('content-disposition', contentDisposition('attachment', row.filename))
      .header('x-content-type-options', 'nosniff').header('cache-control', 'private, no-store')
      .send(createReadStream(path));
  });
};
