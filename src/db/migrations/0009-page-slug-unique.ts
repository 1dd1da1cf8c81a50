import type { Kysely } from 'kysely';
import type { Dialect } from './helpers.js';

// Pages are addressed as /pages/:slug across the whole site, so a slug is unique site-wide,
// not only within its body.
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.dropIndex('pages_slug').execute();
  await db.schema.createIndex('pages_slug').on('pages').column('slug').unique().execute();
  await db.schema.createIndex('pages_body').on('pages').columns(['body_id', 'status']).execute();
}
