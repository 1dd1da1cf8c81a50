import type { Executor } from '../../db/database.js';
import type { PageCache } from '../../platform/page-cache.js';
import { chinaDate } from '../../platform/calendar/index.js';
import { NotFoundError } from '../../platform/errors.js';
import { choice, int, validate } from '../../platform/validation.js';
import { type ConsultationRow, loadCall, loadConsultation } from './access.js';
import { CALLS_SIZE, TOPICS_SIZE, callTopics, datedConsultations, listPublicCalls, plansOf } from './calls-queries.js';
import { callState } from './calls-service.js';
import { type IcsEvent, renderCalendar } from './ics.js';
import { ALL_STAGES, FORMS } from './model.js';
import { LIST_SIZE, type ListFilters, consultationDetail, listConsultations, listOptions } from './queries.js';
import { registrationState } from './registration-service.js';
import { grassrootsOf } from './grassroots-queries.js';
import type { Catalog } from '../../web/i18n/index.js';

// What the public sees: only public consultations, published calls and plans. Anything
// else is simply "not found".

const listSpec = {
  form: choice({ label: (t) => t.consultations.fForm, values: FORMS, required: false }),
  body: int({ label: (t) => t.consultations.fBodyFilter, min: 1, required: false }),
  year: int({ label: (t) => t.consultations.fYear, min: 2000, max: 2100, required: false }),
  stage: choice({ label: (t) => t.consultations.fStage, values: ALL_STAGES, required: false }),
  page: int({ label: (t) => t.consultations.fPage, min: 1, max: 100_000, required: false }),
};

export function parseListQuery(query: unknown): { filters: ListFilters; page: number } {
  const v = validate(listSpec, query);
  return { filters: { form: v.form, body: v.body, year: v.year, stage: v.stage }, page: v.page ?? 1 };
}

/**
 * One page of the public list. The filter choices are the same for every request: with the
 * page cache's `memo` they are read once until the next change (every filter combination and
 * page is a different cached page, so they would otherwise be read on every miss).
 */
export async function browseConsultations(db: Executor, query: unknown, cache?: Pick<PageCache, 'memo'>) {
  const { filters, page } = parseListQuery(query);
  const [{ total, items }, options] = await Promise.all([
    listConsultations(db, filters, page), cache ? cache.memo('consultations:list-options', () => listOptions(db)) : listOptions(db),
  ]);
  return { filters, page, total, items, options, pages: Math.max(1, Math.ceil(total / LIST_SIZE)) };
}

export async function publicConsultation(db: Executor, id: number): Promise<ConsultationRow> {
  const c = await loadConsultation(db, id);
  if (c.is_public !== 1) throw new NotFoundError();
  return c;
}

export async function consultationPage(db: Executor, id: number) {
  const c = await publicConsultation(db, id);
  return { d: Object.assign(await consultationDetail(db, c), { grassroots: await grassrootsOf(db, c) }), registration: registrationState(c) };
}

export const pageParam = (raw: unknown): number => (typeof raw === 'string' && /^\d{1,5}$/.test(raw) && Number(raw) > 0 ? Number(raw) : 1);

export async function browseCalls(db: Executor, rawPage: unknown) {
  const page = pageParam(rawPage);
  const { total, items } = await listPublicCalls(db, page);
  return { page, pages: Math.max(1, Math.ceil(total / CALLS_SIZE)), items: items.map((c) => ({ ...c, state: callState(c) })) };
}

export async function publicCall(db: Executor, id: number, rawPage: unknown) {
  const call = await loadCall(db, id);
  if (call.published !== 1) throw new NotFoundError();
  const page = pageParam(rawPage);
  const { total, items } = await callTopics(db, id, page);
  return { call, state: callState(call), topics: items, total, page, pages: Math.max(1, Math.ceil(total / TOPICS_SIZE)) };
}

/** '2026' is the plan page, '2026.ics' its calendar; anything else does not exist. */
export function parseYearParam(raw: string): { year: number; ics: boolean } {
  const m = /^(\d{4})(\.ics)?$/.exec(raw);
  if (!m || Number(m[1]) < 2000 || Number(m[1]) > 2100) throw new NotFoundError();
  return { year: Number(m[1]), ics: Boolean(m[2]) };
}

const quarterStart = (year: number, q: number): string => `${year}-${String((q - 1) * 3 + 1).padStart(2, '0')}-01`;
const quarterEnd = (year: number, q: number): string => (q === 4 ? `${year + 1}-01-01` : quarterStart(year, q + 1));

/**
 * The year's calendar: every public consultation with a date as a timed event, and every
 * plan item not yet scheduled as an all-day, free-time entry over its quarter.
 */
export async function planCalendar(db: Executor, year: number, t: Catalog, origin: string | null): Promise<string> {
  const m = t.consultations;
  const [plans, meetings] = await Promise.all([plansOf(db, { year }), datedConsultations(db, year)]);
  const link = (path: string) => (origin ? `${origin}${path}` : undefined);
  const events: IcsEvent[] = meetings.map((c) => ({
    uid: `consultation-${c.id}-${c.created_at.replace(/\D/g, '').slice(0, 14)}@xieshang`, stamp: c.updated_at,
    summary: `${m[`form_${c.form}`]}：${c.title}`, description: c.summary || undefined, location: c.place ?? c.online_url ?? undefined,
    url: link(`/consultations/${c.id}`), start: c.starts_at as string,
    end: c.ends_at ?? new Date(Date.parse(c.starts_at as string) + 2 * 3_600_000).toISOString(), categories: [m[`form_${c.form}`]],
  }));
  for (const p of plans) {
    for (const i of p.items) {
      // Scheduled in the plan's year: the meeting itself is in this calendar. A meeting dated in
      // another year (saved before planYearIssues refused it) leaves the item here, in its quarter.
      if (i.consultations.some((c) => c.startsAt && chinaDate(c.startsAt).startsWith(`${year}-`))) continue;
      events.push({
        uid: `plan-item-${i.id}-${p.year}@xieshang`, stamp: i.updatedAt > p.updatedAt ? i.updatedAt : p.updatedAt, summary: `${m.quarterN(i.quarter)} ${m[`form_${i.form}`]}：${i.title}`,
        description: [m.leadBody(i.leadBody.name), i.description].filter(Boolean).join('\n'), url: link(`/consultations/plans/${year}`),
        startDate: quarterStart(year, i.quarter), endDate: quarterEnd(year, i.quarter), transparent: true, categories: [m[`form_${i.form}`]],
      });
    }
  }
  return renderCalendar({ name: m.planOfYear(year), prodId: '-//Xieshang//Consultation plan//ZH', events });
}
