import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { catalogFor } from '../../web/i18n/index.js';
import { PASSWORD_MAX, PASSWORD_MIN, USERNAME_PATTERN, normaliseUsername, parseSixDigits, password, signInName, username } from './credentials.js';

const label = () => 'x';
const t = catalogFor('en');

describe('credential parsers (property-based)', () => {
  it('takes a password exactly as typed when its length is in range, and never throws', () => {
    const rule = password({ label });
    fc.assert(fc.property(fc.anything(), (raw) => {
      const r = rule.parse(raw);
      if (r.ok) {
        assert.equal(r.value, raw);
        const len = [...r.value].length;
        assert.ok(len >= PASSWORD_MIN && len <= PASSWORD_MAX);
      } else {
        assert.equal(typeof r.message(t), 'string');
      }
    }));
    fc.assert(fc.property(fc.string({ unit: 'grapheme', minLength: PASSWORD_MIN, maxLength: 60 }), (s) => {
      fc.pre(!/[\u0000-\u001F\u007F]/.test(s) && [...s].length >= PASSWORD_MIN);
      const r = rule.parse(s);
      assert.ok(r.ok && r.value === s, 'spaces at the ends are kept, nothing is normalised');
    }));
  });

  it('refuses lone surrogates and control characters in passwords', () => {
    const rule = password({ label });
    assert.equal(rule.parse('abcdefghij\uD800').ok, false);
    assert.equal(rule.parse('abcdefghij\u0000').ok, false);
    assert.equal(rule.parse(['abcdefghijk']).ok, false);
  });

  it('normalises usernames to lower case and only accepts the pattern', () => {
    fc.assert(fc.property(fc.anything(), (raw) => {
      const n = normaliseUsername(raw);
      if (n !== null) {
        assert.match(n, USERNAME_PATTERN);
        assert.equal(n, n.toLowerCase());
      }
      const r = username({ label }).parse(raw);
      assert.equal(r.ok, n !== null, 'rule and normaliser agree');
    }));
    fc.assert(fc.property(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{2,39}$/), (s) => {
      assert.equal(normaliseUsername(`  ${s} `), s.toLowerCase());
    }));
  });

  it('matches any stored username at sign-in without whitespace or control characters', () => {
    const rule = signInName({ label });
    fc.assert(fc.property(fc.anything(), (raw) => {
      const r = rule.parse(raw);
      if (r.ok) {
        assert.equal(r.value, r.value.toLowerCase());
        assert.doesNotMatch(r.value, /\s/);
        assert.ok(r.value.length > 0 && r.value.length <= 60);
      }
    }));
  });

  it('reads six-digit codes, forgiving spaces and full-width digits', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 999_999 }), (n) => {
      const code = String(n).padStart(6, '0');
      assert.equal(parseSixDigits(code), code);
      assert.equal(parseSixDigits(`${code.slice(0, 3)} ${code.slice(3)}`), code);
      const wide = code.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
      assert.equal(parseSixDigits(wide), code);
    }));
    fc.assert(fc.property(fc.anything(), (raw) => {
      const r = parseSixDigits(raw);
      assert.ok(r === null || /^\d{6}$/.test(r));
    }));
    for (const bad of ['12345', '1234567', 'abcdef', '12345a', '']) assert.equal(parseSixDigits(bad), null);
  });
});
