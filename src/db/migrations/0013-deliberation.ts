import type { Kysely } from 'kysely';
import type { Dialect } from './helpers.js';

// Frozen in time: never import application code here.
// Online deliberation, second part:
// - a standalone deliberation (imported from Polis open data, not tied to a consultation)
//   belongs to a body, whose organisers manage it;
// - a stored result keeps the digest of the votes it was computed from (an unchanged input is
//   not computed again) and, apart from the page data, the participant → group map (read only
//   by exports, so pages never parse it);
// - statements by author, for the per-participant limit on new statements;
// - the votes of a deliberation read from an index that covers them, in statement order (a
//   recomputation reads every vote; through the old index each one cost a lookup of its row,
//   twenty times slower at two million votes). It replaces the index it extends.

export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('deliberations').addColumn('body_id', 'integer', (c) => c.references('bodies.id')).execute();
  await db.schema.alterTable('deliberation_results').addColumn('input_digest', 'text').execute();
  await db.schema.alterTable('deliberation_results').addColumn('participant_groups', 'text').execute();
  await db.schema.createIndex('deliberation_votes_cover').on('deliberation_votes')
    .columns(['deliberation_id', 'statement_id', 'participant_id', 'value']).execute();
  await db.schema.dropIndex('deliberation_votes_d').execute();
  await db.schema.createIndex('deliberation_statements_author').on('deliberation_statements').columns(['author_participant_id', 'id']).execute();
}
