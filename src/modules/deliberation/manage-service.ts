import type { AppContext } from '../../context.js';
import { type Executor, nowIso } from '../../db/database.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { ConflictError, NotFoundError, UnauthenticatedError, ValidationError } from '../../platform/errors.js';
import { lockConsultation } from '../consultations/access.js';
import { deliberationsEnded } from '../consultations/consultations-service.js';
import { choice, cleanText, int, text, validate } from '../../platform/validation.js';
import { assertManageBody, assertManageConsultation, managedDeliberation, validId } from './access.js';
import { MAX_GROUPS_LIMIT, MODERATIONS, STATEMENT_MAX, type StatementStatus, statementHash, statementText } from './model.js';
import { ensureParticipant } from './participation.js';
import { inputChanged, requestRecompute } from './version.js';

// Organisers' side: starting a deliberation, its settings, moderation and seed statements.
// Each checks 'consultation.manage' on the bodies that hold the deliberation.

export type Owner = { kind: 'consultation' | 'body'; id: number };

/** "consultation:12" or "body:3" from a form's select. */
export function parseOwner(raw: unknown): Owner | null {
  const s = cleanText(raw);
  const m = typeof s === 'string' ? /^(consultation|body):(\d{1,10})$/.exec(s) : null;
  if (!m) return null;
  const id = Number(m[2]);
  return validId(id) ? { kind: m[1] as Owner['kind'], id } : null;
}

/** May the user make a deliberation belonging to this owner? (Standalone without a body: administrators.) */
export async function assertOwner(db: Executor, user: CurrentUser | null, owner: Owner | null): Promise<CurrentUser> {
  if (!user) throw new UnauthenticatedError();
  if (owner?.kind === 'consultation') return assertManageConsultation(db, user, owner.id);
  return assertManageBody(db, user, owner?.id ?? null);
}

const createRules = {
  title: text({ label: (t) => t.deliberation.fTitle, max: 100 }),
  description: text({ label: (t) => t.deliberation.fDescription, max: 2000, multiline: true, required: false }),
  moderation: choice({ label: (t) => t.deliberation.fModeration, values: MODERATIONS }),
  maxGroups: int({ label: (t) => t.deliberation.fMaxGroups, min: 2, max: MAX_GROUPS_LIMIT }),
};

/** Seed statements from a textarea, one per line; blank lines skipped, repeats dropped. */
function seedLines(raw: unknown, field: string): string[] {
  const s = cleanText(raw);
  if (s === null) throw new ValidationError([{ field, message: (t) => t.common.errInvalidText(t.deliberation.fSeeds) }]);
  const lines = (s ?? '').split('\n').map(statementText).filter(Boolean);
  const bad = lines.findIndex((l) => [...l].length > STATEMENT_MAX);
  if (bad >= 0) throw new ValidationError([{ field, message: (t) => t.deliberation.errSeedTooLong(bad + 1, STATEMENT_MAX) }]);
  const seen = new Set<string>();
  return lines.filter((l) => { const h = statementHash(l); if (seen.has(h)) return false; seen.add(h); return true; });
}

async function insertSeeds(trx: Executor, deliberationId: number, lines: string[], user: CurrentUser, now: string): Promise<number> {
  if (!lines.length) return 0;
  const author = await ensureParticipant(trx, deliberationId, user.id);
  const rows = await trx.insertInto('deliberation_statements').values(lines.map((body) => ({
    deliberation_id: deliberationId, author_participant_id: author, body, body_hash: statementHash(body), status: 'accepted' as const,
    is_meta: 0, is_seed: 1, external_id: null, moderated_by: user.id, moderated_at: now, created_at: now,
  }))).onConflict((oc) => oc.columns(['deliberation_id', 'body_hash']).doNothing()).returning('id').execute();
  return rows.length;
}

/**
 * Refused when a deliberation would be opened (again) after its consultation stopped deliberating:
 * the outcome report keeps the deliberation as it was when it closed. Carries the form field.
 */
export class DeliberationEndedError extends ConflictError {
  override name = 'DeliberationEndedError';
  constructor(readonly field: 'status' | 'owner' = 'status') {
    super((t) => (field === 'owner' ? t.deliberation.errOwnerEnded : t.deliberation.errReopenEnded));
  }
}

export async function createDeliberation(ctx: AppContext, user: CurrentUser | null, raw: unknown): Promise<number> {
  const b = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const owner = parseOwner(b.owner);
  const issues: ValidationError['issues'] = [];
  let v: ReturnType<typeof validate<typeof createRules>> | null = null;
  try { v = validate(createRules, { ...b, maxGroups: b.maxGroups ?? '5' }); } catch (e) { if (e instanceof ValidationError) issues.push(...e.issues); else throw e; }
  if (!owner) issues.push({ field: 'owner', message: (t) => t.deliberation.errOwner });
  let seeds: string[] = [];
  try { seeds = seedLines(b.seeds, 'seeds'); } catch (e) { if (e instanceof ValidationError) issues.push(...e.issues); else throw e; }
  if (!user) throw new UnauthenticatedError();
  if (issues.length || !v || !owner) throw new ValidationError(issues);
  const u = await assertOwner(ctx.database.db, user, owner);
  const now = nowIso();
  const values = v;
  return ctx.database.db.transaction().execute(async (trx) => {
    // A new deliberation starts open: not for a consultation that no longer deliberates.
    if (owner.kind === 'consultation' && (await deliberationsEnded(trx, await lockConsultation(trx, owner.id)))) throw new DeliberationEndedError('owner');
    const d = await trx.insertInto('deliberations').values({
      consultation_id: owner.kind === 'consultation' ? owner.id : null, body_id: owner.kind === 'body' ? owner.id : null,
      title: values.title, description: values.description ?? '', moderation: values.moderation, status: 'open', max_groups: values.maxGroups,
      source: 'native', external_id: null, created_by: u.id, created_at: now, updated_at: now, closed_at: null,
    }).returning('id').executeTakeFirstOrThrow();
    if (await insertSeeds(trx, d.id, seeds, u, now)) await inputChanged(trx, d.id, now);
    return d.id;
  });
}

const settingsRules = {
  moderation: choice({ label: (t) => t.deliberation.fModeration, values: MODERATIONS }),
  status: choice({ label: (t) => t.deliberation.fStatus, values: ['open', 'closed'] as const }),
  maxGroups: int({ label: (t) => t.deliberation.fMaxGroups, min: 2, max: MAX_GROUPS_LIMIT }),
};

export async function updateSettings(ctx: AppContext, user: CurrentUser | null, id: number, raw: unknown): Promise<void> {
  const { d } = await managedDeliberation(ctx.database.db, user, id);
  const v = validate(settingsRules, raw);
  const now = nowIso();
  await ctx.database.db.transaction().execute(async (trx) => {
    // Checked under the consultation's lock: a stage move or publication closing its
    // deliberations waits for this, or this sees it.
    if (v.status === 'open' && d.consultation_id !== null && (await deliberationsEnded(trx, await lockConsultation(trx, d.consultation_id)))) {
      throw new DeliberationEndedError();
    }
    await trx.updateTable('deliberations').set({
      moderation: v.moderation, status: v.status, max_groups: v.maxGroups, updated_at: now,
      closed_at: v.status === 'closed' ? (d.closed_at ?? now) : null,
    }).where('id', '=', d.id).execute();
    if (v.maxGroups !== d.max_groups) await inputChanged(trx, d.id, now);
  });
  ctx.pageCache.invalidate();
}

const decisionRule = { decision: choice({ label: (t) => t.deliberation.fDecision, values: ['accept', 'reject'] as const }) };

/** Accepts or rejects a statement (either way round: a shown statement can still be taken out). */
export async function moderateStatement(ctx: AppContext, user: CurrentUser | null, statementId: number, raw: unknown): Promise<{ deliberationId: number; status: StatementStatus }> {
  if (!validId(statementId)) throw new NotFoundError();
  const db = ctx.database.db;
  const s = await db.selectFrom('deliberation_statements').select(['id', 'deliberation_id', 'status']).where('id', '=', statementId).executeTakeFirst();
  if (!s) throw new NotFoundError((t) => t.deliberation.errStatementUnknown);
  const { user: u } = await managedDeliberation(db, user, s.deliberation_id);
  const { decision } = validate(decisionRule, raw);
  const status: StatementStatus = decision === 'accept' ? 'accepted' : 'rejected';
  if (status === s.status) return { deliberationId: s.deliberation_id, status };
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('deliberation_statements').set({ status, moderated_by: u.id, moderated_at: now }).where('id', '=', s.id).execute();
    await inputChanged(trx, s.deliberation_id, now);
  });
  ctx.pageCache.invalidate();
  return { deliberationId: s.deliberation_id, status };
}

export async function addSeeds(ctx: AppContext, user: CurrentUser | null, id: number, raw: unknown): Promise<number> {
  const { d, user: u } = await managedDeliberation(ctx.database.db, user, id);
  const lines = seedLines((raw as Record<string, unknown> | null)?.seeds, 'seeds');
  if (!lines.length) throw new ValidationError([{ field: 'seeds', message: (t) => t.common.errRequired(t.deliberation.fSeeds) }]);
  const now = nowIso();
  return ctx.database.db.transaction().execute(async (trx) => {
    const n = await insertSeeds(trx, d.id, lines, u, now);
    if (n) await inputChanged(trx, d.id, now);
    return n;
  });
}

/** Asks the worker for a recomputation now (it is skipped when nothing changed). */
export async function askRecompute(ctx: AppContext, user: CurrentUser | null, id: number): Promise<void> {
  const { d } = await managedDeliberation(ctx.database.db, user, id);
  await requestRecompute(ctx.database.db, d.id);
}
