import type { FastifyInstance } from 'fastify';
import type { VNode } from 'preact';
import type { AppContext } from '../../context.js';
import type { Executor } from '../../db/database.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import type { FormState } from '../../web/components/fields.js';
import { parseId } from './access.js';
import { doneOf, submitForm } from './form.js';

type User = CurrentUser | null;

/** The list / new / edit pages of one administered thing, all through its service. */
export interface CrudPages {
  path: string;
  list(db: Executor, user: User, done: string | null): Promise<VNode<any>>;
  /** Renders the form; must check permission itself (it loads its options through services). */
  form(db: Executor, user: User, id: number | null, form: FormState, query: Record<string, unknown>): Promise<VNode<any>>;
  /** Current values of an existing item, as the form shows them. */
  values(db: Executor, user: User, id: number): Promise<Record<string, unknown>>;
  create(ctx: AppContext, user: User, input: Record<string, unknown>): Promise<number>;
  update(ctx: AppContext, user: User, id: number, input: Record<string, unknown>): Promise<void>;
}

export function registerCrud(app: FastifyInstance, c: CrudPages): void {
  const db = app.ctx.database.db;
  const base = `/admin/${c.path}`;
  app.get(base, async (req, reply) => reply.page(await c.list(db, req.user, doneOf(req))));
  app.get<{ Querystring: Record<string, unknown> }>(`${base}/new`, async (req, reply) =>
    reply.page(await c.form(db, req.user, null, { values: {} }, req.query ?? {})));
  app.post(`${base}/new`, async (req, reply) => submitForm(req, reply,
    async (v) => { await c.create(app.ctx, req.user, v); return `${base}?done=created`; },
    (form) => c.form(db, req.user, null, form, {})));
  app.get<{ Params: { id: string } }>(`${base}/:id`, async (req, reply) => {
    const id = parseId(req.params.id);
    return reply.page(await c.form(db, req.user, id, { values: await c.values(db, req.user, id) }, {}));
  });
  app.post<{ Params: { id: string } }>(`${base}/:id`, async (req, reply) => {
    const id = parseId(req.params.id);
    await c.values(db, req.user, id);
    return submitForm(req, reply,
      async (v) => { await c.update(app.ctx, req.user, id, v); return `${base}?done=saved`; },
      (form) => c.form(db, req.user, id, form, {}));
  });
}
