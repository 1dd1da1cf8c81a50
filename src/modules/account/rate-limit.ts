import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { AppContext } from '../../context.js';
import { handleError } from '../../http/errors.js';
import type { FieldIssue } from '../../platform/errors.js';

/**
 * A route error handler that shows the per-IP limit of @fastify/rate-limit as a localised
 * message on the form itself (status 429); every other error goes to the global handler.
 */
export function limitOnForm(ctx: AppContext, field: string, render: (req: FastifyRequest, issues: FieldIssue[]) => VNode) {
  return (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (err.statusCode !== 429 || !req.t) return handleError(ctx, err, req, reply);
    reply.header('retry-after', reply.getHeader('retry-after') ?? '60');
    return reply.page(render(req, [{ field, message: (t) => t.account.errTooManyAttempts }]), 429);
  };
}

/** Keys a limit on the client address plus the submitted username (read after the body is parsed). */
export function ipAndUsername(req: FastifyRequest): string {
  const u = (req.body as Record<string, unknown> | undefined)?.username;
  return `${req.ip}|${typeof u === 'string' ? u.trim().toLowerCase().slice(0, 60) : ''}`;
}
