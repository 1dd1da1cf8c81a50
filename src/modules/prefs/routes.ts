import type { FastifyPluginAsync } from 'fastify';
import { CARE_COOKIE, LANG_COOKIE } from '../../http/request-context.js';
import { isLocale } from '../../web/i18n/index.js';

/** Only local paths are followed back, never another site. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.length > 1000) return '/';
  return next;
}

// Language and elderly-friendly mode are preferences, not account state: a link sets a
// long-lived cookie so the choice sticks on this device, with or without an account.
export const prefs: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: { lang?: string; care?: string; next?: string } }>('/prefs', async (req, reply) => {
    const cookieOpts = { path: '/', maxAge: 365 * 86_400, sameSite: 'lax' as const, httpOnly: true, secure: app.ctx.config.secureCookies };
    const { lang, care } = req.query;
    if (lang !== undefined && isLocale(lang)) reply.setCookie(LANG_COOKIE, lang, cookieOpts);
    if (care === '1' || care === '0') reply.setCookie(CARE_COOKIE, care, cookieOpts);
    return reply.redirect(safeNext(req.query.next), 303);
  });
};
