import { createHmac } from 'node:crypto';
import { createChallenge, extractParams, verifySolution } from 'altcha-lib/v1';
import type { AppContext } from '../../context.js';
import type { Executor } from '../../db/database.js';

// A privacy-friendly proof of work (ALTCHA, v1 scheme: find n with SHA-256(salt + n) equal to
// the challenge) on anonymous sending: the browser spends a moment of computation, nobody
// is tracked, and no third party is asked. Each solved challenge is accepted once.

const EXPIRES_MS = 20 * 60_000;

/** Challenges are signed with a key derived from the cookie secret (never the secret itself). */
const hmacKey = (ctx: AppContext): string => createHmac('sha256', ctx.config.cookieSecret).update('altcha-pow').digest('hex');

export interface PowChallenge { algorithm: string; challenge: string; maxnumber?: number; salt: string; signature: string }

export async function newChallenge(ctx: AppContext): Promise<PowChallenge> {
  return createChallenge({
    hmacKey: hmacKey(ctx), maxNumber: ctx.config.opinions.powMaxNumber, expires: new Date(Date.now() + EXPIRES_MS),
  }) as Promise<PowChallenge>;
}

/**
 * Checks a solution (the base64 JSON payload the widget or app.js posts) and marks it spent
 * in the caller's transaction. False for anything malformed, wrong, expired or reused.
 */
export async function spendProof(ctx: AppContext, trx: Executor, payload: unknown): Promise<boolean> {
  if (typeof payload !== 'string' || payload.length === 0 || payload.length > 2000) return false;
  let ok = false;
  try {
    ok = await verifySolution(payload, hmacKey(ctx), true);
  } catch {
    return false;
  }
  if (!ok) return false;
  let signature: string;
  try {
    signature = (JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as { signature: string }).signature;
  } catch {
    return false;
  }
  const now = new Date().toISOString();
  const expires = Number(extractParams(payload).expires);
  await trx.deleteFrom('pow_spent').where('expires_at', '<', now).execute();
  const res = await trx.insertInto('pow_spent')
    .values({ signature, expires_at: new Date(Number.isFinite(expires) ? expires * 1000 : Date.now() + EXPIRES_MS).toISOString() })
    .onConflict((oc) => oc.column('signature').doNothing()).executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
}
