import type { Kysely } from 'kysely';
import { type Dialect, table } from './helpers.js';

// Frozen in time: never import application code here.
// The citizens' voice channel (群众意见) and the one action-item model every "someone must
// do something by a date" uses (a department answering a forwarded opinion, later a
// consultation's recommendations).

const CATEGORIES: Array<[string, string, string]> = [
  ['livelihood', '民生保障', 'Livelihood and welfare'],
  ['elderly', '养老服务', 'Elderly care'],
  ['education', '教育', 'Education'],
  ['health', '医疗卫生', 'Health care'],
  ['traffic', '交通出行', 'Transport'],
  ['environment', '生态环境', 'Environment'],
  ['urban', '城乡建设', 'Housing and construction'],
  ['agriculture', '农业农村', 'Agriculture and villages'],
  ['employment', '就业创业', 'Jobs and business'],
  ['safety', '社会治理与安全', 'Public safety and governance'],
  ['other', '其他', 'Other'],
];

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  // Clocks are configurable per category, in working days.
  await db.schema.createTable('opinion_categories')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('accept_days', 'integer', (c) => c.notNull().defaultTo(2))
    .addColumn('reply_days', 'integer', (c) => c.notNull().defaultTo(15))
    .addColumn('default_body_id', 'integer', (c) => c.references('bodies.id'))
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.insertInto('opinion_categories')
    .values(CATEGORIES.map(([key, name, name_en], i) => ({ key, name, name_en, accept_days: 2, reply_days: 15, default_body_id: null, sort: i })))
    .execute();

  await table(db, dialect, 'opinions', (t) => t
    .addColumn('tracking_code', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('category_key', 'text', (c) => c.notNull().references('opinion_categories.key'))
    .addColumn('region_id', 'integer', (c) => c.references('regions.id'))
    // What the citizen chose: a body, a member, or "let the committee route it".
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_body_id', 'integer', (c) => c.references('bodies.id'))
    .addColumn('target_user_id', 'integer', (c) => c.references('users.id'))
    // Who holds it now (the inboxes).
    .addColumn('handler_body_id', 'integer', (c) => c.notNull().references('bodies.id'))
    .addColumn('handler_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('suggested_body_id', 'integer', (c) => c.references('bodies.id'))
    .addColumn('suggestion_reason', 'text')
    .addColumn('routing_confirmed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('citizen_id', 'integer', (c) => c.references('users.id'))
    .addColumn('phone_last4', 'text')
    .addColumn('public_consent', 'integer', (c) => c.notNull().defaultTo(0))
    // Shown in the public list: consent, accepted by a handler, not hidden by one.
    .addColumn('public_visible', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('accept_due', 'text', (c) => c.notNull())
    .addColumn('reply_due', 'text', (c) => c.notNull())
    .addColumn('accepted_at', 'text')
    .addColumn('declined_at', 'text')
    .addColumn('first_replied_at', 'text')
    .addColumn('replied_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('withdrawn_at', 'text')
    .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('merged_into_id', 'integer', (c) => c.references('opinions.id'))
    .addColumn('reply_text', 'text')
    .addColumn('rating_handling', 'integer')
    .addColumn('rating_result', 'integer')
    .addColumn('accept_reminded_at', 'text')
    .addColumn('reply_reminded_at', 'text')
    .addColumn('escalated_at', 'text')
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull()));
  const idx = (name: string, cols: string[], unique = false) => {
    const b = db.schema.createIndex(name).on('opinions').columns(cols);
    return (unique ? b.unique() : b).execute();
  };
  await idx('opinions_tracking_code', ['tracking_code'], true);
  await idx('opinions_handler_body', ['handler_body_id', 'status', 'created_at']);
  await idx('opinions_handler_body_created', ['handler_body_id', 'created_at']);
  await idx('opinions_handler_user', ['handler_user_id', 'status', 'created_at']);
  await idx('opinions_citizen', ['citizen_id', 'created_at']);
  await idx('opinions_citizen_hash', ['citizen_id', 'content_hash']);
  await idx('opinions_public', ['public_visible', 'created_at']);
  await idx('opinions_public_category', ['public_visible', 'category_key', 'created_at']);
  await idx('opinions_public_body', ['public_visible', 'handler_body_id', 'created_at']);
  await idx('opinions_public_region', ['public_visible', 'region_id', 'created_at']);
  await idx('opinions_status_accept_due', ['status', 'accept_due']);
  await idx('opinions_status_reply_due', ['status', 'reply_due']);
  await idx('opinions_created', ['created_at']);
  await idx('opinions_merged_into', ['merged_into_id']);

  // Texts on an opinion's timeline: the citizen's additions and answers, handlers'
  // questions, replies and decline reasons. The hash-chained event refers to the entry.
  await table(db, dialect, 'opinion_entries', (t) => t
    .addColumn('opinion_id', 'integer', (c) => c.notNull().references('opinions.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('author_id', 'integer', (c) => c.references('users.id'))
    .addColumn('author_body_id', 'integer', (c) => c.references('bodies.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull()));
  await db.schema.createIndex('opinion_entries_opinion').on('opinion_entries').columns(['opinion_id', 'id']).execute();

  // Collected from the citizen directly, never through the handler. Round 2 exists only
  // after a "not satisfied" reopened the opinion once.
  await table(db, dialect, 'opinion_ratings', (t) => t
    .addColumn('opinion_id', 'integer', (c) => c.notNull().references('opinions.id'))
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('handling', 'integer', (c) => c.notNull())
    .addColumn('result', 'integer', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull()));
  await db.schema.createIndex('opinion_ratings_round').on('opinion_ratings').columns(['opinion_id', 'round']).unique().execute();

  await table(db, dialect, 'action_items', (t) => t
    .addColumn('source_type', 'text', (c) => c.notNull())
    .addColumn('source_id', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('instructions', 'text', (c) => c.notNull())
    .addColumn('owner_body_id', 'integer', (c) => c.notNull().references('bodies.id'))
    .addColumn('assigned_by', 'integer', (c) => c.references('users.id'))
    .addColumn('assigned_by_body_id', 'integer', (c) => c.references('bodies.id'))
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('answer', 'text')
    .addColumn('answered_at', 'text')
    .addColumn('answered_by', 'integer', (c) => c.references('users.id'))
    .addColumn('done_at', 'text')
    .addColumn('reminded_at', 'text')
    .addColumn('escalated_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull()));
  await db.schema.createIndex('action_items_owner').on('action_items').columns(['owner_body_id', 'status', 'due_on']).execute();
  await db.schema.createIndex('action_items_source').on('action_items').columns(['source_type', 'source_id']).execute();
  await db.schema.createIndex('action_items_due').on('action_items').columns(['status', 'due_on']).execute();

  await table(db, dialect, 'action_item_updates', (t) => t
    .addColumn('action_item_id', 'integer', (c) => c.notNull().references('action_items.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('author_id', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull()));
  await db.schema.createIndex('action_item_updates_item').on('action_item_updates').columns(['action_item_id', 'id']).execute();

  // A retried request with the same Idempotency-Key returns the first result.
  await db.schema.createTable('idempotency_keys')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key'])
    .execute();
  await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute();

  // Proof-of-work challenges already spent (each solves one submission).
  await db.schema.createTable('pow_spent')
    .addColumn('signature', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  await table(db, dialect, 'hotspot_snapshots', (t) => t
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull()));
  await db.schema.createIndex('hotspot_snapshots_scope').on('hotspot_snapshots').columns(['scope', 'computed_at']).execute();

  // Public-sentiment reports (社情民意信息): a member's report links back to the voices it came from.
  await table(db, dialect, 'sentiment_reports', (t) => t
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull()));
  await db.schema.createIndex('sentiment_reports_author').on('sentiment_reports').columns(['author_id', 'created_at']).execute();
  await db.schema.createTable('sentiment_report_sources')
    .addColumn('report_id', 'integer', (c) => c.notNull().references('sentiment_reports.id'))
    .addColumn('opinion_id', 'integer', (c) => c.notNull().references('opinions.id'))
    .addPrimaryKeyConstraint('sentiment_report_sources_pk', ['report_id', 'opinion_id'])
    .execute();
  await db.schema.createIndex('sentiment_report_sources_opinion').on('sentiment_report_sources').column('opinion_id').execute();
}
