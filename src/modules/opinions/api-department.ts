import type { FastifyPluginAsync } from 'fastify';
import { NotFoundError } from '../../platform/errors.js';
import { actionItemUpdates, actionRights, loadActionItem, updateActionItem, type UpdateKind } from '../actions/service.js';
import { bearer, bodyOf, bool, boolOrStr, int, listMeta, nStr, obj, pathId, requireUser, str, TAGS } from './api-shared.js';
import { handlerAccess } from './handler-access.js';
import { ACTION_FILTERS, type ActionFilter, departmentItems } from './supervision-queries.js';

// The departments' side of the opinions API: their action items, and progress, answers and
// completion reported on them.

export const departmentApi: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const db = ctx.database.db;

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
