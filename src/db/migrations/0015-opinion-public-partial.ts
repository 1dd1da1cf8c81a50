import type { Kysely } from 'kysely';
import type { Dialect } from './helpers.js';

// Frozen in time: never import application code here.
// The public list's indexes hold public opinions only (partial indexes, `public_visible = 1`),
// and each carries the other filter columns after the creation time. Two things follow:
// - a new opinion (never public when it arrives) writes none of them, so submission touches
//   five fewer B-trees;
// - any combination of filters (category, handling body, place, status) walks one index in
//   time order and tests the other filters on the index entry itself, never on the table row
//   (which carries the texts): a rare combination costs a walk of index entries, not a read
//   of every matching opinion.
// Queries must say `public_visible = 1` with the literal 1 for the planners to use them.
const COLS = ['category_key', 'status', 'handler_body_id', 'region_id'] as const;
const rest = (lead: string) => COLS.filter((c) => c !== lead);

export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  for (const name of ['opinions_public', 'opinions_public_category', 'opinions_public_body', 'opinions_public_region', 'opinions_public_status']) {
    await db.schema.dropIndex(name).ifExists().execute();
  }
  const partial = (name: string, columns: string[]) => db.schema.createIndex(name).on('opinions').columns(columns).where('public_visible', '=', 1).execute();
  // (…, created_at, id, …): the list's order is created_at then id, newest first.
  await partial('opinions_pub_created', ['created_at', 'id', ...COLS]);
  await partial('opinions_pub_category', ['category_key', 'created_at', 'id', ...rest('category_key')]);
  await partial('opinions_pub_status', ['status', 'created_at', 'id', ...rest('status')]);
  await partial('opinions_pub_body', ['handler_body_id', 'created_at', 'id', ...rest('handler_body_id')]);
  await partial('opinions_pub_region', ['region_id', 'created_at', 'id', ...rest('region_id')]);
}
