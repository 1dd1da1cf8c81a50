import type { Kysely } from 'kysely';
import type { Dialect } from './helpers.js';

// Frozen in time: never import application code here.
// The personal-data export and erasure look rows up by person: the audit events they
// caused, the text messages sent to their phone, their erasure requests.

export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.createIndex('audit_events_actor').on('audit_events').columns(['actor_id', 'id']).execute();
  await db.schema.createIndex('sms_messages_phone').on('sms_messages').columns(['phone', 'id']).execute();
  await db.schema.createIndex('data_requests_user').on('data_requests').columns(['user_id', 'id']).execute();
}
