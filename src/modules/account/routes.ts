import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { completeMfa, destroySession, findSession } from '../../platform/auth/sessions.js';
import { DomainError, ValidationError } from '../../platform/errors.js';
import { maskPhone } from '../../platform/validation.js';
import { safeNext } from '../prefs/routes.js';
import { codePage, signInPage, totpPage } from './pages/sign-in.js';
import { ipAndUsername, limitOnForm } from './rate-limit.js';
import { checkSecondFactor, requestCode, signInWithCode, signInWithPassword } from './service.js';
import { clearSessionCookie, setSessionCookie } from './session-cookie.js';

const PHONE_COOKIE = 'xs_code_phone';

type Body = Record<string, unknown> | undefined;
const nextOf = (req: FastifyRequest): string => safeNext((req.body as Body)?.next ?? (req.query as Body)?.next);
const keep = (req: FastifyRequest, ...names: string[]) => {
  const b = (req.body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(names.map((n) => [n, b[n]]));
};

export const signIn: FastifyPluginAsync = async (app) => {
  const { config, database } = app.ctx;
  const secret = config.cookieSecret;
  const phoneCookie = { path: '/sign-in', httpOnly: true, sameSite: 'lax' as const, secure: config.secureCookies, signed: true, maxAge: 15 * 60 };

  const pendingPhone = (req: FastifyRequest): string | null => {
    const raw = req.cookies[PHONE_COOKIE];
    const u = raw ? req.unsignCookie(raw) : null;
    return u?.valid && u.value && /^1\d{10}$/.test(u.value) ? u.value : null;
  };
  const signedIn = (reply: FastifyReply, token: string, to: string) => {
    setSessionCookie(reply, config, token);
    return reply.redirect(to, 303);
  };

  app.get('/sign-in', async (req, reply) => {
    if (req.user) return reply.redirect(nextOf(req) === '/' ? '/account' : nextOf(req), 303);
    return reply.page(signInPage({ next: nextOf(req) }));
  });

  const renderPhone = (req: FastifyRequest, issues: ValidationError['issues']) =>
    signInPage({ next: nextOf(req), phoneForm: { values: keep(req, 'phone'), issues } });
  app.post('/sign-in/code', {
    config: { rateLimit: { max: 20, timeWindow: '1 hour' } },
    errorHandler: limitOnForm(app.ctx, 'phone', renderPhone),
  }, async (req, reply) => {
    try {
      const phone = await requestCode(database, secret, config.sms.adapter, req.body, req.t);
      reply.setCookie(PHONE_COOKIE, phone, phoneCookie);
      const next = nextOf(req);
      return reply.redirect(`/sign-in/code${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return reply.page(renderPhone(req, err.issues), 400);
      if (err instanceof DomainError && err.status === 429) {
        return reply.header('retry-after', '60').page(renderPhone(req, [{ field: 'phone', message: err.text }]), 429);
      }
      throw err;
    }
  });

  app.get('/sign-in/code', async (req, reply) => {
    const phone = pendingPhone(req);
    if (!phone) return reply.redirect('/sign-in', 303);
    return reply.page(codePage({ next: nextOf(req), maskedPhone: maskPhone(phone) }));
  });

  const renderCode = (req: FastifyRequest, issues: ValidationError['issues']) =>
    codePage({ next: nextOf(req), maskedPhone: maskPhone(pendingPhone(req)), form: { issues } });
  app.post('/sign-in/code/verify', {
    config: { rateLimit: { max: 30, timeWindow: '10 minutes' } },
    errorHandler: limitOnForm(app.ctx, 'code', renderCode),
  }, async (req, reply) => {
    const phone = pendingPhone(req);
    if (!phone) {
      return reply.page(signInPage({ next: nextOf(req), phoneForm: { issues: [{ field: 'phone', message: (t) => t.account.errNoPendingPhone }] } }), 400);
    }
    try {
      const token = await signInWithCode(database, secret, phone, req.body, req.sessionToken);
      reply.clearCookie(PHONE_COOKIE, { path: '/sign-in' });
      return signedIn(reply, token, nextOf(req));
    } catch (err) {
      if (err instanceof ValidationError) return reply.page(renderCode(req, err.issues), 400);
      throw err;
    }
  });

  const renderPassword = (req: FastifyRequest, issues: ValidationError['issues']) =>
    signInPage({ next: nextOf(req), passwordForm: { values: keep(req, 'username'), issues } });
  app.post('/sign-in/password', {
    config: { rateLimit: { max: config.rateLimits.signInPerMinute, timeWindow: '1 minute', hook: 'preHandler', keyGenerator: ipAndUsername } },
    errorHandler: limitOnForm(app.ctx, 'username', renderPassword),
  }, async (req, reply) => {
    try {
      const { token, mfaPending } = await signInWithPassword(database, req.body, req.sessionToken);
      const next = nextOf(req);
      if (mfaPending) return signedIn(reply, token, `/sign-in/totp${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`);
      return signedIn(reply, token, next === '/' ? '/account' : next);
    } catch (err) {
      if (err instanceof ValidationError) return reply.page(renderPassword(req, err.issues), 400);
      throw err;
    }
  });

  app.get('/sign-in/totp', async (req, reply) => {
    if (!req.mfaPending) return reply.redirect('/sign-in', 303);
    return reply.page(totpPage({ next: nextOf(req) }));
  });

  const renderTotp = (req: FastifyRequest, issues: ValidationError['issues']) => totpPage({ next: nextOf(req), form: { issues } });
  app.post('/sign-in/totp', {
    config: { rateLimit: { max: 10, timeWindow: '5 minutes', keyGenerator: (req: FastifyRequest) => `${req.ip}|${req.sessionToken ?? ''}` } },
    errorHandler: limitOnForm(app.ctx, 'code', renderTotp),
  }, async (req, reply) => {
    const session = req.mfaPending && req.sessionToken ? await findSession(database.db, req.sessionToken) : null;
    if (!session || !req.sessionToken) return reply.redirect('/sign-in', 303);
    try {
      await checkSecondFactor(database.db, session.userId, req.body);
      await completeMfa(database.db, req.sessionToken);
      const next = nextOf(req);
      return reply.redirect(next === '/' ? '/account' : next, 303);
    } catch (err) {
      if (err instanceof ValidationError) return reply.page(renderTotp(req, err.issues), 400);
      throw err;
    }
  });

  app.post('/sign-out', async (req, reply) => {
    if (req.sessionToken) await destroySession(database.db, req.sessionToken);
    clearSessionCookie(reply, config);
    return reply.redirect('/', 303);
  });
};
