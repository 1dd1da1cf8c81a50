import { randomInt } from 'node:crypto';
import type { AppContext } from '../../context.js';
import { type Executor, transaction } from '../../db/database.js';
import type { RegistrationStatus } from '../../db/schema.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { ConflictError, DomainError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { appendEvent } from '../../platform/timeline/audit.js';
import { text, validate } from '../../platform/validation.js';
import type { LocalText } from '../../web/i18n/index.js';
import { type ConsultationRow, STREAM, lockConsultation, managedConsultation, requireUser } from './access.js';
import { stagesOf } from './model.js';
import { notifyUsers } from './notices.js';
import { codeTaken, markParticipantAttended, participantByCode } from './attendance-service.js';

// Citizens register for a public consultation: confirmed while seats remain, then on a
// waiting list in order of registration. A cancellation frees a seat for the first person
// waiting, who is told. All of it runs with the consultation's row locked, so two people
// never take the last seat and the waiting list never skips anyone.
//
// Attendance: each confirmed registrant holds their own six-digit sign-in code (shown on
// their registration page and sent by text message); staff at the venue's desk enter it.
// A personal code proves that this person came (a code shown on a screen at the venue could
// be passed on to people who are not there), works for people without a smartphone, and
// is usable once: a second use, a cancelled registration's code or a code from another
// meeting are refused.

export const registrationLink = (id: number): string => `/consultations/${id}/registration`;
export type RegistrationState = 'not_offered' | 'open' | 'closed';

/** Registration is offered on public consultations with a capacity, while they are being prepared. */
export function registrationState(c: Pick<ConsultationRow, 'is_public' | 'registration_open' | 'capacity' | 'starts_at' | 'track' | 'stage'>, now = new Date().toISOString()): RegistrationState {
  if (c.is_public !== 1 || c.registration_open !== 1 || c.capacity === null) return 'not_offered';
  if (c.starts_at !== null && c.starts_at <= now) return 'closed';
  const stages = stagesOf(c.track);
  const lastOpen = c.track === 'community' ? stages.indexOf('proposal') : stages.indexOf('preparation');
  return stages.indexOf(c.stage) <= lastOpen ? 'open' : 'closed';
}

/** A freed seat goes to the waiting list until the meeting starts (even once registration closed). */
function seatsMovable(c: Pick<ConsultationRow, 'starts_at' | 'track' | 'stage'>, now = new Date().toISOString()): boolean {
  if (c.starts_at !== null && c.starts_at <= now) return false;
  const stages = stagesOf(c.track);
  return stages.indexOf(c.stage) <= stages.indexOf(c.track === 'community' ? 'deliberation' : 'meeting');
}

export class CodeUsedError extends DomainError {
  override name = 'CodeUsedError';
  constructor(text: LocalText) {
    super('checkin_code_used', 409, text);
  }
}

async function freshCode(trx: Executor, consultationId: number): Promise<string> {
  for (;;) {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    if (!(await codeTaken(trx, consultationId, code))) return code;
  }
}

export interface RegisterResult { status: RegistrationStatus; code: string | null; position: number | null }

const registerSpec = { note: text({ label: (t) => t.consultations.fRegistrationNote, max: 200, required: false, multiline: true }) };

export async function register(ctx: AppContext, user: CurrentUser | null, id: number, raw: unknown): Promise<RegisterResult> {
  const person = requireUser(user);
  const v = validate(registerSpec, raw);
  const result = await transaction(ctx.database, async (trx) => {
    const c = await lockConsultation(trx, id);
    const state = registrationState(c);
    if (state === 'not_offered') throw new NotFoundError();
    if (state === 'closed') throw new ConflictError((t) => t.consultations.errRegistrationClosed);
    const mine = await trx.selectFrom('consultation_registrations').select(['id', 'status']).where('consultation_id', '=', id).where('user_id', '=', person.id).executeTakeFirst();
    if (mine && mine.status !== 'cancelled') throw new ConflictError((t) => t.consultations.errAlreadyRegistered);
    const now = new Date().toISOString();
    const seat = c.seats_taken < (c.capacity ?? 0);
    const code = seat ? await freshCode(trx, id) : null;
    const values = {
      status: (seat ? 'confirmed' : 'waitlisted') as RegistrationStatus, note: v.note, queued_at: now, confirmed_at: seat ? now : null,
      cancelled_at: null, checkin_code: code, checked_in_at: null, updated_at: now,
    };
    const regId = mine
      ? (await trx.updateTable('consultation_registrations').set(values).where('id', '=', mine.id).execute(), mine.id)
      : (await trx.insertInto('consultation_registrations').values({ ...values, consultation_id: id, user_id: person.id, created_at: now }).returning('id').executeTakeFirstOrThrow()).id;
    if (seat) await trx.updateTable('consultations').set((eb) => ({ seats_taken: eb('seats_taken', '+', 1) })).where('id', '=', id).execute();
    await appendEvent(trx, { streamType: STREAM, streamId: id, action: seat ? 'registered' : 'waitlisted', actorId: person.id, data: { registrationId: regId } });
    const position = seat ? null : await waitlistPosition(trx, id, regId);
    await notifyUsers(trx, [person.id], registrationLink(id),
      (t) => (seat ? t.consultations.nRegisteredTitle : t.consultations.nWaitlistedTitle),
      (t) => (seat ? t.consultations.nRegisteredBody(c.title, code ?? '') : t.consultations.nWaitlistedBody(c.title, position ?? 0)), ['site', 'sms']);
    return { status: values.status, code, position };
  });
  ctx.pageCache.invalidate();
  return result;
}

/** 1 for the first person waiting. */
export async function waitlistPosition(db: Executor, consultationId: number, registrationId: number): Promise<number | null> {
  const me = await db.selectFrom('consultation_registrations').select(['queued_at', 'status']).where('id', '=', registrationId).executeTakeFirst();
  if (me?.status !== 'waitlisted') return null;
  const ahead = await db.selectFrom('consultation_registrations').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('consultation_id', '=', consultationId).where('status', '=', 'waitlisted')
    .where((eb) => eb.or([eb('queued_at', '<', me.queued_at), eb.and([eb('queued_at', '=', me.queued_at), eb('id', '<', registrationId)])]))
    .executeTakeFirstOrThrow();
  return Number(ahead.n) + 1;
}

/** Cancels the person's registration; a freed seat goes to the first person waiting. */
export async function cancelRegistration(ctx: AppContext, user: CurrentUser | null, id: number): Promise<void> {
  const person = requireUser(user);
  await transaction(ctx.database, async (trx) => {
    const c = await lockConsultation(trx, id);
    const mine = await trx.selectFrom('consultation_registrations').select(['id', 'status', 'checked_in_at']).where('consultation_id', '=', id).where('user_id', '=', person.id).executeTakeFirst();
    if (!mine || mine.status === 'cancelled') throw new ConflictError((t) => t.consultations.errNotRegistered);
    if (mine.checked_in_at !== null) throw new ConflictError((t) => t.consultations.errAlreadyCheckedIn);
    const now = new Date().toISOString();
    await trx.updateTable('consultation_registrations').set({ status: 'cancelled', cancelled_at: now, checkin_code: null, updated_at: now }).where('id', '=', mine.id).execute();
    await appendEvent(trx, { streamType: STREAM, streamId: id, action: 'registration_cancelled', actorId: person.id, data: { registrationId: mine.id, was: mine.status } });
    if (mine.status === 'confirmed') {
      await trx.updateTable('consultations').set((eb) => ({ seats_taken: eb('seats_taken', '-', 1) })).where('id', '=', id).execute();
      if (seatsMovable(c)) await fillSeats(trx, id, null);
    }
  });
  ctx.pageCache.invalidate();
}

/** Gives free seats to the people waiting longest, each with a new code and a notice. */
export async function fillSeats(trx: Executor, id: number, actorId: number | null): Promise<number> {
  const c = await lockConsultation(trx, id);
  const free = (c.capacity ?? 0) - c.seats_taken;
  if (free <= 0) return 0;
  const waiting = await trx.selectFrom('consultation_registrations').select(['id', 'user_id'])
    .where('consultation_id', '=', id).where('status', '=', 'waitlisted').orderBy('queued_at').orderBy('id').limit(free).execute();
  const now = new Date().toISOString();
  for (const w of waiting) {
    const code = await freshCode(trx, id);
    await trx.updateTable('consultation_registrations').set({ status: 'confirmed', confirmed_at: now, checkin_code: code, updated_at: now }).where('id', '=', w.id).execute();
    await appendEvent(trx, { streamType: STREAM, streamId: id, action: 'promoted', actorId, data: { registrationId: w.id } });
    await notifyUsers(trx, [w.user_id], registrationLink(id), (t) => t.consultations.nPromotedTitle, (t) => t.consultations.nPromotedBody(c.title, code), ['site', 'sms']);
  }
  if (waiting.length) await trx.updateTable('consultations').set((eb) => ({ seats_taken: eb('seats_taken', '+', waiting.length) })).where('id', '=', id).execute();
  return waiting.length;
}

const codeSpec = { code: text({ label: (t) => t.consultations.fCheckinCode, max: 20 }) };

/**
 * Staff at the desk enter a registrant's code, or an invited participant's (attendance-service):
 * the person is signed in once, by name.
 */
export async function checkIn(ctx: AppContext, user: CurrentUser | null, id: number, raw: unknown): Promise<{ name: string; registrationId: number | null; participantId: number | null }> {
  const { user: actor } = await managedConsultation(ctx.database.db, user, id);
  const code = validate(codeSpec, raw).code.replace(/[\s-]/g, '');
  if (!/^\d{6}$/.test(code)) throw new ValidationError([{ field: 'code', message: (t) => t.consultations.errCodeFormat }]);
  const out = await transaction(ctx.database, async (trx) => {
    const reg = await trx.selectFrom('consultation_registrations').innerJoin('users', 'users.id', 'consultation_registrations.user_id')
      .select(['consultation_registrations.id', 'consultation_registrations.status', 'consultation_registrations.checked_in_at', 'users.display_name'])
      .where('consultation_registrations.consultation_id', '=', id).where('consultation_registrations.checkin_code', '=', code).executeTakeFirst();
    const now = new Date().toISOString();
    if (!reg) {
      const p = await participantByCode(trx, id, code);
      if (!p) throw new ValidationError([{ field: 'code', message: (t) => t.consultations.errCodeUnknown }]);
      if (p.attended_at !== null || !(await markParticipantAttended(trx, id, p.id, actor.id, now))) {
        const at = p.attended_at ?? now;
        throw new CodeUsedError((t) => t.consultations.errCodeUsed(p.name, at));
      }
      return { name: p.name, registrationId: null, participantId: p.id };
    }
    if (reg.status !== 'confirmed') throw new ValidationError([{ field: 'code', message: (t) => t.consultations.errCodeUnknown }]);
    // Conditional, so two desks entering the same code at once sign the person in once.
    const res = await trx.updateTable('consultation_registrations').set({ checked_in_at: now, updated_at: now })
      .where('id', '=', reg.id).where('checked_in_at', 'is', null).executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0 || reg.checked_in_at !== null) {
      const at = reg.checked_in_at ?? now;
      throw new CodeUsedError((t) => t.consultations.errCodeUsed(reg.display_name, at));
    }
    await appendEvent(trx, { streamType: STREAM, streamId: id, action: 'checked_in', actorId: actor.id, data: { registrationId: reg.id } });
    return { name: reg.display_name, registrationId: reg.id, participantId: null };
  });
  return out;
}
