import type { Kysely } from 'kysely';
import type { Dialect } from './helpers.js';

// Frozen in time: never import application code here.
// The current notices (公示) list reads the notices whose period has not ended
// (`notice_until >= today`): a range on notice_until, most long past. The consultation id
// after it lets the join to the consultation (public or not) and the count read the index alone.
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.createIndex('consultation_notices_until').on('consultation_notices').columns(['notice_until', 'consultation_id']).execute();
}
