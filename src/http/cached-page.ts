import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { AppContext } from '../context.js';
import { renderDocument } from '../web/render.js';
import { pageCtxFor } from './request-context.js';

/**
 * Serves a public page. Anonymous visitors get a copy rendered once per language, mode and
 * URL (with an ETag); signed-in visitors always get a fresh render. `load` fetches the data
 * and returns the page; it only runs on a cache miss. Pages served here hold no POST forms.
 */
export async function cachedPage(
  ctx: AppContext, req: FastifyRequest, reply: FastifyReply, load: () => Promise<VNode<any>>,
): Promise<FastifyReply> {
  if (req.user || req.sessionToken) return reply.page(await load());
  const key = `${req.locale}|${req.care ? 1 : 0}|${req.url}`;
  const entry = await ctx.pageCache.getOrCreate(key, async () => {
    const vnode = await load();
    return renderDocument(await pageCtxFor(ctx, req, reply, false), vnode);
  });
  if (entry.etag) reply.header('etag', entry.etag);
  reply.header('cache-control', 'no-cache').header('vary', 'Cookie, Accept-Language');
  if (entry.etag && req.headers['if-none-match'] === entry.etag) return reply.code(304).send();
  return reply.code(entry.status).type('text/html; charset=utf-8').send(entry.body);
}
