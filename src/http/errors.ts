import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { AppContext } from '../context.js';
import { DomainError, ValidationError } from '../platform/errors.js';
import type { Catalog } from '../web/i18n/index.js';
import { ErrorPage } from '../web/error-page.js';
import { renderPage } from './request-context.js';

export const wantsJson = (req: FastifyRequest): boolean =>
  req.url.startsWith('/api/') || (req.headers.accept ?? '').startsWith('application/json');

/** A unique-index violation on either engine. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

interface Mapped { status: number; code: string; message: (t: Catalog) => string; title: (t: Catalog) => string; fields?: { field: string; message: string }[] }

function mapError(err: FastifyError | Error, t: Catalog): Mapped {
  if (err instanceof ValidationError) {
    return { status: 400, code: err.code, message: err.text, title: (c) => c.common.errValidationTitle,
      fields: err.issues.map((i) => ({ field: i.field, message: i.message(t) })) };
  }
  if (err instanceof DomainError) {
    const title = err.status === 404 ? (c: Catalog) => c.common.errNotFoundTitle
      : err.status === 403 || err.status === 401 ? (c: Catalog) => c.common.errForbiddenTitle
      : err.status === 429 ? (c: Catalog) => c.common.errRateLimitedTitle : (c: Catalog) => c.common.errValidationTitle;
    return { status: err.status, code: err.code, message: err.text, title };
  }
  if (isUniqueViolation(err)) {
    // Two people saving the same name at once: the service's check passed for both, the
    // database's unique index stopped the second.
    return { status: 409, code: 'conflict', message: (c) => c.common.errConflict, title: (c) => c.common.errConflict };
  }
  const fe = err as FastifyError;
  // A malformed multipart body (truncated, no boundary) fails inside busboy with a bare
  // Error: it is the client's bad request, not our failure.
  const status = fe.statusCode ?? (err.stack?.includes('/@fastify/busboy/') ? 400 : 500);
  if (fe.code?.startsWith('FST_CSRF')) return { status: 403, code: 'csrf', message: (c) => c.common.errCsrf, title: (c) => c.common.errForbiddenTitle };
  if (status === 429) return { status, code: 'rate_limited', message: (c) => c.common.errRateLimited, title: (c) => c.common.errRateLimitedTitle };
  if (fe.validation) {
    const fields = fe.validation.map((v) => {
      const field = (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.') || String((v.params as { missingProperty?: string }).missingProperty ?? fe.validationContext ?? 'body');
      return { field, message: t.common.errField(field) };
    });
    return { status: 400, code: 'validation_failed', message: (c) => c.common.errValidationTitle, title: (c) => c.common.errValidationTitle, fields };
  }
  if (status >= 400 && status < 500) {
    const code = status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : status === 404 ? 'not_found' : 'bad_request';
    return { status, code, message: (c) => c.common.errBadRequest, title: (c) => c.common.errBadRequest };
  }
  return { status: 500, code: 'internal', message: (c) => c.common.errServer, title: (c) => c.common.errServerTitle };
}

/** The one error handler: domain errors become localised 4xx; anything else is logged and hidden. */
export async function handleError(ctx: AppContext, err: FastifyError, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const t = req.t ?? (await import('../web/i18n/index.js')).catalogFor('zh-CN');
  const m = mapError(err, t);
  if (m.status >= 500) req.log.error({ err }, 'request failed');
  else req.log.info({ code: m.code, status: m.status }, 'request rejected');
  if (m.status === 429 && reply.getHeader('retry-after') === undefined) reply.header('retry-after', '60');
  if (wantsJson(req) || !req.t) {
    return reply.code(m.status).type('application/json; charset=utf-8')
      .send({ error: { code: m.code, message: m.message(t), ...(m.fields ? { fields: m.fields } : {}) } });
  }
  return renderPage(ctx, req, reply, h(ErrorPage as never, { title: m.title(t), message: m.message(t), fields: m.fields }), m.status);
}
