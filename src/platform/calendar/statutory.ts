import chineseDays from 'chinese-days';

// Public holidays by rule, for years the State Council's notice does not cover yet (the
// notice for next year usually comes out in November; `chinese-days` has no data before it).
//
// 全国年节及纪念日放假办法 as revised in 2024 (国务院令第795号, in force 1 January 2025),
// article 2, holidays of all citizens: 元旦 1 day (1 January); 春节 4 days (农历除夕,
// 正月初一 to 初三); 清明节 1 day (the 清明 solar term); 劳动节 2 days (1–2 May); 端午节
// 1 day (农历五月初五); 中秋节 1 day (农历八月十五); 国庆节 3 days (1–3 October).
// Article 6: a holiday of all citizens that falls on a Saturday or Sunday is made up on a
// working day (补假). Which working day the notice will pick is not known by rule; this takes
// the first working days after the festival, which is what the notices have done (清明
// 2026 fell on Sunday 5 April → Monday 6 April off). A day that is a holiday of two festivals
// at once (中秋 within 国庆) is made up the same way, as the 2020 notice did.
// What the rule cannot give is the make-up working days (调休上班): the notices move holidays
// next to a weekend and declare weekend days working days to pay for them. Those are
// announced, never computed, so a year computed here has none. The number of days off in the
// year is right; which days they are may differ from the notice.

/** The calendar uses the rule from the year the revision came into force. */
export const RULE_FIRST_YEAR = 2025;
/** The lunar table in `chinese-days` runs from 1900 to lunar year 2099. */
export const RULE_LAST_YEAR = 2099;

export interface RuleHoliday {
  date: string;
  zh: string;
  en: string;
  /** A working day given in place of a holiday that fell on a weekend or on another holiday. */
  inLieu: boolean;
}

const DAY_MS = 86_400_000;

function utcDay(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

function iso(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The day in the Gregorian `year` with the given lunar month and day (not a leap month). */
function lunarDay(year: number, from: [number, number], to: [number, number], month: number, day: number): number {
  // getLunarDate reads 'YYYY-MM-DD' at China midnight whatever the process's time zone.
  for (let d = utcDay(year, ...from); d <= utcDay(year, ...to); d++) {
    const l = chineseDays.getLunarDate(iso(d));
    if (l.lunarMon === month && l.lunarDay === day && !l.isLeap) return d;
  }
  throw new RangeError(`lunar ${month}-${day} not found in ${year}`);
}

/** The 清明 solar term day of `year`. */
function qingming(year: number): number {
  const printed = chineseDays.getSolarTermDate(year, 4, 'pure_brightness');
  // The package works the day out in whole numbers, makes it UTC midnight and prints it with
  // local-time getters, so west of Greenwich it prints the day before. Take the UTC day that
  // prints as it did here.
  const [y, m, d] = printed.split('-').map(Number) as [number, number, number];
  for (const day of [utcDay(y, m, d), utcDay(y, m, d) + 1]) {
    const local = new Date(day * DAY_MS);
    if (local.getFullYear() === y && local.getMonth() + 1 === m && local.getDate() === d) return day;
  }
  throw new RangeError(`清明 of ${year} not found`);
}

// Named as in `chinese-days`, so a festival reads the same in covered and computed years.
const FESTIVALS = {
  newYear: { zh: '元旦', en: "New Year's Day" },
  spring: { zh: '春节', en: 'Spring Festival' },
  qingming: { zh: '清明', en: 'Tomb-sweeping Day' },
  labour: { zh: '劳动节', en: 'Labour Day' },
  dragonBoat: { zh: '端午', en: 'Dragon Boat Festival' },
  midAutumn: { zh: '中秋', en: 'Mid-autumn Festival' },
  national: { zh: '国庆节', en: 'National Day' },
} as const;

/**
 * The statutory holidays of `year` under the 2024 rule, with the days given in lieu, in date
 * order. Any year of the lunar table (the tests check the lunar days against past notices).
 */
export function statutoryHolidays(year: number): RuleHoliday[] {
  if (!Number.isInteger(year) || year < 1901 || year > RULE_LAST_YEAR) throw new RangeError(`no holiday rule for ${year}`);
  const springDay = lunarDay(year, [1, 20], [2, 21], 1, 1);
  const festivals: Array<{ name: keyof typeof FESTIVALS; days: number[] }> = [
    { name: 'newYear', days: [utcDay(year, 1, 1)] },
    { name: 'spring', days: [springDay - 1, springDay, springDay + 1, springDay + 2] },
    { name: 'qingming', days: [qingming(year)] },
    { name: 'labour', days: [utcDay(year, 5, 1), utcDay(year, 5, 2)] },
    { name: 'dragonBoat', days: [lunarDay(year, [5, 20], [6, 30], 5, 5)] },
    { name: 'midAutumn', days: [lunarDay(year, [9, 1], [10, 15], 8, 15)] },
    { name: 'national', days: [utcDay(year, 10, 1), utcDay(year, 10, 2), utcDay(year, 10, 3)] },
  ];
  festivals.sort((a, b) => a.days[0]! - b.days[0]!);
  const off = new Map<number, RuleHoliday>();
  const weekend = (day: number) => [0, 6].includes(new Date(day * DAY_MS).getUTCDay());
  for (const f of festivals) {
    let owed = 0;
    for (const day of f.days) {
      if (off.has(day) || weekend(day)) owed++;
      if (!off.has(day)) off.set(day, { date: iso(day), ...FESTIVALS[f.name], inLieu: false });
    }
    for (let day = f.days[f.days.length - 1]! + 1; owed > 0; day++) {
      if (off.has(day) || weekend(day)) continue;
      off.set(day, { date: iso(day), ...FESTIVALS[f.name], inLieu: true });
      owed--;
    }
  }
  return [...off.values()].sort((a, b) => a.date.localeCompare(b.date));
}
