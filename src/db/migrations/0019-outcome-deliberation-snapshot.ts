import type { Kysely } from 'kysely';
import type { Dialect } from './helpers.js';

// Frozen in time: never import application code here.
// A published outcome report does not change: the online deliberation's section in it is
// kept as it was when the outcome was published (JSON text: per deliberation the section in
// Markdown and HTML per language), instead of being read from the live results. Null for a
// draft and for outcomes published before this column existed.
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('consultation_outcomes').addColumn('deliberation_report', 'text').execute();
}
