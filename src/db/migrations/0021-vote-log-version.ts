import type { Kysely } from 'kysely';
import type { Dialect } from './helpers.js';

// Frozen in time: never import application code here.
// Each logged vote carries the deliberation's input version its transaction committed
// (deliberations.votes_version after that transaction's bump). The bump takes the deliberation's
// row lock until the commit, so versions follow the order of commits, which log ids (drawn when
// the row is inserted) do not on PostgreSQL. A recomputation that already holds the votes as of
// version V then reads only the log after V instead of every vote. Votes logged before this
// migration get 0: they are older than any version a reader can hold from now on. The index
// replaces the one by (deliberation, id) and still reads a deliberation's log in order.
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('deliberation_vote_log').addColumn('votes_version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('deliberation_vote_log_version').on('deliberation_vote_log').columns(['deliberation_id', 'votes_version', 'id']).execute();
  await db.schema.dropIndex('deliberation_vote_log_d').execute();
}
