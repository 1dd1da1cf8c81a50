import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { UnauthenticatedError, ValidationError } from '../../platform/errors.js';
import { getSiteSettings } from '../../platform/site-settings.js';
import { type SecurityNotice, accountHomePage, securityPage, totpSetupPage } from './pages/account.js';
import { accountView } from './queries.js';
import { changePassword, confirmTotp, disableTotp, pendingTotpSecret, startTotp } from './security-service.js';
import { qrDataUrl, totpFor } from './totp.js';

/** Pages for signed-in people: anonymous visitors are sent to sign in and brought back. */
export function signInFirst(req: FastifyRequest, reply: FastifyReply): CurrentUser | null {
  if (req.user && req.authVia === 'session') return req.user;
  void reply.redirect(`/sign-in?next=${encodeURIComponent(req.url)}`, 303);
  return null;
}

/** For form posts: no redirect to a page that only answers POST, just a 401. */
function mustUser(req: FastifyRequest): CurrentUser {
  if (!req.user || req.authVia !== 'session') throw new UnauthenticatedError();
  return req.user;
}

const codeLimit = { rateLimit: { max: 10, timeWindow: '5 minutes', keyGenerator: (req: FastifyRequest) => `${req.ip}|${req.sessionToken ?? ''}` } };

const NOTICES: readonly SecurityNotice[] = ['password', 'totp-on', 'totp-off'];

export const account: FastifyPluginAsync = async (app) => {
  const { database } = app.ctx;
  const db = database.db;

  app.get('/account', async (req, reply) => {
    const user = signInFirst(req, reply);
    if (!user) return reply;
    return reply.page(accountHomePage(await accountView(db, user)));
  });

  const security = async (user: CurrentUser, p: { notice?: SecurityNotice; passwordForm?: { issues: ValidationError['issues'] }; totpForm?: { issues: ValidationError['issues'] } }) =>
    securityPage({ hasPassword: user.hasPassword, totpEnabled: user.totpEnabled, notice: p.notice ?? null, passwordForm: p.passwordForm, totpForm: p.totpForm });

  app.get<{ Querystring: { done?: string } }>('/account/security', async (req, reply) => {
    const user = signInFirst(req, reply);
    if (!user) return reply;
    const notice = NOTICES.find((n) => n === req.query.done) ?? null;
    return reply.page(await security(user, { notice }));
  });

  app.post('/account/security/password', async (req, reply) => {
    const user = mustUser(req);
    try {
      await changePassword(database, user, req.sessionToken ?? '', req.body);
      return reply.redirect('/account/security?done=password', 303);
    } catch (err) {
      if (err instanceof ValidationError) return reply.page(await security(user, { passwordForm: { issues: err.issues } }), 400);
      throw err;
    }
  });

  app.post('/account/security/totp/start', async (req, reply) => {
    const user = mustUser(req);
    await startTotp(database, user);
    return reply.redirect('/account/security/totp', 303);
  });

  const setupView = async (user: CurrentUser, secret: string, issues?: ValidationError['issues']) => {
    const settings = await getSiteSettings(db);
    const username = (await db.selectFrom('users').select('username').where('id', '=', user.id).executeTakeFirst())?.username;
    const uri = totpFor(secret, username ?? String(user.id), settings.orgName || 'Xieshang').toString();
    return totpSetupPage({ secret, qr: await qrDataUrl(uri), form: { issues } });
  };

  app.get('/account/security/totp', async (req, reply) => {
    const user = signInFirst(req, reply);
    if (!user) return reply;
    const secret = await pendingTotpSecret(database, user);
    if (!secret) return reply.redirect('/account/security', 303);
    return reply.page(await setupView(user, secret));
  });

  app.post('/account/security/totp/confirm', { config: codeLimit }, async (req, reply) => {
    const user = mustUser(req);
    try {
      await confirmTotp(database, user, req.body);
      return reply.redirect('/account/security?done=totp-on', 303);
    } catch (err) {
      const secret = await pendingTotpSecret(database, user);
      if (err instanceof ValidationError && secret) return reply.page(await setupView(user, secret, err.issues), 400);
      if (err instanceof ValidationError) return reply.page(await security(user, { totpForm: { issues: err.issues } }), 400);
      throw err;
    }
  });

  app.post('/account/security/totp/disable', { config: codeLimit }, async (req, reply) => {
    const user = mustUser(req);
    try {
      await disableTotp(database, user, req.body);
      return reply.redirect('/account/security?done=totp-off', 303);
    } catch (err) {
      if (err instanceof ValidationError) return reply.page(await security(user, { totpForm: { issues: err.issues } }), 400);
      throw err;
    }
  });
};
