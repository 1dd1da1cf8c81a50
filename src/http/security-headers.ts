import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * The security headers helmet would set, worked out once at start-up. Our headers do not
 * depend on the request, so running helmet's middleware on every request (it re-parses
 * the CSP each time) is wasted work on the hottest path.
 */
export function securityHeaders(secure: boolean): [string, string][] {
  const options: HelmetOptions = {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'], styleSrc: ["'self'"], scriptSrc: ["'self'"],
        formAction: ["'self'"], frameAncestors: ["'none'"], objectSrc: ["'none'"], baseUri: ["'self'"], upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: secure,
  };
  const headers = new Map<string, string>();
  const res = {
    setHeader: (k: string, v: string | number | string[]) => headers.set(k.toLowerCase(), Array.isArray(v) ? v.join(', ') : String(v)),
    removeHeader: (k: string) => headers.delete(k.toLowerCase()),
    getHeader: (k: string) => headers.get(k.toLowerCase()),
  } as unknown as ServerResponse;
  let ran = false;
  helmet(options)({} as IncomingMessage, res, () => { ran = true; });
  if (!ran) throw new Error('helmet did not run synchronously');
  return [...headers];
}
