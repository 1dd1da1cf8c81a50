import { type Kysely, sql } from 'kysely';
import type { Dialect } from './helpers.js';

// Frozen in time: never import application code here.
// The search tokens' first line holds the title's tokens. On PostgreSQL they get weight A
// so ts_rank puts title matches first (SQLite's bm25 sees them repeated instead).
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`ALTER TABLE search_docs DROP COLUMN tsv`.execute(db);
  await sql`ALTER TABLE search_docs ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', split_part(tokens, E'\n', 1)), 'A') || to_tsvector('simple', tokens)) STORED`.execute(db);
  await sql`CREATE INDEX search_docs_tsv ON search_docs USING GIN (tsv)`.execute(db);
}
