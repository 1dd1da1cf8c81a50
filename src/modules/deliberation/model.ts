import { createHash } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { DeliberationStatementsTable, DeliberationsTable } from '../../db/schema.js';
import { DomainError } from '../../platform/errors.js';

// Names, limits and the rules that have no database in them.

export type DeliberationRow = Selectable<DeliberationsTable>;
export type StatementRow = Selectable<DeliberationStatementsTable>;
export type Moderation = DeliberationRow['moderation'];
export type StatementStatus = StatementRow['status'];

export const MODERATIONS = ['strict', 'open'] as const satisfies readonly Moderation[];
export const RECOMPUTE_JOB = 'deliberation.recompute';
/** Polis's limit: a statement is short enough to read and vote on at a glance. */
export const STATEMENT_MAX = 140;
/** New statements one participant may add to one deliberation per hour. */
export const STATEMENTS_PER_HOUR = 10;
export const MAX_GROUPS_LIMIT = 9;

export const VOTE_VALUES = { agree: 1, disagree: -1, pass: 0 } as const;
export type VoteName = keyof typeof VOTE_VALUES;
export type VoteValue = (typeof VOTE_VALUES)[VoteName];
export const voteName = (v: number): VoteName => (v === 1 ? 'agree' : v === -1 ? 'disagree' : 'pass');

/** Statement text as shown: one line, single spaces (a textarea's line breaks become spaces). */
export function statementText(raw: string): string {
  return raw.replace(/\s+/gu, ' ').trim();
}

/**
 * What makes two statements the same: compatibility forms folded (full-width letters and
 * digits, ideographic spaces), case, whitespace. "Exact duplicates" are refused on this hash.
 */
export function statementHash(text: string): string {
  const norm = text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
  return createHash('sha256').update(norm).digest('hex');
}

export class StatementNotOpenError extends DomainError {
  override name = 'StatementNotOpenError';
  constructor(status: StatementStatus) {
    super('statement_not_open', 409, (t) => (status === 'rejected' ? t.deliberation.errStatementRejected : t.deliberation.errStatementPending));
  }
}

export class DeliberationClosedError extends DomainError {
  override name = 'DeliberationClosedError';
  constructor() {
    super('deliberation_closed', 409, (t) => t.deliberation.errClosed);
  }
}

export class DuplicateStatementError extends DomainError {
  override name = 'DuplicateStatementError';
  constructor() {
    super('duplicate_statement', 409, (t) => t.deliberation.errDuplicate);
  }
}
