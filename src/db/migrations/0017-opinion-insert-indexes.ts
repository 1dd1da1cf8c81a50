import type { Kysely } from 'kysely';
import type { Dialect } from './helpers.js';

// Frozen in time: never import application code here.
// Fewer B-trees written when an opinion arrives (submission is the voice channel's hot write):
// - the duplicate check and the sender's hourly limit now read one index, (citizen, creation
//   time), so the (citizen, content hash) index goes;
// - the creation-time index duplicates the statistics index, which leads with creation time;
// - merged-into, the reply time and the handling member are empty on a new opinion: those
//   indexes hold only the rows that have them (partial). Queries compare the column with a
//   value (`merged_into_id = ?`, `replied_at <= ?`, `handler_user_id = ?`), which both
//   planners know implies IS NOT NULL.
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  for (const name of ['opinions_citizen_hash', 'opinions_created', 'opinions_merged_into', 'opinions_status_replied', 'opinions_handler_user']) {
    await db.schema.dropIndex(name).ifExists().execute();
  }
  const partial = (name: string, columns: string[], notNull: string) =>
    db.schema.createIndex(name).on('opinions').columns(columns).where(notNull, 'is not', null).execute();
  await partial('opinions_merged_into', ['merged_into_id'], 'merged_into_id');
  await partial('opinions_status_replied', ['status', 'replied_at'], 'replied_at');
  await partial('opinions_handler_user', ['handler_user_id', 'status', 'created_at'], 'handler_user_id');
}
