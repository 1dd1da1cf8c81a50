import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { VNode } from 'preact';
import qs from 'node:querystring';
import type { AppContext } from './context.js';
import { handleError, wantsJson } from './http/errors.js';
import { securityHeaders } from './http/security-headers.js';
import { renderPage, resolveRequest } from './http/request-context.js';
import { modules } from './modules/index.js';
import { NotFoundError } from './platform/errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
    /** Every route registered, for tests that try all of them (e.g. hostile input). */
    routeList: { method: string; url: string }[];
  }
  interface FastifyContextConfig {
    /** Set to false on routes that must not demand a CSRF token (none that take forms). */
    csrf?: boolean;
  }
}

const ASSETS_DIR = fileURLToPath(new URL('./web/assets/', import.meta.url));

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    // Secrets never reach the log: no cookies, no tokens, no form bodies.
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    ...(process.stdout.isTTY && level !== 'silent' ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } } } : {}),
  };
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function buildApp(ctx: AppContext, opts: { logLevel?: string } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(opts.logLevel ?? ctx.config.logLevel),
    trustProxy: ctx.config.trustProxy,
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 200 },
    return503OnClosing: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  });
  app.decorate('ctx', ctx);
  const routeList: { method: string; url: string }[] = [];
  app.decorate('routeList', routeList);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') routeList.push({ method, url: r.url });
  });
  app.decorateRequest('user', null);
  app.decorateReply('page', function (this: any, vnode: VNode, status = 200) {
    return renderPage(ctx, this.request, this, vnode, status);
  });

  const headers = securityHeaders(ctx.config.secureCookies);
  app.addHook('onRequest', (_req, reply, done) => {
    for (const [k, v] of headers) reply.raw.setHeader(k, v);
    done();
  });
  await app.register(cookie, { secret: ctx.config.cookieSecret });
  await app.register(formbody, { parser: (s) => qs.parse(s), bodyLimit: 256 * 1024 });
  await app.register(multipart, {
    attachFieldsToBody: true,
    limits: { fileSize: ctx.config.uploadMaxBytes, files: 5, fields: 50, fieldSize: 200 * 1024, parts: 60 },
    throwFileSizeLimit: true,
  });
  await app.register(rateLimit, { global: false });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'xs_csrf',
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure: ctx.config.secureCookies, signed: true },
    getToken: (req) => {
      const b = req.body as Record<string, unknown> | undefined;
      const v = b?._csrf;
      if (typeof v === 'string') return v;
      if (v && typeof v === 'object' && 'value' in v) return String((v as { value: unknown }).value);
      return req.headers['x-csrf-token'] as string | undefined;
    },
  });

  app.addHook('onRequest', async (req) => {
    await resolveRequest(ctx, req);
  });

  // CSRF on every unsafe request a browser could forge: any form post, and any request that
  // rides on the session cookie. Bearer-token API clients carry no ambient credentials.
  app.addHook('preHandler', (req, reply, done) => {
    if (!UNSAFE.has(req.method) || req.routeOptions.config?.csrf === false || req.authVia === 'bearer') return done();
    const type = req.headers['content-type'] ?? '';
    const isJson = type.startsWith('application/json');
    if (isJson && !req.sessionToken) return done();
    app.csrfProtection(req, reply, done);
  });

  app.setErrorHandler((err, req, reply) => handleError(ctx, err as FastifyError, req, reply));
  app.setNotFoundHandler((req, reply) => handleError(ctx, new NotFoundError() as never, req, reply));

  const assets = new Map<string, { body: Buffer; type: string }>();
  for (const [name, type] of [['app.css', 'text/css; charset=utf-8'], ['app.js', 'text/javascript; charset=utf-8'], ['pow.js', 'text/javascript; charset=utf-8'], ['live.js', 'text/javascript; charset=utf-8']] as const) {
    assets.set(name, { body: readFileSync(ASSETS_DIR + name), type });
  }
  app.get<{ Params: { name: string } }>('/assets/:name', async (req, reply) => {
    const a = assets.get(req.params.name);
    if (!a) throw new NotFoundError();
    return reply.type(a.type).header('cache-control', 'public, max-age=3600').send(a.body);
  });

  // Routes with a `schema` are documented at /api/openapi.json; every /api/v1 route has one.
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Xieshang API', version: '1', description: 'The same services as the pages. Authenticate with `Authorization: Bearer xs_…` tokens issued by an administrator.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    hideUntagged: true,
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  for (const mod of modules) await app.register(mod);

  app.addHook('onSend', async (req, reply, payload) => {
    if (wantsJson(req) && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
  return app;
}
