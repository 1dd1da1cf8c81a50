import type { AppContext } from '../../context.js';
import { type Executor, nowIso } from '../../db/database.js';
import {
  PolisFormatError, adjustedRandIndex, latestVotes, parseCommentsCsv, parseParticipantsVotesCsv, parseSummaryCsv, parseVotesCsv,
  type PolisComment, type PolisParticipantsVotes, type PolisVotes,
} from './engine/index.js';
import type { Owner } from './manage-service.js';
import { statementHash } from './model.js';
import { type Prepared, recomputeNow } from './recompute.js';
import { decodeParticipantGroups } from './stored-result.js';

// A deliberation from a Polis open-data export (compdemocracy/openData): comments.csv and
// votes.csv, with participants-votes.csv (Polis's own groups, to compare with ours) and
// summary.csv (the topic becomes the title) when given. Polis ids are kept as external ids,
// and rows are made in id order, so our ids sort as Polis's do and an export gives them back.

export interface PolisFiles { comments: string; votes: string; participantsVotes?: string | null; summary?: string | null }

export interface ImportResult {
  id: number;
  statements: number;
  participants: number;
  /** Votes that count (the latest per voter and comment), and every vote kept in the log. */
  votes: number;
  voteRows: number;
  /** Votes on comments that are not in comments.csv (left out). */
  skippedVotes: number;
  groups: number;
  /** Agreement of our groups with Polis's (participants both placed), when participants-votes.csv had them. */
  ari: number | null;
  compared: number;
  computed: Prepared['kind'];
}

const CHUNK = 500;
const MODERATION = { 1: 'accepted', 0: 'pending', '-1': 'rejected' } as const;

function iso(ms: number, what: 'comments.csv' | 'votes.csv'): string {
  const d = new Date(ms);
  if (!Number.isFinite(ms) || Number.isNaN(d.getTime())) throw new PolisFormatError({ code: 'badTime', file: what, value: String(ms) });
  return d.toISOString();
}

async function inChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/** Our row id for each external (Polis) id, after the rows are made. */
async function idMap(db: Executor, table: 'deliberation_participants' | 'deliberation_statements', deliberationId: number): Promise<Map<number, number>> {
  const rows = await db.selectFrom(table).select(['id', 'external_id']).where('deliberation_id', '=', deliberationId).execute();
  return new Map(rows.filter((r) => r.external_id !== null).map((r) => [Number(r.external_id), r.id]));
}

export interface ParsedPolis { comments: PolisComment[]; votes: PolisVotes; pv: PolisParticipantsVotes | null; topic: string; description: string; url: string | null }

/** Parses the files; PolisFormatError on anything malformed. */
export function parsePolis(files: PolisFiles): ParsedPolis {
  const comments = parseCommentsCsv(files.comments);
  const seen = new Set<number>();
  for (const c of comments) {
    if (seen.has(c.commentId)) throw new PolisFormatError({ code: 'duplicateComment', file: 'comments.csv', commentId: c.commentId });
    seen.add(c.commentId);
  }
  const votes = parseVotesCsv(files.votes);
  const pv = files.participantsVotes ? parseParticipantsVotesCsv(files.participantsVotes) : null;
  const summary = files.summary ? parseSummaryCsv(files.summary) : [];
  const get = (k: string) => summary.find(([key]) => key === k)?.[1]?.trim() ?? '';
  return { comments, votes, pv, topic: get('topic'), description: get('conversation-description'), url: get('url') || null };
}

export async function importPolis(ctx: AppContext, files: PolisFiles, opts: { owner: Owner | null; createdBy: number | null; fallbackTitle: string; thread?: boolean }): Promise<ImportResult> {
  const p = parsePolis(files);
  const commentIds = new Set(p.comments.map((c) => c.commentId));
  const keepVote: number[] = [];
  for (let i = 0; i < p.votes.values.length; i++) if (commentIds.has(p.votes.commentIds[i]!)) keepVote.push(i);
  const voteTimes = keepVote.map((i) => iso(p.votes.timestamps[i]!, 'votes.csv'));
  const current = latestVotes({
    timestamps: Float64Array.from(keepVote, (i) => p.votes.timestamps[i]!), datetimes: [], values: Int8Array.from(keepVote, (i) => p.votes.values[i]!),
    commentIds: Int32Array.from(keepVote, (i) => p.votes.commentIds[i]!), voterIds: Int32Array.from(keepVote, (i) => p.votes.voterIds[i]!),
  });
  const people = new Set<number>(keepVote.map((i) => p.votes.voterIds[i]!));
  for (const c of p.comments) if (c.authorId >= 0) people.add(c.authorId);
  for (const r of p.pv?.rows ?? []) people.add(r.participant);
  const pids = [...people].sort((a, b) => a - b);
  const comments = [...p.comments].sort((a, b) => a.commentId - b.commentId);
  const now = nowIso();
  const db = ctx.database.db;

  const id = await db.transaction().execute(async (trx) => {
    const d = await trx.insertInto('deliberations').values({
      consultation_id: opts.owner?.kind === 'consultation' ? opts.owner.id : null, body_id: opts.owner?.kind === 'body' ? opts.owner.id : null,
      title: (p.topic || opts.fallbackTitle).slice(0, 200), description: p.description, moderation: 'strict', status: 'closed', max_groups: 5,
      source: 'polis', external_id: p.url, votes_version: keepVote.length, created_by: opts.createdBy, created_at: now, updated_at: now, closed_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await inChunks(pids, (chunk) => trx.insertInto('deliberation_participants')
      .values(chunk.map((pid) => ({ deliberation_id: d.id, user_id: null, external_id: String(pid), created_at: now }))).execute());
    const participant = await idMap(trx, 'deliberation_participants', d.id);
    // The same text twice in a Polis conversation is kept: the copy's hash names its comment.
    const hashes = new Set<string>();
    await inChunks(comments, (chunk) => trx.insertInto('deliberation_statements').values(chunk.map((c) => {
      let hash = statementHash(c.body);
      if (hashes.has(hash)) hash = `${hash}:${c.commentId}`;
      hashes.add(hash);
      return {
        deliberation_id: d.id, author_participant_id: participant.get(c.authorId) ?? null, body: c.body, body_hash: hash,
        status: MODERATION[c.moderated], is_meta: 0, is_seed: 0, external_id: String(c.commentId), moderated_by: null, moderated_at: null,
        created_at: iso(c.timestamp, 'comments.csv'),
      };
    })).execute());
    const statement = await idMap(trx, 'deliberation_statements', d.id);
    await inChunks(keepVote.map((i, k) => k), (chunk) => trx.insertInto('deliberation_vote_log').values(chunk.map((k) => {
      const i = keepVote[k]!;
      return {
        deliberation_id: d.id, participant_id: participant.get(p.votes.voterIds[i]!)!, statement_id: statement.get(p.votes.commentIds[i]!)!,
        value: p.votes.values[i] as -1 | 0 | 1, voted_at: voteTimes[k]!, votes_version: keepVote.length,
      };
    })).execute());
    const rows = Array.from(current.values, (_, k) => k);
    await inChunks(rows, (chunk) => trx.insertInto('deliberation_votes').values(chunk.map((k) => ({
      deliberation_id: d.id, participant_id: participant.get(current.participantIds[k]!)!, statement_id: statement.get(current.statementIds[k]!)!,
      value: current.values[k] as -1 | 0 | 1, voted_at: iso(current.timestamps![k]!, 'votes.csv'),
    }))).execute());
    return d.id;
  });

  const computed = await recomputeNow(ctx, id, { thread: opts.thread });
  const groups = await participantGroupsByExternal(db, id);
  let ari: number | null = null;
  let compared = 0;
  if (p.pv && p.pv.rows.some((r) => r.groupId !== null)) {
    const theirs: number[] = [];
    const ours: number[] = [];
    for (const r of p.pv.rows) {
      const g = groups.get(r.participant);
      if (r.groupId === null || g === undefined) continue;
      theirs.push(r.groupId);
      ours.push(g);
    }
    compared = theirs.length;
    ari = compared >= 2 ? adjustedRandIndex(theirs, ours) : null;
  }
  return {
    id, statements: comments.length, participants: pids.length, votes: current.values.length, voteRows: keepVote.length,
    skippedVotes: p.votes.values.length - keepVote.length, groups: new Set(groups.values()).size, ari, compared, computed: computed.kind,
  };
}

/** The latest result's group per participant, by the participant's external (Polis) id, or our id when it has none. */
export async function participantGroupsByExternal(db: Executor, deliberationId: number): Promise<Map<number, number>> {
  const row = await db.selectFrom('deliberation_results').select('participant_groups').where('deliberation_id', '=', deliberationId)
    .orderBy('id', 'desc').limit(1).executeTakeFirst();
  const out = new Map<number, number>();
  if (!row?.participant_groups) return out;
  const g = decodeParticipantGroups(row.participant_groups);
  const ext = await db.selectFrom('deliberation_participants').select(['id', 'external_id']).where('deliberation_id', '=', deliberationId).execute();
  const byId = new Map(ext.map((r) => [r.id, r.external_id !== null && /^-?\d+$/.test(r.external_id) ? Number(r.external_id) : r.id]));
  g.ids.forEach((pid, i) => out.set(byId.get(pid) ?? pid, g.groups[i]!));
  return out;
}
