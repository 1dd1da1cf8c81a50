import type { FastifyPluginAsync } from 'fastify';
import { ValidationError } from '../../../platform/errors.js';
import { requireAdmin } from '../access.js';
import { formValues, view } from '../form.js';
import { ImportPage, ReportPage } from './page.js';
import { checkImport, confirmImport } from './service.js';
import { templateWorkbook } from './template.js';

type FilePart = { type: 'file'; toBuffer(): Promise<Buffer> };
const isFile = (v: unknown): v is FilePart => Boolean(v && typeof v === 'object' && (v as { type?: unknown }).type === 'file');
const count = (v: unknown) => (typeof v === 'string' && /^\d{1,6}$/.test(v) ? Number(v) : 0);

export const importRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const db = ctx.database.db;

  app.get<{ Querystring: { done?: string; n?: string; skipped?: string } }>('/admin/import', async (req, reply) => {
    await requireAdmin(db, req.user, 'admin.users');
    const result = req.query.done === 'imported' ? { imported: count(req.query.n), skipped: count(req.query.skipped) } : null;
    return reply.page(view(ImportPage, { form: {}, result }));
  });

  app.get('/admin/import/template.xlsx', async (req, reply) => {
    await requireAdmin(db, req.user, 'admin.users');
    return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="member-import.xlsx"; filename*=UTF-8''${encodeURIComponent('委员导入模板.xlsx')}`)
      .header('cache-control', 'no-store').send(await templateWorkbook());
  });

  app.post('/admin/import', async (req, reply) => {
    await requireAdmin(db, req.user, 'admin.users');
    const part = (req.body as Record<string, unknown> | undefined)?.file;
    try {
      if (!isFile(part)) throw new ValidationError([{ field: 'file', message: (t) => t.adminImport.errNoFile }]);
      const { report, token } = await checkImport(ctx, req.user, await part.toBuffer());
      return reply.page(view(ReportPage, { report, token }));
    } catch (err) {
      if (err instanceof ValidationError) return reply.page(view(ImportPage, { form: { issues: err.issues }, result: null }), 400);
      throw err;
    }
  });

  app.post('/admin/import/confirm', async (req, reply) => {
    const v = formValues(req.body);
    const r = await confirmImport(ctx, req.user, v.token, v.validOnly === '1');
    if ('blocked' in r) return reply.page(view(ReportPage, { report: r.blocked, token: r.token, blocked: true }), 400);
    return reply.redirect(`/admin/import?done=imported&n=${r.imported}&skipped=${r.skipped}`, 303);
  });
};
