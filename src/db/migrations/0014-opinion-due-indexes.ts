import type { Kysely } from 'kysely';
import type { Dialect } from './helpers.js';

// Frozen in time: never import application code here.
// The SLA sweep's auto-close reads replied opinions by reply time; an inbox filtered or sorted
// by due date reads one body's rows in due order.
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.createIndex('opinions_status_replied').on('opinions').columns(['status', 'replied_at']).execute();
  await db.schema.createIndex('opinions_body_status_accept_due').on('opinions').columns(['handler_body_id', 'status', 'accept_due']).execute();
  await db.schema.createIndex('opinions_body_status_reply_due').on('opinions').columns(['handler_body_id', 'status', 'reply_due']).execute();
}
