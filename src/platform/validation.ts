import type { LocalText } from '../web/i18n/index.js';
import { type FieldIssue, ValidationError } from './errors.js';

// Field rules shared by forms and the JSON API: services validate with these, so both
// entrances give the same localised messages.

type Result<T> = { ok: true; value: T } | { ok: false; message: LocalText };
export interface Rule<T> {
  label: LocalText;
  parse(raw: unknown): Result<T>;
}

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = <T>(message: LocalText): Result<T> => ({ ok: false, message });

// biome-ignore lint: control characters other than tab and newline never belong in text
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Normalises submitted text: one string, well-formed Unicode, NFC, CRLF → LF, trimmed. */
export function cleanText(raw: unknown): string | null | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (Array.isArray(raw)) return null;
  if (typeof raw === 'number' || typeof raw === 'boolean') raw = String(raw);
  if (typeof raw !== 'string') return null;
  if (!raw.isWellFormed()) return null;
  const s = raw.replace(/\r\n?/g, '\n').normalize('NFC').trim();
  if (CONTROL.test(s)) return null;
  return s;
}

interface TextOpts { label: LocalText; max?: number; min?: number; multiline?: boolean; pattern?: RegExp }

export function text(o: TextOpts & { required?: true }): Rule<string>;
export function text(o: TextOpts & { required: false }): Rule<string | null>;
export function text(o: TextOpts & { required?: boolean }): Rule<string | null> {
  const max = o.max ?? 200;
  return {
    label: o.label,
    parse(raw) {
      const s = cleanText(raw);
      if (s === null) return fail((t) => t.common.errInvalidText(o.label(t)));
      if (s === undefined || s === '') return o.required === false ? ok(null) : fail((t) => t.common.errRequired(o.label(t)));
      if (!o.multiline && s.includes('\n')) return fail((t) => t.common.errInvalid(o.label(t)));
      const len = [...s].length;
      if (len > max) return fail((t) => t.common.errTooLong(o.label(t), max));
      if (o.min !== undefined && len < o.min) return fail((t) => t.common.errTooShort(o.label(t), o.min ?? 0));
      if (o.pattern && !o.pattern.test(s)) return fail((t) => t.common.errInvalid(o.label(t)));
      return ok(s);
    },
  };
}

interface IntOpts { label: LocalText; min?: number; max?: number }
export function int(o: IntOpts & { required?: true }): Rule<number>;
export function int(o: IntOpts & { required: false }): Rule<number | null>;
export function int(o: IntOpts & { required?: boolean }): Rule<number | null> {
  const min = o.min ?? 0;
  const max = o.max ?? 2_147_483_647;
  return {
    label: o.label,
    parse(raw) {
      const s = cleanText(raw);
      if (s === null) return fail((t) => t.common.errInvalidNumber(o.label(t)));
      if (s === undefined || s === '') return o.required === false ? ok(null) : fail((t) => t.common.errRequired(o.label(t)));
      if (!/^-?\d{1,10}$/.test(s)) return fail((t) => t.common.errInvalidNumber(o.label(t)));
      const n = Number(s);
      if (n < min || n > max) return fail((t) => t.common.errOutOfRange(o.label(t), min, max));
      return ok(n);
    },
  };
}

interface ChoiceOpts<T extends string> { label: LocalText; values: readonly T[] }
export function choice<T extends string>(o: ChoiceOpts<T> & { required?: true }): Rule<T>;
export function choice<T extends string>(o: ChoiceOpts<T> & { required: false }): Rule<T | null>;
export function choice<T extends string>(o: ChoiceOpts<T> & { required?: boolean }): Rule<T | null> {
  return {
    label: o.label,
    parse(raw) {
      const s = cleanText(raw);
      if (s === null) return fail((t) => t.common.errInvalidChoice(o.label(t)));
      if (s === undefined || s === '') return o.required === false ? ok(null) : fail((t) => t.common.errRequired(o.label(t)));
      return (o.values as readonly string[]).includes(s) ? ok(s as T) : fail((t) => t.common.errInvalidChoice(o.label(t)));
    },
  };
}

/** A calendar date YYYY-MM-DD that exists (no 2026-02-30). */
export function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1900 && y <= 2200 && dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

export function date(o: { label: LocalText; required?: true }): Rule<string>;
export function date(o: { label: LocalText; required: false }): Rule<string | null>;
export function date(o: { label: LocalText; required?: boolean }): Rule<string | null> {
  return {
    label: o.label,
    parse(raw) {
      const s = cleanText(raw);
      if (s === null) return fail((t) => t.common.errInvalidDate(o.label(t)));
      if (s === undefined || s === '') return o.required === false ? ok(null) : fail((t) => t.common.errRequired(o.label(t)));
      return isRealDate(s) ? ok(s) : fail((t) => t.common.errInvalidDate(o.label(t)));
    },
  };
}

/** A local date-time from <input type="datetime-local">, interpreted in China Standard Time. */
export function dateTime(o: { label: LocalText; required: false }): Rule<string | null> {
  return {
    label: o.label,
    parse(raw) {
      const s = cleanText(raw);
      if (s === null) return fail((t) => t.common.errInvalidDate(o.label(t)));
      if (s === undefined || s === '') return ok(null);
      const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(s);
      if (!m || !isRealDate(m[1] ?? '') || Number(m[2]) > 23 || Number(m[3]) > 59) return fail((t) => t.common.errInvalidDate(o.label(t)));
      return ok(new Date(`${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}+08:00`).toISOString());
    },
  };
}

/** Normalises a mainland mobile number: strips spaces, dashes and +86. */
export function normalisePhone(raw: string): string | null {
  const s = raw.replace(/[\s-]/g, '').replace(/^(\+?86)/, '');
  return /^1[3-9]\d{9}$/.test(s) ? s : null;
}

export function phone(o: { label: LocalText }): Rule<string> {
  return {
    label: o.label,
    parse(raw) {
      const s = cleanText(raw);
      if (s === null) return fail((t) => t.common.errInvalidPhone(o.label(t)));
      if (s === undefined || s === '') return fail((t) => t.common.errRequired(o.label(t)));
      const p = normalisePhone(s);
      return p ? ok(p) : fail((t) => t.common.errInvalidPhone(o.label(t)));
    },
  };
}

export function checkbox(o: { label: LocalText }): Rule<boolean> {
  return { label: o.label, parse: (raw) => ok(raw === 'on' || raw === '1' || raw === 'true' || raw === true) };
}

type Spec = Record<string, Rule<unknown>>;
export type Values<S extends Spec> = { [K in keyof S]: S[K] extends Rule<infer T> ? T : never };

/** Validates every field; throws one ValidationError listing all issues, in field order. */
export function validate<S extends Spec>(spec: S, input: unknown): Values<S> {
  const src = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const issues: FieldIssue[] = [];
  for (const [field, rule] of Object.entries(spec)) {
    const r = rule.parse(src[field]);
    if (r.ok) out[field] = r.value;
    else issues.push({ field, message: r.message });
  }
  if (issues.length) throw new ValidationError(issues);
  return out as Values<S>;
}

/** Masks a phone number for anyone but authorised staff: 138****5678. */
export function maskPhone(p: string | null | undefined): string {
  if (!p) return '';
  return p.length >= 7 ? `${p.slice(0, 3)}****${p.slice(-4)}` : '****';
}
