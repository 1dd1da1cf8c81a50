import type { FastifyPluginAsync } from 'fastify';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '../../platform/errors.js';
import { pathId } from '../content/shared/ids.js';
import { manageableBodies } from './access.js';
import { currentNotices, noticesOf, parseCurrentQuery, publishNotice } from './community-notice-service.js';
import { ESCALATION_STATUSES, type EscalationStatus, escalationItem, inbox, ofCommunities, sent } from './escalation-queries.js';
import { escalate, escalationRights, escalationSources, loadEscalation, respondToEscalation } from './escalation-service.js';
import { assignLiaison, communityConsultations, endLiaison, isLiaisonAdmin, joinAsLiaison, listLiaisons, myAssignments } from './liaison-service.js';
import { pageParam, publicConsultation } from './public-service.js';

// Grassroots linkage for API clients (bearer tokens): the same services as the pages.

const idParams = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } as const;
const ok = { type: 'object', additionalProperties: true } as const;
const anyBody = { type: 'object', additionalProperties: true } as const;
const pageQuery = { type: 'object', properties: { page: { type: 'string' } } } as const;

export const grassrootsApi: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const db = () => ctx.database.db;
  const tags = ['consultations'];

  app.get<{ Querystring: { box?: string; status?: string; page?: string } }>('/api/v1/escalations', {
    schema: {
      tags, summary: 'Escalations: those escalated to the bodies one organises (box=inbox, default) or those one\'s council escalated (box=sent); 30 a page',
      querystring: { type: 'object', properties: { box: { type: 'string' }, status: { type: 'string' }, page: { type: 'string' } } }, response: { 200: ok },
    },
  }, async (req) => {
    if (!req.user) throw new UnauthenticatedError();
    const page = pageParam(req.query.page);
    if (req.query.box === 'sent') {
      const sources = await escalationSources(db(), req.user);
      if (!sources.length) throw new ForbiddenError((t) => t.grassroots.errNoSource);
      return sent(db(), sources.map((s) => s.id), page);
    }
    const bodies = await manageableBodies(db(), req.user);
    if (!bodies.length) throw new ForbiddenError();
    const status = (ESCALATION_STATUSES as readonly string[]).includes(req.query.status ?? '') ? req.query.status as EscalationStatus : null;
    return inbox(db(), bodies.map((b) => b.id), status, page);
  });

  app.post('/api/v1/escalations', {
    schema: { tags, summary: 'Escalate a matter from one\'s council to a body above it (fromBodyId, toBodyId, title, description, consultationId?)', body: anyBody, response: { 201: ok } },
  }, async (req, reply) => reply.code(201).send({ id: await escalate(ctx, req.user, req.body) }));

  app.get<{ Params: { id: string } }>('/api/v1/escalations/:id', {
    schema: { tags, summary: 'One escalation, for the organisers of either side', params: idParams, response: { 200: ok } },
  }, async (req) => {
    const e = await loadEscalation(db(), pathId(req.params.id));
    if (!req.user) throw new UnauthenticatedError();
    if (!(await escalationRights(db(), req.user, e)).view) throw new ForbiddenError();
    const item = await escalationItem(db(), e.id);
    if (!item) throw new NotFoundError();
    return item;
  });

  app.post<{ Params: { id: string } }>('/api/v1/escalations/:id/response', {
    schema: {
      tags, summary: 'Answer an escalation (receiver): action accept|decline|answer, response, result (new_topic with callId, new_consultation with form, new_action_item with departmentId and dueDays, or topic|consultation|plan_item|action_item with resultId)',
      params: idParams, body: anyBody, response: { 200: ok },
    },
  }, async (req) => {
    const id = pathId(req.params.id);
    await respondToEscalation(ctx, req.user, id, req.body);
    const e = await loadEscalation(db(), id);
    return { status: e.status, result_type: e.result_type, result_id: e.result_id };
  });

  app.get<{ Params: { id: string } }>('/api/v1/consultations/:id/notices', {
    schema: { tags, summary: 'A public community consultation\'s notices of its decision and result (公示)', params: idParams, response: { 200: ok } },
  }, async (req) => {
    const c = await publicConsultation(db(), pathId(req.params.id));
    return { consultation_id: c.id, stage: c.stage, notices: await noticesOf(db(), c.id) };
  });

  app.post<{ Params: { id: string } }>('/api/v1/consultations/:id/notices', {
    schema: { tags, summary: 'Publish a notice (kind decision|result, body in Markdown, noticeUntil); it moves the consultation to the notice stage (organisers)', params: idParams, body: anyBody, response: { 201: ok } },
  }, async (req, reply) => reply.code(201).send({ stage: await publishNotice(ctx, req.user, pathId(req.params.id), req.body) }));

  app.get<{ Querystring: { body?: string; region?: string; page?: string } }>('/api/v1/consultation-notices', {
    schema: { tags, summary: 'Notices in their notice period, for a council (body) or a region; 20 a page', querystring: { type: 'object', properties: { body: { type: 'string' }, region: { type: 'string' }, page: { type: 'string' } } }, response: { 200: ok } },
  }, async (req) => {
    const r = await currentNotices(db(), parseCurrentQuery(req.query));
    return { total: r.total, page: r.page, pages: r.pages, items: r.items };
  });

  app.get<{ Querystring: { all?: string; page?: string } }>('/api/v1/member-liaisons', {
    schema: { tags, summary: 'Member liaison assignments (committee staff): current, or all=1; 50 a page', querystring: { type: 'object', properties: { all: { type: 'string' }, page: { type: 'string' } } }, response: { 200: ok } },
  }, async (req) => {
    if (!req.user) throw new UnauthenticatedError();
    if (!(await isLiaisonAdmin(db(), req.user))) throw new ForbiddenError((t) => t.grassroots.errNotLiaisonAdmin);
    return listLiaisons(db(), req.query.all === '1', pageParam(req.query.page));
  });

  app.post('/api/v1/member-liaisons', {
    schema: { tags, summary: 'Assign a member to a community (userId, bodyId and/or regionId, startsOn, endsOn?) (committee staff)', body: anyBody, response: { 201: ok } },
  }, async (req, reply) => reply.code(201).send({ id: await assignLiaison(ctx, req.user, req.body) }));

  app.post<{ Params: { id: string } }>('/api/v1/member-liaisons/:id/end', {
    schema: { tags, summary: 'End an assignment (endsOn?, today by default) (committee staff)', params: idParams, body: anyBody, response: { 200: ok } },
  }, async (req) => { await endLiaison(ctx, req.user, pathId(req.params.id), req.body ?? {}); return { ended: true }; });

  app.get<{ Querystring: { page?: string } }>('/api/v1/me/liaison', {
    schema: { tags, summary: 'The signed-in member\'s liaison communities, their consultations (20 a page) and latest escalations', querystring: pageQuery, response: { 200: ok } },
  }, async (req) => {
    const { assignments, councils } = await myAssignments(db(), req.user);
    const user = req.user as NonNullable<typeof req.user>;
    const [consultations, escalations] = await Promise.all([communityConsultations(db(), user.id, councils, pageParam(req.query.page)), ofCommunities(db(), councils, 1)]);
    return { assignments, council_ids: councils, consultations, escalations: escalations.items };
  });

  app.post<{ Params: { id: string } }>('/api/v1/consultations/:id/liaison-join', {
    schema: { tags, summary: 'Join a consultation of one of one\'s liaison communities as a participating member', params: idParams, response: { 200: ok } },
  }, async (req) => { await joinAsLiaison(ctx, req.user, pathId(req.params.id)); return { joined: true }; });
};
