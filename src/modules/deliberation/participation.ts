import type { AppContext } from '../../context.js';
import { type Executor, nowIso } from '../../db/database.js';
import { preparedQuery } from '../../db/prepared.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { NotFoundError, RateLimitedError, UnauthenticatedError, ValidationError } from '../../platform/errors.js';
import { choice, int, text, validate } from '../../platform/validation.js';
import { canManage, validId, visibleDeliberation } from './access.js';
import {
  DeliberationClosedError, DuplicateStatementError, STATEMENTS_PER_HOUR, STATEMENT_MAX, StatementNotOpenError, type StatementStatus,
  VOTE_VALUES, type VoteName, statementHash, statementText,
} from './model.js';
import { inputChanged } from './version.js';
import { voteWriter } from './vote-writer.js';

// Taking part: voting on statements and adding statements. Any signed-in person may take
// part (citizens and members alike); their participant row is made on their first vote or
// statement. Recording a vote is the hot path: two reads, then a short transaction.

/** The participant row of a user in a deliberation, made when missing (safe under concurrency). */
export async function ensureParticipant(db: Executor, deliberationId: number, userId: number): Promise<number> {
  const find = () => db.selectFrom('deliberation_participants').select('id')
    .where('deliberation_id', '=', deliberationId).where('user_id', '=', userId).executeTakeFirst();
  const found = await find();
  if (found) return found.id;
  const made = await db.insertInto('deliberation_participants')
    .values({ deliberation_id: deliberationId, user_id: userId, external_id: null, created_at: nowIso() })
    .onConflict((oc) => oc.columns(['deliberation_id', 'user_id']).doNothing())
    .returning('id').executeTakeFirst();
  if (made) return made.id;
  return (await find())!.id;
}

export async function participantOf(db: Executor, deliberationId: number, userId: number): Promise<number | null> {
  const row = await db.selectFrom('deliberation_participants').select('id')
    .where('deliberation_id', '=', deliberationId).where('user_id', '=', userId).executeTakeFirst();
  return row?.id ?? null;
}

const voteRules = {
  statement: int({ label: (t) => t.deliberation.fStatement, min: 1 }),
  vote: choice({ label: (t) => t.deliberation.fVote, values: ['agree', 'disagree', 'pass', '1', '-1', '0'] as const }),
};

function voteInput(raw: unknown): { statementId: number; value: -1 | 0 | 1 } {
  const b = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const v = validate(voteRules, { statement: b.statement ?? b.statement_id, vote: b.vote });
  const value = v.vote in VOTE_VALUES ? VOTE_VALUES[v.vote as VoteName] : (Number(v.vote) as -1 | 0 | 1);
  return { statementId: v.statement, value };
}

// The vote's statements, built once (db/prepared.ts): recording a vote is the hot path.
/** One read: the statement, its deliberation (open? public?) and the voter's participant row. */
const voteTarget = preparedQuery(2, (db, userId: number, statementId: number) => db.selectFrom('deliberation_statements as s')
  .innerJoin('deliberations as d', 'd.id', 's.deliberation_id')
  .leftJoin('consultations as c', 'c.id', 'd.consultation_id')
  .leftJoin('deliberation_participants as p', (j) => j.onRef('p.deliberation_id', '=', 's.deliberation_id').on('p.user_id', '=', userId))
  .select(['s.status', 's.deliberation_id', 'd.status as dStatus', 'd.consultation_id', 'c.is_public', 'p.id as participantId'])
  .where('s.id', '=', statementId));
export interface RecordedVote { statementId: number; value: -1 | 0 | 1; participantId: number }

/**
 * Records a vote: the current vote per participant and statement is replaced (the last one
 * counts) and every vote is kept in the log. Only accepted statements of an open, visible
 * deliberation take votes.
 */
export async function recordVote(ctx: AppContext, user: CurrentUser | null, deliberationId: number, raw: unknown): Promise<RecordedVote> {
  if (!user) throw new UnauthenticatedError();
  if (!validId(deliberationId)) throw new NotFoundError();
  const { statementId, value } = voteInput(raw);
  const db = ctx.database.db;
  const s = await voteTarget.first(db, user.id, statementId);
  if (!s || s.deliberation_id !== deliberationId || (s.consultation_id !== null && s.is_public !== 1)) {
    // Say which is missing: the deliberation (or one the public can't see), or the statement in it.
    const d = await db.selectFrom('deliberations as d').leftJoin('consultations as c', 'c.id', 'd.consultation_id')
      .select(['d.consultation_id', 'c.is_public']).where('d.id', '=', deliberationId).executeTakeFirst();
    const visible = d && (d.consultation_id === null || d.is_public === 1);
    throw new NotFoundError((t) => (visible ? t.deliberation.errStatementUnknown : t.deliberation.errDeliberationUnknown));
  }
  if (s.dStatus !== 'open') throw new DeliberationClosedError();
  if (s.status !== 'accepted') throw new StatementNotOpenError(s.status);
  const participantId = s.participantId ?? (await ensureParticipant(db, deliberationId, user.id));
  const now = nowIso();
  // Votes arriving together share a commit (vote-writer.ts); answered after it.
  await voteWriter(ctx.database).write({ deliberationId, participantId, statementId, value, at: now });
  return { statementId, value, participantId };
}

const statementRules = { body: text({ label: (t) => t.deliberation.fBody, max: STATEMENT_MAX, min: 2 }) };

export interface AddedStatement { id: number; status: StatementStatus }

/**
 * Adds a statement. In strict moderation it waits for a moderator; in open moderation (and
 * when a moderator writes it) it is open for votes at once. A statement that normalises to
 * one already in the deliberation is refused.
 */
export async function addStatement(ctx: AppContext, user: CurrentUser | null, deliberationId: number, raw: unknown): Promise<AddedStatement> {
  if (!user) throw new UnauthenticatedError();
  const db = ctx.database.db;
  const d = await visibleDeliberation(db, deliberationId, user);
  if (d.status !== 'open') throw new DeliberationClosedError();
  const b = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const { body } = validate(statementRules, { body: typeof b.body === 'string' ? statementText(b.body) : b.body });
  const moderator = await canManage(db, user, d);
  const status: StatementStatus = moderator || d.moderation === 'open' ? 'accepted' : 'pending';
  const participantId = await ensureParticipant(db, d.id, user.id);
  if (!moderator) {
    const since = new Date(Date.now() - 3_600_000).toISOString();
    const recent = await db.selectFrom('deliberation_statements').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('author_participant_id', '=', participantId).where('created_at', '>=', since).executeTakeFirstOrThrow();
    if (Number(recent.n) >= STATEMENTS_PER_HOUR) throw new RateLimitedError((t) => t.deliberation.errTooManyStatements(STATEMENTS_PER_HOUR));
  }
  const now = nowIso();
  return db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('deliberation_statements').values({
      deliberation_id: d.id, author_participant_id: participantId, body, body_hash: statementHash(body), status,
      is_meta: 0, is_seed: 0, external_id: null, moderated_by: status === 'accepted' && moderator ? user.id : null,
      moderated_at: status === 'accepted' && moderator ? now : null, created_at: now,
    }).onConflict((oc) => oc.columns(['deliberation_id', 'body_hash']).doNothing()).returning('id').executeTakeFirst();
    if (!row) throw new DuplicateStatementError();
    if (status === 'accepted') await inputChanged(trx, d.id, now);
    return { id: row.id, status };
  });
}

/** For forms: a refused statement as an issue at the field, so the page shows it there. */
export function statementIssue(err: unknown): ValidationError | null {
  if (err instanceof ValidationError) return err;
  if (err instanceof DuplicateStatementError || err instanceof RateLimitedError) return new ValidationError([{ field: 'body', message: err.text }]);
  return null;
}
