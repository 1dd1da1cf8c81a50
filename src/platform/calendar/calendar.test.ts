import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import chineseDays from 'chinese-days';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { addWorkingDays, chinaDate, coverage, coverageOf, endOfChinaDay, festivalOf, isOfficialYear, isWorkingDay, nextWorkingDay, workingDaysBetween } from './index.js';
import { holidays } from './data.js';
import { statutoryHolidays } from './statutory.js';

// Days off and make-up working days as the State Council's notices announce them:
// 国办发明电〔2024〕12号 for 2025 and 国办发明电〔2025〕7号 for 2026.
const { getWorkdaysInRange, isWorkday } = chineseDays;

const official = {
  2025: {
    off: [['2025-01-01', '2025-01-01'], ['2025-01-28', '2025-02-04'], ['2025-04-04', '2025-04-06'], ['2025-05-01', '2025-05-05'],
      ['2025-05-31', '2025-06-02'], ['2025-10-01', '2025-10-08']],
    makeUp: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  2026: {
    off: [['2026-01-01', '2026-01-03'], ['2026-02-15', '2026-02-23'], ['2026-04-04', '2026-04-06'], ['2026-05-01', '2026-05-05'],
      ['2026-06-19', '2026-06-21'], ['2026-09-25', '2026-09-27'], ['2026-10-01', '2026-10-07']],
    makeUp: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
} as const;

function* days(from: string, to: string): Generator<string> {
  for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1)) yield d.toISOString().slice(0, 10);
}

describe('working-day calendar', () => {
  for (const [year, notice] of Object.entries(official)) {
    it(`agrees with the ${year} notice, day by day`, () => {
      assert.equal(coverage(Number(year)), 'official');
      const off = new Set(notice.off.flatMap(([a, b]) => [...days(a, b)]));
      const makeUp = new Set<string>(notice.makeUp);
      for (const d of makeUp) assert.ok([0, 6].includes(new Date(d).getUTCDay()), `${d} is a weekend day`);
      for (const d of days(`${year}-01-01`, `${year}-12-31`)) {
        const weekday = ![0, 6].includes(new Date(d).getUTCDay());
        const expected = !off.has(d) && (weekday || makeUp.has(d));
        assert.equal(isWorkingDay(d), expected, d);
        assert.equal(isWorkday(d), expected, `chinese-days itself on ${d}`);
      }
    });
  }

  it('counts the working days of whole years like the package does', () => {
    assert.equal(workingDaysBetween('2024-12-31', '2025-12-31'), getWorkdaysInRange('2025-01-01', '2025-12-31').length);
    assert.equal(workingDaysBetween('2025-12-31', '2026-12-31'), getWorkdaysInRange('2026-01-01', '2026-12-31').length);
    assert.equal(workingDaysBetween('2025-09-30', '2025-10-31'), 18);
    assert.equal(workingDaysBetween('2025-10-31', '2025-09-30'), -18);
    assert.equal(workingDaysBetween('2025-10-01', '2025-10-01'), 0);
  });

  it('names the festival of a holiday or make-up day', () => {
    assert.deepEqual(festivalOf('2025-05-02'), { zh: '劳动节', en: 'Labour Day' });
    assert.deepEqual(festivalOf('2026-02-28'), { zh: '春节', en: 'Spring Festival' });
    assert.equal(festivalOf('2025-03-03'), null);
  });

  it('sets deadlines across Spring Festival and Labour Day 2025', () => {
    assert.equal(addWorkingDays('2025-01-24', 1), '2025-01-26'); // Friday → make-up Sunday
    assert.equal(addWorkingDays('2025-01-26', 2), '2025-02-05');
    assert.equal(addWorkingDays('2025-01-28T09:00:00+08:00', 1), '2025-02-06'); // arrives on a holiday: counts from 2-5
    assert.equal(addWorkingDays('2025-01-28T09:00:00+08:00', 0), '2025-02-05');
    assert.equal(addWorkingDays('2025-04-30T10:00:00+08:00', 1), '2025-05-06');
    assert.equal(addWorkingDays('2025-04-30T10:00:00+08:00', 3), '2025-05-08');
    // 20:00 UTC on 30 April is already 1 May in Beijing: a holiday.
    assert.equal(addWorkingDays(new Date('2025-04-30T20:00:00Z'), 1), '2025-05-07');
    assert.equal(addWorkingDays('2025-04-25', 1), '2025-04-27');
  });

  it('sets deadlines across National Day and Spring Festival 2026', () => {
    assert.equal(addWorkingDays('2025-09-26', 1), '2025-09-28');
    assert.equal(addWorkingDays('2025-09-26', 4), '2025-10-09');
    assert.equal(addWorkingDays('2025-10-10', 1), '2025-10-11');
    assert.equal(addWorkingDays('2026-02-13', 1), '2026-02-14');
    assert.equal(addWorkingDays('2026-02-13', 2), '2026-02-24');
    assert.equal(addWorkingDays('2026-09-18', 2), '2026-09-21'); // Fri → Sun 9-20 (make-up) → Mon
    assert.equal(addWorkingDays('2026-09-30', 1), '2026-10-08');
    assert.equal(addWorkingDays('2026-05-08', 1), '2026-05-09');
    assert.equal(nextWorkingDay('2026-06-18'), '2026-06-22');
    assert.equal(nextWorkingDay('2025-12-31'), '2026-01-04');
  });

  it('falls back to Monday–Friday outside the data and the rule, and says so', () => {
    assert.equal(coverage(2100), 'weekdays-only');
    assert.equal(coverage(1999), 'weekdays-only');
    assert.equal(isWorkingDay('2100-10-01'), true); // a Friday; no notice, no lunar table
    assert.equal(isWorkingDay('2100-10-02'), false); // Saturday
    assert.equal(addWorkingDays('2100-10-01', 1), '2100-10-04'); // Friday → Monday
  });

  it('computes the statutory holidays of a year without a notice (2027)', () => {
    assert.equal(coverage(2027), 'statutory-rule');
    assert.equal(coverageOf('2027-01-01'), 'statutory-rule');
    assert.equal(coverageOf('2026-12-31T16:30:00Z'), 'statutory-rule'); // already 1 January in Beijing
    assert.equal(coverageOf('2026-12-31'), 'official');
    assert.equal(isOfficialYear('2026-12-07'), true);
    assert.equal(isOfficialYear('2027-03-01'), false);
    // The audit's case: 1 January 2027 was counted as a working day.
    assert.equal(addWorkingDays('2026-12-07', 20), '2027-01-05');
    assert.equal(isWorkingDay('2027-01-01'), false);
    assert.deepEqual(festivalOf('2027-01-01'), { zh: '元旦', en: "New Year's Day" });
    const off = statutoryHolidays(2027).map((h) => `${h.date}${h.inLieu ? '+' : ''}`);
    assert.deepEqual(off, [
      '2027-01-01',
      '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09+', '2027-02-10+', // 除夕 Fri; 初一, 初二 on the weekend
      '2027-04-05', // 清明
      '2027-05-01', '2027-05-02', '2027-05-03+', '2027-05-04+', // Saturday and Sunday
      '2027-06-09', // 端午
      '2027-09-15', // 中秋
      '2027-10-01', '2027-10-02', '2027-10-03', '2027-10-04+', '2027-10-05+',
    ]);
    for (const d of off) assert.equal(isWorkingDay(d.slice(0, 10)), false, d);
    assert.equal(isWorkingDay('2027-02-11'), true);
    assert.equal(isWorkingDay('2027-02-13'), false); // a Saturday: no make-up working days by rule
    assert.deepEqual(festivalOf('2027-02-09'), { zh: '春节', en: 'Spring Festival' });
    assert.equal(festivalOf('2027-03-01'), null);
  });

  it('makes up a festival that falls within another (中秋 within 国庆)', () => {
    // 2028: 中秋 is Tuesday 3 October, already a National Day holiday.
    const oct = statutoryHolidays(2028).filter((h) => h.date.startsWith('2028-10') || h.date.startsWith('2028-09'));
    assert.deepEqual(oct.map((h) => [h.date, h.zh, h.inLieu]), [
      ['2028-10-01', '国庆节', false], ['2028-10-02', '国庆节', false], ['2028-10-03', '国庆节', false],
      ['2028-10-04', '国庆节', true], // 1 October is a Sunday
      ['2028-10-05', '中秋', true],
    ]);
  });

  it('the rule agrees with the notices of 2025 and 2026', () => {
    for (const year of [2025, 2026]) {
      const officialOff = holidays;
      const rule = statutoryHolidays(year);
      for (const h of rule) assert.ok(officialOff.has(h.date), `${year}: ${h.date} (${h.zh}${h.inLieu ? ', in lieu' : ''}) is off in the notice`);
      // The notices move days off but do not add any: the year has as many working days by rule
      // (no make-up working days) as by the notice.
      const weekdays = [...days(`${year}-01-01`, `${year}-12-31`)].filter((d) => ![0, 6].includes(new Date(d).getUTCDay()));
      const ruleOff = new Set(rule.map((h) => h.date));
      assert.equal(weekdays.filter((d) => !ruleOff.has(d)).length, workingDaysBetween(`${year - 1}-12-31`, `${year}-12-31`), `${year}: working days`);
    }
  });

  it('finds the lunar festivals and 清明 on days off of every year since 2008', () => {
    // Before 2025 除夕 and 2 May were not statutory and the in-lieu days differ; the lunar and
    // solar-term days, 1 January, 1 May and 1–3 October were days off every year. (The package
    // leaves some weekend holidays of older years out of its holiday list, e.g. 端午 2012-06-23,
    // so this asks whether the day was a working day.)
    for (let year = 2008; year <= 2026; year++) {
      const officialOff = { has: (d: string) => !isWorkingDay(d) };
      const rule = statutoryHolidays(year);
      const spring = rule.filter((h) => h.zh === '春节' && !h.inLieu).map((h) => h.date);
      const named = (zh: string) => rule.filter((h) => h.zh === zh && !h.inLieu).map((h) => h.date);
      for (const d of [...spring.slice(1), ...named('清明'), ...named('端午'), ...named('中秋'), `${year}-01-01`, `${year}-05-01`, `${year}-10-01`, `${year}-10-02`, `${year}-10-03`]) {
        assert.ok(officialOff.has(d), `${year}: ${d}`);
      }
      const l = chineseDays.getLunarDate(spring[1]!);
      assert.deepEqual([l.lunarMon, l.lunarDay], [1, 1], `${year}: 正月初一 ${spring[1]}`);
    }
  });

  it('computes the same days in any time zone of the process', () => {
    const script = "import { statutoryHolidays } from './src/platform/calendar/statutory.ts'; console.log(JSON.stringify([2027, 2030, 2045, 2099].map(statutoryHolidays)))";
    const here = JSON.stringify([2027, 2030, 2045, 2099].map(statutoryHolidays));
    for (const tz of ['America/Los_Angeles', 'Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, TZ: tz }, encoding: 'utf8' });
      assert.equal(out.trim(), here, tz);
    }
  });

  it('reads moments in China time and ends deadlines at midnight there', () => {
    assert.equal(chinaDate('2025-03-03T16:30:00Z'), '2025-03-04');
    assert.equal(chinaDate('2025-03-03'), '2025-03-03');
    assert.equal(endOfChinaDay('2025-03-04'), '2025-03-04T15:59:59.999Z');
    assert.throws(() => isWorkingDay('2025-02-30'), RangeError);
    assert.throws(() => addWorkingDays('2025-01-01', -1), RangeError);
    assert.throws(() => chinaDate('soon'), RangeError);
  });

  const date = fc.date({ min: new Date('1990-01-01'), max: new Date('2060-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  const count = fc.nat({ max: 400 });

  it('addWorkingDays is monotonic and always lands on a working day', () => {
    fc.assert(fc.property(date, count, count, (a, n1, n2) => {
      const [lo, hi] = n1 <= n2 ? [n1, n2] : [n2, n1];
      const x = addWorkingDays(a, lo);
      const y = addWorkingDays(a, hi);
      assert.ok(x <= y);
      if (lo < hi) assert.ok(x < y);
      assert.ok(isWorkingDay(y));
    }));
  });

  it('workingDaysBetween(a, addWorkingDays(a, n)) = n from a working day', () => {
    fc.assert(fc.property(date, count, (d, n) => {
      const a = isWorkingDay(d) ? d : nextWorkingDay(d);
      assert.equal(workingDaysBetween(a, addWorkingDays(a, n)), n);
      assert.equal(workingDaysBetween(a, nextWorkingDay(a)), 1);
    }));
  });
});
