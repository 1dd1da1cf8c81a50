import { randomInt } from 'node:crypto';
import type { AppContext } from '../../context.js';
import { type Executor, transaction } from '../../db/database.js';
import type { ParticipantKind } from '../../db/schema.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { appendEvent } from '../../platform/timeline/audit.js';
import { type ConsultationRow, STREAM, loadConsultation, lockConsultation, managedConsultation, requireUser } from './access.js';

// Attendance of the invited participants (members, department representatives, citizen
// representatives, experts). Two ways, both recorded in consultation_participants.attended_at
// and on the consultation's audit stream:
// - staff who manage the consultation tick who came on the attendance list (for everyone,
//   with or without an account: a department's representative usually has none);
// - a participant with an account holds a personal six-digit sign-in code, shown to them
//   when signed in, which the staff at the desk enter exactly as a registered citizen's
//   (registration-service.checkIn): a wrong code is refused (400), a used one too (409).
// Codes are personal for the reason given in registration-service: a code shown to the room
// could be passed on to people who are not there.

/** At most this many participants are listed (a meeting has tens; the cap bounds the page). */
export const SHEET_LIMIT = 1000;

export interface SheetRow {
  id: number; kind: ParticipantKind; name: string; title: string | null; bodyName: string | null; bodyNameEn: string | null;
  hasAccount: boolean; attendedAt: string | null;
}

/** The attendance list of a consultation its manager is looking at. */
export async function attendanceSheet(db: Executor, user: CurrentUser | null, id: number): Promise<{ c: ConsultationRow; rows: SheetRow[] }> {
  const { c } = await managedConsultation(db, user, id);
  const rows = await db.selectFrom('consultation_participants').leftJoin('bodies', 'bodies.id', 'consultation_participants.body_id')
    .select(['consultation_participants.id', 'consultation_participants.kind', 'consultation_participants.name', 'consultation_participants.title',
      'consultation_participants.user_id', 'consultation_participants.attended_at', 'bodies.name as body_name', 'bodies.name_en as body_name_en'])
    .where('consultation_participants.consultation_id', '=', id).orderBy('consultation_participants.id').limit(SHEET_LIMIT).execute();
  return {
    c,
    rows: rows.map((r) => ({
      id: r.id, kind: r.kind, name: r.name, title: r.title, bodyName: r.body_name, bodyNameEn: r.body_name_en, hasAccount: r.user_id !== null, attendedAt: r.attended_at,
    })),
  };
}

/** One id or many (checkboxes and hidden fields of the same name); null when any is not a plain id. */
function idList(raw: unknown): number[] | null {
  const list = raw === undefined || raw === null || raw === '' ? [] : Array.isArray(raw) ? raw : [raw];
  if (list.length > SHEET_LIMIT) return null;
  const ids = new Set<number>();
  for (const v of list) {
    if (typeof v !== 'string' && typeof v !== 'number') return null;
    const s = String(v);
    if (!/^\d{1,9}$/.test(s) || Number(s) < 1) return null;
    ids.add(Number(s));
  }
  return [...ids];
}

export interface AttendanceChange { present: number[]; absent: number[] }

/**
 * Records the attendance list as the staff member saw and ticked it. `present` are the ticked
 * participants; `was` those shown as present when the list was opened. Only what the staff
 * member changed is written: someone ticked who was not shown present is signed in (unless a
 * desk did so meanwhile), someone unticked who was shown present is taken off; a participant
 * signed in at the desk after the list was opened is left alone.
 */
export async function recordAttendance(ctx: AppContext, user: CurrentUser | null, id: number, raw: unknown): Promise<AttendanceChange> {
  const db = ctx.database.db;
  const { user: actor } = await managedConsultation(db, user, id);
  const src = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const present = idList(src.present);
  const was = idList(src.was);
  if (present === null || was === null) throw new ValidationError([{ field: 'present', message: (t) => t.consultationsAttendance.errList }]);
  const wanted = new Set(present);
  const mentioned = [...new Set([...present, ...was])];
  const change = await transaction(ctx.database, async (trx) => {
    const known = mentioned.length === 0 ? [] : await trx.selectFrom('consultation_participants').select(['id', 'attended_at'])
      .where('consultation_id', '=', id).where('id', 'in', mentioned).execute();
    if (known.length !== mentioned.length) throw new ValidationError([{ field: 'present', message: (t) => t.consultationsAttendance.errList }]);
    const toMark = known.filter((p) => wanted.has(p.id) && p.attended_at === null).map((p) => p.id);
    const toClear = known.filter((p) => !wanted.has(p.id) && was.includes(p.id) && p.attended_at !== null).map((p) => p.id);
    const now = new Date().toISOString();
    if (toMark.length) {
      await trx.updateTable('consultation_participants').set({ attended_at: now })
        .where('consultation_id', '=', id).where('id', 'in', toMark).where('attended_at', 'is', null).execute();
    }
    if (toClear.length) {
      await trx.updateTable('consultation_participants').set({ attended_at: null }).where('consultation_id', '=', id).where('id', 'in', toClear).execute();
    }
    if (toMark.length || toClear.length) {
      await appendEvent(trx, { streamType: STREAM, streamId: id, action: 'attendance_recorded', actorId: actor.id, data: { present: toMark, absent: toClear } });
    }
    return { present: toMark, absent: toClear };
  });
  if (change.present.length || change.absent.length) ctx.pageCache.invalidate();
  return change;
}

/** Whether a six-digit code is already held by a registrant or a participant of this consultation. */
export async function codeTaken(trx: Executor, consultationId: number, code: string): Promise<boolean> {
  const [reg, part] = await Promise.all([
    trx.selectFrom('consultation_registrations').select('id').where('consultation_id', '=', consultationId).where('checkin_code', '=', code).executeTakeFirst(),
    trx.selectFrom('consultation_participants').select('id').where('consultation_id', '=', consultationId).where('checkin_code', '=', code).executeTakeFirst(),
  ]);
  return Boolean(reg || part);
}

export interface MyAttendance { c: ConsultationRow; name: string; code: string | null; attendedAt: string | null }

/**
 * The signed-in participant's own sign-in code, given the first time they look (under the
 * consultation's row lock, like registrants' codes, so no two people of one meeting share a
 * code). Someone not invited to the consultation gets "not found".
 */
export async function myAttendance(ctx: AppContext, user: CurrentUser | null, id: number): Promise<MyAttendance> {
  const person = requireUser(user);
  const db = ctx.database.db;
  const c = await loadConsultation(db, id);
  const mine = () => db.selectFrom('consultation_participants').select(['id', 'name', 'checkin_code', 'attended_at'])
    .where('consultation_id', '=', id).where('user_id', '=', person.id).executeTakeFirst();
  const p = await mine();
  if (!p) throw new NotFoundError();
  if (p.checkin_code !== null || p.attended_at !== null) return { c, name: p.name, code: p.attended_at ? null : p.checkin_code, attendedAt: p.attended_at };
  const code = await transaction(ctx.database, async (trx) => {
    await lockConsultation(trx, id);
    const fresh = await trx.selectFrom('consultation_participants').select('checkin_code').where('id', '=', p.id).executeTakeFirst();
    if (!fresh) throw new NotFoundError();
    if (fresh.checkin_code !== null) return fresh.checkin_code;
    let next: string;
    do next = String(randomInt(0, 1_000_000)).padStart(6, '0'); while (await codeTaken(trx, id, next));
    await trx.updateTable('consultation_participants').set({ checkin_code: next }).where('id', '=', p.id).execute();
    return next;
  });
  return { c, name: p.name, code, attendedAt: null };
}

/** A participant holding this code in this consultation (for the sign-in desk). */
export async function participantByCode(trx: Executor, consultationId: number, code: string) {
  return trx.selectFrom('consultation_participants').select(['id', 'name', 'attended_at'])
    .where('consultation_id', '=', consultationId).where('checkin_code', '=', code).executeTakeFirst();
}

/** Signs a participant in at the desk; false when already signed in (conditional, so two desks sign them in once). */
export async function markParticipantAttended(trx: Executor, consultationId: number, participantId: number, actorId: number, now: string): Promise<boolean> {
  const res = await trx.updateTable('consultation_participants').set({ attended_at: now })
    .where('id', '=', participantId).where('consultation_id', '=', consultationId).where('attended_at', 'is', null).executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) return false;
  await appendEvent(trx, { streamType: STREAM, streamId: consultationId, action: 'participant_checked_in', actorId, data: { participantId } });
  return true;
}
