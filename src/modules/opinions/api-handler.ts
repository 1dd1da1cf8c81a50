import type { FastifyPluginAsync } from 'fastify';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { bearer, bodyOf, bool, int, intOrStr, listMeta, nInt, nStr, obj, pathId, reloadOpinion, requireUser, str, TAGS, timelineItem } from './api-shared.js';
import { acceptOpinion, askCitizen, assignOpinion, closeOpinion, declineOpinion, forwardOpinion, mergeOpinion, replyToOpinion } from './handling.js';
import { opinionDetail } from './handler-service.js';
import { loadInbox, parseFilters, parseScope } from './inbox-queries.js';
import { handlerAccess } from './handler-access.js';
import { actionLabel, statusLabel } from './timeline.js';

// The handlers' side of the opinions API: their inbox, one opinion, and the actions on it.

export const handlerApi: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const db = ctx.database.db;

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
      const op = await reloadOpinion(db, id);
      return { id, status: op.status, statusLabel: statusLabel(req.t, op.status), ...extra };
    });
  }
};
