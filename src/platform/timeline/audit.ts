import { PostgresAdapter, sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { dialectKey, preparedQuery } from '../../db/prepared.js';
import { GENESIS_HASH, canonicalJson, eventHash } from './canonical.js';

// One global hash chain over audit_events. Appends are serialised (an advisory lock on
// PostgreSQL; SQLite has a single writer) and take explicit, gap-free ids, so a missing
// id is a deleted row. The chain head is anchored in `settings` in the same transaction,
// so deleting the newest rows is detectable too.

export const AUDIT_ANCHOR_KEY = 'audit_head';
/** Arbitrary constant naming the audit-chain lock among the database's advisory locks. */
const AUDIT_LOCK_ID = 7_142_001;

export interface NewEvent {
  streamType: string;
  streamId: string | number;
  action: string;
  actorId: number | null;
  data?: Record<string, unknown>;
}

export interface TimelineEvent {
  id: number;
  streamType: string;
  streamId: string;
  action: string;
  actorId: number | null;
  data: Record<string, unknown>;
  createdAt: string;
  hash: string;
}

export interface Anchor { id: number; hash: string }

export const isPostgres = (db: Executor): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

export async function readAnchor(db: Executor): Promise<Anchor | null | 'invalid'> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', AUDIT_ANCHOR_KEY).executeTakeFirst();
  if (!row) return null;
  try {
    const v = JSON.parse(row.value) as Anchor;
    return Number.isInteger(v.id) && typeof v.hash === 'string' ? v : 'invalid';
  } catch {
    return 'invalid';
  }
}

// The anchor value this process last wrote, per database (its adapter, which all its
// transactions share). Only a guess: an append first swaps the anchor on the condition that
// it still holds exactly this value, which proves the guess is the chain's head (no other
// process appended since, and no rollback undid it). That saves reading the anchor.
const lastWritten = new WeakMap<object, string>();

/**
 * Records an event; call it inside the transaction of the change it records (outside one,
 * it opens its own).
 */
export async function appendEvent(db: Executor, e: NewEvent): Promise<{ id: number; hash: string }> {
  if (!db.isTransaction) return db.transaction().execute((trx) => appendEvent(trx, e));
  if (isPostgres(db)) await sql`SELECT pg_advisory_xact_lock(${sql.lit(AUDIT_LOCK_ID)})`.execute(db);
  const key = dialectKey(db);
  const guess = lastWritten.get(key);
  if (guess) {
    const prev = JSON.parse(guess) as Anchor;
    const next = chained(prev, e);
    if ((await swapAnchor.execute(db, next.value, guess)).length === 1) {
      await insertEvent(db, next.row);
      lastWritten.set(key, next.value);
      return { id: next.row.id, hash: next.row.hash };
    }
  }
  const anchor = await readAnchor(db);
  let prev: Anchor;
  if (anchor && anchor !== 'invalid') prev = anchor;
  else {
    // No usable anchor (first event, or a damaged anchor verify-audit will report): continue
    // after the newest row so ids never collide.
    const last = await db.selectFrom('audit_events').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
    prev = last ? { id: Number(last.id), hash: last.hash } : { id: 0, hash: GENESIS_HASH };
  }
  const next = chained(prev, e);
  await insertEvent(db, next.row);
  await db.insertInto('settings').values({ key: AUDIT_ANCHOR_KEY, value: next.value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: next.value })).execute();
  lastWritten.set(key, next.value);
  return { id: next.row.id, hash: next.row.hash };
}

// Every append runs these: built once per dialect (db/prepared.ts).
const swapAnchor = preparedQuery(2, (db, value: string, expected: string) =>
  db.updateTable('settings').set({ value }).where('key', '=', AUDIT_ANCHOR_KEY).where('value', '=', expected).returning('key'));
const insertEventRow = preparedQuery(9, (db, id: number, streamType: string, streamId: string, action: string, actorId: number | null,
  data: string, createdAt: string, prevHash: string, hash: string) => db.insertInto('audit_events').values({
  id, stream_type: streamType, stream_id: streamId, action, actor_id: actorId, data, created_at: createdAt, prev_hash: prevHash, hash,
}));
const insertEvent = (db: Executor, r: ReturnType<typeof chained>['row']) =>
  insertEventRow.execute(db, r.id, r.stream_type, r.stream_id, r.action, r.actor_id, r.data, r.created_at, r.prev_hash, r.hash);

/** The event's row after `prev`, and the anchor value that names it as the head. */
function chained(prev: Anchor, e: NewEvent) {
  const row = {
    id: prev.id + 1,
    stream_type: e.streamType,
    stream_id: String(e.streamId),
    action: e.action,
    actor_id: e.actorId,
    data: canonicalJson(e.data ?? {}),
    created_at: new Date().toISOString(),
  };
  const hash = eventHash(prev.hash, row);
  return { row: { ...row, prev_hash: prev.hash, hash }, value: JSON.stringify({ id: row.id, hash }) };
}

/**
 * The id of the newest audit event: every change the platform records moves it, so pages
 * built from recorded state can be kept under it (0 when there is none).
 */
export async function auditHead(db: Executor): Promise<number> {
  const row = await db.selectFrom('audit_events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** The events of one stream (an opinion, a proposal…), oldest first. */
export async function readStream(db: Executor, streamType: string, streamId: string | number): Promise<TimelineEvent[]> {
  const rows = await db.selectFrom('audit_events').selectAll()
    .where('stream_type', '=', streamType).where('stream_id', '=', String(streamId))
    .orderBy('id').execute();
  return rows.map((r) => ({
    id: Number(r.id),
    streamType: r.stream_type,
    streamId: r.stream_id,
    action: r.action,
    actorId: r.actor_id,
    data: JSON.parse(r.data) as Record<string, unknown>,
    createdAt: r.created_at,
    hash: r.hash,
  }));
}
