import { createRequire } from 'node:module';

// The State Council's holiday arrangements, as maintained in the `chinese-days` package
// (updated each year when the notice for the next year is published, usually in November).
interface ChineseDaysData {
  holidays: Record<string, string>;
  /** Make-up working days (调休上班) that fall on a weekend. */
  workdays: Record<string, string>;
}

const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysData;

export const holidays: ReadonlySet<string> = new Set(Object.keys(data.holidays));
export const makeUpWorkdays: ReadonlySet<string> = new Set(Object.keys(data.workdays));
/** Years whose arrangement the package holds: each has at least its New Year holiday. */
export const coveredYears: ReadonlySet<number> = new Set([...holidays].map((d) => Number(d.slice(0, 4))));

/** The festival a holiday or make-up day belongs to, in Chinese and English. */
export function festivalOf(date: string): { zh: string; en: string } | null {
  const raw = data.holidays[date] ?? data.workdays[date];
  if (!raw) return null;
  const [en = '', zh = ''] = raw.split(',');
  return { zh, en };
}
