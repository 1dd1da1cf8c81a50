import { type Kysely, sql } from 'kysely';
import type { Dialect } from './helpers.js';

// Frozen in time: never import application code here.
// SQLite: rebuild the FTS5 index with a one-character prefix index, so a one-character
// Chinese query ("老" → every token starting with 老) reads one list instead of merging
// thousands. PostgreSQL: the tokens' first line holds the title's tokens; weight them A
// so ts_rank puts title matches first (SQLite's bm25 sees them repeated instead).
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') {
    for (const t of ['search_docs_ai', 'search_docs_ad', 'search_docs_au']) await sql`DROP TRIGGER ${sql.id(t)}`.execute(db);
    await sql`DROP TABLE search_fts`.execute(db);
    await sql`CREATE VIRTUAL TABLE search_fts USING fts5(tokens, content='search_docs', content_rowid='id', tokenize='unicode61 remove_diacritics 0', prefix='1')`.execute(db);
    await sql`CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN INSERT INTO search_fts(rowid, tokens) VALUES (new.id, new.tokens); END`.execute(db);
    await sql`CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); END`.execute(db);
    await sql`CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); INSERT INTO search_fts(rowid, tokens) VALUES (new.id, new.tokens); END`.execute(db);
    await sql`INSERT INTO search_fts(search_fts) VALUES ('rebuild')`.execute(db);
    return;
  }
  await sql`ALTER TABLE search_docs DROP COLUMN tsv`.execute(db);
  await sql`ALTER TABLE search_docs ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', split_part(tokens, E'\n', 1)), 'A') || to_tsvector('simple', tokens)) STORED`.execute(db);
  await sql`CREATE INDEX search_docs_tsv ON search_docs USING GIN (tsv)`.execute(db);
}
