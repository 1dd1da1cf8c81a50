import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import Tokens from '@fastify/csrf';

/** A browser-like cookie jar for app.inject(). */
export class Jar {
  cookies = new Map<string, string>();
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  take(res: LightMyRequestResponse): void {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number }[]) {
      if (c.value === '' || c.maxAge === 0) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }
}

const tokens = Tokens();

/** Gives the jar a CSRF secret cookie and returns a token valid for it (what a form would hold). */
export function csrfToken(app: FastifyInstance, jar: Jar): string {
  let secret = jar.cookies.get('xs_csrf');
  let raw: string | null = secret ? app.unsignCookie(decodeURIComponent(secret)).value : null;
  if (!raw) {
    const fresh = tokens.secretSync();
    raw = fresh;
    jar.cookies.set('xs_csrf', encodeURIComponent(app.signCookie(fresh)));
  }
  return tokens.create(raw);
}

/** GET with the jar's cookies. */
export async function get(app: FastifyInstance, url: string, jar?: Jar, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  const res = await app.inject({ method: 'GET', url, headers: { ...(jar ? { cookie: jar.header() } : {}), ...headers } });
  jar?.take(res);
  return res;
}

/** Posts a urlencoded form the way a browser would, CSRF token included. */
export async function postForm(app: FastifyInstance, url: string, fields: Record<string, string | string[]>, jar: Jar = new Jar()): Promise<LightMyRequestResponse> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries({ _csrf: csrfToken(app, jar), ...fields })) {
    for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  }
  const res = await app.inject({
    method: 'POST', url, payload: body.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
  });
  jar.take(res);
  return res;
}
