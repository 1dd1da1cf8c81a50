import type { Executor } from '../../db/database.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { NotFoundError } from '../../platform/errors.js';
import { type ConsultationRow, STREAM, canManageAny, holdingBodyIds, managesAnyIn, loadConsultation, personKind, scopes, validId } from './access.js';
import { keptHead } from './live-head.js';
import { stagesOf } from './model.js';

// Who may do what in a live question session (ask, answer for a department, moderate, read a
// session that is not public), and the head of the session's page: the consultation, those
// rights and the stream's last event, kept per person between views (live-head.ts).

export interface LiveRights { ask: boolean; answerBodies: number[]; moderate: boolean }

/** Questions are taken until the outcome is being written. */
export function sessionOpen(c: Pick<ConsultationRow, 'track' | 'stage'>): boolean {
  const stages = stagesOf(c.track);
  return stages.indexOf(c.stage) < stages.indexOf(c.track === 'community' ? 'decision' : 'outcome');
}

export async function departmentBodies(db: Executor, id: number): Promise<Array<{ id: number; name: string }>> {
  return db.selectFrom('consultation_participants').innerJoin('bodies', 'bodies.id', 'consultation_participants.body_id')
    .select(['bodies.id as id', 'bodies.name as name']).distinct()
    .where('consultation_participants.consultation_id', '=', id).where('consultation_participants.kind', '=', 'department')
    .orderBy('bodies.id').execute();
}

/** Every body's permission scope (see access.ts `scopes`). */
type BodyScopes = Awaited<ReturnType<typeof scopes>>;

/** What this person may do in the session (`tree`: the body tree to judge managers by, read now if not given). */
export async function liveRights(db: Executor, user: CurrentUser | null, c: ConsultationRow, tree?: BodyScopes): Promise<LiveRights> {
  if (!user) return { ask: false, answerBodies: [], moderate: false };
  const member = personKind(user) === 'member';
  // Independent reads, all at once (on PostgreSQL each is a round trip of its own).
  const [holding, departments, asRep, registered, participant] = await Promise.all([
    holdingBodyIds(db, c.id),
    departmentBodies(db, c.id),
    db.selectFrom('consultation_participants').select('body_id')
      .where('consultation_id', '=', c.id).where('kind', '=', 'department').where('user_id', '=', user.id).execute(),
    member ? undefined : db.selectFrom('consultation_registrations').select('id')
      .where('consultation_id', '=', c.id).where('user_id', '=', user.id).where('status', '=', 'confirmed').executeTakeFirst(),
    member ? undefined : db.selectFrom('consultation_participants').select('id')
      .where('consultation_id', '=', c.id).where('user_id', '=', user.id).where('kind', 'in', ['member', 'citizen', 'expert']).executeTakeFirst(),
  ]);
  const managing = [c.lead_body_id, ...holding];
  const moderate = tree ? managesAnyIn(tree, user, managing) : await canManageAny(db, user, managing);
  const departmentIds = departments.map((d) => d.id);
  const answerBodies = [...new Set([
    ...asRep.map((r) => r.body_id).filter((b): b is number => b !== null),
    ...user.memberships.filter((m) => m.role === 'department_handler' && departmentIds.includes(m.bodyId)).map((m) => m.bodyId),
  ])];
  return { ask: member || moderate || Boolean(registered) || Boolean(participant), answerBodies, moderate };
}

/** Public sessions are for everyone, others for their organisers and answering departments only. */
function assertMayRead(c: ConsultationRow, rights: LiveRights): void {
  if (c.is_public !== 1 && !rights.moderate && !rights.answerBodies.length) throw new NotFoundError();
}

/** The consultation, if this person may read its session. */
export async function readable(db: Executor, user: CurrentUser | null, id: number): Promise<{ c: ConsultationRow; rights: LiveRights }> {
  const c = await loadConsultation(db, id);
  const rights = await liveRights(db, user, c);
  assertMayRead(c, rights);
  return { c, rights };
}

export async function assertReadable(db: Executor, user: CurrentUser | null, id: number): Promise<ConsultationRow> {
  return (await readable(db, user, id)).c;
}

export interface LiveHead { c: ConsultationRow; rights: LiveRights; lastEventId: number; open: boolean }

/** Keeps values between requests until something they depend on changes (the shared page memo). */
export type Memo = <T>(key: string, load: () => Promise<T>) => Promise<T>;

const lastStreamEvent = async (db: Executor, id: number): Promise<number> => {
  const last = await db.selectFrom('audit_events').select('id').where('stream_type', '=', STREAM).where('stream_id', '=', String(id))
    .orderBy('id', 'desc').limit(1).executeTakeFirst();
  return last ? Number(last.id) : 0;
};

/**
 * What the page depends on besides its questions: the consultation, this person's rights and
 * the last event of the consultation's stream. Every change the page shows (a question, an
 * answer, moderation, a stage move, an edit, a participant, a registration) appends to that
 * stream, so the last event id tells whether a copy of the page is current. With `memo` the
 * consultation and the rights are kept per person under that event id and the body tree
 * (live-head.ts): a view then costs one index lookup; whether the person may read the session
 * is still decided on every request.
 */
export async function liveHead(db: Executor, user: CurrentUser | null, id: number, memo?: Memo): Promise<LiveHead> {
  if (!memo) {
    // Both at once (two connections of the pool on PostgreSQL): the last event does not depend on the rights.
    const [{ c, rights }, lastEventId] = await Promise.all([readable(db, user, id), lastStreamEvent(db, id)]);
    return { c, rights, lastEventId, open: sessionOpen(c) };
  }
  if (!validId(id)) throw new NotFoundError();
  // The version first: what is computed after it is at least as new.
  const lastEventId = await lastStreamEvent(db, id);
  const tree = await memo('consultations.live.bodyScopes', () => scopes(db));
  const { c, rights } = await keptHead(db, id, user, lastEventId, tree, async () => {
    const row = await loadConsultation(db, id);
    return { c: row, rights: await liveRights(db, user, row, tree) };
  });
  assertMayRead(c, rights);
  return { c, rights, lastEventId, open: sessionOpen(c) };
}

/** The page holds a form for this person (ask, answer, moderate): it cannot be shared. */
export const liveHasForms = (h: LiveHead): boolean => (h.open && h.rights.ask) || h.rights.answerBodies.length > 0 || h.rights.moderate;
