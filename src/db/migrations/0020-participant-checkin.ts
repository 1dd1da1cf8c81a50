import type { Kysely } from 'kysely';
import type { Dialect } from './helpers.js';

// Frozen in time: never import application code here.
// Invited participants (members, department and citizen representatives) sign in at the
// meeting like registered citizens: a person with an account holds a personal six-digit code,
// unique within the consultation (the desk looks it up by (consultation, code)); attended_at
// (0012) records the sign-in, by code or on the staff's attendance list.
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('consultation_participants').addColumn('checkin_code', 'text').execute();
  await db.schema.createIndex('consultation_participants_code').on('consultation_participants').columns(['consultation_id', 'checkin_code']).unique().execute();
}
