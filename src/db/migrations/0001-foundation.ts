import { type Kysely, sql } from 'kysely';
import { type Dialect, idColumn, table } from './helpers.js';

// Frozen in time: never import application code here.
// Timestamps are ISO-8601 UTC text and dates are YYYY-MM-DD text on both engines, so the
// same comparisons and orderings hold everywhere; booleans are 0/1 integers.

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema.createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await table(db, dialect, 'regions', (t) => t
    .addColumn('parent_id', 'integer', (c) => c.references('regions.id'))
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text')
    .addColumn('code', 'text')
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0)));
  await db.schema.createIndex('regions_parent').on('regions').columns(['parent_id', 'sort']).execute();
  await db.schema.createIndex('regions_code').on('regions').column('code').unique().execute();

  await table(db, dialect, 'bodies', (t) => t
    .addColumn('parent_id', 'integer', (c) => c.references('bodies.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text')
    .addColumn('region_id', 'integer', (c) => c.references('regions.id'))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull()));
  await db.schema.createIndex('bodies_parent').on('bodies').columns(['parent_id', 'sort']).execute();
  await db.schema.createIndex('bodies_kind').on('bodies').columns(['kind', 'sort']).execute();

  await table(db, dialect, 'sectors', (t) => t
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('name_en', 'text')
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0)));

  await table(db, dialect, 'terms', (t) => t
    .addColumn('number', 'integer', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text'));

  await table(db, dialect, 'users', (t) => t
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.unique())
    .addColumn('password_hash', 'text')
    .addColumn('totp_secret', 'text')
    .addColumn('totp_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('locale', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('erased_at', 'text'));

  // Personal data lives apart from the account so it can be masked, exported and erased.
  await db.schema.createTable('user_pii')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id'))
    .addColumn('phone', 'text', (c) => c.unique())
    .addColumn('real_name', 'text')
    .addColumn('id_number', 'text')
    .addColumn('email', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await table(db, dialect, 'memberships', (t) => t
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('body_id', 'integer', (c) => c.notNull().references('bodies.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('term_id', 'integer', (c) => c.references('terms.id'))
    .addColumn('title', 'text')
    .addColumn('starts_on', 'text')
    .addColumn('ends_on', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull()));
  await db.schema.createIndex('memberships_user').on('memberships').columns(['user_id', 'body_id']).execute();
  await db.schema.createIndex('memberships_body').on('memberships').columns(['body_id', 'role', 'term_id']).execute();
  await db.schema.createIndex('memberships_term').on('memberships').columns(['term_id', 'role']).execute();

  await db.schema.createTable('member_profiles')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id'))
    .addColumn('sector_id', 'integer', (c) => c.references('sectors.id'))
    .addColumn('region_id', 'integer', (c) => c.references('regions.id'))
    .addColumn('gender', 'text')
    .addColumn('ethnicity', 'text')
    .addColumn('party', 'text')
    .addColumn('occupation', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('bio', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('is_standing', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('sort_name', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('member_profiles_sector').on('member_profiles').columns(['sector_id', 'sort_name']).execute();
  await db.schema.createIndex('member_profiles_region').on('member_profiles').columns(['region_id', 'sort_name']).execute();
  await db.schema.createIndex('member_profiles_sort').on('member_profiles').columns(['is_public', 'sort_name']).execute();

  await db.schema.createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('mfa_pending', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await table(db, dialect, 'login_codes', (t) => t
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text'));
  await db.schema.createIndex('login_codes_phone').on('login_codes').columns(['phone', 'created_at']).execute();

  await table(db, dialect, 'api_tokens', (t) => t
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text'));

  await table(db, dialect, 'pages', (t) => t
    .addColumn('body_id', 'integer', (c) => c.notNull().references('bodies.id'))
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body_md', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('publish_at', 'text')
    .addColumn('published_at', 'text')
    .addColumn('author_id', 'integer', (c) => c.references('users.id'))
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull()));
  await db.schema.createIndex('pages_slug').on('pages').columns(['body_id', 'slug']).unique().execute();
  await db.schema.createIndex('pages_kind').on('pages').columns(['kind', 'status', 'sort']).execute();

  await table(db, dialect, 'news', (t) => t
    .addColumn('body_id', 'integer', (c) => c.notNull().references('bodies.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body_md', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('publish_at', 'text')
    .addColumn('published_at', 'text')
    .addColumn('author_id', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull()));
  await db.schema.createIndex('news_published').on('news').columns(['status', 'published_at']).execute();
  await db.schema.createIndex('news_kind_published').on('news').columns(['kind', 'status', 'published_at']).execute();
  await db.schema.createIndex('news_body').on('news').columns(['body_id', 'status', 'published_at']).execute();

  await table(db, dialect, 'attachments', (t) => t
    .addColumn('owner_type', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'integer', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull()));
  await db.schema.createIndex('attachments_owner').on('attachments').columns(['owner_type', 'owner_id']).execute();

  // Append-only, hash-chained: every row's hash covers the previous row's hash.
  await table(db, dialect, 'audit_events', (t) => t
    .addColumn('stream_type', 'text', (c) => c.notNull())
    .addColumn('stream_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'integer')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull()));
  await db.schema.createIndex('audit_events_stream').on('audit_events').columns(['stream_type', 'stream_id', 'id']).execute();

  await table(db, dialect, 'jobs', (t) => t
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(8))
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text'));
  await db.schema.createIndex('jobs_due').on('jobs').columns(['status', 'run_at']).execute();

  await table(db, dialect, 'notifications', (t) => t
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('link', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text'));
  await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'id']).execute();

  await table(db, dialect, 'sms_messages', (t) => t
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('adapter', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('provider_ref', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text'));
  await db.schema.createIndex('sms_messages_created').on('sms_messages').column('created_at').execute();

  await table(db, dialect, 'data_requests', (t) => t
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('handled_at', 'text')
    .addColumn('handled_by', 'integer', (c) => c.references('users.id'))
    .addColumn('note', 'text'));
  await db.schema.createIndex('data_requests_status').on('data_requests').columns(['status', 'created_at']).execute();

  // Search: one document table; the engine-specific index sits beside it.
  await table(db, dialect, 'search_docs', (t) => t
    .addColumn('doc_type', 'text', (c) => c.notNull())
    .addColumn('doc_id', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('excerpt', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addColumn('tokens', 'text', (c) => c.notNull()));
  await db.schema.createIndex('search_docs_ref').on('search_docs').columns(['doc_type', 'doc_id']).unique().execute();
  if (dialect === 'sqlite') {
    await sql`CREATE VIRTUAL TABLE search_fts USING fts5(tokens, content='search_docs', content_rowid='id', tokenize='unicode61 remove_diacritics 0')`.execute(db);
    await sql`CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN INSERT INTO search_fts(rowid, tokens) VALUES (new.id, new.tokens); END`.execute(db);
    await sql`CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); END`.execute(db);
    await sql`CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); INSERT INTO search_fts(rowid, tokens) VALUES (new.id, new.tokens); END`.execute(db);
  } else {
    await sql`ALTER TABLE search_docs ADD COLUMN tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', tokens)) STORED`.execute(db);
    await sql`CREATE INDEX search_docs_tsv ON search_docs USING GIN (tsv)`.execute(db);
  }
}
