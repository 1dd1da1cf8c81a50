import { preparedQuery } from '../../db/prepared.js';
import type { OpinionKind, OpinionTargetType } from '../../db/schema.js';

// The statements every submission runs, built and compiled once per dialect (db/prepared.ts):
// for these small statements Kysely's building and compiling cost about as much as SQLite's
// running them.

/** The category's clock, the region and a chosen body (0: none) in one read. */
export const categoryRegionBody = preparedQuery(3, (db, category: string, regionId: number, bodyId: number) =>
  db.selectFrom('opinion_categories as c')
    .leftJoin('regions as r', (j) => j.on('r.id', '=', regionId))
    .leftJoin('bodies as b', (j) => j.on('b.id', '=', bodyId))
    .select(['c.key', 'c.accept_days', 'c.reply_days', 'c.default_body_id', 'r.id as region_id', 'b.id as body_id', 'b.kind as body_kind'])
    .where('c.key', '=', category));

/** A sender's opinions since a moment, through the (citizen, creation time) index. */
export const senderOpinionsSince = preparedQuery(2, (db, citizenId: number, since: string) =>
  db.selectFrom('opinions').select(['id', 'tracking_code', 'accept_due', 'reply_due', 'created_at', 'status', 'content_hash'])
    .where('citizen_id', '=', citizenId).where('created_at', '>', since));

export const idempotentResult = preparedQuery(2, (db, scope: string, key: string) =>
  db.selectFrom('idempotency_keys').select('result').where('scope', '=', scope).where('key', '=', key));

export const rememberResult = preparedQuery(4, (db, scope: string, key: string, result: string, createdAt: string) =>
  db.insertInto('idempotency_keys').values({ scope, key, result, created_at: createdAt }));

/** What varies between new opinions; everything else starts empty (status received, not public yet). */
export type NewOpinionValues = [
  trackingCode: string, kind: OpinionKind, title: string, body: string, categoryKey: string, regionId: number,
  targetType: OpinionTargetType, targetBodyId: number | null, targetUserId: number | null,
  handlerBodyId: number, handlerUserId: number | null, suggestedBodyId: number | null, suggestionReason: string | null,
  routingConfirmed: number, citizenId: number, phoneLast4: string | null, publicConsent: number,
  acceptDue: string, replyDue: string, contentHash: string, now: string,
];

/** Inserts a new opinion; no row comes back when its tracking code is taken. */
export const insertNewOpinion = preparedQuery(21, (db, ...v: NewOpinionValues) => db.insertInto('opinions').values({
  tracking_code: v[0], kind: v[1], title: v[2], body: v[3], category_key: v[4], region_id: v[5],
  target_type: v[6], target_body_id: v[7], target_user_id: v[8],
  handler_body_id: v[9], handler_user_id: v[10], suggested_body_id: v[11], suggestion_reason: v[12],
  routing_confirmed: v[13], citizen_id: v[14], phone_last4: v[15], public_consent: v[16],
  public_visible: 0, status: 'received', accept_due: v[17], reply_due: v[18],
  accepted_at: null, declined_at: null, first_replied_at: null, replied_at: null, closed_at: null, withdrawn_at: null,
  merged_into_id: null, reply_text: null, rating_handling: null, rating_result: null, accept_reminded_at: null,
  reply_reminded_at: null, escalated_at: null, content_hash: v[19], created_at: v[20], updated_at: v[20],
}).onConflict((oc) => oc.column('tracking_code').doNothing()).returning('id'));
