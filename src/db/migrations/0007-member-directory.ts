import type { Kysely } from 'kysely';
import type { Dialect } from './helpers.js';

// Frozen in time: never import application code here.
// The directory always filters on is_public; with a sector filter the planner must be able
// to use one index for both equalities and read the rows already in sort_name order
// (SQLite, without statistics, would otherwise scan every public member).
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.createIndex('member_profiles_public_sector').on('member_profiles').columns(['is_public', 'sector_id', 'sort_name']).execute();
  await db.schema.createIndex('member_profiles_public_region').on('member_profiles').columns(['is_public', 'region_id', 'sort_name']).execute();
  // The term and committee filters read member ids straight from these, without table lookups.
  await db.schema.createIndex('memberships_term_user').on('memberships').columns(['term_id', 'role', 'user_id']).execute();
  await db.schema.createIndex('memberships_body_user').on('memberships').columns(['body_id', 'user_id']).execute();
}
