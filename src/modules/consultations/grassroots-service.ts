import type { Executor } from '../../db/database.js';
import type { ConsultationStage } from '../../db/schema.js';
import { chinaDate } from '../../platform/calendar/index.js';
import { ConflictError } from '../../platform/errors.js';
import { notifyUsers } from './notices.js';

// Grassroots linkage shared by escalations, liaison points and community notices: which
// members are the liaisons (委员联系点) of a community, and what the consultations
// service calls when a consultation is created or enters a stage.
//
// A liaison is assigned to a community council, to a region, or both. A region covers the
// councils in it and in the regions below it (county → township → village), so a member
// assigned to a township is the liaison of every community council of its villages.

export const LIAISON_LINK = '/my/liaison';

/** Active on `today` (YYYY-MM-DD, China time): started, and not ended before today. */
export const activeOn = (today: string) => <T extends { starts_on: string; ends_on: string | null }>(r: T): boolean =>
  r.starts_on <= today && (r.ends_on === null || r.ends_on >= today);

/**
 * The community councils among `bodyIds`, each with its region and the regions above it.
 * One query: the region tree has three levels, so two self-joins reach the top.
 */
async function councilsWithRegions(db: Executor, bodyIds: number[]): Promise<{ councils: number[]; regions: number[] }> {
  if (!bodyIds.length) return { councils: [], regions: [] };
  const rows = await db.selectFrom('bodies').leftJoin('regions as r', 'r.id', 'bodies.region_id').leftJoin('regions as p', 'p.id', 'r.parent_id')
    .select(['bodies.id', 'r.id as region', 'p.id as parent', 'p.parent_id as grandparent'])
    .where('bodies.id', 'in', bodyIds).where('bodies.kind', '=', 'community_council').execute();
  const regions = new Set<number>();
  for (const r of rows) for (const x of [r.region, r.parent, r.grandparent]) if (x !== null && x !== undefined) regions.add(x);
  return { councils: rows.map((r) => r.id), regions: [...regions] };
}

/** The members who are, today, liaisons of any community council among `bodyIds`. */
export async function liaisonsOf(db: Executor, bodyIds: number[], today = chinaDate(new Date())): Promise<number[]> {
  const { councils, regions } = await councilsWithRegions(db, bodyIds);
  if (!councils.length) return [];
  const rows = await db.selectFrom('member_liaisons').select('user_id').distinct()
    .where((eb) => eb.or([eb('body_id', 'in', councils), ...(regions.length ? [eb('region_id', 'in', regions)] : [])]))
    .where('starts_on', '<=', today).where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>=', today)]))
    .limit(500).execute();
  return rows.map((r) => r.user_id);
}

/** The community councils a set of liaison assignments covers (directly, or through a region). */
export async function councilsCovered(db: Executor, assignments: Array<{ body_id: number | null; region_id: number | null }>): Promise<number[]> {
  const bodies = assignments.map((a) => a.body_id).filter((x): x is number => x !== null);
  const regions = assignments.map((a) => a.region_id).filter((x): x is number => x !== null);
  if (!bodies.length && !regions.length) return [];
  const rows = await db.selectFrom('bodies').leftJoin('regions as r', 'r.id', 'bodies.region_id').leftJoin('regions as p', 'p.id', 'r.parent_id')
    .select('bodies.id').where('bodies.kind', '=', 'community_council')
    .where((eb) => eb.or([
      ...(bodies.length ? [eb('bodies.id', 'in', bodies)] : []),
      ...(regions.length ? [eb('r.id', 'in', regions), eb('p.id', 'in', regions), eb('p.parent_id', 'in', regions)] : []),
    ]))
    .limit(2000).execute();
  return rows.map((r) => r.id);
}

async function consultationFacts(db: Executor, consultationId: number) {
  const [c, holders] = await Promise.all([
    db.selectFrom('consultations').select(['id', 'title', 'track']).where('id', '=', consultationId).executeTakeFirst(),
    db.selectFrom('consultation_bodies').select('body_id').where('consultation_id', '=', consultationId).execute(),
  ]);
  return c ? { ...c, bodyIds: holders.map((h) => h.body_id) } : null;
}

/** Called by the consultations service in the creating transaction: the community's liaisons are told. */
export async function onConsultationCreated(trx: Executor, consultationId: number): Promise<void> {
  const c = await consultationFacts(trx, consultationId);
  if (!c) return;
  await notifyUsers(trx, await liaisonsOf(trx, c.bodyIds), LIAISON_LINK,
    (t) => t.grassroots.nLiaisonNewTitle, (t) => t.grassroots.nLiaisonNewBody(c.title));
}

export const NOTICE_STAGES: Partial<Record<ConsultationStage, 'decision' | 'result'>> = { decision_notice: 'decision', result_notice: 'result' };

/**
 * Called by the consultations service whenever a consultation enters a stage, inside that
 * transaction. A community consultation enters 决定公示 / 结果公示 only with its notice
 * published (publishing the notice is what normally moves it there); the liaisons are told.
 */
export async function onStageEntered(trx: Executor, consultationId: number, stage: ConsultationStage): Promise<void> {
  const c = await consultationFacts(trx, consultationId);
  if (!c) return;
  const kind = c.track === 'community' ? NOTICE_STAGES[stage] : undefined;
  if (kind) {
    const notice = await trx.selectFrom('consultation_notices').select('id').where('consultation_id', '=', consultationId).where('kind', '=', kind).executeTakeFirst();
    if (!notice) throw new ConflictError((t) => (kind === 'decision' ? t.grassroots.errDecisionNoticeFirst : t.grassroots.errResultNoticeFirst));
  }
  await notifyUsers(trx, await liaisonsOf(trx, c.bodyIds), LIAISON_LINK,
    (t) => t.grassroots.nLiaisonStageTitle, (t) => t.grassroots.nLiaisonStageBody(c.title, t.consultations[`stage_${stage}`]));
}
