import type { AppContext } from '../../context.js';
import { type Executor, transaction } from '../../db/database.js';
import type { ConsultationNoticesTable, ConsultationStage } from '../../db/schema.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { chinaDate } from '../../platform/calendar/index.js';
import { ConflictError, ValidationError } from '../../platform/errors.js';
import { appendEvent } from '../../platform/timeline/audit.js';
import { choice, date, int, text, validate } from '../../platform/validation.js';
import { renderMarkdown } from '../content/shared/markdown.js';
import { STREAM, type ConsultationRow, managedConsultation } from './access.js';
import { consultationLink, setStage } from './consultations-service.js';
import { isAtOrAfter } from './model.js';
import { notifyUsers } from './notices.js';
import type { Named } from './queries.js';

// 公示: a community council publishes the notice of its decision and, once carried out, the
// notice of its result, each with the end of its notice period. Publishing a notice is what
// moves the consultation into 决定公示 / 结果公示 (the stage form refuses those stages without
// the notice: see grassroots-service.onStageEntered), so a stage shown as "notice" always
// has its text. A later notice of the same kind (a correction) is added, never overwritten.

export type NoticeKind = ConsultationNoticesTable['kind'];
export const NOTICE_KINDS: readonly NoticeKind[] = ['decision', 'result'];
const STAGE_OF: Record<NoticeKind, ConsultationStage> = { decision: 'decision_notice', result: 'result_notice' };

const noticeSpec = {
  kind: choice({ label: (t) => t.grassroots.fKind, values: NOTICE_KINDS }),
  body: text({ label: (t) => t.grassroots.fBody, min: 10, max: 20_000, multiline: true }),
  noticeUntil: date({ label: (t) => t.grassroots.fNoticeUntil }),
};

/** Publishes a notice; returns the stage the consultation is in afterwards. */
export async function publishNotice(ctx: AppContext, user: CurrentUser | null, id: number, raw: unknown): Promise<ConsultationStage> {
  const db = ctx.database.db;
  const { c, user: actor } = await managedConsultation(db, user, id);
  if (c.track !== 'community') throw new ConflictError((t) => t.grassroots.errNotCommunityTrack);
  const v = validate(noticeSpec, raw);
  const today = chinaDate(new Date());
  if (v.noticeUntil < today) throw new ValidationError([{ field: 'noticeUntil', message: (t) => t.grassroots.errNoticeUntilPast }]);
  if (!isAtOrAfter(c.track, c.stage, 'decision')) throw new ConflictError((t) => t.grassroots.errDecisionFirst);
  const stage = await transaction(ctx.database, async (trx) => {
    if (v.kind === 'result') {
      const decision = await trx.selectFrom('consultation_notices').select('id').where('consultation_id', '=', id).where('kind', '=', 'decision').executeTakeFirst();
      if (!decision) throw new ConflictError((t) => t.grassroots.errDecisionNoticeMissing);
    }
    const now = new Date().toISOString();
    const row = await trx.insertInto('consultation_notices').values({
      consultation_id: id, kind: v.kind, body_md: v.body, body_html: renderMarkdown(v.body), notice_until: v.noticeUntil, published_at: now, published_by: actor.id,
    }).returning('id').executeTakeFirstOrThrow();
    await appendEvent(trx, { streamType: STREAM, streamId: id, action: 'notice_published', actorId: actor.id, data: { noticeId: row.id, kind: v.kind, noticeUntil: v.noticeUntil } });
    // Participants hear of it (the liaisons do through the stage change).
    const people = (await trx.selectFrom('consultation_participants').select('user_id').where('consultation_id', '=', id).where('user_id', 'is not', null).execute()).map((p) => p.user_id as number);
    await notifyUsers(trx, people, c.is_public === 1 ? `${consultationLink(id)}/notices` : `/admin/consultations/${id}`,
      (t) => t.grassroots[`kind_${v.kind}`], (t) => t.grassroots.nNoticeBody(c.title, t.grassroots[`kind_${v.kind}`], v.noticeUntil));
    const target = STAGE_OF[v.kind];
    if (!isAtOrAfter(c.track, c.stage, target)) {
      await setStage(trx, c, target, actor.id);
      return target;
    }
    return c.stage;
  });
  ctx.pageCache.invalidate();
  return stage;
}

export interface NoticeView { id: number; kind: NoticeKind; bodyHtml: string; bodyMd: string; noticeUntil: string | null; publishedAt: string }

export async function noticesOf(db: Executor, consultationId: number): Promise<NoticeView[]> {
  const rows = await db.selectFrom('consultation_notices').select(['id', 'kind', 'body_html', 'body_md', 'notice_until', 'published_at'])
    .where('consultation_id', '=', consultationId).orderBy('id', 'desc').limit(50).execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind, bodyHtml: r.body_html, bodyMd: r.body_md, noticeUntil: r.notice_until, publishedAt: r.published_at }));
}

export const CURRENT_SIZE = 20;
const currentSpec = {
  body: int({ label: (t) => t.grassroots.fCouncil, min: 1, required: false }),
  region: int({ label: (t) => t.grassroots.fRegion, min: 1, required: false }),
  page: int({ label: (t) => t.consultations.fPage, min: 1, max: 100_000, required: false }),
};

export interface CurrentNotice { id: number; kind: NoticeKind; noticeUntil: string | null; publishedAt: string; consultation: { id: number; title: string }; council: Named }

/**
 * Notices in their notice period, of public consultations, for one council, the councils of
 * a region (and of the regions below it), or all. A bad filter is a localised 400.
 */
export const parseCurrentQuery = (query: unknown) => validate(currentSpec, query);

export async function currentNotices(db: Executor, v: ReturnType<typeof parseCurrentQuery>) {
  const page = v.page ?? 1;
  const q = currentNoticesQuery(db, v, chinaDate(new Date()));
  const [count, rows, options] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    q.select(['consultation_notices.id', 'consultation_notices.kind', 'consultation_notices.notice_until', 'consultation_notices.published_at',
      'consultations.id as c_id', 'consultations.title as c_title', 'bodies.id as b_id', 'bodies.name as b_name', 'bodies.name_en as b_name_en'])
      .orderBy('consultation_notices.published_at', 'desc').orderBy('consultation_notices.id', 'desc').limit(CURRENT_SIZE).offset((page - 1) * CURRENT_SIZE).execute(),
    noticeFilterOptions(db),
  ]);
  const total = Number(count.n);
  return {
    filters: { body: v.body, region: v.region }, page, total, pages: Math.max(1, Math.ceil(total / CURRENT_SIZE)), options,
    items: rows.map((r): CurrentNotice => ({
      id: r.id, kind: r.kind, noticeUntil: r.notice_until, publishedAt: r.published_at, consultation: { id: r.c_id, title: r.c_title },
      council: { id: r.b_id, name: r.b_name, nameEn: r.b_name_en },
    })),
  };
}

/** The notices still in their period (`notice_until` from today on; index consultation_notices_until) with the filters. */
export function currentNoticesQuery(db: Executor, v: Pick<ReturnType<typeof parseCurrentQuery>, 'body' | 'region'>, today: string) {
  // CROSS JOIN: SQLite keeps its left table (the notices) in the outer loop, so it starts from
  // the few notices still in their period (index consultation_notices_until) rather than from
  // every public consultation (without statistics, equality on is_public looks more selective
  // than a range); PostgreSQL plans it as the inner join it is.
  let q = db.selectFrom('consultation_notices').crossJoin('consultations').whereRef('consultations.id', '=', 'consultation_notices.consultation_id')
    .innerJoin('bodies', 'bodies.id', 'consultations.lead_body_id')
    .where('consultations.is_public', '=', 1).where('consultation_notices.notice_until', '>=', today);
  if (v.body !== null) {
    const body = v.body;
    q = q.where('consultations.id', 'in', (eb) => eb.selectFrom('consultation_bodies').select('consultation_id').where('body_id', '=', body));
  }
  if (v.region !== null) {
    const region = v.region;
    q = q.where('bodies.id', 'in', (eb) => eb.selectFrom('bodies as b').leftJoin('regions as r', 'r.id', 'b.region_id').leftJoin('regions as p', 'p.id', 'r.parent_id')
      .select('b.id').where((w) => w.or([w('r.id', '=', region), w('p.id', '=', region), w('p.parent_id', '=', region)])));
  }
  return q;
}

async function noticeFilterOptions(db: Executor) {
  const [councils, regions] = await Promise.all([
    db.selectFrom('bodies').select(['id', 'name', 'name_en']).where('kind', '=', 'community_council').orderBy('sort').orderBy('id').limit(1000).execute(),
    db.selectFrom('regions').select(['id', 'name', 'name_en']).where('level', 'in', ['township', 'village']).orderBy('sort').orderBy('id').limit(1000).execute(),
  ]);
  return { councils: councils.map((b) => ({ id: b.id, name: b.name, nameEn: b.name_en })), regions: regions.map((r) => ({ id: r.id, name: r.name, nameEn: r.name_en })) };
}

/** A consultation's notices page: the consultation must be public. */
export async function consultationNotices(db: Executor, c: ConsultationRow) {
  return { c, notices: await noticesOf(db, c.id) };
}
