import { addWorkingDays, chinaDate } from '../../platform/calendar/index.js';

// Clocks run in working days on the official calendar (调休 included). The day an opinion
// arrives does not count; a deadline is the whole day in China time.

export interface CategoryClock { accept_days: number; reply_days: number }

export const DEFAULT_ACCEPT_DAYS = 2;
export const DEFAULT_REPLY_DAYS = 15;

export function dueDates(receivedAt: Date | string, clock: CategoryClock): { acceptDue: string; replyDue: string } {
  return { acceptDue: addWorkingDays(receivedAt, clock.accept_days), replyDue: addWorkingDays(receivedAt, clock.reply_days) };
}

/** Today's date in China: a deadline is overdue once it is before this. */
export const todayInChina = (now: Date = new Date()): string => chinaDate(now);

export const isOverdue = (due: string, now: Date = new Date()): boolean => due < todayInChina(now);

/** Whether something done at `doneAt` (ISO moment) met a deadline date. */
export const onTime = (doneAt: string | null, due: string): boolean => doneAt !== null && chinaDate(doneAt) <= due;
