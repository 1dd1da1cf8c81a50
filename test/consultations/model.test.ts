import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { COMMUNITY_STAGES, STANDARD_STAGES } from '../../src/db/schema.js';
import { escapeText, foldLine, renderCalendar, utcStamp } from '../../src/modules/consultations/ics.js';
import { checkStageMove, stagesOf, timeline } from '../../src/modules/consultations/model.js';
import { parseRecommendations } from '../../src/modules/consultations/outcome-service.js';
import { registrationState } from '../../src/modules/consultations/registration-service.js';

describe('consultations: stage rules and the timeline', () => {
  it('moves only forward, may skip, and needs the outcome before evaluation on the committee track', () => {
    assert.equal(checkStageMove('standard', 'preparation', 'meeting', false), null);
    assert.equal(checkStageMove('standard', 'preparation', 'outcome', false), null, 'deliberation may be skipped');
    assert.equal(checkStageMove('standard', 'meeting', 'preparation', false), 'backwards');
    assert.equal(checkStageMove('standard', 'meeting', 'meeting', false), 'same');
    assert.equal(checkStageMove('standard', 'outcome', 'evaluation', false), 'needs_outcome');
    assert.equal(checkStageMove('standard', 'outcome', 'evaluation', true), null);
    assert.equal(checkStageMove('standard', 'meeting', 'decision', true), 'unknown', 'community stages are not on the committee track');
    assert.equal(checkStageMove('community', 'topic', 'decision_notice', false), null);
    assert.equal(checkStageMove('community', 'decision', 'proposal', false), 'backwards');
  });

  it('any sequence of accepted moves is strictly increasing and ends within the track', () => {
    fc.assert(fc.property(fc.constantFrom('standard' as const, 'community' as const), fc.array(fc.string({ maxLength: 16 }), { maxLength: 20 }), fc.array(fc.integer({ min: 0, max: 8 }), { maxLength: 20 }), (track, junk, picks) => {
      const stages = stagesOf(track);
      let current = stages[0] as (typeof stages)[number];
      for (const [i, p] of picks.entries()) {
        const to = p < stages.length ? stages[p] as string : (junk[i] ?? '');
        const problem = checkStageMove(track, current, to, true);
        if (problem === null) {
          assert.ok(stages.indexOf(to as typeof current) > stages.indexOf(current));
          current = to as typeof current;
        }
      }
      assert.ok(stages.includes(current));
    }));
  });

  it('shows done, current, next and upcoming steps, with solicitation and plan skipped when absent', () => {
    const steps = timeline({ track: 'standard', stage: 'meeting', solicited: false, planned: true, enteredAt: { preparation: '2026-03-01T01:00:00.000Z' } });
    assert.deepEqual(steps.map((s) => `${s.step}:${s.state}`), [
      'solicitation:skipped', 'plan:done', 'preparation:done', 'meeting:current', 'deliberation:next', 'outcome:upcoming', 'evaluation:upcoming',
    ]);
    assert.equal(steps[2]?.at, '2026-03-01T01:00:00.000Z');
    const closed = timeline({ track: 'standard', stage: 'closed', solicited: true, planned: true, enteredAt: {} });
    assert.ok(closed.every((s) => s.state === 'done'));
    // Recommendations still being carried out keep the last step in progress, and it says so.
    const stillOpen = timeline({ track: 'standard', stage: 'closed', solicited: true, planned: true, enteredAt: {}, items: { open: 2, total: 3 } });
    assert.deepEqual(stillOpen.slice(-2).map((s) => `${s.step}:${s.state}`), ['outcome:done', 'evaluation:current']);
    assert.deepEqual(stillOpen.at(-1)?.items, { open: 2, total: 3 });
    assert.ok(stillOpen.slice(0, -1).every((s) => s.items === undefined), 'only the last step carries the items');
    const allDone = timeline({ track: 'standard', stage: 'closed', solicited: true, planned: true, enteredAt: {}, items: { open: 0, total: 3 } });
    assert.ok(allDone.every((s) => s.state === 'done'));
    assert.deepEqual(allDone.at(-1)?.items, { open: 0, total: 3 });
    const communityOpen = timeline({ track: 'community', stage: 'closed', solicited: false, planned: false, enteredAt: {}, items: { open: 1, total: 1 } });
    assert.equal(communityOpen.at(-1)?.step, 'result_notice');
    assert.equal(communityOpen.at(-1)?.state, 'current');
    assert.equal(timeline({ track: 'standard', stage: 'meeting', solicited: false, planned: false, enteredAt: {}, items: { open: 0, total: 0 } }).at(-1)?.items, undefined);
    const community = timeline({ track: 'community', stage: 'topic', solicited: false, planned: false, enteredAt: {} });
    assert.deepEqual(community.map((s) => s.step), [...COMMUNITY_STAGES]);
    assert.equal(community[0]?.state, 'current');
    assert.equal(STANDARD_STAGES.length, 6);
  });

  it('registration is offered only on public consultations with a capacity, before the meeting', () => {
    const base = { is_public: 1, registration_open: 1, capacity: 10, starts_at: '2099-01-01T01:00:00.000Z', track: 'standard' as const, stage: 'preparation' as const };
    assert.equal(registrationState(base), 'open');
    assert.equal(registrationState({ ...base, is_public: 0 }), 'not_offered');
    assert.equal(registrationState({ ...base, capacity: null }), 'not_offered');
    assert.equal(registrationState({ ...base, stage: 'meeting' }), 'closed');
    assert.equal(registrationState({ ...base, starts_at: '2000-01-01T00:00:00.000Z' }), 'closed');
  });

  it('reads recommendation rows: blanks skipped, the rest numbered in order, each row checked', () => {
    const { recs, issues } = parseRecommendations({ text_1: '建议甲内容', department_1: '5', days_1: '10', text_3: '建议乙内容', department_3: '6', days_3: '20' });
    assert.deepEqual(issues, []);
    assert.deepEqual(recs.map((r) => [r.number, r.text, r.departmentId, r.dueDays]), [[1, '建议甲内容', 5, 10], [2, '建议乙内容', 6, 20]]);
    const bad = parseRecommendations({ text_2: '建议', department_2: 'x', days_2: '999' });
    assert.deepEqual(bad.issues.map((i) => i.field).sort(), ['days_2', 'department_2', 'text_2']);
    assert.equal(bad.recs.length, 0);
  });
});

/** Undoes folding (RFC 5545 §3.1): a CRLF followed by one space or tab is removed. */
const unfold = (s: string) => s.replace(/\r\n[ \t]/g, '');
/** Undoes TEXT escaping. */
const unescape = (s: string) => s.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));

describe('consultations: iCalendar output (RFC 5545)', () => {
  it('escapes backslash, semicolon, comma and newline, and unescaping gives the text back', () => {
    assert.equal(escapeText('a,b;c\\d\ne'), 'a\\,b\\;c\\\\d\\ne');
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) => {
      const text = s.replace(/\r\n?/g, '\n');
      const e = escapeText(text);
      assert.ok(!/[\n\r]/.test(e));
      assert.equal(unescape(e), text);
    }));
  });

  it('folds lines to at most 75 octets without splitting a character, and unfolding restores them', () => {
    // U+FFFD in the input is legitimate text; the check below looks for one a split would create.
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }).filter((s) => !s.includes('\uFFFD')).map((s) => `SUMMARY:${escapeText(s)}`), (line) => {
      const folded = foldLine(line);
      for (const physical of folded.split('\r\n')) {
        assert.ok(Buffer.byteLength(physical, 'utf8') <= 75, `${Buffer.byteLength(physical)} octets`);
        assert.ok(!physical.includes('\uFFFD'));
      }
      assert.equal(unfold(folded), line);
    }));
  });

  it('writes a calendar with CRLF lines, UID and DTSTAMP on every event, timed and all-day', () => {
    const cal = renderCalendar({
      name: '2026 年度协商计划', prodId: '-//Xieshang//Consultation plan//ZH',
      events: [
        { uid: 'consultation-1@xieshang', stamp: '2026-01-05T02:00:00.000Z', summary: '专题协商会：停车, 规划; 建设', start: '2026-03-10T01:30:00.000Z', end: '2026-03-10T03:30:00.000Z', location: '县政协三楼', url: 'https://example.cn/consultations/1', description: '第一行\n第二行' },
        { uid: 'plan-item-2@xieshang', stamp: '2026-01-05T02:00:00.000Z', summary: '第二季度', startDate: '2026-04-01', endDate: '2026-07-01', transparent: true, url: 'javascript:alert(1)' },
      ],
    });
    assert.ok(cal.endsWith('\r\n'));
    assert.ok(!/[^\r]\n/.test(cal), 'every line ends in CRLF');
    const lines = unfold(cal).split('\r\n').filter(Boolean);
    assert.equal(lines[0], 'BEGIN:VCALENDAR');
    assert.equal(lines.at(-1), 'END:VCALENDAR');
    assert.equal(lines.filter((l) => l === 'BEGIN:VEVENT').length, 2);
    assert.equal(lines.filter((l) => l.startsWith('UID:')).length, 2);
    assert.equal(lines.filter((l) => l.startsWith('DTSTAMP:')).length, 2);
    assert.ok(lines.includes('DTSTART:20260310T013000Z'));
    assert.ok(lines.includes('DTSTART;VALUE=DATE:20260401'));
    assert.ok(lines.includes('SUMMARY:专题协商会：停车\\, 规划\\; 建设'));
    assert.ok(lines.includes('DESCRIPTION:第一行\\n第二行'));
    assert.ok(lines.includes('TRANSP:TRANSPARENT'));
    assert.equal(lines.filter((l) => l.startsWith('URL:')).length, 1, 'a non-http URL is left out');
    assert.equal(utcStamp('2026-12-31T23:59:59.999Z'), '20261231T235959Z');
  });
});
