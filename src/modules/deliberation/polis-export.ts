import type { AppContext } from '../../context.js';
import type { Executor } from '../../db/database.js';
import { NotFoundError } from '../../platform/errors.js';
import {
  type PolisComment, type PolisVotes, type VoteColumns, participantsVotesFromResult, summaryFromResult, writeCommentsCsv,
  writeParticipantsVotesCsv, writeSummaryCsv, writeVotesCsv,
} from './engine/index.js';
import { loadSnapshot } from './load-votes.js';
import { dbTarget } from './recompute.js';
import { emptyResult, latestResult } from './results.js';
import { decodeParticipantGroups, priorityResult } from './stored-result.js';

// A deliberation in the Polis open-data format: comments.csv, votes.csv (every vote, history
// included), participants-votes.csv (the current votes, with the group this platform computed
// as group-id) and summary.csv. Imported deliberations keep their Polis ids; our own use ours.

export const POLIS_FILES = ['comments.csv', 'votes.csv', 'participants-votes.csv', 'summary.csv'] as const;
export type PolisFileName = (typeof POLIS_FILES)[number];

const MODERATED = { accepted: 1, pending: 0, rejected: -1 } as const;
const LOG_CHUNK = 50_000;

/** External ids when every row has a distinct integer one (an import), else our ids. */
function exportIds(rows: Array<{ id: number; external_id: string | null }>): Map<number, number> {
  const ext = rows.map((r) => (r.external_id !== null && /^-?\d{1,10}$/.test(r.external_id) ? Number(r.external_id) : null));
  const usable = ext.every((x) => x !== null && x >= -2147483648 && x <= 2147483647) && new Set(ext).size === ext.length;
  return new Map(rows.map((r, i) => [r.id, usable ? ext[i]! : r.id]));
}

/** Every vote of the log, oldest first, read in slices (columnar, ids mapped). */
async function voteLog(db: Executor, deliberationId: number, pid: Map<number, number>, sid: Map<number, number>): Promise<PolisVotes> {
  const t: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  const x: number[] = [];
  // In the order of commits: by the version each vote's transaction committed (migration 0021), then as logged.
  let after: [number, number] = [-1, 0];
  for (;;) {
    const rows = await db.selectFrom('deliberation_vote_log').select(['id', 'participant_id', 'statement_id', 'value', 'voted_at', 'votes_version'])
      .where('deliberation_id', '=', deliberationId).where((eb) => eb(eb.refTuple('votes_version', 'id'), '>', eb.tuple(after[0], after[1])))
      .orderBy('votes_version').orderBy('id').limit(LOG_CHUNK).execute();
    for (const r of rows) {
      t.push(Date.parse(r.voted_at));
      c.push(sid.get(r.statement_id) ?? r.statement_id);
      v.push(pid.get(r.participant_id) ?? r.participant_id);
      x.push(r.value);
    }
    if (rows.length < LOG_CHUNK) break;
    const last = rows[rows.length - 1]!;
    after = [last.votes_version, last.id];
  }
  return { timestamps: Float64Array.from(t), datetimes: new Array<string>(t.length).fill(''), commentIds: Int32Array.from(c), voterIds: Int32Array.from(v), values: Int8Array.from(x) };
}

/** The files (all four, or those asked for: the others come back empty). */
export async function exportPolis(ctx: AppContext, deliberationId: number, only: readonly PolisFileName[] = POLIS_FILES): Promise<Record<PolisFileName, string>> {
  const db = ctx.database.db;
  const d = await db.selectFrom('deliberations').selectAll().where('id', '=', deliberationId).executeTakeFirst();
  if (!d) throw new NotFoundError();
  const [statements, participants, snapshot, latest, groupsRow] = await Promise.all([
    db.selectFrom('deliberation_statements').select(['id', 'external_id', 'author_participant_id', 'body', 'status', 'created_at'])
      .where('deliberation_id', '=', d.id).orderBy('id').execute(),
    db.selectFrom('deliberation_participants').select(['id', 'external_id']).where('deliberation_id', '=', d.id).orderBy('id').execute(),
    loadSnapshot(dbTarget(ctx), d.id),
    latestResult(db, d.id),
    db.selectFrom('deliberation_results').select('participant_groups').where('deliberation_id', '=', d.id).orderBy('id', 'desc').limit(1).executeTakeFirst(),
  ]);
  const pid = exportIds(participants);
  const sid = exportIds(statements);
  const cur = snapshot?.votes ?? { participantIds: new Int32Array(0), statementIds: new Int32Array(0), values: new Int8Array(0) };
  const votes: VoteColumns = {
    participantIds: Int32Array.from(cur.participantIds, (p) => pid.get(p) ?? p),
    statementIds: Int32Array.from(cur.statementIds, (s) => sid.get(s) ?? s),
    values: cur.values,
  };
  const agrees = new Map<number, number>();
  const disagrees = new Map<number, number>();
  for (let i = 0; i < votes.values.length; i++) {
    const m = votes.values[i] === 1 ? agrees : votes.values[i] === -1 ? disagrees : null;
    m?.set(votes.statementIds[i]!, (m.get(votes.statementIds[i]!) ?? 0) + 1);
  }
  const comments: PolisComment[] = statements.map((s) => {
    const id = sid.get(s.id)!;
    return {
      timestamp: Date.parse(s.created_at), datetime: '', commentId: id,
      authorId: s.author_participant_id === null ? -1 : (pid.get(s.author_participant_id) ?? s.author_participant_id),
      agrees: agrees.get(id) ?? 0, disagrees: disagrees.get(id) ?? 0, moderated: MODERATED[s.status], body: s.body,
    };
  });
  const result = latest ? priorityResult(latest.data) : emptyResult();
  const byParticipant = new Map<number, number>();
  if (groupsRow?.participant_groups) {
    const g = decodeParticipantGroups(groupsRow.participant_groups);
    g.ids.forEach((p, i) => byParticipant.set(pid.get(p) ?? p, g.groups[i]!));
  }
  const withGroups = { ...result, groupByParticipant: byParticipant };
  const want = (f: PolisFileName) => only.includes(f);
  return {
    'comments.csv': want('comments.csv') ? writeCommentsCsv(comments) : '',
    'votes.csv': want('votes.csv') ? writeVotesCsv(await voteLog(db, d.id, pid, sid)) : '',
    'participants-votes.csv': want('participants-votes.csv') ? writeParticipantsVotesCsv(participantsVotesFromResult(withGroups, votes, comments)) : '',
    'summary.csv': want('summary.csv')
      ? writeSummaryCsv(summaryFromResult(withGroups, { topic: d.title, url: d.external_id ?? `/deliberations/${d.id}`, views: null, description: d.description }, comments))
      : '',
  };
}
