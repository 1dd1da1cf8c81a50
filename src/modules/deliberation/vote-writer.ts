import { sql } from 'kysely';
import { type BulkWriter, bulkWriter } from '../../db/bulk-writer.js';
import type { Database, Trx } from '../../db/database.js';
import { preparedQuery } from '../../db/prepared.js';
import { votesCounted } from './version.js';

// Writing votes, the hot path of a deliberation: votes arriving together are written in one
// transaction (db/bulk-writer.ts). First, once per deliberation, the input version goes up by
// the number of votes and a recomputation is asked for, if the deliberation is still open
// (version.ts `votesCounted`). Then for each vote the current vote per participant and
// statement is replaced (the last one counts) and the vote goes into the log of every vote ever
// cast, with the new version (a recomputation holding the votes of an older version reads only
// the log after it, vote-cache.ts).
// SQLite runs a prepared single-row statement per vote (on the transaction's connection at once,
// db/prepared.ts: cheaper there than building a multi-row statement). PostgreSQL writes the
// whole batch with two statements over arrays (unnest): one round trip each instead of two per
// vote, all on the batch's one connection.

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

type Columns = [number[], number[], number[], number[], string[]];
const ARRAYS = (c: readonly unknown[]) => sql`${c[0]}::int[], ${c[1]}::int[], ${c[2]}::int[], ${c[3]}::int[], ${c[4]}::text[]`;
// ON CONFLICT DO UPDATE may not touch a row twice in one statement: it gets only the last vote
// per participant and statement of the batch (the log gets them all, in order).
const putVotesPg = preparedQuery(5, (db, ...c: Columns) => ({
  compile: () => sql`INSERT INTO deliberation_votes (deliberation_id, participant_id, statement_id, value, voted_at)
    SELECT d, p, s, v, at FROM unnest(${ARRAYS(c)}) AS u(d, p, s, v, at)
    ON CONFLICT (participant_id, statement_id) DO UPDATE SET value = excluded.value, voted_at = excluded.voted_at`.compile(db),
}));
// The sixth array holds each vote's version.
const logVotesPg = preparedQuery(6, (db, ...c: [...Columns, number[]]) => ({
  compile: () => sql`INSERT INTO deliberation_vote_log (deliberation_id, participant_id, statement_id, value, voted_at, votes_version)
    SELECT d, p, s, v, at, w FROM unnest(${ARRAYS(c)}, ${c[5]}::int[]) WITH ORDINALITY AS u(d, p, s, v, at, w, n) ORDER BY n`.compile(db),
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

/** The last vote per participant and statement, in the order of their last casting. */
function lastPerPair(votes: VoteToWrite[]): VoteToWrite[] {
  const last = new Map<string, VoteToWrite>();
  for (const v of votes) {
    const key = `${v.participantId}:${v.statementId}`;
    last.delete(key);
    last.set(key, v);
  }
  return last.size === votes.length ? votes : [...last.values()];
}

async function writeVotes(trx: Trx, votes: VoteToWrite[], postgres: boolean): Promise<void> {
  const changes = new Map<number, { n: number; at: string }>();
  for (const v of votes) changes.set(v.deliberationId, { n: (changes.get(v.deliberationId)?.n ?? 0) + 1, at: v.at });
  const version = new Map<number, number>();
  for (const [deliberationId, { n, at }] of changes) version.set(deliberationId, await votesCounted(trx, deliberationId, at, n));
  if (postgres) {
    await putVotesPg.execute(trx, ...columns(lastPerPair(votes)));
    await logVotesPg.execute(trx, ...columns(votes), votes.map((v) => version.get(v.deliberationId)!));
  } else {
    for (const v of votes) {
      await putVote.execute(trx, v.deliberationId, v.participantId, v.statementId, v.value, v.at);
      await logVote.execute(trx, v.deliberationId, v.participantId, v.statementId, v.value, v.at, version.get(v.deliberationId)!);
    }
  }
}

const writers = new WeakMap<Database, BulkWriter<VoteToWrite>>();

/** The vote writer of a database; `write` resolves once the vote is committed. */
export function voteWriter(database: Database): BulkWriter<VoteToWrite> {
  let w = writers.get(database);
  if (!w) {
    const postgres = database.dialect === 'postgres';
    w = bulkWriter(database, (trx, votes) => writeVotes(trx, votes, postgres));
    writers.set(database, w);
  }
  return w;
}
