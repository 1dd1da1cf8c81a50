import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { AppContext } from '../context.js';
import { renderDocument } from '../web/render.js';
import { pageCtxFor } from './request-context.js';

/**
 * Serves a public page: a copy rendered once per language, mode, URL and signed-in state
 * (with an ETag). Public pages are the same for every visitor; signed-in visitors differ
 * only in the layout's account link, so they share their own copy. Templates rendered here
 * see `user: null` and must not show anything personal. `load` fetches the data and returns
 * the page; it only runs on a cache miss. Pages served here hold no POST forms. `version`
 * (optional) is part of the key: a page whose freshness the caller can read cheaply (the last
 * event of a stream) is kept per version instead of until the next invalidation.
 */
export async function cachedPage(
  ctx: AppContext, req: FastifyRequest, reply: FastifyReply, load: () => Promise<VNode<any>>, version?: string,
): Promise<FastifyReply> {
  const signedIn = req.user !== null;
  const key = `${req.locale}|${req.care ? 1 : 0}|${signedIn ? 1 : 0}|${req.url}${version ? `|${version}` : ''}`;
  const entry = await ctx.pageCache.getOrCreate(key, async () => {
    const vnode = await load();
    return renderDocument({ ...(await pageCtxFor(ctx, req, reply, false)), user: null, signedIn }, vnode);
  });
  if (entry.etag) reply.header('etag', entry.etag);
  reply.header('cache-control', signedIn ? 'private, no-cache' : 'no-cache').header('vary', 'Cookie, Accept-Language, Accept-Encoding');
  if (entry.etag && req.headers['if-none-match'] === entry.etag) return reply.code(304).send();
  reply.code(entry.status).type('text/html; charset=utf-8');
  if (entry.gzip && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) return reply.header('content-encoding', 'gzip').send(entry.gzip);
  return reply.send(entry.body);
}
