import { sql } from 'kysely';
import { type BulkWriter, bulkWriter } from '../../db/bulk-writer.js';
import type { Database, Executor } from '../../db/database.js';
import { preparedQuery } from '../../db/prepared.js';
import { jobRow } from '../../platform/jobs/enqueue.js';
import { DeliberationClosedError } from './model.js';
import { recomputeJob, votesCounted } from './version.js';

// Writing votes, the hot path of a deliberation: votes arriving together are written together
// (db/bulk-writer.ts). On SQLite, in one transaction: first, once per deliberation, the input
// version goes up by the number of votes and a recomputation is asked for, if the deliberation
// is still open (version.ts `votesCounted`). Then for each vote the current vote per participant and
// statement is replaced (the last one counts) and the vote goes into the log of every vote ever
// cast, with the new version (a recomputation holding the votes of an older version reads only
// the log after it, vote-cache.ts).
// SQLite runs a prepared single-row statement per vote (on the transaction's connection at once,
// db/prepared.ts: cheaper there than building a multi-row statement). PostgreSQL does the same
// in one statement per batch (below): every statement there is a round trip, and the six of a
// transaction (BEGIN, job, bump, votes, log, COMMIT) were most of a vote's time.

export interface VoteToWrite {
  deliberationId: number;
  participantId: number;
  statementId: number;
  value: -1 | 0 | 1;
  at: string;
}

const putVote = preparedQuery(5, (db, deliberationId: number, participantId: number, statementId: number, value: -1 | 0 | 1, at: string) => db.insertInto('deliberation_votes')
  .values({ deliberation_id: deliberationId, participant_id: participantId, statement_id: statementId, value, voted_at: at })
  .onConflict((oc) => oc.columns(['participant_id', 'statement_id']).doUpdateSet({ value, voted_at: at })));
const logVote = preparedQuery(6, (db, deliberationId: number, participantId: number, statementId: number, value: -1 | 0 | 1, at: string, version: number) => db.insertInto('deliberation_vote_log')
  .values({ deliberation_id: deliberationId, participant_id: participantId, statement_id: statementId, value, voted_at: at, votes_version: version }));

// PostgreSQL: the whole batch as one statement over arrays (unnest), atomic by itself, so one
// round trip with no BEGIN or COMMIT. Its parts, each ordered after the one before through the
// data it reads:
// - job: the recomputation asked for, per deliberation (version.ts `recomputeJob`), first, as in
//   `inputChanged`, so moderation and votes take the job's key and the deliberation row in the
//   same order and never deadlock;
// - lk, ok: the batch's deliberation rows locked (in id order) and read as they are once locked,
//   a closing committed meanwhile included: the batch goes on only if every one is open;
// - bump: the versions go up by the batch's votes; the row locks are held until the statement
//   commits, so versions follow the order of commits (version.ts `votesCounted`);
// - put: the current vote per participant and statement, only the batch's last per pair
//   (ON CONFLICT DO UPDATE may not touch a row twice in one statement);
// - log: every vote, in order, with its deliberation's new version.
// It answers how many deliberations it bumped: fewer than the batch's means one is closed (or
// gone) and nothing but the job request was written (a second request is the same job).
type Columns = [number[], number[], number[], number[], string[]];
// The job rows' columns (platform/jobs/enqueue.ts `jobRow`), one array each.
type JobColumns = [kinds: string[], payloads: string[], runAts: string[], attempts: number[], keys: (string | null)[], createdAts: string[]];
type Batch = [...Columns, last: boolean[], ...JobColumns, now: string];
const writeBatchPg = preparedQuery(13, (db, ...b: Batch) => ({
  compile: () => sql<{ bumped: number }>`WITH job AS (
      INSERT INTO jobs (kind, payload, status, run_at, max_attempts, dedupe_key, created_at)
      SELECT kind, payload, 'pending', run_at, max_attempts, dedupe_key, created_at
      FROM unnest(${b[6]}::text[], ${b[7]}::text[], ${b[8]}::text[], ${b[9]}::int[], ${b[10]}::text[], ${b[11]}::text[])
        AS j(kind, payload, run_at, max_attempts, dedupe_key, created_at)
      ON CONFLICT (dedupe_key) DO NOTHING RETURNING 1),
    u AS (SELECT * FROM unnest(${b[0]}::int[], ${b[1]}::int[], ${b[2]}::int[], ${b[3]}::int[], ${b[4]}::text[], ${b[5]}::bool[])
      WITH ORDINALITY AS u(d, p, s, v, at, last, n)),
    c AS (SELECT d, count(*)::int AS k FROM u GROUP BY d),
    lk AS (SELECT x.id, x.status FROM deliberations x
      WHERE x.id IN (SELECT d FROM c) AND (SELECT count(*) FROM job) >= 0 ORDER BY x.id FOR UPDATE),
    ok AS (SELECT count(*) = (SELECT count(*) FROM c) AND bool_and(status = 'open') AS ok FROM lk),
    bump AS (UPDATE deliberations x SET votes_version = x.votes_version + c.k, updated_at = ${b[12]}::text
      FROM c WHERE x.id = c.d AND (SELECT ok FROM ok) RETURNING x.id, x.votes_version),
    put AS (INSERT INTO deliberation_votes (deliberation_id, participant_id, statement_id, value, voted_at)
      SELECT u.d, u.p, u.s, u.v, u.at FROM u JOIN bump ON bump.id = u.d WHERE u.last
      ON CONFLICT (participant_id, statement_id) DO UPDATE SET value = excluded.value, voted_at = excluded.voted_at),
    log AS (INSERT INTO deliberation_vote_log (deliberation_id, participant_id, statement_id, value, voted_at, votes_version)
      SELECT u.d, u.p, u.s, u.v, u.at, bump.votes_version FROM u JOIN bump ON bump.id = u.d ORDER BY u.n)
    SELECT count(*)::int AS bumped FROM bump`.compile(db),
}));

function columns(votes: VoteToWrite[]): Columns {
  const c: Columns = [[], [], [], [], []];
  for (const v of votes) {
    c[0].push(v.deliberationId);
    c[1].push(v.participantId);
    c[2].push(v.statementId);
    c[3].push(v.value);
    c[4].push(v.at);
  }
  return c;
}

/** For each vote, whether it is the batch's last of its participant and statement. */
function lastOfPair(votes: VoteToWrite[]): boolean[] {
  const last = new Map<string, number>();
  votes.forEach((v, i) => last.set(`${v.participantId}:${v.statementId}`, i));
  return votes.map((v, i) => last.get(`${v.participantId}:${v.statementId}`) === i);
}

async function writeVotesPg(db: Executor, votes: VoteToWrite[]): Promise<void> {
  const ids = [...new Set(votes.map((v) => v.deliberationId))];
  const now = new Date();
  const jobs = ids.map((id) => jobRow(recomputeJob(id), now));
  const jobColumns = jobs[0]!.map((_, k) => jobs.map((r) => r[k])) as JobColumns;
  const row = await writeBatchPg.first(db, ...columns(votes), lastOfPair(votes), ...jobColumns, votes[votes.length - 1]!.at);
  if (row?.bumped !== ids.length) throw new DeliberationClosedError();
}

async function writeVotesSqlite(trx: Executor, votes: VoteToWrite[]): Promise<void> {
  const changes = new Map<number, { n: number; at: string }>();
  for (const v of votes) changes.set(v.deliberationId, { n: (changes.get(v.deliberationId)?.n ?? 0) + 1, at: v.at });
  const version = new Map<number, number>();
  for (const [deliberationId, { n, at }] of changes) version.set(deliberationId, await votesCounted(trx, deliberationId, at, n));
  for (const v of votes) {
    await putVote.execute(trx, v.deliberationId, v.participantId, v.statementId, v.value, v.at);
    await logVote.execute(trx, v.deliberationId, v.participantId, v.statementId, v.value, v.at, version.get(v.deliberationId)!);
  }
}

const writers = new WeakMap<Database, BulkWriter<VoteToWrite>>();

/** The vote writer of a database; `write` resolves once the vote is committed. */
export function voteWriter(database: Database): BulkWriter<VoteToWrite> {
  let w = writers.get(database);
  if (!w) {
    w = database.dialect === 'postgres'
      ? bulkWriter(database, writeVotesPg, { transaction: false })
      : bulkWriter(database, writeVotesSqlite);
    writers.set(database, w);
  }
  return w;
}
