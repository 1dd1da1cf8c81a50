import type { Executor } from '../../db/database.js';
import { preparedQuery } from '../../db/prepared.js';
import type { BodyKind } from '../../db/schema.js';
import type { FieldIssue } from '../../platform/errors.js';
import { TARGET_BODY_KINDS } from './model.js';
import { suggestRoute } from './routing.js';

// Where an opinion goes: the body or member the citizen chose, or the committee's office
// when the citizen lets the committee route it (with a suggestion for staff to confirm).

export interface Recipient {
  handlerBodyId: number;
  /** The handling body's kind where resolving read it (null when not read). */
  handlerBodyKind: string | null;
  handlerUserId: number | null;
  suggestedBodyId: number | null;
  suggestionReason: string | null;
}

interface Choice { target: 'body' | 'member' | 'route'; targetBodyId: number | null; targetMemberId: number | null; title: string; body: string; category: string }

/** The committee (the root body that routes unaddressed opinions), or null before setup. */
export async function routingBodyId(db: Executor): Promise<number | null> {
  return (await committeeRoot.first(db))?.id ?? null;
}

// Asked for every opinion sent to the committee or to a member: built once (db/prepared.ts).
const committeeRoot = preparedQuery(0, (db) => db.selectFrom('bodies').select('id').where('parent_id', 'is', null).where('kind', '=', 'committee')
  .orderBy('id').limit(1));
const currentSeat = preparedQuery(2, (db, userId: number, today: string) => db.selectFrom('memberships')
  .innerJoin('users', 'users.id', 'memberships.user_id')
  .innerJoin('member_profiles', 'member_profiles.user_id', 'memberships.user_id')
  .select(['memberships.body_id'])
  .where('memberships.user_id', '=', userId).where('users.status', '=', 'active')
  .where('member_profiles.is_public', '=', 1)
  .where('memberships.role', 'in', ['member', 'standing_member'])
  .where((eb) => eb.or([eb('memberships.ends_on', 'is', null), eb('memberships.ends_on', '>=', today)]))
  .orderBy('memberships.id').limit(1));

/** The body a member's opinions are supervised from: the body of their current member seat. */
export async function memberSeat(db: Executor, userId: number): Promise<{ bodyId: number } | null> {
  const row = await currentSeat.first(db, userId, new Date().toISOString().slice(0, 10));
  return row ? { bodyId: row.body_id } : null;
}

/**
 * `targetBody` is the chosen body's row when the caller has read it (null: it does not
 * exist); when undefined it is read here.
 */
export async function resolveRecipient(
  db: Executor, c: Choice, categoryBodyId: number | null, targetBody?: { id: number; kind: BodyKind } | null,
): Promise<Recipient | { issue: FieldIssue }> {
  if (c.target === 'body') {
    const body = targetBody !== undefined ? targetBody : c.targetBodyId
      ? await db.selectFrom('bodies').select(['id', 'kind']).where('id', '=', c.targetBodyId).executeTakeFirst()
      : undefined;
    if (!body || !TARGET_BODY_KINDS.includes(body.kind)) return { issue: { field: 'targetBodyId', message: (t) => t.opinions.errTargetBody } };
    return { handlerBodyId: body.id, handlerBodyKind: body.kind, handlerUserId: null, suggestedBodyId: null, suggestionReason: null };
  }
  if (c.target === 'member') {
    const seat = c.targetMemberId ? await memberSeat(db, c.targetMemberId) : null;
    if (!seat || !c.targetMemberId) return { issue: { field: 'targetMemberId', message: (t) => t.opinions.errTargetMember } };
    return { handlerBodyId: seat.bodyId, handlerBodyKind: null, handlerUserId: c.targetMemberId, suggestedBodyId: null, suggestionReason: null };
  }
  const office = await routingBodyId(db);
  if (!office) return { issue: { field: 'target', message: (t) => t.opinions.errNoRoutingBody } };
  const s = await suggestRoute(db, { title: c.title, body: c.body, category: c.category }, categoryBodyId);
  // routingBodyId reads only a committee.
  return { handlerBodyId: office, handlerBodyKind: 'committee', handlerUserId: null, suggestedBodyId: s?.bodyId ?? null, suggestionReason: s?.reason ?? null };
}

/** Names for "who will receive it": the body, or the member and their body. */
export async function recipientLabel(db: Executor, r: Pick<Recipient, 'handlerBodyId' | 'handlerUserId'>): Promise<{ body: string; bodyEn: string | null; member: string | null }> {
  const body = await db.selectFrom('bodies').select(['name', 'name_en']).where('id', '=', r.handlerBodyId).executeTakeFirst();
  const member = r.handlerUserId
    ? await db.selectFrom('users').select('display_name').where('id', '=', r.handlerUserId).executeTakeFirst()
    : undefined;
  return { body: body?.name ?? '', bodyEn: body?.name_en ?? null, member: member?.display_name ?? null };
}
