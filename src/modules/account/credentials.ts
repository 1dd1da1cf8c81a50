import type { LocalText } from '../../web/i18n/index.js';
import type { Rule } from '../../platform/validation.js';

// Parsers for what people type to sign in. Passwords are taken exactly as typed (no
// trimming or normalisation, which would silently change a secret); usernames are
// compared case-insensitively, so they are stored lower-case.

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

const ok = <T>(value: T) => ({ ok: true as const, value });
const fail = (message: LocalText) => ({ ok: false as const, message });

// biome-ignore lint: control characters never belong in a password
const CONTROL = /[\u0000-\u001F\u007F]/;

export function password(o: { label: LocalText; checkLength?: boolean }): Rule<string> {
  return {
    label: o.label,
    parse(raw) {
      if (raw === undefined || raw === null || raw === '') return fail((t) => t.common.errRequired(o.label(t)));
      if (typeof raw !== 'string' || !raw.isWellFormed() || CONTROL.test(raw)) return fail((t) => t.common.errInvalidText(o.label(t)));
      const len = [...raw].length;
      if (len > PASSWORD_MAX) return fail((t) => t.common.errTooLong(o.label(t), PASSWORD_MAX));
      if (o.checkLength !== false && len < PASSWORD_MIN) return fail((t) => t.common.errTooShort(o.label(t), PASSWORD_MIN));
      return ok(raw);
    },
  };
}

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,39}$/;

/** Lower-cases and checks a username; null when it cannot be one. */
export function normaliseUsername(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const s = raw.trim().toLowerCase();
  return USERNAME_PATTERN.test(s) ? s : null;
}

/** What may be typed as a username at sign-in: lenient, so any stored username can be matched. */
export function signInName(o: { label: LocalText }): Rule<string> {
  return {
    label: o.label,
    parse(raw) {
      if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return fail((t) => t.common.errRequired(o.label(t)));
      if (typeof raw !== 'string' || !raw.isWellFormed()) return fail((t) => t.common.errInvalid(o.label(t)));
      const s = raw.trim().toLowerCase();
      return s.length <= 60 && !/[\s\u0000-\u001F\u007F]/.test(s) ? ok(s) : fail((t) => t.common.errInvalid(o.label(t)));
    },
  };
}

export function username(o: { label: LocalText }): Rule<string> {
  return {
    label: o.label,
    parse(raw) {
      if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return fail((t) => t.common.errRequired(o.label(t)));
      const s = normaliseUsername(raw);
      return s ? ok(s) : fail((t) => t.common.errInvalid(o.label(t)));
    },
  };
}

/** A 6-digit code as typed on a phone: spaces and full-width digits are forgiven. */
export function parseSixDigits(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > 40) return null;
  const s = raw.replace(/[\s-]/g, '').replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  return /^\d{6}$/.test(s) ? s : null;
}

export function sixDigits(o: { label: LocalText; message: LocalText }): Rule<string> {
  return {
    label: o.label,
    parse(raw) {
      if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return fail((t) => t.common.errRequired(o.label(t)));
      const s = parseSixDigits(raw);
      return s ? ok(s) : fail(o.message);
    },
  };
}
