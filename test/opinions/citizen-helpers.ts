import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { solveChallenge } from 'altcha-lib/v1';
import type { Config } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { type Jar, csrfToken } from '../helpers/http.js';

// What the citizen-page tests share: an app with an easy proof of work, the browser's side
// of the proof (solved here with altcha-lib, as pow.js does in the page), multipart posts and
// the texted code read from the SMS table.

export const opinionLimits: Config['opinions'] = {
  perSenderPerHour: 100, perIpPerHour: 10_000, powMaxNumber: 3000, attachmentMaxBytes: 200_000, maxAttachments: 3,
};

export const citizenTestApp = (): Promise<TestApp> => createTestApp({ opinions: opinionLimits, uploadMaxBytes: 300_000 });

const unescapeHtml = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The challenge embedded in a confirmation page (data-challenge), or null. */
export function challengeIn(html: string): { algorithm: string; challenge: string; maxnumber: number; salt: string; signature: string } | null {
  const m = /data-challenge="([^"]*)"/.exec(html);
  return m?.[1] ? JSON.parse(unescapeHtml(m[1])) : null;
}

/** Solves the page's challenge the way pow.js does and returns the `proof` field's value. */
export async function proofFor(html: string): Promise<string> {
  const c = challengeIn(html);
  if (!c) throw new Error('no challenge on the page');
  const solution = await solveChallenge(c.challenge, c.salt, c.algorithm, c.maxnumber).promise;
  if (!solution) throw new Error('challenge not solvable');
  return Buffer.from(JSON.stringify({ algorithm: c.algorithm, challenge: c.challenge, number: solution.number, salt: c.salt, signature: c.signature })).toString('base64');
}

/** The hidden fields a page carries, by name (the first of each). */
export function hiddenFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    if (m[1] && m[1] !== '_csrf' && !(m[1] in out)) out[m[1]] = unescapeHtml(m[2] ?? '');
  }
  return out;
}

export interface FilePart { filename: string; type: string; data: Buffer }

/** Posts a multipart form like a browser (CSRF token included), with any number of files in `files`. */
export async function postMultipart(app: FastifyInstance, url: string, fields: Record<string, string>, files: FilePart[], jar: Jar, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  const boundary = `----xs${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries({ _csrf: csrfToken(app, jar), ...fields })) {
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="files"; filename="${f.filename}"\r\ncontent-type: ${f.type}\r\n\r\n`), f.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const res = await app.inject({ method: 'POST', url, payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: jar.header(), ...headers } });
  jar.take(res);
  return res;
}

export async function lastCode(ctx: AppContext, phone: string): Promise<string> {
  const row = await ctx.database.db.selectFrom('sms_messages').select('text').where('phone', '=', phone).orderBy('id', 'desc').executeTakeFirstOrThrow();
  return /(\d{6})/.exec(row.text)?.[1] ?? '';
}

/** Lets the phone ask for a new code at once (the code machinery allows one a minute). */
export const ageCodes = (ctx: AppContext, phone: string) => ctx.database.db.updateTable('login_codes')
  .set({ created_at: new Date(Date.now() - 2 * 60_000).toISOString() }).where('phone', '=', phone).execute();

export async function countOpinions(ctx: AppContext): Promise<number> {
  const row = await ctx.database.db.selectFrom('opinions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
