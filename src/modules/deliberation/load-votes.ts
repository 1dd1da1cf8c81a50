import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { VoteColumns } from './engine/index.js';

// Reads what one recomputation needs — the input version, the statements and every current
// vote — in one consistent snapshot, on a connection of its own (so it can run in a worker
// thread, and on SQLite it reads beside the app's writer thanks to WAL). Votes go straight
// into typed arrays: no object per vote, whatever the size of the conversation.

/** Where the database is, as plain data a worker thread can receive. */
export type DbTarget = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema: string | null };

export interface SnapshotStatement { id: number; body: string; status: 'pending' | 'accepted' | 'rejected'; meta: boolean; externalId: string | null }

export interface VoteSnapshot {
  deliberationId: number;
  votesVersion: number;
  maxGroups: number;
  statements: SnapshotStatement[];
  /** Every current vote, or (when `since` was given and still holds) only the log after it, oldest first. */
  votes: VoteColumns;
  delta: boolean;
  /** With `delta`: the mark the log was read from. */
  from: InputMark | null;
  /** Identifies the snapshot's input for a later `since` (vote-cache.ts). */
  mark: InputMark;
  loadMs: number;
}

/**
 * Where a holder of the votes stands: the version they are of, the deliberation's creation time and
 * the last logged vote at that version (the "anchor"), which must still be where they were — so a
 * database recreated with the same ids, or a log rewritten behind the writer's back, gets a full read.
 */
export interface InputMark { version: number; createdAt: string; anchor: number | null }
/** Read the log after `mark` instead of every vote, unless it holds more than `maxDelta` votes. */
export interface Since { mark: InputMark; maxDelta: number }

/** Typed columns that grow by doubling. */
class VoteBuffer {
  n = 0;
  p = new Int32Array(1024);
  s = new Int32Array(1024);
  v = new Int8Array(1024);
  private reserve(extra: number): void {
    if (this.n + extra <= this.p.length) return;
    let size = this.p.length * 2;
    while (size < this.n + extra) size *= 2;
    const p = new Int32Array(size);
    const s = new Int32Array(size);
    const v = new Int8Array(size);
    p.set(this.p.subarray(0, this.n));
    s.set(this.s.subarray(0, this.n));
    v.set(this.v.subarray(0, this.n));
    this.p = p;
    this.s = s;
    this.v = v;
  }
  /** One statement's votes: participant ids and values as comma-separated integers, in the same order. */
  addStatement(statementId: number, participants: string, values: string): void {
    const count = commaCount(participants) + 1;
    this.reserve(count);
    const at = this.n;
    const a = parseInts(participants, this.p, at);
    const b = parseInts(values, this.v, at);
    if (a !== count || b !== count) throw new Error(`statement ${statementId}: ${a} voters but ${b} values`);
    this.s.fill(statementId, at, at + count);
    this.n += count;
  }
  columns(): VoteColumns {
    return { participantIds: this.p.slice(0, this.n), statementIds: this.s.slice(0, this.n), values: this.v.slice(0, this.n) };
  }
}

function commaCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf(','); i !== -1; i = text.indexOf(',', i + 1)) n++;
  return n;
}

/** Parses "12,-1,7" into `out` from `at`; returns how many numbers it read. */
function parseInts(text: string, out: Int32Array | Int8Array, at: number): number {
  let i = at;
  let num = 0;
  let neg = false;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 44) {
      out[i++] = neg ? -num : num;
      num = 0;
      neg = false;
    } else if (c === 45) neg = true;
    else num = num * 10 + (c - 48);
  }
  out[i++] = neg ? -num : num;
  return i - at;
}

type HeadRow = { votes_version: number; max_groups: number; created_at: string };
type StatementDbRow = { id: number; body: string; status: SnapshotStatement['status']; is_meta: number; external_id: string | null };
const toStatement = (r: StatementDbRow): SnapshotStatement => ({ id: r.id, body: r.body, status: r.status, meta: r.is_meta === 1, externalId: r.external_id });

const HEAD = 'SELECT votes_version, max_groups, created_at FROM deliberations WHERE id = ';
// The last vote logged at or before a version (index deliberation_vote_log_version, 0021).
const ANCHOR = 'SELECT id FROM deliberation_vote_log WHERE deliberation_id = $1 AND votes_version <= $2 ORDER BY votes_version DESC, id DESC LIMIT 1';
// The votes logged after a version, in the order of commits; one more than the limit tells the delta is too big.
const DELTA = 'SELECT participant_id, statement_id, value FROM deliberation_vote_log WHERE deliberation_id = $1 AND votes_version > $2 AND votes_version <= $3 ORDER BY votes_version, id LIMIT $4';
const sqliteText = (q: string) => q.replace(/\$\d/g, '?');
const STATEMENTS = 'SELECT id, body, status, is_meta, external_id FROM deliberation_statements WHERE deliberation_id = ';
// One row per statement, its voters and values concatenated by the database (read from the
// covering index deliberation_votes_cover, migration 0013): 800 rows instead of 2,000,000.
// Both aggregates see the group's rows in the same order, so the lists line up.
const VOTES = "SELECT statement_id, group_concat(participant_id, ','), group_concat(value, ',') FROM deliberation_votes WHERE deliberation_id = ? GROUP BY statement_id";
// On PostgreSQL the same per-statement query walked that index in statement order, and an
// index-only scan is index-only only where the visibility map says so: with votes freshly written
// (or rewritten by re-votes, or simply not vacuumed yet) each of 2,000,000 rows cost a visit to
// its heap page, in random page order (EXPLAIN: Heap Fetches 1999971, 1.9 M buffer accesses, 2.8
// of 3.1 s). Nothing here needs an order, so PostgreSQL reads the votes however the planner finds
// cheapest (a sequential or bitmap heap scan for a big conversation, the index for a small one)
// and puts all of them in one row of three lists: one aggregate node feeds each row to the three
// aggregates in turn, so the lists line up. 33,000 × 800 × 2,000,000: 0.8–1.0 s instead of
// 3.4–4.1 s on the same data and machine load.
const VOTES_PG = "SELECT count(*)::int AS n, string_agg(participant_id::text, ',') AS ps, string_agg(statement_id::text, ',') AS ss, string_agg(value::text, ',') AS vs FROM deliberation_votes WHERE deliberation_id = $1";

/** Every vote from three comma-separated lists of `n` integers each, vote i at position i in all three. */
function columnsFromLists(n: number, ps: string | null, ss: string | null, vs: string | null): VoteColumns {
  const columns: VoteColumns = { participantIds: new Int32Array(n), statementIds: new Int32Array(n), values: new Int8Array(n) };
  if (n === 0) return columns;
  if (ps === null || ss === null || vs === null) throw new Error(`${n} votes but no lists`);
  const a = parseInts(ps, columns.participantIds, 0);
  const b = parseInts(ss, columns.statementIds, 0);
  const c = parseInts(vs, columns.values, 0);
  if (a !== n || b !== n || c !== n) throw new Error(`${n} votes but ${a} voters, ${b} statements and ${c} values`);
  return columns;
}

/** The queries of one read transaction, whichever the engine. */
interface Reader {
  head(id: number): Promise<HeadRow | undefined>;
  statements(id: number): Promise<StatementDbRow[]>;
  anchor(id: number, version: number): Promise<number | null>;
  /** Up to `limit` votes logged after `from` up to `to`, oldest first. */
  delta(id: number, from: number, to: number, limit: number): Promise<VoteColumns>;
  all(id: number): Promise<VoteColumns>;
}

async function read(r: Reader, deliberationId: number, since: Since | undefined, started: number): Promise<VoteSnapshot | null> {
  const head = await r.head(deliberationId);
  if (!head) return null;
  const version = Number(head.votes_version);
  const statements = (await r.statements(deliberationId)).map(toStatement);
  const mark: InputMark = { version, createdAt: head.created_at, anchor: await r.anchor(deliberationId, version) };
  let votes: VoteColumns | null = null;
  const m = since?.mark;
  if (since && m && m.createdAt === head.created_at && m.version <= version && (await r.anchor(deliberationId, m.version)) === m.anchor) {
    const d = await r.delta(deliberationId, m.version, version, since.maxDelta + 1);
    if (d.values.length <= since.maxDelta) votes = d;
  }
  const delta = votes !== null;
  votes ??= await r.all(deliberationId);
  return { deliberationId, votesVersion: version, maxGroups: Number(head.max_groups), statements, votes, delta, from: delta ? m! : null, mark, loadMs: performance.now() - started };
}

function rowsToColumns(rows: Array<[number, number, number]>): VoteColumns {
  const c: VoteColumns = { participantIds: new Int32Array(rows.length), statementIds: new Int32Array(rows.length), values: new Int8Array(rows.length) };
  rows.forEach(([p, s, v], i) => { c.participantIds[i] = p; c.statementIds[i] = s; c.values[i] = v; });
  return c;
}

async function loadSqlite(file: string, deliberationId: number, since?: Since): Promise<VoteSnapshot | null> {
  const started = performance.now();
  const db = new SQLite(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const reader: Reader = {
      head: async (id) => db.prepare(`${HEAD}?`).get(id) as HeadRow | undefined,
      statements: async (id) => db.prepare(`${STATEMENTS}? ORDER BY id`).all(id) as StatementDbRow[],
      anchor: async (id, version) => (db.prepare(sqliteText(ANCHOR)).pluck().get(id, version) as number | undefined) ?? null,
      delta: async (id, from, to, limit) => rowsToColumns(db.prepare(sqliteText(DELTA)).raw(true).all(id, from, to, limit) as Array<[number, number, number]>),
      all: async (id) => {
        const buf = new VoteBuffer();
        for (const [s, ps, vs] of db.prepare(VOTES).raw(true).iterate(id) as IterableIterator<[number, string, string]>) buf.addStatement(s, ps, vs);
        return buf.columns();
      },
    };
    // One read transaction: the version, statements and votes are of the same moment.
    db.exec('BEGIN');
    try {
      return await read(reader, deliberationId, since, started);
    } finally {
      db.exec('COMMIT');
    }
  } finally {
    db.close();
  }
}

async function loadPostgres(url: string, schema: string | null, deliberationId: number, since?: Since): Promise<VoteSnapshot | null> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: url, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  await client.connect();
  try {
    const reader: Reader = {
      head: async (id) => (await client.query<HeadRow>(`${HEAD}$1`, [id])).rows[0],
      statements: async (id) => (await client.query<StatementDbRow>(`${STATEMENTS}$1 ORDER BY id`, [id])).rows,
      anchor: async (id, version) => (await client.query<{ id: number }>(ANCHOR, [id, version])).rows[0]?.id ?? null,
      delta: async (id, from, to, limit) => rowsToColumns((await client.query<[number, number, number]>({ text: DELTA, values: [id, from, to, limit], rowMode: 'array' })).rows),
      all: async (id) => {
        const r = (await client.query<{ n: number; ps: string | null; ss: string | null; vs: string | null }>(VOTES_PG, [id])).rows[0]!;
        return columnsFromLists(r.n, r.ps, r.ss, r.vs);
      },
    };
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      return await read(reader, deliberationId, since, started);
    } finally {
      await client.query('COMMIT');
    }
  } finally {
    await client.end();
  }
}

/** Every current vote, or with `since` (and when it still holds) only the votes logged after it. */
export async function loadSnapshot(target: DbTarget, deliberationId: number, since?: Since): Promise<VoteSnapshot | null> {
  return target.kind === 'sqlite' ? loadSqlite(target.file, deliberationId, since) : loadPostgres(target.url, target.schema, deliberationId, since);
}
