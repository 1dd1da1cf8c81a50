import type { Kysely } from 'kysely';
import type { Dialect } from './helpers.js';

// Frozen in time: never import application code here.
// The public statistics group a period's opinions by handling body and month and count
// on-time acceptance, on-time replies, ratings and overdue ones. With every column they
// read in one index, led by the creation time, the period is a range walked in the index
// alone (SQLite: covering index; PostgreSQL: index-only scan), never in the table, whose
// rows carry the opinions' texts.
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.createIndex('opinions_stats').on('opinions').columns([
    'created_at', 'handler_body_id', 'status', 'accept_due', 'accepted_at', 'reply_due', 'first_replied_at', 'rating_handling', 'rating_result',
  ]).execute();
  // The public list's status filter (and its capped count) walks public opinions of one status
  // newest first, instead of every opinion of that status looking for public ones.
  await db.schema.createIndex('opinions_public_status').on('opinions').columns(['public_visible', 'status', 'created_at']).execute();
}
