import type { AppContext } from '../../context.js';
import { type Executor, transaction } from '../../db/database.js';
import { hashPassword } from '../../platform/auth/passwords.js';
import { newToken } from '../../platform/auth/sessions.js';
import { putSettings } from '../../platform/site-settings.js';
import { indexMember } from '../members/search-index.js';
import { insertMany } from './batch.js';
import { COMMITTEE, SPECIAL_COMMITTEES } from './data/bodies.js';
import { COUNTY } from './data/places.js';
import { generateMembers } from './people.js';
import { Rng } from './prng.js';
import { seedNews, seedPages } from './seed-content.js';
import { insertMembers } from './seed-people.js';
import { seedOpinions } from './opinions.js';
import { type Structure, seedStructure } from './seed-structure.js';

export const DEMO_SEED = 20_260_101;
export const DEMO_MEMBERS = 200;
export const DEMO_NEWS = 42;

export interface SeedDemoOptions {
  log?: (line: string) => void;
  /** Seed even though first-run setup is done (the demo county is added beside what is there). */
  force?: boolean;
}

export class DemoRefusedError extends Error {
  override name = 'DemoRefusedError';
}

export interface DemoResult { structure: Structure; memberIds: number[]; adminId: number; staffId: number }

/**
 * Fills the database with the fictional 青山县政协: regions, bodies, sectors, terms, about
 * 200 members across two terms, pages and a year of news, all indexed for search. The same
 * data every time (seeded PRNG); only the two staff passwords are random and are printed.
 */
export async function seedDemo(ctx: AppContext, opts: SeedDemoOptions = {}): Promise<DemoResult> {
  const log = opts.log ?? (() => {});
  const db = ctx.database.db;
  const done = await db.selectFrom('settings').select('value').where('key', '=', 'setup_done').executeTakeFirst();
  if (done?.value === '1' && !opts.force) throw new DemoRefusedError('This database is already set up; the demo only seeds an empty database (use --force to add it anyway).');
  const already = await db.selectFrom('regions').select('id').where('code', '=', COUNTY.code).executeTakeFirst();
  if (already) throw new DemoRefusedError('The demo county is already in this database.');

  const started = Date.now();
  const now = new Date();
  const nowIso = now.toISOString();
  const adminPassword = newToken(12);
  const staffPassword = newToken(12);
  const [adminHash, staffHash] = await Promise.all([hashPassword(adminPassword), hashPassword(staffPassword)]);

  const result = await transaction(ctx.database, async (trx) => {
    const s = await seedStructure(trx, nowIso);
    const { adminId, staffId, created } = await seedStaff(trx, s, adminHash, staffHash, nowIso);
    const members = generateMembers(new Rng(DEMO_SEED), DEMO_MEMBERS, SPECIAL_COMMITTEES.length);
    const memberIds = await insertMembers(trx, s, members, nowIso);
    await seedPages(trx, s, staffId, nowIso);
    await seedNews(trx, s, DEMO_NEWS, staffId, now);
    for (const id of memberIds) await indexMember(trx, id);
    const opinions = await seedOpinions(trx, s, { staffId, now });
    await putSettings(trx, {
      org_name: COMMITTEE.name, org_name_en: COMMITTEE.en, root_region_id: String(s.countyId),
      committee_body_id: String(s.committeeId), setup_done: '1',
    }, db);
    return { structure: s, memberIds, adminId, staffId, created, opinions };
  });
  ctx.pageCache.invalidate();
  log(`Demo county ${COMMITTEE.name} seeded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.memberIds.length} members, ${DEMO_NEWS} news items, ${result.opinions.opinions} opinions.`);
  log(result.created.includes('admin') ? `  administrator: admin / ${adminPassword}` : '  administrator: the existing account "admin" was kept');
  log(result.created.includes('staff') ? `  staff:         staff / ${staffPassword}` : '  staff: the existing account "staff" was kept');
  const { created: _, opinions: __, ...out } = result;
  return out;
}

/** The administrator `admin` and the committee office's staff account `staff` (reused if they exist). */
async function seedStaff(db: Executor, s: Structure, adminHash: string, staffHash: string, now: string): Promise<{ adminId: number; staffId: number; created: string[] }> {
  const existing = new Map((await db.selectFrom('users').select(['id', 'username']).where('username', 'in', ['admin', 'staff']).execute()).map((r) => [r.username, r.id]));
  const user = (username: string, name: string, hash: string, isAdmin: number) => ({
    display_name: name, username, password_hash: hash, totp_secret: null, is_admin: isAdmin, status: 'active', locale: null, created_at: now, erased_at: null,
  });
  const want = [user('admin', '系统管理员', adminHash, 1), user('staff', '县政协办公室', staffHash, 0)].filter((u) => !existing.has(u.username));
  const ids = await insertMany(db, 'users', want);
  want.forEach((u, i) => existing.set(u.username, ids[i]!));
  const adminId = existing.get('admin')!;
  const staffId = existing.get('staff')!;
  await db.insertInto('memberships').values([
    { user_id: adminId, body_id: s.committeeId, role: 'admin', term_id: null, title: '系统管理员', starts_on: null, ends_on: null, created_at: now },
    { user_id: staffId, body_id: s.committeeId, role: 'staff', term_id: null, title: '办公室工作人员', starts_on: null, ends_on: null, created_at: now },
  ]).execute();
  return { adminId, staffId, created: want.map((u) => u.username) };
}
