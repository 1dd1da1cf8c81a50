import type { Kysely } from 'kysely';
import type { Dialect } from './helpers.js';

// The last time step whose TOTP code was accepted, so a code cannot be used twice.
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('users').addColumn('totp_last_step', 'integer').execute();
}
