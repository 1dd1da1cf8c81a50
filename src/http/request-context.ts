import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { AppContext } from '../context.js';
import { groupCommitFor } from '../db/group-commit.js';
import type { CurrentUser } from '../platform/auth/current-user.js';
import { SESSION_COOKIE, findApiToken, findSession, touchApiToken } from '../platform/auth/sessions.js';
import { getSiteSettings } from '../platform/site-settings.js';
import { type Catalog, type Locale, catalogFor, negotiateLocale } from '../web/i18n/index.js';
import type { PageCtx } from '../web/page-context.js';
import { renderDocument } from '../web/render.js';

export const LANG_COOKIE = 'xs_lang';
export const CARE_COOKIE = 'xs_care';

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    t: Catalog;
    care: boolean;
    user: CurrentUser | null;
    /** How the user was recognised: a browser session or an API bearer token. */
    authVia: 'session' | 'bearer' | null;
    sessionToken: string | null;
    /** A signed-in session that still owes its second factor. */
    mfaPending: boolean;
  }
  interface FastifyReply {
    /** Renders a page with this request's language, mode, user and CSRF token. */
    page(vnode: VNode, status?: number): Promise<FastifyReply>;
  }
}

/** API tokens whose last use is being recorded now (requests at the same moment skip it). */
const touching = new Set<number>();

/** Resolves language, mode and user for every request (cheap when anonymous). */
export async function resolveRequest(ctx: AppContext, req: FastifyRequest): Promise<void> {
  req.locale = negotiateLocale(req.cookies[LANG_COOKIE], req.headers['accept-language']);
  req.t = catalogFor(req.locale);
  req.care = req.cookies[CARE_COOKIE] === '1';
  req.user = null;
  req.authVia = null;
  req.sessionToken = null;
  req.mfaPending = false;
  const db = ctx.database.db;
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) {
    const found = await findApiToken(db, auth.slice(7).trim());
    if (found?.stale && !touching.has(found.tokenId)) {
      // Not the request's own write: it shares the next commit of concurrent writes and the
      // answer does not wait for it; one at a time per token.
      touching.add(found.tokenId);
      groupCommitFor(ctx.database).run((trx) => touchApiToken(trx, found.tokenId))
        .catch((err: unknown) => req.log.warn({ err }, 'could not record the API token\'s last use'))
        .finally(() => touching.delete(found.tokenId));
    }
    if (found) {
      req.user = found.user;
      req.authVia = req.user ? 'bearer' : null;
    }
    return;
  }
  const raw = req.cookies[SESSION_COOKIE];
  if (!raw) return;
  const unsigned = req.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return;
  const session = await findSession(db, unsigned.value);
  if (!session) return;
  req.sessionToken = unsigned.value;
  if (session.mfaPending) {
    req.mfaPending = true;
    return;
  }
  req.user = session.user;
  req.authVia = req.user ? 'session' : null;
}

export async function pageCtxFor(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, withCsrf = true): Promise<PageCtx> {
  const settings = await getSiteSettings(ctx.database.db);
  return {
    locale: req.locale,
    t: req.t,
    user: req.user,
    signedIn: req.user !== null,
    care: req.care,
    url: req.url,
    csrf: withCsrf ? reply.generateCsrf() : '',
    orgName: req.locale === 'en' && settings.orgNameEn ? settings.orgNameEn : settings.orgName,
  };
}

export async function renderPage(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, vnode: VNode<any>, status: number): Promise<FastifyReply> {
  const html = renderDocument(await pageCtxFor(ctx, req, reply), vnode);
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
}
