import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { NotFoundError, UnauthenticatedError, ValidationError } from '../../platform/errors.js';
import { maskPhone } from '../../platform/validation.js';
import type { Catalog } from '../../web/i18n/index.js';
import { requestCode } from '../account/service.js';
import { actionItemUpdates, actionRights, loadActionItem, updateActionItem, type UpdateKind } from '../actions/service.js';
import type { OpinionRow } from './access.js';
import { addInformation, rateOpinion, senderOpinion, withdrawOpinion } from './citizen.js';
import { acceptOpinion, askCitizen, assignOpinion, closeOpinion, declineOpinion, forwardOpinion, mergeOpinion, replyToOpinion } from './handling.js';
import { opinionDetail } from './handler-service.js';
import { loadInbox, parseFilters, parseScope } from './inbox-queries.js';
import { handlerAccess } from './handler-access.js';
import { ACTION_FILTERS, type ActionFilter, departmentItems } from './supervision-queries.js';
import { OPEN_STATUSES, formatTrackingCode, parseTrackingCode } from './model.js';
import { citizenLink } from './notices.js';
import { newChallenge } from './pow.js';
import { recipientLabel } from './recipient.js';
import { submitOpinion } from './submit.js';
import { actionLabel, opinionTimeline, statusLabel } from './timeline.js';

// The voice channel for API clients: the same services and rules as the pages. Citizens
// send, follow, add to, withdraw and rate; handlers work their inbox; departments answer
// their action items. Bearer tokens or the session cookie authenticate (a cookie-borne
// JSON POST carries the CSRF token in X-CSRF-Token, like every other /api/v1 POST).

const str = { type: 'string' } as const;
const nStr = { type: ['string', 'null'] } as const;
const int = { type: 'integer' } as const;
const nInt = { type: ['integer', 'null'] } as const;
const bool = { type: 'boolean' } as const;
// Request bodies accept JSON numbers and booleans or their strings (the same rules as forms
// check them): anyOf keeps Ajv's strict mode happy; null first, so it is never coerced to 0.
const intOrStr = (description: string) => ({ anyOf: [{ type: 'null' }, { type: 'integer' }, { type: 'string' }], description }) as const;
const boolOrStr = (description: string) => ({ anyOf: [{ type: 'boolean' }, { type: 'string' }], description }) as const;
const rating = { enum: [3, 2, 1, '3', '2', '1'], description: '3 satisfied · 2 basically satisfied · 1 not satisfied' } as const;
const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'object', properties, ...extra });
const bearer = [{ bearer: [] }];
const TAGS = ['opinions'];

const timelineItem = obj({
  at: str, action: str, label: str, actor: nStr, text: nStr,
  detail: obj({
    to: nStr, department: nStr, dueOn: nStr, actionItemId: nInt, mergedCode: nStr,
    rating: { type: ['object', 'null'], properties: { handling: int, result: int } },
  }),
});

const senderView = obj({
  id: int, trackingCode: str, trackingCodeShown: str, kind: str, title: str, body: str, category: str,
  status: str, statusLabel: str, createdAt: str, acceptDue: str, replyDue: str, reopenCount: int,
  publicConsent: bool, publicVisible: bool,
  recipient: obj({ body: str, member: nStr }),
  reply: nStr,
  rating: { type: ['object', 'null'], properties: { handling: int, result: int } },
  mergedInto: { type: ['object', 'null'], properties: { trackingCode: str, status: str, statusLabel: str, reply: nStr } },
  can: obj({ addInformation: bool, withdraw: bool, rate: bool }),
  url: str,
  timeline: { type: 'array', items: timelineItem },
});

const submitResult = obj({ id: int, trackingCode: str, duplicate: bool, acceptDue: str, replyDue: str, url: str });

const listMeta = { page: int, pages: int, total: int };

// An Idempotency-Key is 1–100 visible ASCII characters (a UUID, a client's request id).
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,100}$/;

function idempotencyKey(req: FastifyRequest): string | null {
  const raw = req.headers['idempotency-key'];
  if (raw === undefined) return null;
  if (typeof raw !== 'string' || !IDEMPOTENCY_KEY.test(raw)) {
    throw new ValidationError([{ field: 'Idempotency-Key', message: (t) => t.common.errInvalid('Idempotency-Key') }]);
  }
  return raw;
}

const bodyOf = (req: FastifyRequest): Record<string, unknown> => {
  const b = req.body;
  return b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
};

/** A path id: digits only, else not found (never a query with a bad value). */
function pathId(raw: string): number {
  if (!/^\d{1,9}$/.test(raw) || Number(raw) <= 0) throw new NotFoundError();
  return Number(raw);
}

function requireUser(req: FastifyRequest): CurrentUser {
  if (!req.user) throw new UnauthenticatedError();
  return req.user;
}

/** The opinion as its sender sees it (after the proof was checked). */
async function viewForSender(ctx: AppContext, req: FastifyRequest, op: OpinionRow) {
  const t: Catalog = req.t;
  const db = ctx.database.db;
  const [recipient, timeline, merged] = await Promise.all([
    recipientLabel(db, { handlerBodyId: op.handler_body_id, handlerUserId: op.handler_user_id }),
    opinionTimeline(db, op, 'sender'),
    op.merged_into_id === null ? null
      : db.selectFrom('opinions').select(['tracking_code', 'status', 'reply_text']).where('id', '=', op.merged_into_id).executeTakeFirst(),
  ]);
  const open = OPEN_STATUSES.includes(op.status);
  return {
    id: op.id, trackingCode: op.tracking_code, trackingCodeShown: formatTrackingCode(op.tracking_code), kind: op.kind, title: op.title, body: op.body,
    category: op.category_key, status: op.status, statusLabel: statusLabel(t, op.status), createdAt: op.created_at,
    acceptDue: op.accept_due, replyDue: op.reply_due, reopenCount: op.reopen_count,
    publicConsent: op.public_consent === 1, publicVisible: op.public_visible === 1,
    recipient: { body: req.locale === 'en' && recipient.bodyEn ? recipient.bodyEn : recipient.body, member: recipient.member },
    reply: op.reply_text,
    rating: op.rating_handling !== null && op.rating_result !== null ? { handling: op.rating_handling, result: op.rating_result } : null,
    mergedInto: merged ? { trackingCode: merged.tracking_code, status: merged.status, statusLabel: statusLabel(t, merged.status), reply: merged.reply_text } : null,
    can: { addInformation: open, withdraw: open, rate: op.status === 'replied' },
    url: citizenLink(op.tracking_code),
    timeline: timeline.map((i) => ({ at: i.at, action: i.action, label: actionLabel(t, i.action), actor: i.actor, text: i.text, detail: i.detail })),
  };
}

export const api: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const db = ctx.database.db;

  /**
   * The sender of the opinion with this tracking code: by the phone's last four digits, or
   * signed in as the sender. Anything else is not found (tracking codes reveal nothing).
   */
  async function asSender(req: FastifyRequest, rawCode: string): Promise<OpinionRow> {
    const b = bodyOf(req);
    if (b.last4 !== undefined && b.last4 !== null && b.last4 !== '') {
      return senderOpinion(ctx, null, { kind: 'code', code: rawCode, last4: typeof b.last4 === 'number' ? String(b.last4).padStart(4, '0') : b.last4 });
    }
    if (!req.user) throw new ValidationError([{ field: 'last4', message: (t) => t.common.errRequired(t.opinions.fLast4) }]);
    const code = parseTrackingCode(rawCode);
    if (!code) throw new NotFoundError();
    const row = await db.selectFrom('opinions').select('id').where('tracking_code', '=', code).executeTakeFirst();
    if (!row) throw new NotFoundError();
    return senderOpinion(ctx, row.id, { kind: 'user', user: req.user });
  }

  // ---------------------------------------------------------------------------------------
  // Sending

  app.get('/api/v1/opinions/challenge', {
    schema: {
      tags: TAGS, summary: 'A fresh proof-of-work challenge (ALTCHA v1) for sending without an account',
      description: 'Find the number n (0 ≤ n ≤ maxnumber) with SHA-256(salt + n) = challenge (hex), then send base64(JSON {algorithm, challenge, number, salt, signature}) as `proof`. Each solution is accepted once, for 20 minutes.',
      response: { 200: obj({ algorithm: str, challenge: str, maxnumber: int, salt: str, signature: str }) },
    },
  }, async () => newChallenge(ctx));

  app.post('/api/v1/opinions/code', {
    config: { rateLimit: { max: 20, timeWindow: '1 hour' } },
    schema: {
      tags: TAGS, summary: 'Text a one-time code to a phone, to send an opinion without an account',
      description: 'Limited per phone (one a minute, five an hour) and per address. The code is valid for 5 minutes.',
      body: obj({ phone: { type: 'string', description: 'A mainland mobile number' } }),
      response: { 202: obj({ phone: { type: 'string', description: 'Masked, e.g. 138****5678' }, expiresInSeconds: int }) },
    },
  }, async (req, reply) => {
    const phone = await requestCode(ctx.database, ctx.config.cookieSecret, ctx.config.sms.adapter, bodyOf(req), req.t);
    return reply.code(202).send({ phone: maskPhone(phone), expiresInSeconds: 300 });
  });

  app.post('/api/v1/opinions', {
    schema: {
      tags: TAGS, summary: 'Send an opinion, request or suggestion (signed in, or anonymous with a texted code and a proof of work)',
      description: 'With an `Idempotency-Key` header (1–100 visible ASCII characters) a retried request returns the first result and never creates a second opinion; the same key with a different body is a 409. An exact duplicate from the same sender within a day returns the earlier opinion with `duplicate: true` (status 200).',
      headers: obj({ 'idempotency-key': { type: 'string', description: '1–100 visible ASCII characters' } }),
      body: obj({
        kind: { type: 'string', enum: ['opinion', 'request', 'suggestion'] },
        title: { type: 'string', description: '4–60 characters' },
        body: { type: 'string', description: '10–3000 characters' },
        category: { type: 'string', description: 'A category key, e.g. traffic' },
        regionId: intOrStr('The region it concerns (county, township or village)'),
        target: { type: 'string', enum: ['body', 'member', 'route'], description: 'A body, a member, or let the committee route it' },
        targetBodyId: intOrStr('With target "body"'),
        targetMemberId: intOrStr('With target "member": the member’s user id'),
        public: boolOrStr('May be shown publicly (identity always masked)'),
        email: { type: 'string', description: 'Optional: also notify by e-mail' },
        phone: { type: 'string', description: 'Anonymous only: the phone the code was texted to' },
        code: { type: 'string', description: 'Anonymous only: the six-digit code' },
        proof: { type: 'string', description: 'Anonymous only: the solved challenge (see /api/v1/opinions/challenge)' },
      }),
      response: { 200: submitResult, 201: submitResult },
    },
  }, async (req, reply) => {
    const key = idempotencyKey(req);
    const raw = bodyOf(req);
    const sender = req.user ? { kind: 'user' as const, user: req.user } : { kind: 'phone' as const, phone: raw.phone, code: raw.code, proof: raw.proof };
    const r = await submitOpinion(ctx, sender, raw, { idempotencyKey: key, ip: req.ip, email: raw.email });
    return reply.code(r.duplicate ? 200 : 201).send({ ...r, url: citizenLink(r.trackingCode) });
  });

  // ---------------------------------------------------------------------------------------
  // Following: the sender's view, additions, withdrawal, rating

  app.post('/api/v1/opinions/track', {
    schema: {
      tags: TAGS, summary: 'An opinion as its sender sees it, by tracking code and the last four digits of the phone',
      description: 'Wrong digits are counted: after ten in an hour the code is locked for that hour.',
      body: obj({ code: { type: 'string', description: 'ABCDE-FGHJK (case, spaces and dashes do not matter)' }, last4: str }),
      response: { 200: senderView },
    },
  }, async (req) => {
    const b = bodyOf(req);
    const op = await senderOpinion(ctx, null, { kind: 'code', code: b.code, last4: b.last4 });
    return viewForSender(ctx, req, op);
  });

  app.get<{ Querystring: { page?: string } }>('/api/v1/me/opinions', {
    schema: {
      tags: TAGS, summary: 'The signed-in citizen’s opinions, newest first (20 a page)', security: bearer,
      querystring: obj({ page: str }),
      response: {
        200: obj({
          items: { type: 'array', items: obj({ id: int, trackingCode: str, title: str, status: str, statusLabel: str, createdAt: str, acceptDue: str, replyDue: str, url: str }) },
          ...listMeta,
        }),
      },
    },
  }, async (req) => {
    const user = requireUser(req);
    const size = 20;
    const total = Number((await db.selectFrom('opinions').select((eb) => eb.fn.countAll<number>().as('n')).where('citizen_id', '=', user.id).executeTakeFirstOrThrow()).n);
    const pages = Math.max(1, Math.ceil(total / size));
    const page = Math.min(pages, /^\d{1,5}$/.test(req.query.page ?? '') && Number(req.query.page) > 0 ? Number(req.query.page) : 1);
    const rows = await db.selectFrom('opinions').select(['id', 'tracking_code', 'title', 'status', 'created_at', 'accept_due', 'reply_due'])
      .where('citizen_id', '=', user.id).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(size).offset((page - 1) * size).execute();
    return {
      items: rows.map((r) => ({
        id: r.id, trackingCode: r.tracking_code, title: r.title, status: r.status, statusLabel: statusLabel(req.t, r.status), createdAt: r.created_at,
        acceptDue: r.accept_due, replyDue: r.reply_due, url: citizenLink(r.tracking_code),
      })),
      page, pages, total,
    };
  });

  const codeParams = obj({ code: { type: 'string', description: 'The tracking code' } }, { required: ['code'] });
  const last4Field = { type: 'string', description: 'The last four digits of the phone (not needed when signed in as the sender)' };

  app.post<{ Params: { code: string } }>('/api/v1/opinions/:code/information', {
    schema: {
      tags: TAGS, summary: 'Add information to an open opinion (its sender)', params: codeParams,
      body: obj({ last4: last4Field, info: { type: 'string', description: '2–3000 characters' } }),
      response: { 200: senderView },
    },
  }, async (req) => {
    const op = await asSender(req, req.params.code);
    await addInformation(ctx, op, bodyOf(req));
    return viewForSender(ctx, req, await reload(op.id));
  });

  app.post<{ Params: { code: string } }>('/api/v1/opinions/:code/withdraw', {
    schema: {
      tags: TAGS, summary: 'Withdraw an open opinion (its sender)', params: codeParams,
      body: obj({ last4: last4Field }),
      response: { 200: senderView },
    },
  }, async (req) => {
    const op = await asSender(req, req.params.code);
    await withdrawOpinion(ctx, op);
    return viewForSender(ctx, req, await reload(op.id));
  });

  app.post<{ Params: { code: string } }>('/api/v1/opinions/:code/rating', {
    schema: {
      tags: TAGS, summary: 'Rate the reply (its sender): the handling and the result, 3 satisfied · 2 basically satisfied · 1 not satisfied',
      description: '"Not satisfied" on either reopens the opinion once for re-handling; the next rating closes it.',
      params: codeParams,
      body: obj({ last4: last4Field, handling: rating, result: rating, comment: str }),
      response: { 200: obj({ reopened: bool, opinion: senderView }) },
    },
  }, async (req) => {
    const op = await asSender(req, req.params.code);
    const r = await rateOpinion(ctx, op, bodyOf(req));
    return { reopened: r.reopened, opinion: await viewForSender(ctx, req, await reload(op.id)) };
  });

  async function reload(id: number): Promise<OpinionRow> {
    const row = await db.selectFrom('opinions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError();
    return row;
  }

  // ---------------------------------------------------------------------------------------
  // Handlers

  const inboxRow = obj({
    id: int, code: str, title: str, status: str, statusLabel: str, category: str, region: nStr, receivedAt: str, acceptDue: str, replyDue: str,
    handlerBody: str, handlerUser: nStr,
    due: { type: ['object', 'null'], properties: { kind: str, on: str, overdueDays: int } },
    targetType: str, routingConfirmed: bool, publicVisible: bool,
  });

  app.get<{ Querystring: Record<string, string> }>('/api/v1/handle/opinions', {
    schema: {
      tags: TAGS, summary: 'A handler’s inbox: one body’s (`body=ID`) or the member’s own (`mine=1`), filtered, 30 a page', security: bearer,
      querystring: obj({
        body: str, mine: str, status: { type: 'string', description: 'open, received, accepted, replied, closed, declined, withdrawn or merged' },
        overdue: { type: 'string', description: '1: only those past their running clock' }, category: str, region: str,
        due: { type: 'string', description: 'Running clock due on or before this date' }, q: str, sort: { type: 'string', enum: ['new', 'due'] }, page: str,
      }),
      response: { 200: obj({ scope: obj({ kind: str, bodyId: nInt }), items: { type: 'array', items: inboxRow }, ...listMeta, capped: bool }) },
    },
  }, async (req) => {
    const access = await handlerAccess(db, req.user);
    const query = req.query as Record<string, unknown>;
    const scope = parseScope(query, access);
    const filters = parseFilters(query);
    const r = await loadInbox(db, scope, filters);
    return {
      scope: { kind: scope.kind, bodyId: scope.kind === 'body' ? scope.bodyId : null },
      items: r.rows.map((row) => ({ ...row, statusLabel: statusLabel(req.t, row.status), category: req.locale === 'en' ? row.categoryEn : row.category,
        handlerBody: req.locale === 'en' && row.handlerBodyEn ? row.handlerBodyEn : row.handlerBody })),
      page: Math.min(filters.page, r.pages), pages: r.pages, total: r.total, capped: r.capped,
    };
  });

  app.get<{ Params: { id: string } }>('/api/v1/handle/opinions/:id', {
    schema: {
      tags: TAGS, summary: 'One opinion as its handlers and supervisors see it, with its timeline, ratings and action items', security: bearer,
      params: obj({ id: str }, { required: ['id'] }),
      response: {
        200: obj({
          id: int, trackingCode: str, kind: str, title: str, body: str, category: str, regionPath: { type: 'array', items: str },
          status: str, statusLabel: str, createdAt: str, acceptDue: str, replyDue: str, acceptedAt: nStr, repliedAt: nStr, closedAt: nStr,
          reopenCount: int, publicConsent: bool, publicVisible: bool, reply: nStr,
          handlerBody: { type: ['object', 'null'], properties: { id: int, name: str } }, handlerUser: nStr,
          targetType: str, target: obj({ body: nStr, member: nStr }),
          suggestion: { type: ['object', 'null'], properties: { bodyId: int, name: str, reason: nStr } },
          citizen: { type: ['object', 'null'], properties: { name: nStr, phone: str } },
          rights: obj({ handle: bool, supervise: bool }),
          attachments: { type: 'array', items: obj({ id: int, filename: str, size: int, mime: str }) },
          ratings: { type: 'array', items: obj({ round: int, handling: int, result: int, comment: nStr, at: str }) },
          actionItems: { type: 'array', items: obj({ id: int, department: str, status: str, dueOn: str, overdueDays: int }) },
          mergedInto: { type: ['object', 'null'], properties: { id: int, code: str } },
          timeline: { type: 'array', items: timelineItem },
        }),
      },
    },
  }, async (req) => {
    const access = await handlerAccess(db, req.user);
    const d = await opinionDetail(db, access, pathId(req.params.id));
    const op = d.op;
    return {
      id: op.id, trackingCode: op.tracking_code, kind: op.kind, title: op.title, body: op.body,
      category: (req.locale === 'en' ? d.category?.nameEn : d.category?.name) ?? op.category_key, regionPath: d.regionPath,
      status: op.status, statusLabel: statusLabel(req.t, op.status), createdAt: op.created_at, acceptDue: op.accept_due, replyDue: op.reply_due,
      acceptedAt: op.accepted_at, repliedAt: op.replied_at, closedAt: op.closed_at, reopenCount: op.reopen_count,
      publicConsent: op.public_consent === 1, publicVisible: op.public_visible === 1, reply: op.reply_text,
      handlerBody: d.handlerBody ? { id: d.handlerBody.id, name: req.locale === 'en' && d.handlerBody.nameEn ? d.handlerBody.nameEn : d.handlerBody.name } : null,
      handlerUser: d.handlerUser, targetType: op.target_type, target: d.target, suggestion: d.suggestion, citizen: d.citizen, rights: d.rights,
      attachments: d.attachments, ratings: d.ratings, actionItems: d.actionItems, mergedInto: d.mergedInto,
      timeline: d.timeline.map((i) => ({ at: i.at, action: i.action, label: actionLabel(req.t, i.action), actor: i.actor, text: i.text, detail: i.detail })),
    };
  });

  type Act = (user: CurrentUser | null, id: number, body: Record<string, unknown>) => Promise<{ actionItemId?: number; mergedIntoId?: number }>;
  const actions: Array<{ name: string; summary: string; body: Record<string, unknown>; run: Act }> = [
    { name: 'accept', summary: 'Accept (received → accepted); the reply clock keeps running', body: {}, run: async (u, id) => { await acceptOpinion(ctx, u, id); return {}; } },
    { name: 'decline', summary: 'Decline, with a reason the citizen sees', body: { reason: { type: 'string', description: '4–1000 characters' } },
      run: async (u, id, b) => { await declineOpinion(ctx, u, id, b); return {}; } },
    { name: 'reply', summary: 'Reply (the citizen may then rate it)', body: { reply: { type: 'string', description: '4–5000 characters' } },
      run: async (u, id, b) => { await replyToOpinion(ctx, u, id, b); return {}; } },
    { name: 'question', summary: 'Ask the citizen a question', body: { question: { type: 'string', description: '4–1000 characters' } },
      run: async (u, id, b) => { await askCitizen(ctx, u, id, b); return {}; } },
    { name: 'assign', summary: 'Pass on to another body or a member (routing an unaddressed opinion teaches the suggester)',
      body: { bodyId: intOrStr('A receiving body'), memberId: intOrStr('Or a member’s user id'), note: str },
      run: async (u, id, b) => { await assignOpinion(ctx, u, id, b); return {}; } },
    { name: 'forward', summary: 'Forward to a government department as an action item (due when the reply is, or in dueDays working days)',
      body: { departmentId: intOrStr('A department'), instructions: { type: 'string', description: '4–2000 characters' }, dueDays: intOrStr('1–60 working days') },
      run: async (u, id, b) => ({ actionItemId: await forwardOpinion(ctx, u, id, b) }) },
    { name: 'merge', summary: 'Merge a duplicate into another open opinion (its sender follows that one)', body: { into: { type: 'string', description: 'The other opinion’s tracking code' } },
      run: async (u, id, b) => ({ mergedIntoId: await mergeOpinion(ctx, u, id, b) }) },
    { name: 'close', summary: 'Close a replied opinion the citizen has not rated', body: {}, run: async (u, id) => { await closeOpinion(ctx, u, id); return {}; } },
  ];
  for (const a of actions) {
    app.post<{ Params: { id: string } }>(`/api/v1/handle/opinions/:id/${a.name}`, {
      schema: {
        tags: TAGS, summary: a.summary, security: bearer,
        params: obj({ id: str }, { required: ['id'] }),
        body: obj(a.body),
        response: { 200: obj({ id: int, status: str, statusLabel: str, actionItemId: int, mergedIntoId: int }) },
      },
    }, async (req) => {
      requireUser(req);
      const id = pathId(req.params.id);
      const extra = await a.run(req.user, id, bodyOf(req));
      const op = await reload(id);
      return { id, status: op.status, statusLabel: statusLabel(req.t, op.status), ...extra };
    });
  }

  // ---------------------------------------------------------------------------------------
  // Departments: action items

  const actionRow = obj({ id: int, title: str, sourceType: str, sourceId: int, dueOn: str, status: str, createdAt: str, answeredAt: nStr, doneAt: nStr, assignedBody: nStr, overdueDays: int });

  app.get<{ Querystring: Record<string, string> }>('/api/v1/handle/actions', {
    schema: {
      tags: TAGS, summary: 'A department’s action items, by due date (30 a page)', security: bearer,
      querystring: obj({
        department: { type: 'string', description: 'A department the caller answers for (default: the first)' },
        status: { type: 'string', description: `${ACTION_FILTERS.join(', ')} (default pending: open or answered)` }, page: str,
      }),
      response: { 200: obj({ department: obj({ id: int, name: str }), departments: { type: 'array', items: obj({ id: int, name: str }) }, items: { type: 'array', items: actionRow }, ...listMeta }) },
    },
  }, async (req) => {
    const access = await handlerAccess(db, req.user);
    const q = req.query as Record<string, unknown>;
    const wanted = typeof q.department === 'string' && /^\d{1,9}$/.test(q.department) ? Number(q.department) : null;
    if (access.departments.length === 0 || (q.department !== undefined && q.department !== '' && (wanted === null || !access.departments.includes(wanted)))) {
      throw new NotFoundError();
    }
    const deptId = wanted ?? (access.departments[0] as number);
    const filter: ActionFilter = typeof q.status === 'string' && (ACTION_FILTERS as readonly string[]).includes(q.status) ? (q.status as ActionFilter) : 'pending';
    const page = typeof q.page === 'string' && /^\d{1,5}$/.test(q.page) && Number(q.page) > 0 ? Number(q.page) : 1;
    const r = await departmentItems(db, deptId, filter, page);
    const names = new Map(access.bodies.map((b) => [b.id, req.locale === 'en' && b.nameEn ? b.nameEn : b.name]));
    return {
      department: { id: deptId, name: names.get(deptId) ?? '' },
      departments: access.departments.map((id) => ({ id, name: names.get(id) ?? '' })),
      items: r.rows, page: Math.min(page, r.pages), pages: r.pages, total: r.total,
    };
  });

  app.get<{ Params: { id: string } }>('/api/v1/handle/actions/:id', {
    schema: {
      tags: TAGS, summary: 'One action item with its updates (the department, or the body that assigned it)', security: bearer,
      params: obj({ id: str }, { required: ['id'] }),
      response: {
        200: obj({
          id: int, title: str, instructions: str, sourceType: str, sourceId: int, departmentId: int, dueOn: str, status: str, answer: nStr,
          answeredAt: nStr, doneAt: nStr, rights: obj({ answer: bool, supervise: bool }),
          updates: { type: 'array', items: obj({ id: int, kind: str, body: str, authorName: nStr, createdAt: str }) },
        }),
      },
    },
  }, async (req) => {
    const user = requireUser(req);
    const item = await loadActionItem(db, pathId(req.params.id));
    const rights = await actionRights(db, user, item);
    if (!rights.answer && !rights.supervise) throw new NotFoundError();
    return {
      id: item.id, title: item.title, instructions: item.instructions, sourceType: item.source_type, sourceId: item.source_id, departmentId: item.owner_body_id,
      dueOn: item.due_on, status: item.status, answer: item.answer, answeredAt: item.answered_at, doneAt: item.done_at, rights,
      updates: await actionItemUpdates(db, item.id),
    };
  });

  const updateKinds: Array<[UpdateKind, string]> = [
    ['progress', 'Report progress on an action item (its department)'],
    ['answer', 'Answer an action item (its department); for a forwarded opinion this is the reply the citizen rates. done: true also completes it'],
    ['done', 'Mark an action item done, with the evidence (its department)'],
  ];
  for (const [kind, summary] of updateKinds) {
    app.post<{ Params: { id: string } }>(`/api/v1/actions/:id/${kind}`, {
      schema: {
        tags: TAGS, summary, security: bearer,
        params: obj({ id: str }, { required: ['id'] }),
        body: obj({ text: { type: 'string', description: '2–5000 characters' }, ...(kind === 'answer' ? { done: boolOrStr('Also complete the item') } : {}) }),
        response: { 200: obj({ id: int, status: str }) },
      },
    }, async (req) => {
      requireUser(req);
      const id = pathId(req.params.id);
      const b = bodyOf(req);
      await updateActionItem(ctx, req.user, id, kind, { ...b, done: b.done === true ? '1' : b.done === false ? undefined : b.done });
      const item = await loadActionItem(db, id);
      return { id, status: item.status };
    });
  }
};
