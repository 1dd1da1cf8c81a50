/**
 * Polis open-data export format (compdemocracy/openData): comments.csv, votes.csv,
 * participants-votes.csv and summary.csv — parsing, writing, and turning an export into engine input.
 * Statement texts carry quotes, commas and newlines, so everything goes through csv-parse/csv-stringify.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { DeliberationInput, DeliberationResult, VoteColumns, VoteValue } from './types.js';

export type PolisFile = 'comments.csv' | 'votes.csv' | 'participants-votes.csv' | 'summary.csv';

/**
 * What is wrong with a file, as a code and its parameters: pages word it in the reader's language
 * (deliberation messages, `polisProblem`), the CLI prints the English `message`. Lines count from
 * 1 with the header as line 1.
 */
export type PolisProblem =
  | { code: 'unreadable'; file: PolisFile; line: number | null }
  | { code: 'missingColumn'; file: PolisFile; column: string }
  | { code: 'notInteger'; file: PolisFile; line: number; value: string }
  | { code: 'outOfRange'; file: PolisFile; line: number; value: string }
  | { code: 'idTooLarge'; file: PolisFile; line: number; value: string }
  | { code: 'badVote'; file: PolisFile; line: number }
  | { code: 'badModerated'; file: PolisFile; line: number }
  | { code: 'badTime'; file: PolisFile; value: string }
  | { code: 'duplicateComment'; file: PolisFile; commentId: number };

function english(p: PolisProblem): string {
  switch (p.code) {
    case 'unreadable': return `${p.file}${p.line === null ? '' : ` line ${p.line}`}: not readable as CSV`;
    case 'missingColumn': return `${p.file}: missing column "${p.column}"`;
    case 'notInteger': return `${p.file} line ${p.line}: "${p.value}" is not an integer`;
    case 'outOfRange': return `${p.file} line ${p.line}: "${p.value}" is out of range`;
    case 'idTooLarge': return `${p.file} line ${p.line}: id ${p.value} does not fit 32 bits`;
    case 'badVote': return `${p.file} line ${p.line}: vote must be -1, 0 or 1`;
    case 'badModerated': return `${p.file} line ${p.line}: moderated must be -1, 0 or 1`;
    case 'badTime': return `${p.file}: timestamp ${p.value} is not a time`;
    case 'duplicateComment': return `${p.file}: comment-id ${p.commentId} appears twice`;
  }
}

export class PolisFormatError extends Error {
  readonly problem: PolisProblem;
  constructor(problem: PolisProblem) {
    super(english(problem));
    this.name = 'PolisFormatError';
    this.problem = problem;
  }
}

export interface PolisComment {
  timestamp: number;
  datetime: string;
  commentId: number;
  authorId: number;
  agrees: number;
  disagrees: number;
  /** -1 moderated out, 0 not moderated, 1 accepted. */
  moderated: -1 | 0 | 1;
  body: string;
}

/** votes.csv, columnar, in file order (repeated votes kept: see latestVotes). */
export interface PolisVotes {
  timestamps: Float64Array;
  datetimes: string[];
  commentIds: Int32Array;
  voterIds: Int32Array;
  values: Int8Array;
}

export interface PolisParticipantRow {
  participant: number;
  /** Polis's opinion group, null when Polis did not place the participant. */
  groupId: number | null;
  nComments: number;
  nVotes: number;
  nAgree: number;
  nDisagree: number;
  /** Aligned to `commentIds`; null = not voted. */
  votes: Array<VoteValue | null>;
}

export interface PolisParticipantsVotes {
  commentIds: number[];
  rows: PolisParticipantRow[];
}

/** summary.csv is key,value lines (no header); order is kept. */
export type PolisSummary = Array<[key: string, value: string]>;

function rows(text: string, what: PolisFile): string[][] {
  try {
    return parse(text, { relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
  } catch (e) {
    const line = (e as { lines?: unknown }).lines;
    throw new PolisFormatError({ code: 'unreadable', file: what, line: typeof line === 'number' ? line : null });
  }
}

function header(table: string[][], what: PolisFile, required: string[]): Map<string, number> {
  const h = new Map((table[0] ?? []).map((name, i) => [name.trim(), i]));
  for (const r of required) if (!h.has(r)) throw new PolisFormatError({ code: 'missingColumn', file: what, column: r });
  return h;
}

/** `line` is the row's index in the table (0 = the header), so the file's line is line + 1. */
function int(s: string | undefined, what: PolisFile, line: number): number {
  const t = (s ?? '').trim();
  if (!/^-?\d+$/.test(t)) throw new PolisFormatError({ code: 'notInteger', file: what, line: line + 1, value: t });
  const n = Number(t);
  if (!Number.isSafeInteger(n)) throw new PolisFormatError({ code: 'outOfRange', file: what, line: line + 1, value: t });
  return n;
}

function id32(s: string | undefined, what: PolisFile, line: number): number {
  const n = int(s, what, line);
  if (n < -2147483648 || n > 2147483647) throw new PolisFormatError({ code: 'idTooLarge', file: what, line: line + 1, value: String(n) });
  return n;
}

function vote(s: string | undefined, what: PolisFile, line: number): VoteValue {
  const n = int(s, what, line);
  if (n !== 1 && n !== -1 && n !== 0) throw new PolisFormatError({ code: 'badVote', file: what, line: line + 1 });
  return n;
}

export function parseCommentsCsv(text: string): PolisComment[] {
  const t = rows(text, 'comments.csv');
  const h = header(t, 'comments.csv', ['timestamp', 'comment-id', 'moderated', 'comment-body']);
  const at = (r: string[], k: string) => r[h.get(k) ?? -1];
  return t.slice(1).map((r, i) => {
    const moderated = int(at(r, 'moderated'), 'comments.csv', i + 1);
    if (moderated !== -1 && moderated !== 0 && moderated !== 1) throw new PolisFormatError({ code: 'badModerated', file: 'comments.csv', line: i + 2 });
    return {
      timestamp: int(at(r, 'timestamp'), 'comments.csv', i + 1),
      datetime: at(r, 'datetime') ?? '',
      commentId: id32(at(r, 'comment-id'), 'comments.csv', i + 1),
      authorId: h.has('author-id') ? id32(at(r, 'author-id'), 'comments.csv', i + 1) : -1,
      agrees: h.has('agrees') ? int(at(r, 'agrees'), 'comments.csv', i + 1) : 0,
      disagrees: h.has('disagrees') ? int(at(r, 'disagrees'), 'comments.csv', i + 1) : 0,
      moderated,
      body: at(r, 'comment-body') ?? '',
    };
  });
}

export function parseVotesCsv(text: string): PolisVotes {
  const t = rows(text, 'votes.csv');
  const h = header(t, 'votes.csv', ['timestamp', 'comment-id', 'voter-id', 'vote']);
  const n = t.length - 1;
  const out: PolisVotes = { timestamps: new Float64Array(n), datetimes: new Array<string>(n), commentIds: new Int32Array(n), voterIds: new Int32Array(n), values: new Int8Array(n) };
  const [ti, di, ci, vi, xi] = ['timestamp', 'datetime', 'comment-id', 'voter-id', 'vote'].map((k) => h.get(k) ?? -1);
  for (let i = 0; i < n; i++) {
    const r = t[i + 1]!;
    out.timestamps[i] = int(r[ti!], 'votes.csv', i + 1);
    out.datetimes[i] = r[di!] ?? '';
    out.commentIds[i] = id32(r[ci!], 'votes.csv', i + 1);
    out.voterIds[i] = id32(r[vi!], 'votes.csv', i + 1);
    out.values[i] = vote(r[xi!], 'votes.csv', i + 1);
  }
  return out;
}

/** The vote that counts per (voter, comment): the latest by timestamp; equal timestamps, the later line. */
export function latestVotes(v: PolisVotes): VoteColumns {
  const n = v.values.length;
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => v.voterIds[a]! - v.voterIds[b]! || v.commentIds[a]! - v.commentIds[b]! || v.timestamps[a]! - v.timestamps[b]! || a - b);
  const keep: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = idx[k]!;
    const j = idx[k + 1];
    if (j !== undefined && v.voterIds[j] === v.voterIds[i] && v.commentIds[j] === v.commentIds[i]) continue;
    keep.push(i);
  }
  return {
    participantIds: Int32Array.from(keep, (i) => v.voterIds[i]!),
    statementIds: Int32Array.from(keep, (i) => v.commentIds[i]!),
    values: Int8Array.from(keep, (i) => v.values[i]!),
    timestamps: Float64Array.from(keep, (i) => v.timestamps[i]!),
  };
}

/** Engine input from an export: latest votes, every comment as a statement, moderated -1 excluded. */
export function deliberationInputFromPolis(comments: PolisComment[], votes: PolisVotes): DeliberationInput {
  return {
    votes: latestVotes(votes),
    statementIds: comments.map((c) => c.commentId),
    excludedStatementIds: comments.filter((c) => c.moderated === -1).map((c) => c.commentId),
  };
}

export function parseParticipantsVotesCsv(text: string): PolisParticipantsVotes {
  const t = rows(text, 'participants-votes.csv');
  const fixed = ['participant', 'group-id', 'n-comments', 'n-votes', 'n-agree', 'n-disagree'];
  const h = header(t, 'participants-votes.csv', fixed);
  const voteCols = (t[0] ?? []).map((name, i) => ({ name: name.trim(), i })).filter((c) => !fixed.includes(c.name));
  const commentIds = voteCols.map((c) => id32(c.name, 'participants-votes.csv', 0));
  const what = 'participants-votes.csv';
  return {
    commentIds,
    rows: t.slice(1).map((r, i) => {
      const g = (r[h.get('group-id')!] ?? '').trim();
      return {
        participant: id32(r[h.get('participant')!], what, i + 1),
        groupId: g === '' ? null : int(g, what, i + 1),
        nComments: int(r[h.get('n-comments')!], what, i + 1),
        nVotes: int(r[h.get('n-votes')!], what, i + 1),
        nAgree: int(r[h.get('n-agree')!], what, i + 1),
        nDisagree: int(r[h.get('n-disagree')!], what, i + 1),
        votes: voteCols.map((c) => ((r[c.i] ?? '').trim() === '' ? null : vote(r[c.i], what, i + 1))),
      };
    }),
  };
}

export function parseSummaryCsv(text: string): PolisSummary {
  return rows(text, 'summary.csv').map((r) => [r[0] ?? '', r[1] ?? ''] as [string, string]);
}

/** Number stored under `key` in a summary (e.g. "voters", "groups"), or null. */
export function summaryNumber(summary: PolisSummary, key: string): number | null {
  const v = summary.find(([k]) => k === key)?.[1];
  return v !== undefined && /^-?\d+$/.test(v.trim()) ? Number(v) : null;
}

const csv = (records: Array<Array<string | number>>) => stringify(records, { record_delimiter: '\n' });

/** Java-style date text as Polis writes it, in UTC (e.g. "Sat Nov 17 05:09:36 UTC 2018"). */
export function polisDatetime(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '';
  const [wd, day, mon, year, time] = d.toUTCString().replace(',', '').split(' ') as [string, string, string, string, string];
  return `${wd} ${mon} ${day} ${time} UTC ${year}`;
}

export function writeCommentsCsv(comments: PolisComment[]): string {
  return csv([
    ['timestamp', 'datetime', 'comment-id', 'author-id', 'agrees', 'disagrees', 'moderated', 'comment-body'],
    ...comments.map((c) => [c.timestamp, c.datetime || polisDatetime(c.timestamp), c.commentId, c.authorId, c.agrees, c.disagrees, c.moderated, c.body]),
  ]);
}

export function writeVotesCsv(v: PolisVotes): string {
  const out: Array<Array<string | number>> = [['timestamp', 'datetime', 'comment-id', 'voter-id', 'vote']];
  for (let i = 0; i < v.values.length; i++) {
    out.push([v.timestamps[i]!, v.datetimes[i] || polisDatetime(v.timestamps[i]!), v.commentIds[i]!, v.voterIds[i]!, v.values[i]!]);
  }
  return csv(out);
}

export function writeParticipantsVotesCsv(data: PolisParticipantsVotes): string {
  return csv([
    ['participant', 'group-id', 'n-comments', 'n-votes', 'n-agree', 'n-disagree', ...data.commentIds.map(String)],
    ...data.rows.map((r) => [r.participant, r.groupId ?? '', r.nComments, r.nVotes, r.nAgree, r.nDisagree, ...r.votes.map((x) => (x === null ? '' : x))]),
  ]);
}

export function writeSummaryCsv(summary: PolisSummary): string {
  return csv(summary.map(([k, v]) => [k, v]));
}

/**
 * participants-votes.csv for our own groups: one row per voter (sorted), every comment as a column
 * (moderated ones too, as Polis exports them), votes = the latest per pair, group-id from `result`.
 */
export function participantsVotesFromResult(result: DeliberationResult, votes: VoteColumns, comments: PolisComment[]): PolisParticipantsVotes {
  const commentIds = [...new Set(comments.map((c) => c.commentId))].sort((a, b) => a - b);
  const col = new Map(commentIds.map((id, i) => [id, i]));
  const authored = new Map<number, number>();
  for (const c of comments) authored.set(c.authorId, (authored.get(c.authorId) ?? 0) + 1);
  const byVoter = new Map<number, Array<VoteValue | null>>();
  for (let i = 0; i < votes.values.length; i++) {
    const j = col.get(votes.statementIds[i]!);
    if (j === undefined) continue;
    let row = byVoter.get(votes.participantIds[i]!);
    if (!row) byVoter.set(votes.participantIds[i]!, (row = new Array<VoteValue | null>(commentIds.length).fill(null)));
    row[j] = votes.values[i]! as VoteValue;
  }
  const ids = [...byVoter.keys()].sort((a, b) => a - b);
  return {
    commentIds,
    rows: ids.map((p) => {
      const v = byVoter.get(p)!;
      return {
        participant: p,
        groupId: result.groupByParticipant.get(p) ?? null,
        nComments: authored.get(p) ?? 0,
        nVotes: v.filter((x) => x !== null).length,
        nAgree: v.filter((x) => x === 1).length,
        nDisagree: v.filter((x) => x === -1).length,
        votes: v,
      };
    }),
  };
}

/**
 * summary.csv for a computed conversation. `views` (page views) is written only when known: the
 * platform does not count them, and writing 0 would claim nobody looked. Polis's own server leaves
 * the row out too (its TypeScript export writes topic, url, voters, voters-in-conv, commenters,
 * comments, groups, conversation-description; only the old Clojure export had views), and readers
 * of the format treat it as optional.
 */
export function summaryFromResult(
  result: DeliberationResult,
  meta: { topic: string; url: string; views: number | null; description: string },
  comments: PolisComment[],
): PolisSummary {
  return [
    ['topic', meta.topic],
    ['url', meta.url],
    ...(meta.views === null ? [] : [['views', String(meta.views)] as [string, string]]),
    ['voters', String(result.counts.participants)],
    ['voters-in-conv', String(result.counts.placed)],
    ['commenters', String(new Set(comments.map((c) => c.authorId)).size)],
    ['comments', String(comments.length)],
    ['groups', String(result.groups.length)],
    ['conversation-description', meta.description],
  ];
}
