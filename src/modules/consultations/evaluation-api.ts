import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { pathId } from '../content/shared/ids.js';
import { type EvaluationFormData, type LevelCounts, evaluationForm, publicEvaluation, saveEvaluation } from './evaluation-service.js';

// Participants' evaluation for API clients (bearer tokens): the same services as the
// evaluation page and the public consultation page. The scale is 3 满意 (satisfied),
// 2 基本满意 (basically satisfied), 1 不满意 (dissatisfied).

const idParams = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } as const;
const ok = { type: 'object', additionalProperties: true } as const;
const anyBody = { type: 'object', additionalProperties: true } as const;

const counts = (c: LevelCounts) => ({ 3: c[3], 2: c[2], 1: c[1] });

const mineJson = (d: EvaluationFormData) => ({
  consultation_id: d.c.id, window: d.window, role: d.role, may_evaluate: d.window === 'open' && d.role !== null,
  evaluation: d.mine ? { overall: d.mine.overall, process: d.mine.process, outcome: d.mine.outcome, comment: d.mine.comment } : null,
  recommendations: d.recommendations.map((r) => ({
    number: r.number, text: r.text, status: r.status, answer: r.answer, ratable: r.state === 'ok', why_not: r.state === 'ok' ? null : r.state,
    rating: d.myRecs.get(r.id)?.rating ?? null, comment: d.myRecs.get(r.id)?.comment ?? null,
  })),
});

export const evaluationApi: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const db = () => ctx.database.db;
  const tags = ['consultations'];

  app.get<{ Params: { id: string } }>('/api/v1/consultations/:id/evaluation', {
    schema: {
      tags, params: idParams, response: { 200: ok },
      summary: 'Participants’ evaluation of a public consultation as its page shows it: people per level (3 satisfied, 2 basically satisfied, 1 dissatisfied) overall, of the process, of the outcome and per recommendation; no names, no comments; counts once the outcome is published',
    },
  }, async (req) => {
    const e = await publicEvaluation(db(), pathId(req.params.id));
    const s = e.summary;
    return {
      consultation_id: e.c.id, window: e.window, total: s?.total ?? 0,
      overall: s ? counts(s.overall) : null, process: s ? counts(s.process) : null, outcome: s ? counts(s.outcome) : null,
      recommendations: s ? [...e.numbers].map(([recId, number]) => {
        const r = s.recommendations.get(recId);
        return { number, total: r?.total ?? 0, counts: counts(r?.counts ?? { 3: 0, 2: 0, 1: 0 }) };
      }) : [],
    };
  });

  app.get<{ Params: { id: string } }>('/api/v1/consultations/:id/evaluation/mine', {
    schema: { tags, summary: 'One’s own evaluation of a consultation, whether one may evaluate, and which recommendations one may rate', params: idParams, response: { 200: ok } },
  }, async (req) => mineJson(await evaluationForm(db(), req.user, pathId(req.params.id))));

  const save = {
    schema: {
      tags, params: idParams, body: anyBody, response: { 200: ok },
      summary: 'Evaluate a consultation one took part in, or change one’s evaluation (one per person): overall (3|2|1), process and outcome (optional), comment; rec_<n> (3|2|1, blank takes it back) and rec_<n>_comment for each answered recommendation not handled by one’s own department',
    },
  } as const;
  const handler = async (req: FastifyRequest<{ Params: { id: string } }>) => {
    const id = pathId(req.params.id);
    await saveEvaluation(ctx, req.user, id, req.body);
    return mineJson(await evaluationForm(db(), req.user, id));
  };
  app.put<{ Params: { id: string } }>('/api/v1/consultations/:id/evaluation/mine', save, handler);
  app.post<{ Params: { id: string } }>('/api/v1/consultations/:id/evaluation/mine', save, handler);
};
