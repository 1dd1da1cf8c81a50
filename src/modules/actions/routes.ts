import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { handleError } from '../../http/errors.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '../../platform/errors.js';
import type { FormState } from '../../web/components/fields.js';
import type { LocalText } from '../../web/i18n/index.js';
import { signInFirst } from '../account/account-routes.js';
import { parseId, parsePage } from '../admin/access.js';
import { formValues, view } from '../admin/form.js';
import { megabytes } from '../content/attachments/service.js';
import { contentDisposition } from '../content/attachments/routes.js';
import { type StoredFile, type Upload, discardFiles, storeOpinionFiles } from '../opinions/files.js';
import { errorText } from '../opinions/handler-service.js';
import { type HandlerAccess, handlerAccess, navOf } from '../opinions/handler-access.js';
import { ACTION_FILTERS, type ActionFilter, actionItemDetail, departmentItems } from '../opinions/supervision-queries.js';
import { doneWord, localName } from '../opinions/pages/handler/layout.js';
import { ActionsInboxPage } from './pages/inbox.js';
import { ActionItemPage, type ItemForm } from './pages/item.js';
import { type UpdateKind, actionItemEvidence, actionItemUpdates, updateActionItem } from './service.js';

// The department side of action items: the department's inbox, one item with its source
// (the citizen never identified), and progress / answer / done with evidence.

function mustUser(req: FastifyRequest): CurrentUser {
  if (!req.user || req.authVia !== 'session') throw new UnauthenticatedError();
  return req.user;
}

interface FilePart { type: 'file'; filename: string; toBuffer(): Promise<Buffer> }

/** Uploaded files from a multipart body (attachFieldsToBody); none for a urlencoded post. */
async function uploadsOf(body: unknown): Promise<Upload[]> {
  const raw = (body as Record<string, unknown> | null)?.files;
  const parts = (Array.isArray(raw) ? raw : raw ? [raw] : []) as FilePart[];
  const out: Upload[] = [];
  for (const p of parts) {
    if (p && typeof p === 'object' && p.type === 'file' && typeof p.toBuffer === 'function') out.push({ filename: p.filename ?? '', data: await p.toBuffer() });
  }
  return out;
}

const KIND_FIELD: Record<ItemForm, string> = { progress: 'progress', answer: 'answer', done: 'evidence' };
const DONE_WORD: Record<ItemForm, string> = { progress: 'progress', answer: 'answered', done: 'completed' };

export const actionsRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const db = ctx.database.db;

  app.get<{ Querystring: { dept?: string; status?: string; page?: string } }>('/handle/actions', async (req, reply) => {
    const user = signInFirst(req, reply);
    if (!user) return reply;
    const a = await handlerAccess(db, user);
    if (a.departments.length === 0) throw new ForbiddenError();
    const wanted = typeof req.query.dept === 'string' && /^\d{1,9}$/.test(req.query.dept) ? Number(req.query.dept) : null;
    if (req.query.dept !== undefined && req.query.dept !== '' && (wanted === null || !a.departments.includes(wanted))) throw new ForbiddenError();
    const department = wanted ?? (a.departments[0] as number);
    const filter: ActionFilter = (ACTION_FILTERS as readonly string[]).includes(String(req.query.status)) ? (req.query.status as ActionFilter) : 'pending';
    const page = parsePage(req.query.page);
    const list = await departmentItems(db, department, filter, page);
    const departments = a.departments.map((id) => {
      const b = a.bodies.find((x) => x.id === id);
      return { id, label: b ? localName(b, req.locale) : String(id) };
    });
    return reply.page(view(ActionsInboxPage, { nav: navOf(a), departments, department, filter, list, page: Math.min(page, list.pages) }));
  });

  const renderItem = async (req: FastifyRequest, reply: FastifyReply, a: HandlerAccess, id: number, extra: { done?: string | null; failed?: { form: ItemForm; state: FormState } }, status = 200) => {
    const d = await actionItemDetail(db, a, id);
    const [updates, evidence] = await Promise.all([actionItemUpdates(db, id), actionItemEvidence(db, id)]);
    return reply.page(view(ActionItemPage, {
      d, nav: navOf(a), updates, evidence, limits: { maxFiles: ctx.config.opinions.maxAttachments, maxBytes: ctx.config.opinions.attachmentMaxBytes },
      done: extra.done ?? null, failed: extra.failed,
    }), status);
  };

  app.get<{ Params: { id: string }; Querystring: { done?: string } }>('/handle/actions/:id', async (req, reply) => {
    const user = signInFirst(req, reply);
    if (!user) return reply;
    return renderItem(req, reply, await handlerAccess(db, user), parseId(req.params.id), { done: doneWord(req.query.done) });
  });

  // An oversized file is refused while the body is read: answer with the page and a message, not a bare 413.
  const errorHandler = async (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (err.code !== 'FST_REQ_FILE_TOO_LARGE' && err.code !== 'FST_FILES_LIMIT') return handleError(ctx, err, req, reply);
    const user = req.user;
    if (!user || req.authVia !== 'session') return handleError(ctx, new UnauthenticatedError() as never, req, reply);
    let id: number;
    try { id = parseId((req.params as { id?: string }).id); } catch (e) { return handleError(ctx, e as never, req, reply); }
    const { maxAttachments, attachmentMaxBytes } = ctx.config.opinions;
    const message: LocalText = err.code === 'FST_FILES_LIMIT'
      ? (t) => t.opinions.errTooManyFiles(maxAttachments)
      : (t) => t.opinions.errFileTooLarge(megabytes(Math.min(attachmentMaxBytes, ctx.config.uploadMaxBytes)));
    return renderItem(req, reply, await handlerAccess(db, user), id, { failed: { form: 'done', state: { values: {}, issues: [{ field: 'files', message }] } } }, 413);
  };

  for (const form of ['progress', 'answer', 'done'] as const) {
    app.post<{ Params: { id: string } }>(`/handle/actions/:id/${form}`, form === 'done' ? { errorHandler } : {}, async (req, reply) => {
      const user = mustUser(req);
      const id = parseId(req.params.id);
      const values = formValues(req.body);
      const field = KIND_FIELD[form];
      let files: StoredFile[] = [];
      try {
        if (form === 'done') {
          // Only the department stores files: check before anything is written.
          const a = await handlerAccess(db, user);
          const d = await actionItemDetail(db, a, id);
          if (!d.rights.answer) throw new ForbiddenError();
          files = await storeOpinionFiles(ctx, await uploadsOf(req.body));
        }
        const kind: UpdateKind = form;
        await updateActionItem(ctx, user, id, kind, { text: values[field], done: form === 'answer' ? values.done : undefined }, files);
        return reply.redirect(`/handle/actions/${id}?done=${DONE_WORD[form]}`, 303);
      } catch (err) {
        await discardFiles(ctx, files);
        if (err instanceof ValidationError || err instanceof ConflictError) {
          const issues = err instanceof ValidationError
            ? err.issues.map((i) => ({ ...i, field: i.field === 'text' ? field : i.field }))
            : [{ field, message: errorText(err) }];
          const kept = { [field]: values[field], done: values.done };
          return renderItem(req, reply, await handlerAccess(db, user), id, { failed: { form, state: { values: kept, issues } } }, err instanceof ConflictError ? 409 : 400);
        }
        throw err;
      }
    });
  }

  // Evidence files: for whoever may see the item.
  app.get<{ Params: { id: string; fileId: string; name: string } }>('/handle/actions/:id/files/:fileId/:name', async (req, reply) => {
    const user = signInFirst(req, reply);
    if (!user) return reply;
    const id = parseId(req.params.id);
    const fileId = parseId(req.params.fileId);
    await actionItemDetail(db, await handlerAccess(db, user), id);
    const f = await db.selectFrom('attachments').select(['filename', 'mime', 'size', 'storage_key'])
      .where('id', '=', fileId).where('owner_type', '=', 'action_item').where('owner_id', '=', id).executeTakeFirst();
    if (!f) throw new NotFoundError();
    const path = join(ctx.config.uploadsDir, f.storage_key);
    if (!(await stat(path).catch(() => null))?.isFile()) throw new NotFoundError();
    return reply.type(f.mime).header('content-length', f.size).header('content-disposition', contentDisposition('inline', f.filename))
      .header('x-content-type-options', 'nosniff').header('cache-control', 'private, no-store').send(createReadStream(path));
  });
};
