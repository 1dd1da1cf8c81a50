import type { Kysely } from 'kysely';
import type { Dialect } from './helpers.js';

// Frozen in time: never import application code here.
// "Who works this body's inbox" (its staff and facilitators, by role) is asked on every new
// opinion; the (body, user) index made it read every membership of the body, members included,
// to find the few staff.
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.createIndex('memberships_body_role').on('memberships').columns(['body_id', 'role', 'user_id']).execute();
}
