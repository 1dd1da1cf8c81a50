import { coveredYears, festivalOf, holidays, makeUpWorkdays } from './data.js';

// Working days in mainland China: Monday to Friday, minus public holidays, plus the
// weekend days the State Council declares working days (调休). Dates are 'YYYY-MM-DD'
// calendar days in China Standard Time (UTC+8, no daylight saving since 1991).

export type Coverage = 'official' | 'weekdays-only';
export { festivalOf };

const DAY_MS = 86_400_000;
const CST_OFFSET_MS = 8 * 3_600_000;
/** Keeps a mistaken count from looping for ever: about forty years of working days. */
const MAX_DAYS = 10_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Whether the holiday data covers `year`. Outside it (years before 2004, or next year
 * before its notice is out) the calendar still answers, counting Monday to Friday only.
 */
export function coverage(year: number): Coverage {
  return coveredYears.has(year) ? 'official' : 'weekdays-only';
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
