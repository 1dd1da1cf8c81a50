import type { FastifyPluginAsync } from 'fastify';
import { pathId } from '../content/shared/ids.js';
import { plansOf } from './calls-queries.js';
import { proposeTopic, supportTopic, withdrawSupport } from './calls-service.js';
import { moveStage } from './consultations-service.js';
import { publishOutcome } from './outcome-publish.js';
import { browseConsultations, consultationPage, parseYearParam, publicCall } from './public-service.js';
import type { ConsultationDetail } from './queries.js';
import { cancelRegistration, checkIn, register } from './registration-service.js';

// The same services as the pages, for API clients (bearer tokens) and scripts.

const idParams = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } as const;
const ok = { type: 'object', additionalProperties: true } as const;
const anyBody = { type: 'object', additionalProperties: true } as const;

const detailJson = (d: ConsultationDetail) => ({
  id: d.c.id, title: d.c.title, summary: d.c.summary, form: d.c.form, mode: d.c.mode, track: d.c.track, stage: d.c.stage, year: d.c.year,
  starts_at: d.c.starts_at, ends_at: d.c.ends_at, place: d.c.place, online_url: d.c.online_url, agenda: d.c.agenda,
  capacity: d.c.capacity, seats_taken: d.c.seats_taken, waitlisted: d.waitlisted,
  bodies: d.bodies.map((b) => ({ id: b.id, name: b.name, role: b.role })),
  timeline: d.steps,
  outcome: d.outcome?.status === 'published' ? { published_at: d.outcome.publishedAt, report_html: d.outcome.reportHtml, minutes_html: d.outcome.minutesHtml } : null,
  recommendations: d.outcome?.status === 'published' ? d.recommendations.map((r) => ({
    number: r.number, text: r.text, department: { id: r.department.id, name: r.department.name }, due_on: r.dueOn, status: r.status,
    overdue: r.overdue, answer: r.answer, answered_at: r.answeredAt, done_at: r.doneAt,
  })) : [],
});

export const consultationsApi: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const db = () => ctx.database.db;
  const tags = ['consultations'];

  app.get('/api/v1/consultations', {
    schema: {
      tags, summary: 'Public consultations (filter by form, holding body, year, stage; 20 a page)',
      querystring: { type: 'object', properties: { form: { type: 'string' }, body: { type: 'string' }, year: { type: 'string' }, stage: { type: 'string' }, page: { type: 'string' } } },
      response: { 200: ok },
    },
  }, async (req) => {
    const r = await browseConsultations(db(), req.query);
    return { total: r.total, page: r.page, pages: r.pages, items: r.items.map((c) => ({ ...c, url: `/consultations/${c.id}` })) };
  });

  app.get<{ Params: { id: string } }>('/api/v1/consultations/:id', {
    schema: { tags, summary: 'One public consultation: details, timeline, outcome and the status of each recommendation', params: idParams, response: { 200: ok } },
  }, async (req) => detailJson((await consultationPage(db(), pathId(req.params.id))).d));

  app.get<{ Params: { year: string } }>('/api/v1/consultation-plans/:year', {
    schema: { tags, summary: 'The published annual consultation plans of a year, with their items', params: { type: 'object', properties: { year: { type: 'string' } }, required: ['year'] }, response: { 200: ok } },
  }, async (req) => {
    const { year } = parseYearParam(req.params.year);
    return { year, plans: await plansOf(db(), { year }) };
  });

  app.get<{ Params: { id: string }; Querystring: { page?: string } }>('/api/v1/topic-calls/:id', {
    schema: { tags, summary: 'A topic call and its topics with support counts (50 a page, oldest first)', params: idParams, querystring: { type: 'object', properties: { page: { type: 'string' } } }, response: { 200: ok } },
  }, async (req) => {
    const r = await publicCall(db(), pathId(req.params.id), req.query.page);
    return { id: r.call.id, title: r.call.title, state: r.state, opens_on: r.call.opens_on, closes_on: r.call.closes_on, total: r.total, page: r.page, pages: r.pages, topics: r.topics };
  });

  app.post<{ Params: { id: string } }>('/api/v1/topic-calls/:id/topics', {
    schema: { tags, summary: 'Propose a topic to an open call (title, reason)', params: idParams, body: anyBody, response: { 201: ok } },
  }, async (req, reply) => reply.code(201).send({ id: await proposeTopic(ctx, req.user, pathId(req.params.id), req.body) }));

  app.post<{ Params: { id: string } }>('/api/v1/consultation-topics/:id/support', {
    schema: { tags, summary: 'Support a topic (once per person)', params: idParams, response: { 200: ok } },
  }, async (req) => { await supportTopic(ctx, req.user, pathId(req.params.id)); return { supported: true }; });

  app.delete<{ Params: { id: string } }>('/api/v1/consultation-topics/:id/support', {
    schema: { tags, summary: 'Withdraw one’s support of a topic', params: idParams, response: { 200: ok } },
  }, async (req) => { await withdrawSupport(ctx, req.user, pathId(req.params.id)); return { supported: false }; });

  app.post<{ Params: { id: string } }>('/api/v1/consultations/:id/registration', {
    schema: { tags, summary: 'Register for a consultation: confirmed with a sign-in code, or on the waiting list', params: idParams, response: { 201: ok } },
  }, async (req, reply) => reply.code(201).send(await register(ctx, req.user, pathId(req.params.id), req.body ?? {})));

  app.delete<{ Params: { id: string } }>('/api/v1/consultations/:id/registration', {
    schema: { tags, summary: 'Cancel one’s registration (the first person waiting gets the seat)', params: idParams, response: { 200: ok } },
  }, async (req) => { await cancelRegistration(ctx, req.user, pathId(req.params.id)); return { cancelled: true }; });

  app.post<{ Params: { id: string } }>('/api/v1/consultations/:id/checkin', {
    schema: { tags, summary: 'Sign a registrant in by their code (organisers)', params: idParams, body: anyBody, response: { 200: ok } },
  }, async (req) => { const r = await checkIn(ctx, req.user, pathId(req.params.id), req.body); return { checked_in: true, name: r.name }; });

  app.post<{ Params: { id: string } }>('/api/v1/consultations/:id/stage', {
    schema: { tags, summary: 'Move a consultation to a later stage (organisers)', params: idParams, body: anyBody, response: { 200: ok } },
  }, async (req) => ({ stage: await moveStage(ctx, req.user, pathId(req.params.id), req.body) }));

  app.post<{ Params: { id: string } }>('/api/v1/consultations/:id/outcome/publish', {
    schema: { tags, summary: 'Publish the outcome: each recommendation becomes an action item (organisers)', params: idParams, response: { 200: ok } },
  }, async (req) => ({ action_item_ids: await publishOutcome(ctx, req.user, pathId(req.params.id), { log: req.log }) }));
};
