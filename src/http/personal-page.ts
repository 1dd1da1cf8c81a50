import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { AppContext } from '../context.js';
import { perHandle } from '../platform/ttl-lru.js';
import { renderDocument } from '../web/render.js';
import { pageCtxFor } from './request-context.js';

// Pages that differ per person (an inbox, a tracking view) cannot go through the shared page
// cache, but the same person asking again for the same URL while nothing has changed gets the
// same page. Such a page is rendered once per (person, language, mode, URL, version) and kept
// briefly; the caller supplies the version (what the page shows can only change with it: the
// newest audit event, today's date…) and must have checked the person's right to the page
// before asking. The CSRF token is left out of the stored copy and put into every answer, so
// each answer carries a token for this browser's own secret, as a fresh render would.
// Each database handle has its own store (tests run several in one process).

/** Stands where the CSRF token goes; never produced by escaping, since it is plain [a-z0-9-]. */
const TOKEN_HOLE = `xs-csrf-${randomBytes(12).toString('hex')}`;
/** Rendered pages (with the hole), 2,000 per database handle, for 30 s. */
const storeFor = perHandle<string>(2000, 30_000);

/** Sends the page for `version`, rendering it only if this person has not had it since. */
export async function personalPage(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, version: string, render: () => Promise<VNode> | VNode): Promise<FastifyReply> {
  const store = storeFor(ctx.database.db);
  const key = `${req.user?.id ?? 'anon'}|${req.locale}|${req.care ? 1 : 0}|${version}|${req.url}`;
  let page = store.get(key);
  if (page === undefined) {
    const pageCtx = await pageCtxFor(ctx, req, reply, false);
    page = renderDocument({ ...pageCtx, csrf: TOKEN_HOLE }, await render());
    store.set(key, page);
  }
  const html = page.includes(TOKEN_HOLE) ? page.replaceAll(TOKEN_HOLE, reply.generateCsrf()) : page;
  return reply.code(200).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
}
