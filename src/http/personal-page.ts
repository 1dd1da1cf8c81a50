import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { AppContext } from '../context.js';
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

const TTL_MS = 30_000;
const MAX_ENTRIES = 2000;
/** Stands where the CSRF token goes; never produced by escaping, since it is plain [a-z0-9-]. */
const TOKEN_HOLE = `xs-csrf-${randomBytes(12).toString('hex')}`;

interface Entry { html: string; expires: number }
const stores = new WeakMap<object, Map<string, Entry>>();

function storeFor(ctx: AppContext): Map<string, Entry> {
  let s = stores.get(ctx.database.db);
  if (!s) stores.set(ctx.database.db, (s = new Map()));
  return s;
}

/** Sends the page for `version`, rendering it only if this person has not had it since. */
export async function personalPage(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, version: string, render: () => Promise<VNode> | VNode): Promise<FastifyReply> {
  const store = storeFor(ctx);
  const key = `${req.user?.id ?? 'anon'}|${req.locale}|${req.care ? 1 : 0}|${version}|${req.url}`;
  const now = Date.now();
  let entry = store.get(key);
  if (entry && entry.expires > now) {
    store.delete(key);
    store.set(key, entry);
  } else {
    const pageCtx = await pageCtxFor(ctx, req, reply, false);
    const html = renderDocument({ ...pageCtx, csrf: TOKEN_HOLE }, await render());
    entry = { html, expires: now + TTL_MS };
    if (store.size >= MAX_ENTRIES) store.delete(store.keys().next().value as string);
    store.set(key, entry);
  }
  const html = entry.html.includes(TOKEN_HOLE) ? entry.html.replaceAll(TOKEN_HOLE, reply.generateCsrf()) : entry.html;
  return reply.code(200).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
}
