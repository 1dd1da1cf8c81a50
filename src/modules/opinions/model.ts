import { randomInt } from 'node:crypto';
import type { BodyKind, OpinionStatus } from '../../db/schema.js';

// The voice channel's vocabulary, shared by the service, pages and API.

/** Bodies a citizen may address directly (not the committee itself, not departments). */
export const TARGET_BODY_KINDS: readonly BodyKind[] = ['special_committee', 'liaison_group', 'member_studio', 'community_council'];

/** Still in someone's hands: the clocks run and the citizen may add or withdraw. */
export const OPEN_STATUSES: readonly OpinionStatus[] = ['received', 'accepted', 'replied'];
/** Waiting for a handler to act (the clocks that can be overdue). */
export const AWAITING_ACCEPT: OpinionStatus = 'received';
export const AWAITING_REPLY: OpinionStatus = 'accepted';

export const RATING_VALUES = [3, 2, 1] as const;
export type RatingValue = (typeof RATING_VALUES)[number];
/** 3 satisfied · 2 basically satisfied · 1 not satisfied. */
export const SATISFIED = 3;
export const NOT_SATISFIED = 1;

// Tracking codes: 10 characters from 31 letters and digits that cannot be confused with
// each other (no 0/O, 1/I/L), about 2^49 codes: not guessable, easy to read over the phone.
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 10;

export function newTrackingCode(): string {
  let s = '';
  for (let i = 0; i < CODE_LENGTH; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}

/** Shown in two groups of five: ABCDE-FGHJK. */
export const formatTrackingCode = (code: string): string => `${code.slice(0, 5)}-${code.slice(5)}`;

/** What a person typed (any case, spaces or dashes, o for 0…) as a stored code, or null. */
export function parseTrackingCode(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > 40) return null;
  const s = raw.normalize('NFKC').toUpperCase().replace(/[\s\-_]/g, '');
  if (s.length !== CODE_LENGTH) return null;
  for (const ch of s) if (!CODE_ALPHABET.includes(ch)) return null;
  return s;
}

export const isLast4 = (raw: unknown): raw is string => typeof raw === 'string' && /^\d{4}$/.test(raw);
