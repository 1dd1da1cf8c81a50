import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { NotFoundError } from '../../../platform/errors.js';
import type { FastifyPluginAsync } from 'fastify';
import { pathId } from '../shared/ids.js';
import { downloadableAttachment } from './service.js';

/** Content-Disposition with an ASCII fallback and the real name per RFC 5987 / RFC 6266. */
export function contentDisposition(type: 'inline' | 'attachment', filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

export const attachmentRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Params: { id: string; filename: string } }>('/attachments/:id/:filename', async (req, reply) => {
    const a = await downloadableAttachment(app.ctx, req.user, pathId(req.params.id), req.params.filename);
    // A row whose file went missing (restored backup without uploads) is a 404, not a crash.
    if (!(await stat(a.path).catch(() => null))?.isFile()) throw new NotFoundError();
    const inline = a.mime === 'image/png' || a.mime === 'image/jpeg' || a.mime === 'application/pdf';
    return reply
      .type(a.mime)
      .header('content-length', a.size)
      .header('content-disposition', contentDisposition(inline ? 'inline' : 'attachment', a.filename))
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', a.isPublic ? 'public, max-age=300' : 'private, no-store')
      .send(createReadStream(a.path));
  });
};
