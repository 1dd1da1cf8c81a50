import type { Executor } from '../../db/database.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { can } from '../../platform/permissions.js';
import { scopes } from '../consultations/access.js';
import { nextStatement } from './engine/index.js';
import type { DeliberationRow, StatementStatus } from './model.js';
import { participantOf } from './participation.js';
import { emptyResult, latestResult } from './results.js';

// Reading for pages and the API.

export const PAGE_SIZE = 20;
export const pageParam = (raw: unknown): number => (typeof raw === 'string' && /^\d{1,5}$/.test(raw) && Number(raw) > 0 ? Number(raw) : 1);

export interface NextView {
  /** The statement to vote on next, or null when none is left. */
  next: { id: number; body: string } | null;
  voted: number;
  /** Statements open for votes. */
  total: number;
}

/**
 * The next statement for a participant: Polis's weighted draw among the open statements they
 * have not voted on, seeded by the participant and how far they are (the same page on a
 * reload; a new draw after each vote).
 */
export async function nextFor(db: Executor, d: DeliberationRow, userId: number): Promise<NextView> {
  const open = await db.selectFrom('deliberation_statements').select('id')
    .where('deliberation_id', '=', d.id).where('status', '=', 'accepted').orderBy('id').execute();
  const participantId = await participantOf(db, d.id, userId);
  const voted = participantId === null ? [] : (await db.selectFrom('deliberation_votes').select('statement_id')
    .where('participant_id', '=', participantId).execute()).map((r) => r.statement_id);
  const openIds = open.map((r) => r.id);
  const openSet = new Set(openIds);
  const votedOpen = voted.filter((id) => openSet.has(id)).length;
  const latest = await latestResult(db, d.id);
  const id = nextStatement(latest?.priorities ?? emptyResult(), {
    votedStatementIds: voted, candidateStatementIds: openIds, seed: `${d.id}:${participantId ?? `u${userId}`}:${voted.length}`,
  });
  const body = id === null ? null : await db.selectFrom('deliberation_statements').select('body').where('id', '=', id).executeTakeFirst();
  return { next: id !== null && body ? { id, body: body.body } : null, voted: votedOpen, total: openIds.length };
}

export async function statementCounts(db: Executor, deliberationId: number): Promise<Record<StatementStatus, number>> {
  const rows = await db.selectFrom('deliberation_statements').select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('deliberation_id', '=', deliberationId).groupBy('status').execute();
  const out: Record<StatementStatus, number> = { pending: 0, accepted: 0, rejected: 0 };
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}

export interface QueueItem { id: number; body: string; status: StatementStatus; createdAt: string; seed: boolean }

/** Statements of one status, oldest first for the waiting ones (first come, first moderated), else newest first. */
export async function statementsByStatus(db: Executor, deliberationId: number, status: StatementStatus, page: number): Promise<QueueItem[]> {
  const rows = await db.selectFrom('deliberation_statements').select(['id', 'body', 'status', 'created_at', 'is_seed'])
    .where('deliberation_id', '=', deliberationId).where('status', '=', status)
    .orderBy('id', status === 'pending' ? 'asc' : 'desc').limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE).execute();
  return rows.map((r) => ({ id: r.id, body: r.body, status: r.status, createdAt: r.created_at, seed: r.is_seed === 1 }));
}

export interface ListItem { id: number; title: string; status: DeliberationRow['status']; createdAt: string; consultation: { id: number; title: string } | null }

/** Public deliberations, newest first (standalone ones and those of public consultations). */
export async function publicList(db: Executor, page: number): Promise<{ items: ListItem[]; total: number }> {
  const base = db.selectFrom('deliberations as d').leftJoin('consultations as c', 'c.id', 'd.consultation_id')
    .where((eb) => eb.or([eb('d.consultation_id', 'is', null), eb('c.is_public', '=', 1)]));
  const [rows, count] = await Promise.all([
    base.select(['d.id', 'd.title', 'd.status', 'd.created_at', 'd.consultation_id', 'c.title as cTitle'])
      .orderBy('d.id', 'desc').limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(listItem), total: Number(count.n) };
}

const listItem = (r: { id: number; title: string; status: DeliberationRow['status']; created_at: string; consultation_id: number | null; cTitle: string | null }): ListItem => ({
  id: r.id, title: r.title, status: r.status, createdAt: r.created_at,
  consultation: r.consultation_id !== null ? { id: r.consultation_id, title: r.cTitle ?? '' } : null,
});

/** The bodies where the user holds consultations ('consultation.manage'); null means every body (administrators). */
export async function managedBodyIds(db: Executor, user: CurrentUser): Promise<number[] | null> {
  if (user.isAdmin) return null;
  if (!user.memberships.length) return [];
  const s = await scopes(db);
  return s.bodies.filter((b) => can(user, 'consultation.manage', s.scopeOf(b.id))).map((b) => b.id);
}

/** Deliberations the user manages, newest first. */
export async function managedList(db: Executor, user: CurrentUser, page: number): Promise<{ items: ListItem[]; total: number }> {
  const bodies = await managedBodyIds(db, user);
  if (bodies !== null && bodies.length === 0) return { items: [], total: 0 };
  let base = db.selectFrom('deliberations as d').leftJoin('consultations as c', 'c.id', 'd.consultation_id');
  if (bodies !== null) {
    base = base.where((eb) => eb.or([
      eb('d.body_id', 'in', bodies),
      eb('c.lead_body_id', 'in', bodies),
      eb.exists(eb.selectFrom('consultation_bodies as cb').select('cb.body_id').whereRef('cb.consultation_id', '=', 'd.consultation_id').where('cb.body_id', 'in', bodies)),
    ]));
  }
  const [rows, count] = await Promise.all([
    base.select(['d.id', 'd.title', 'd.status', 'd.created_at', 'd.consultation_id', 'c.title as cTitle'])
      .orderBy('d.id', 'desc').limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(listItem), total: Number(count.n) };
}

export interface OwnerOption { value: string; kind: 'consultation' | 'body'; id: number; label: string; labelEn: string | null }

/** What a new deliberation may belong to: consultations the user holds (newest 50), and their bodies. */
export async function ownerOptions(db: Executor, user: CurrentUser): Promise<OwnerOption[]> {
  const bodies = await managedBodyIds(db, user);
  const s = await scopes(db);
  const bodyRows = s.bodies.filter((b) => b.kind !== 'department' && (bodies === null || bodies.includes(b.id)));
  let q = db.selectFrom('consultations as c').select(['c.id', 'c.title']).orderBy('c.id', 'desc').limit(50);
  if (bodies !== null) {
    if (!bodies.length) return [];
    q = q.where((eb) => eb.or([
      eb('c.lead_body_id', 'in', bodies),
      eb.exists(eb.selectFrom('consultation_bodies as cb').select('cb.body_id').whereRef('cb.consultation_id', '=', 'c.id').where('cb.body_id', 'in', bodies)),
    ]));
  }
  const cons = await q.execute();
  return [
    ...cons.map((c) => ({ value: `consultation:${c.id}`, kind: 'consultation' as const, id: c.id, label: c.title, labelEn: null })),
    ...bodyRows.map((b) => ({ value: `body:${b.id}`, kind: 'body' as const, id: b.id, label: b.name, labelEn: b.nameEn })),
  ];
}
