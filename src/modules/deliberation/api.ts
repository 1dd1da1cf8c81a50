import type { FastifyPluginAsync } from 'fastify';
import { UnauthenticatedError } from '../../platform/errors.js';
import { pathId } from '../content/shared/ids.js';
import { visibleDeliberation } from './access.js';
import { moderateStatement } from './manage-service.js';
import { voteName } from './model.js';
import { voteLimit } from './page-routes.js';
import { addStatement, recordVote } from './participation.js';
import { nextFor } from './queries.js';
import { resultsView } from './report.js';

// The same services as the pages, for API clients (bearer tokens) and scripts.

const tags = ['deliberation'];
const idParams = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } as const;
const statement = { type: 'object', properties: { id: { type: 'integer' }, body: { type: 'string' } }, required: ['id', 'body'] } as const;
const pctLine = { type: 'object', additionalProperties: true } as const;

export const deliberationApi: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const db = () => ctx.database.db;

  app.get<{ Params: { id: string } }>('/api/v1/deliberations/:id/statements/next', {
    schema: {
      tags, summary: 'The next statement for the signed-in participant to vote on (Polis-style priority), and their progress',
      params: idParams,
      response: { 200: { type: 'object', properties: { statement: { anyOf: [statement, { type: 'null' }] }, voted: { type: 'integer' }, total: { type: 'integer' }, open: { type: 'boolean' } }, required: ['statement', 'voted', 'total', 'open'] } },
    },
  }, async (req) => {
    if (!req.user) throw new UnauthenticatedError();
    const d = await visibleDeliberation(db(), pathId(req.params.id), req.user);
    if (d.status !== 'open') return { statement: null, voted: 0, total: 0, open: false };
    const v = await nextFor(db(), d, req.user.id);
    return { statement: v.next, voted: v.voted, total: v.total, open: true };
  });

  app.post<{ Params: { id: string } }>('/api/v1/deliberations/:id/votes', {
    config: voteLimit,
    schema: {
      tags, summary: 'Vote on a statement: agree, disagree or pass. Voting again replaces the vote (every vote is kept in the history)',
      params: idParams,
      body: {
        type: 'object',
        properties: { statement_id: { anyOf: [{ type: 'integer' }, { type: 'string' }] }, vote: { anyOf: [{ type: 'string', enum: ['agree', 'disagree', 'pass'] }, { type: 'integer', enum: [-1, 0, 1] }] } },
        required: ['statement_id', 'vote'],
      },
      response: { 201: { type: 'object', properties: { statement_id: { type: 'integer' }, vote: { type: 'string' } }, required: ['statement_id', 'vote'] } },
    },
  }, async (req, reply) => {
    const b = req.body as { statement_id: unknown; vote: unknown };
    const r = await recordVote(ctx, req.user, pathId(req.params.id), { statement: b.statement_id, vote: b.vote });
    return reply.code(201).send({ statement_id: r.statementId, vote: voteName(r.value) });
  });

  app.post<{ Params: { id: string } }>('/api/v1/deliberations/:id/statements', {
    schema: {
      tags, summary: 'Add a statement (at most 140 characters): open at once, or waiting for a moderator in strict moderation',
      params: idParams,
      body: { type: 'object', properties: { body: { type: 'string' } }, required: ['body'] },
      response: { 201: { type: 'object', properties: { id: { type: 'integer' }, status: { type: 'string', enum: ['pending', 'accepted'] } }, required: ['id', 'status'] } },
    },
  }, async (req, reply) => reply.code(201).send(await addStatement(ctx, req.user, pathId(req.params.id), req.body)));

  app.post<{ Params: { id: string } }>('/api/v1/deliberation-statements/:id/moderation', {
    schema: {
      tags, summary: 'Accept or reject a statement (moderators)',
      params: idParams,
      body: { type: 'object', properties: { decision: { type: 'string', enum: ['accept', 'reject'] } }, required: ['decision'] },
      response: { 200: { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] } },
    },
  }, async (req) => ({ status: (await moderateStatement(ctx, req.user, pathId(req.params.id), req.body)).status }));

  app.get<{ Params: { id: string }; Querystring: { lang?: string } }>('/api/v1/deliberations/:id/results', {
    schema: {
      tags, summary: 'The latest computed results: opinion groups with representative statements, common ground, group-informed consensus, counts, the opinion map (SVG)',
      params: idParams,
      response: {
        200: {
          type: 'object',
          properties: {
            id: { type: 'integer' }, title: { type: 'string' }, status: { type: 'string' }, computed_at: { type: ['string', 'null'] },
            votes_version: { type: 'integer' }, computed_version: { type: ['integer', 'null'] }, stale: { type: 'boolean' },
            counts: { type: ['object', 'null'], additionalProperties: true },
            groups: { type: 'array', items: { type: 'object', additionalProperties: true } },
            consensus: { type: 'array', items: pctLine },
            group_informed_consensus: { type: 'array', items: pctLine },
            map_svg: { type: ['string', 'null'] }, map_description: { type: ['string', 'null'] },
          },
          required: ['id', 'title', 'status', 'computed_at', 'stale', 'groups', 'consensus'],
        },
      },
    },
  }, async (req) => {
    const d = await visibleDeliberation(db(), pathId(req.params.id), req.user);
    const r = await resultsView(db(), d, req.locale);
    const c = r.computed;
    return {
      id: d.id, title: d.title, status: d.status, computed_at: c?.computedAt ?? null, votes_version: d.votes_version,
      computed_version: c?.votesVersion ?? null, stale: c ? c.stale : d.votes_version > 0, counts: c?.counts ?? null,
      groups: (c?.groups ?? []).map((g) => ({
        id: g.id, label: g.letter, size: g.size, percent: g.percent,
        statements: g.statements.map((s) => ({ statement_id: s.statementId, text: s.text, direction: s.direction, group_percent: s.groupPercent, others_percent: s.othersPercent })),
      })),
      consensus: (c?.consensus ?? []).map((s) => ({ statement_id: s.statementId, text: s.text, direction: s.direction, percent: s.percent })),
      group_informed_consensus: (c?.groupInformed ?? []).map((s) => ({ statement_id: s.statementId, text: s.text, agree_percent: s.agreePercent, votes: s.seen, score: s.gic })),
      map_svg: c?.svg ?? null, map_description: c?.description ?? null,
    };
  });
};
