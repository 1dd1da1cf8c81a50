import type { Executor } from '../../db/database.js';
import type { ConsultationForm, ConsultationStage, RegistrationStatus } from '../../db/schema.js';
import type { BodyOption } from '../content/shared/editable-bodies.js';

// Reads behind the staff pages: what a manager's bodies hold, and the choices editors offer.

export const ADMIN_SIZE = 30;
export const REGISTRATIONS_SIZE = 100;

export async function managedConsultations(db: Executor, bodyIds: number[], page: number) {
  if (!bodyIds.length) return { total: 0, items: [] };
  const base = db.selectFrom('consultations')
    .where('id', 'in', (eb) => eb.selectFrom('consultation_bodies').select('consultation_id').where('body_id', 'in', bodyIds));
  const [count, items] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    base.select(['id', 'title', 'form', 'stage', 'starts_at', 'is_public', 'seats_taken', 'capacity'])
      .orderBy('sort_at', 'desc').orderBy('id', 'desc').limit(ADMIN_SIZE).offset((page - 1) * ADMIN_SIZE).execute(),
  ]);
  return { total: Number(count.n), items };
}

export async function managedCalls(db: Executor, bodyIds: number[]) {
  if (!bodyIds.length) return [];
  return db.selectFrom('topic_calls').select(['id', 'title', 'opens_on', 'closes_on', 'published', 'closed_at'])
    .where('body_id', 'in', bodyIds).orderBy('opens_on', 'desc').limit(ADMIN_SIZE).execute();
}

export async function managedPlans(db: Executor, bodyIds: number[]) {
  if (!bodyIds.length) return [];
  return db.selectFrom('consultation_plans').innerJoin('bodies', 'bodies.id', 'consultation_plans.body_id')
    .select(['consultation_plans.id', 'title', 'year', 'status', 'bodies.name as body_name'])
    .where('body_id', 'in', bodyIds).orderBy('year', 'desc').limit(ADMIN_SIZE).execute();
}

export interface EditorOptions {
  bodies: BodyOption[]; departments: BodyOption[];
  members: Array<{ id: number; name: string }>;
  planItems: Array<{ id: number; label: string }>;
  plans: Array<{ id: number; label: string }>;
}

/** Choices for the editors: the manager's bodies, departments, members, plan items of their plans. */
export async function editorOptions(db: Executor, bodies: BodyOption[]): Promise<EditorOptions> {
  const ids = bodies.map((b) => b.id);
  const [departments, members, items, plans] = await Promise.all([
    db.selectFrom('bodies').select(['id', 'name', 'name_en', 'kind']).where('kind', '=', 'department').orderBy('sort').orderBy('id').execute(),
    db.selectFrom('users').innerJoin('memberships', 'memberships.user_id', 'users.id').select(['users.id', 'users.display_name']).distinct()
      .where('memberships.role', 'in', ['member', 'standing_member']).where('users.status', '=', 'active').orderBy('users.display_name').limit(2000).execute(),
    ids.length ? db.selectFrom('plan_items').innerJoin('consultation_plans', 'consultation_plans.id', 'plan_items.plan_id')
      .select(['plan_items.id', 'plan_items.title', 'consultation_plans.year', 'plan_items.quarter'])
      .where('consultation_plans.body_id', 'in', ids).orderBy('consultation_plans.year', 'desc').orderBy('plan_items.quarter').limit(500).execute() : [],
    ids.length ? db.selectFrom('consultation_plans').select(['id', 'title', 'year']).where('body_id', 'in', ids).orderBy('year', 'desc').limit(100).execute() : [],
  ]);
  return {
    bodies,
    departments: departments.map((d) => ({ id: d.id, name: d.name, nameEn: d.name_en, kind: d.kind })),
    members: members.map((m) => ({ id: m.id, name: m.display_name })),
    planItems: items.map((i) => ({ id: i.id, label: `${i.year} Q${i.quarter} ${i.title}` })),
    plans: plans.map((p) => ({ id: p.id, label: `${p.year} ${p.title}` })),
  };
}

export interface RegistrationRow { id: number; name: string; status: RegistrationStatus; code: string | null; checkedInAt: string | null; queuedAt: string; note: string | null }

/** A consultation's registrations for its organisers: confirmed first, then the waiting list in order. */
export async function registrationList(db: Executor, consultationId: number, page: number): Promise<{ total: number; items: RegistrationRow[] }> {
  const base = db.selectFrom('consultation_registrations').where('consultation_registrations.consultation_id', '=', consultationId).where('consultation_registrations.status', '!=', 'cancelled');
  const [count, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    base.innerJoin('users', 'users.id', 'consultation_registrations.user_id')
      .select(['consultation_registrations.id', 'users.display_name', 'consultation_registrations.status', 'checkin_code', 'checked_in_at', 'queued_at', 'note'])
      .orderBy('consultation_registrations.status').orderBy('consultation_registrations.queued_at').orderBy('consultation_registrations.id').limit(REGISTRATIONS_SIZE).offset((page - 1) * REGISTRATIONS_SIZE).execute(),
  ]);
  return {
    total: Number(count.n),
    items: rows.map((r) => ({ id: r.id, name: r.display_name, status: r.status, code: r.checkin_code, checkedInAt: r.checked_in_at, queuedAt: r.queued_at, note: r.note })),
  };
}

export type ManagedConsultationItem = { id: number; title: string; form: ConsultationForm; stage: ConsultationStage; starts_at: string | null; is_public: number; seats_taken: number; capacity: number | null };
