import { coveredYears, festivalOf as officialFestivalOf, holidays, makeUpWorkdays } from './data.js';
import { RULE_FIRST_YEAR, RULE_LAST_YEAR, statutoryHolidays, type RuleHoliday } from './statutory.js';

// Working days in mainland China: Monday to Friday, minus public holidays, plus the
// weekend days the State Council declares working days (调休). Dates are 'YYYY-MM-DD'
// calendar days in China Standard Time (UTC+8, no daylight saving since 1991).

/**
 * official: the State Council's notice for the year, as `chinese-days` holds it.
 * statutory-rule: no notice yet (2027 in late 2026, for example); the statutory holidays are
 *   computed by rule (statutory.ts) and the make-up working days (调休) are unknown.
 * weekdays-only: neither (years before 2004 that the data lacks); Monday to Friday.
 */
export type Coverage = 'official' | 'statutory-rule' | 'weekdays-only';

const DAY_MS = 86_400_000;
const CST_OFFSET_MS = 8 * 3_600_000;
/** Keeps a mistaken count from looping for ever: about forty years of working days. */
const MAX_DAYS = 10_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Whether the holiday data covers `year`. A later year without a notice yet gets the
 * statutory holidays by rule; other years count Monday to Friday only.
 */
export function coverage(year: number): Coverage {
  if (coveredYears.has(year)) return 'official';
  return Number.isInteger(year) && year >= RULE_FIRST_YEAR && year <= RULE_LAST_YEAR ? 'statutory-rule' : 'weekdays-only';
}

/** The coverage of the year a date (or a moment, read in China time) falls in. */
export function coverageOf(dateOrMoment: Date | string): Coverage {
  return coverage(Number(chinaDate(dateOrMoment).slice(0, 4)));
}

/** Whether the days off of that date's year come from an official notice (false: by rule or weekdays only). */
export function isOfficialYear(dateOrMoment: Date | string): boolean {
  return coverageOf(dateOrMoment) === 'official';
}

/** The years, among those of the given dates, whose days off are computed by rule (for a notice to staff). */
export function yearsByRule(dates: Iterable<string | null | undefined>): number[] {
  const years = new Set<number>();
  for (const d of dates) if (d && coverageOf(d) === 'statutory-rule') years.add(Number(chinaDate(d).slice(0, 4)));
  return [...years].sort((a, b) => a - b);
}

const ruleYears = new Map<number, Map<string, RuleHoliday>>();

function ruleHolidays(year: number): Map<string, RuleHoliday> {
  let known = ruleYears.get(year);
  if (!known) {
    known = new Map(statutoryHolidays(year).map((h) => [h.date, h]));
    ruleYears.set(year, known);
  }
  return known;
}

/** The festival a holiday or make-up day belongs to, in Chinese and English (computed by rule in a 'statutory-rule' year). */
export function festivalOf(date: string): { zh: string; en: string } | null {
  dayNumber(date);
  const year = Number(date.slice(0, 4));
  if (coverage(year) !== 'statutory-rule') return officialFestivalOf(date);
  const h = ruleHolidays(year).get(date);
  return h ? { zh: h.zh, en: h.en } : null;
}

function dayNumber(date: string): number {
  const m = DATE.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) throw new RangeError(`not a date: ${date}`);
  return ms / DAY_MS;
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar day in China of a moment (Date or ISO timestamp), or a 'YYYY-MM-DD' date itself. */
export function chinaDate(start: Date | string): string {
  if (typeof start === 'string' && DATE.test(start)) return dateOf(dayNumber(start));
  const ms = typeof start === 'string' ? Date.parse(start) : start.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not a moment: ${String(start)}`);
  return new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 10);
}

// The calendar's data is fixed, so each day's answer is kept (every deadline walks the same
// few weeks; a submission computes two). Bounded: a long count past it is just not kept.
const workingDays = new Map<number, boolean>();

function workingDay(day: number): boolean {
  let known = workingDays.get(day);
  if (known === undefined) {
    known = computeWorkingDay(day);
    if (workingDays.size < 50_000) workingDays.set(day, known);
  }
  return known;
}

function computeWorkingDay(day: number): boolean {
  const date = dateOf(day);
  const year = Number(date.slice(0, 4));
  if (coverage(year) === 'statutory-rule' && ruleHolidays(year).has(date)) return false;
  if (holidays.has(date)) return false;
  if (makeUpWorkdays.has(date)) return true;
  const weekday = new Date(day * DAY_MS).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

export function isWorkingDay(date: string): boolean {
  return workingDay(dayNumber(date));
}

/** The first working day strictly after `date`. */
export function nextWorkingDay(date: string): string {
  let day = dayNumber(date) + 1;
  while (!workingDay(day)) day++;
  return dateOf(day);
}

/**
 * The deadline `n` working days after `start` (a moment, read in China time, or a date).
 * The day something arrives does not count: arriving on a working day, n = 1 is the next
 * working day. Arriving on a non-working day (weekend, holiday) counts as arriving on the
 * next working day, so a request sent on Saturday with n = 1 is due on Tuesday (or later
 * across a holiday). n = 0 gives that effective arrival day. The deadline is the whole day.
 */
export function addWorkingDays(start: Date | string, n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > MAX_DAYS) throw new RangeError(`working days out of range: ${n}`);
  let day = dayNumber(chinaDate(start));
  while (!workingDay(day)) day++;
  for (let left = n; left > 0; left--) {
    day++;
    while (!workingDay(day)) day++;
  }
  return dateOf(day);
}

/**
 * The number of working days d with a < d ≤ b (negative when b is before a), so for a
 * working day a, workingDaysBetween(a, addWorkingDays(a, n)) = n.
 */
export function workingDaysBetween(a: string, b: string): number {
  const from = dayNumber(a);
  const to = dayNumber(b);
  if (to < from) return -workingDaysBetween(b, a);
  if (to - from > MAX_DAYS * 2) throw new RangeError(`range too long: ${a}..${b}`);
  let count = 0;
  for (let day = from + 1; day <= to; day++) if (workingDay(day)) count++;
  return count;
}

/** The end of a deadline day in China (23:59:59.999 +08:00), as an ISO UTC timestamp. */
export function endOfChinaDay(date: string): string {
  return new Date((dayNumber(date) + 1) * DAY_MS - CST_OFFSET_MS - 1).toISOString();
}
