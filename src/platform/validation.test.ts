import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { catalogFor } from '../web/i18n/index.js';
import { ValidationError } from './errors.js';
import { checkbox, choice, cleanText, date, dateTime, int, isRealDate, maskPhone, normalisePhone, phone, text, validate } from './validation.js';

const L = () => 'x';
const zh = catalogFor('zh-CN');
const en = catalogFor('en');

/** Any value a form or JSON body could carry, including hostile ones. */
const anyInput = fc.oneof(
  fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined),
  fc.array(fc.string()), fc.dictionary(fc.string(), fc.string()), fc.constant('\uD800'), fc.constant('a\u0000b'),
);

describe('validation rules', () => {
  it('never throw on any input, and a failure always has a message in both languages', () => {
    const rules = [text({ label: L }), text({ label: L, required: false, multiline: true, max: 5 }), int({ label: L, min: 1, max: 10 }),
      choice({ label: L, values: ['a', 'b'] as const }), date({ label: L }), dateTime({ label: L, required: false }), phone({ label: L }), checkbox({ label: L })];
    fc.assert(fc.property(anyInput, (raw) => {
      for (const r of rules) {
        const res = r.parse(raw);
        if (!res.ok) {
          assert.ok(res.message(zh).length > 0);
          assert.ok(res.message(en).length > 0);
        }
      }
    }), { numRuns: 500 });
  });

  it('text: accepted values are well-formed, trimmed, within the limit and free of control characters', () => {
    const rule = text({ label: L, max: 20, multiline: true });
    fc.assert(fc.property(anyInput, (raw) => {
      const r = rule.parse(raw);
      if (r.ok) {
        assert.ok(r.value.isWellFormed());
        assert.equal(r.value, r.value.trim());
        assert.ok([...r.value].length <= 20);
        assert.ok(!/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(r.value));
      }
    }), { numRuns: 1000 });
  });

  it('text: refuses lone surrogates and over-long input with the field label', () => {
    assert.equal(cleanText('\uD800x'), null);
    const r = text({ label: (t) => t.common.search, max: 3 }).parse('一二三四');
    assert.ok(!r.ok && r.message(zh).includes('搜索') && r.message(zh).includes('3'));
  });

  it('int accepts exactly the integers in range', () => {
    const rule = int({ label: L, min: -5, max: 5 });
    fc.assert(fc.property(fc.integer({ min: -20, max: 20 }), (n) => {
      const r = rule.parse(String(n));
      assert.equal(r.ok, n >= -5 && n <= 5);
      if (r.ok) assert.equal(r.value, n);
    }));
    assert.equal(rule.parse('1.5').ok, false);
    assert.equal(rule.parse('1e3').ok, false);
    assert.equal(rule.parse(' 3 ').ok, true);
  });

  it('dates: exactly the real calendar dates', () => {
    fc.assert(fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2200-12-31'), noInvalidDate: true }), (d) => {
      assert.ok(isRealDate(d.toISOString().slice(0, 10)));
    }));
    for (const bad of ['2026-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '26-1-1', '2026/01/01']) assert.equal(isRealDate(bad), false, bad);
    assert.equal(isRealDate('2028-02-29'), true);
    assert.equal(date({ label: L }).parse('2026-02-30').ok, false);
  });

  it('dateTime reads China time and returns UTC', () => {
    const r = dateTime({ label: L, required: false }).parse('2026-10-01T08:30');
    assert.ok(r.ok);
    assert.equal(r.value, '2026-10-01T00:30:00.000Z');
    assert.equal(dateTime({ label: L, required: false }).parse('2026-10-01T24:30').ok, false);
  });

  it('phones: normalised and masked', () => {
    assert.equal(normalisePhone('+86 138-0013-8000'), '13800138000');
    assert.equal(normalisePhone('12800138000'), null);
    assert.equal(maskPhone('13812345678'), '138****5678');
    fc.assert(fc.property(fc.stringMatching(/^1[3-9]\d{9}$/), (p) => {
      // The middle four digits hidden, exactly: checking that they do not appear anywhere in the
      // mask failed on 13092329232, whose middle digits are also its last four.
      assert.equal(maskPhone(p), `${p.slice(0, 3)}****${p.slice(7)}`);
    }));
  });

  it('validate reports every failing field in order and returns typed values', () => {
    const spec = { a: text({ label: L }), b: int({ label: L }), c: choice({ label: L, values: ['x'] as const, required: false }) };
    assert.deepEqual(validate(spec, { a: ' hi ', b: '7', c: '' }), { a: 'hi', b: 7, c: null });
    try {
      validate(spec, { a: '', b: 'x', c: 'y' });
      assert.fail('expected a ValidationError');
    } catch (e) {
      assert.ok(e instanceof ValidationError);
      assert.deepEqual(e.issues.map((i) => i.field), ['a', 'b', 'c']);
    }
  });
});
