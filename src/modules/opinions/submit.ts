import { createHash } from 'node:crypto';
import type { AppContext } from '../../context.js';
import { type Executor, transaction } from '../../db/database.js';
import { groupCommitFor } from '../../db/group-commit.js';
import { OPINION_KINDS, type OpinionKind, type OpinionTargetType } from '../../db/schema.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { BadRequestError, ConflictError, type FieldIssue, RateLimitedError, ValidationError } from '../../platform/errors.js';
import { appendEvent } from '../../platform/timeline/audit.js';
import { type Rule, checkbox, choice, int, phone, text, validate } from '../../platform/validation.js';
import { checkCode } from '../account/login-codes.js';
import { citizenForPhone } from '../account/service.js';
import { type CategoryClock, dueDates } from './clocks.js';
import { formatTrackingCode, newTrackingCode } from './model.js';
import { addresseesOf, notifyNewOpinion } from './notices.js';
import { spendProof } from './pow.js';
import { categoryRegionBody, idempotentResult, insertNewOpinion, rememberResult, senderOpinionsSince } from './submit-queries.js';
import { resolveRecipient, type Recipient } from './recipient.js';
import { type StoredFile, discardFiles, storeOpinionFiles, type Upload } from './files.js';

// Sending an opinion. It is acknowledged (tracking code returned) only after the opinion,
// its first timeline event and its notifications (the outbox) have committed together.

export interface OpinionInput {
  kind: OpinionKind;
  title: string;
  body: string;
  category: string;
  regionId: number;
  target: OpinionTargetType;
  targetBodyId: number | null;
  targetMemberId: number | null;
  public: boolean;
}

const TARGETS = ['body', 'member', 'route'] as const;

export const opinionSpec = {
  kind: choice({ label: (t) => t.opinions.fKind, values: OPINION_KINDS }),
  title: text({ label: (t) => t.opinions.fTitle, max: 60, min: 4 }),
  body: text({ label: (t) => t.opinions.fBody, max: 3000, min: 10, multiline: true }),
  category: text({ label: (t) => t.opinions.fCategory, max: 40 }),
  regionId: int({ label: (t) => t.opinions.fRegion, min: 1 }),
  target: choice({ label: (t) => t.opinions.fTarget, values: TARGETS }),
  targetBodyId: int({ label: (t) => t.opinions.fTargetBody, min: 1, required: false }),
  targetMemberId: int({ label: (t) => t.opinions.fTargetMember, min: 1, required: false }),
  public: checkbox({ label: (t) => t.opinions.fPublic }),
} satisfies Record<keyof OpinionInput, Rule<unknown>>;

/** Validates the fields and checks that category, region and recipient exist. */
export async function parseOpinion(db: Executor, raw: unknown): Promise<{ input: OpinionInput; recipient: Recipient; clock: CategoryClock }> {
  const input = validate(opinionSpec, normaliseRaw(raw)) as OpinionInput;
  const issues: FieldIssue[] = [];
  // One read for the category, the region and a chosen body; only for an unknown category
  // (no row to join to) are the others read on their own, so every issue is reported.
  const found = await categoryRegionBody.first(db, input.category, input.regionId, input.target === 'body' ? input.targetBodyId ?? 0 : 0);
  const regionFound = found
    ? found.region_id !== null
    : (await db.selectFrom('regions').select('id').where('id', '=', input.regionId).executeTakeFirst()) !== undefined;
  if (!found) issues.push({ field: 'category', message: (t) => t.opinions.errCategory });
  if (!regionFound) issues.push({ field: 'regionId', message: (t) => t.opinions.errRegion });
  const targetBody = !found || input.target !== 'body' ? undefined
    : found.body_id !== null && found.body_kind !== null ? { id: found.body_id, kind: found.body_kind } : null;
  const recipient = await resolveRecipient(db, input, found?.default_body_id ?? null, targetBody);
  if ('issue' in recipient) issues.push(recipient.issue);
  if (issues.length || 'issue' in recipient || !found) throw new ValidationError(issues);
  return { input, recipient, clock: found };
}

/** JSON clients send booleans and numbers; forms send strings. Both reach the same rules. */
function normaliseRaw(raw: unknown): Record<string, unknown> {
  const r = (raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {}) as Record<string, unknown>;
  const out: Record<string, unknown> = { ...r };
  if (typeof r.public === 'boolean') out.public = r.public ? '1' : undefined;
  if (r.kind === undefined) out.kind = 'opinion';
  return out;
}

/** Who sends: a signed-in person, or a phone number proven by a text-message code. */
export type Sender =
  | { kind: 'user'; user: CurrentUser }
  | { kind: 'phone'; phone: unknown; code: unknown; proof: unknown };

export interface SubmitOptions {
  idempotencyKey?: string | null;
  ip?: string;
  uploads?: Upload[];
  email?: unknown;
  now?: Date;
}

export interface SubmitResult {
  id: number;
  trackingCode: string;
  /** The same sender sent exactly this within a day: the earlier opinion is returned, nothing new stored. */
  duplicate: boolean;
  acceptDue: string;
  replyDue: string;
}

const HOUR_MS = 3_600_000;
const DUPLICATE_WINDOW_MS = 24 * HOUR_MS;
const ipWindow = new Map<string, number[]>();

/** Per-IP limit (this process; per-sender limits are counted in the database). */
function takeIpSlot(ip: string | undefined, perHour: number, now: number): boolean {
  if (!ip) return true;
  const recent = (ipWindow.get(ip) ?? []).filter((t) => now - t < HOUR_MS);
  if (recent.length >= perHour) { ipWindow.set(ip, recent); return false; }
  recent.push(now);
  ipWindow.set(ip, recent);
  if (ipWindow.size > 50_000) ipWindow.delete(ipWindow.keys().next().value as string);
  return true;
}

export const contentHash = (i: OpinionInput): string => createHash('sha256')
  .update(JSON.stringify([i.kind, i.title, i.body, i.category, i.regionId, i.target, i.targetBodyId, i.targetMemberId]))
  .digest('hex');

const verifiedPhoneSpec = {
  phone: phone({ label: (t) => t.opinions.fPhone }),
  code: text({ label: (t) => t.opinions.fCode, max: 6, pattern: /^\d{6}$/ }),
};

export async function submitOpinion(ctx: AppContext, sender: Sender, raw: unknown, opts: SubmitOptions = {}): Promise<SubmitResult> {
  const database = ctx.database;
  const now = opts.now ?? new Date();
  // 1. Everything that can be checked without writing: fields, recipient, phone and code format.
  const parsed = await parseOpinion(database.db, raw);
  let phoneNumber: string | null = null;
  let code = '';
  if (sender.kind === 'phone') {
    const v = validate(verifiedPhoneSpec, { phone: sender.phone, code: sender.code });
    phoneNumber = v.phone;
    code = v.code;
  }
  const email = parseEmail(opts.email);
  const scopeKey = sender.kind === 'user' ? `u:${sender.user.id}` : `p:${phoneNumber}`;
  const requestHash = contentHash(parsed.input);
  // A retry is answered before anything else where that matters: a phone sender's code was
  // spent by the first attempt, and files would be stored again. (A signed-in sender's retry
  // without files is found just as well inside the transaction below.)
  if (opts.idempotencyKey && (sender.kind === 'phone' || opts.uploads?.length)) {
    const earlier = await replayed(database.db, scopeKey, opts.idempotencyKey, requestHash);
    if (earlier) return earlier;
  }
  if (!takeIpSlot(opts.ip, ctx.config.opinions.perIpPerHour, now.getTime())) throw new RateLimitedError((t) => t.opinions.errTooMany);

  // 2. An anonymous sender proves work and the phone; a wrong code is counted even though
  //    sending fails, so these commit on their own.
  let citizenId: number;
  if (sender.kind === 'phone' && phoneNumber) {
    const pn = phoneNumber;
    const proven = await transaction(database, async (trx) => {
      if (!(await spendProof(ctx, trx, sender.proof))) return { pow: false as const };
      const checked = await checkCode(trx, ctx.config.cookieSecret, pn, code, now);
      if (!checked.ok) return { checked };
      return { userId: await citizenForPhone(trx, pn) };
    });
    if ('pow' in proven) throw new ValidationError([{ field: 'proof', message: (t) => t.opinions.errPow }]);
    if ('checked' in proven) {
      const c = proven.checked;
      if (c && !c.ok && c.reason === 'wrong') {
        const left = c.left;
        throw new ValidationError([{ field: 'code', message: (t) => t.opinions.errCodeWrong(left) }]);
      }
      throw new ValidationError([{ field: 'code', message: (t) => t.opinions.errCodeExpired }]);
    }
    if (proven.userId === null) throw new ValidationError([{ field: 'phone', message: (t) => t.account.errPasswordAccount }]);
    citizenId = proven.userId;
  } else if (sender.kind === 'user') {
    citizenId = sender.user.id;
  } else {
    throw new BadRequestError();
  }

  // 3. Files are written before the transaction and removed if it does not commit.
  const files = await storeOpinionFiles(ctx, opts.uploads ?? []);
  try {
    // Concurrent submissions share a commit (each in a savepoint); acknowledged after it.
    return await groupCommitFor(database).run(async (trx) => {
      if (opts.idempotencyKey) {
        const earlier = await replayed(trx, scopeKey, opts.idempotencyKey, requestHash);
        if (earlier) { await discardFiles(ctx, files); return earlier; }
      }
      // One read through the (citizen, creation time) index serves both checks: the same text
      // from the same sender within a day (not withdrawn) is a duplicate, and the sender's
      // opinions within the hour count against their limit.
      const recent = await senderOpinionsSince.execute(trx, citizenId, new Date(now.getTime() - DUPLICATE_WINDOW_MS).toISOString());
      const dup = recent.find((r) => r.content_hash === requestHash && r.status !== 'withdrawn');
      if (dup) {
        await discardFiles(ctx, files);
        const result = { id: dup.id, trackingCode: dup.tracking_code, duplicate: true, acceptDue: dup.accept_due, replyDue: dup.reply_due };
        if (opts.idempotencyKey) await remember(trx, scopeKey, opts.idempotencyKey, requestHash, result, now);
        return result;
      }
      const hourAgo = new Date(now.getTime() - HOUR_MS).toISOString();
      if (recent.filter((r) => r.created_at > hourAgo).length >= ctx.config.opinions.perSenderPerHour) {
        throw new RateLimitedError((t) => t.opinions.errTooMany);
      }
      const result = await insertOpinion(trx, citizenId, phoneNumber, parsed, requestHash, files, now);
      if (email) {
        await trx.updateTable('user_pii').set({ email, updated_at: now.toISOString() })
          .where('user_id', '=', citizenId).where('email', 'is', null).execute();
      }
      if (opts.idempotencyKey) await remember(trx, scopeKey, opts.idempotencyKey, requestHash, result, now);
      return result;
    });
  } catch (err) {
    await discardFiles(ctx, files);
    throw err;
  }
}

async function insertOpinion(
  trx: Executor, citizenId: number, phoneNumber: string | null,
  p: { input: OpinionInput; recipient: Recipient; clock: CategoryClock }, hash: string, files: StoredFile[], now: Date,
): Promise<SubmitResult> {
  const { input, recipient } = p;
  const { acceptDue, replyDue } = dueDates(now, p.clock);
  const ts = now.toISOString();
  // The citizen's (and a chosen member's) language, phone and e-mail, read once: the last four
  // digits go on the opinion, the rest addresses the notices below.
  const addressees = await addresseesOf(trx, recipient.handlerUserId ? [citizenId, recipient.handlerUserId] : [citizenId]);
  const citizenPhone = addressees.get(citizenId)?.phone ?? null;
  const last4 = phoneNumber ? phoneNumber.slice(-4) : citizenPhone ? citizenPhone.slice(-4) : null;
  const insertRow = (code: string) => insertNewOpinion.first(trx,
    code, input.kind, input.title, input.body, input.category, input.regionId,
    input.target, input.target === 'body' ? input.targetBodyId : null, input.target === 'member' ? input.targetMemberId : null,
    recipient.handlerBodyId, recipient.handlerUserId, recipient.suggestedBodyId, recipient.suggestionReason,
    input.target === 'route' ? 0 : 1, citizenId, last4, input.public ? 1 : 0,
    acceptDue, replyDue, hash, ts);
  // About 2^49 codes: a collision is astronomically rare; the unique index rules it out and the
  // insert (which returns no row on a conflict) simply tries another code.
  let trackingCode = newTrackingCode();
  let inserted = await insertRow(trackingCode);
  for (let attempt = 1; !inserted; attempt++) {
    if (attempt >= 5) throw new ConflictError();
    trackingCode = newTrackingCode();
    inserted = await insertRow(trackingCode);
  }
  const row = inserted;
  if (files.length) {
    await trx.insertInto('attachments').values(files.map((f) => ({
      owner_type: 'opinion', owner_id: row.id, filename: f.filename, mime: f.mime, size: f.size, sha256: f.sha256,
      storage_key: f.storageKey, created_by: citizenId, created_at: ts,
    }))).execute();
  }
  await appendEvent(trx, {
    streamType: 'opinion', streamId: row.id, action: 'submitted', actorId: citizenId,
    data: {
      handlerBodyId: recipient.handlerBodyId, handlerUserId: recipient.handlerUserId, target: input.target,
      suggestedBodyId: recipient.suggestedBodyId, acceptDue, replyDue, attachments: files.length,
    },
  });
  const shown = formatTrackingCode(trackingCode);
  await notifyNewOpinion(trx, {
    citizenId, opinionId: row.id, trackingCode, addressees,
    handlerBodyId: recipient.handlerBodyId, handlerBodyKind: recipient.handlerBodyKind, handlerUserId: recipient.handlerUserId,
    citizen: { title: (t) => t.opinions.nSubmittedTitle(shown), body: (t) => t.opinions.nSubmittedBody(acceptDue) },
    inbox: { title: (t) => t.opinions.nNewInboxTitle, body: (t) => t.opinions.nNewInboxBody(input.title, acceptDue) },
  });
  return { id: row.id, trackingCode, duplicate: false, acceptDue, replyDue };
}

function parseEmail(raw: unknown): string | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const v = validate({ email: text({ label: (t) => t.opinions.fEmail, max: 120, pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/ }) }, { email: raw });
  return v.email.toLowerCase();
}

// Idempotency: the key's first result is replayed; the same key with other content is a conflict.
async function replayed(db: Executor, scope: string, key: string, requestHash: string): Promise<SubmitResult | null> {
  const row = await idempotentResult.first(db, scope, key);
  if (!row) return null;
  const stored = JSON.parse(row.result) as { requestHash: string; result: SubmitResult };
  if (stored.requestHash !== requestHash) throw new ConflictError((t) => t.opinions.errIdempotencyMismatch);
  return stored.result;
}

async function remember(db: Executor, scope: string, key: string, requestHash: string, result: SubmitResult, now: Date): Promise<void> {
  await rememberResult.execute(db, scope, key, JSON.stringify({ requestHash, result }), now.toISOString());
}
