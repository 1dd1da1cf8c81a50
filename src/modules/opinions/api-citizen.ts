import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { maskPhone } from '../../platform/validation.js';
import type { Catalog } from '../../web/i18n/index.js';
import { requestCode } from '../account/service.js';
import type { OpinionRow } from './access.js';
import { bearer, bodyOf, bool, boolOrStr, int, intOrStr, listMeta, nStr, obj, reloadOpinion, requireUser, str, TAGS, timelineItem } from './api-shared.js';
import { addInformation, rateOpinion, senderOpinion, withdrawOpinion } from './citizen.js';
import { OPEN_STATUSES, formatTrackingCode, parseTrackingCode } from './model.js';
import { citizenLink } from './notices.js';
import { newChallenge } from './pow.js';
import { recipientLabel } from './recipient.js';
import { submitOpinion } from './submit.js';
import { actionLabel, opinionTimeline, statusLabel } from './timeline.js';

// The citizens' side of the opinions API: send, follow, add to, withdraw and rate.

const rating = { enum: [3, 2, 1, '3', '2', '1'], description: '3 satisfied · 2 basically satisfied · 1 not satisfied' } as const;

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

export const citizenApi: FastifyPluginAsync = async (app) => {
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
    return viewForSender(ctx, req, await reloadOpinion(db, op.id));
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
    return viewForSender(ctx, req, await reloadOpinion(db, op.id));
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
    return { reopened: r.reopened, opinion: await viewForSender(ctx, req, await reloadOpinion(db, op.id)) };
  });
};
