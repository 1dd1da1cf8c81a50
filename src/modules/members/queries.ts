import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { BodyKind } from '../../db/schema.js';

export const PAGE_SIZE = 30;

export interface Named { id: number; name: string; nameEn: string | null }
export interface FilterOptions { sectors: Named[]; committees: Named[]; townships: Named[]; terms: Named[] }
export interface DirectoryFilters { sector: number | null; committee: number | null; township: number | null; term: number | null; q: string | null }

export interface BodyRef extends Named { kind: BodyKind }
export interface MemberSummary {
  id: number; name: string; isStanding: boolean; sector: Named | null; township: Named | null; occupation: string;
  committees: BodyRef[];
}

/** The choices the directory offers; small tables, each read through an index or in full. */
export async function loadFilterOptions(db: Executor): Promise<FilterOptions> {
  const [sectors, committees, townships, terms] = await Promise.all([
    db.selectFrom('sectors').select(['id', 'name', 'name_en']).orderBy('sort').orderBy('id').execute(),
    db.selectFrom('bodies').select(['id', 'name', 'name_en']).where('kind', '=', 'special_committee').orderBy('sort').orderBy('id').execute(),
    db.selectFrom('regions').select(['id', 'name', 'name_en']).where('level', '=', 'township').orderBy('sort').orderBy('id').execute(),
    db.selectFrom('terms').select(['id', 'name', 'number']).orderBy('number', 'desc').execute(),
  ]);
  const named = (r: { id: number; name: string; name_en?: string | null }): Named => ({ id: r.id, name: r.name, nameEn: r.name_en ?? null });
  return {
    sectors: sectors.map(named), committees: committees.map(named), townships: townships.map(named),
    terms: terms.map((t) => ({ id: t.id, name: t.name, nameEn: termNameEn(t.number) })),
  };
}

/** Terms have no English name column: "11th term". */
export function termNameEn(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${suffix} term`;
}

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function directoryBase(db: Executor, f: DirectoryFilters) {
  let q = db.selectFrom('member_profiles as mp').innerJoin('users as u', 'u.id', 'mp.user_id')
    .where('mp.is_public', '=', 1).where('u.status', '=', 'active');
  if (f.sector !== null) q = q.where('mp.sector_id', '=', f.sector);
  if (f.committee !== null) {
    const c = f.committee;
    q = q.where('mp.user_id', 'in', db.selectFrom('memberships').select('user_id').where('body_id', '=', c));
  }
  if (f.township !== null) {
    const t = f.township;
    // A member's region is a township or one of its villages.
    q = q.where('mp.region_id', 'in', db.selectFrom('regions').select('id').where((eb) => eb.or([eb('id', '=', t), eb('parent_id', '=', t)])));
  }
  if (f.term !== null) {
    const t = f.term;
    q = q.where('mp.user_id', 'in', db.selectFrom('memberships').select('user_id').where('term_id', '=', t).where('role', 'in', ['member', 'standing_member']));
  }
  if (f.q) {
    const pattern = `%${escapeLike(f.q)}%`;
    const lower = `%${escapeLike(f.q.toLowerCase())}%`;
    q = q.where(sql<boolean>`(u.display_name like ${pattern} escape '\\' or mp.sort_name like ${lower} escape '\\')`);
  }
  return q;
}

/**
 * One page of the directory, in sort-key order (a pinyin-like key such as "zhang wei"), then
 * by name. Ordering by the plain columns lets the indexes deliver rows already sorted, so a
 * page costs a range scan and never a sort of every member; members without a sort key
 * (empty) come first, ordered by name.
 */
export async function listDirectory(db: Executor, f: DirectoryFilters, page: number): Promise<{ total: number; rows: MemberSummary[] }> {
  const countRow = await directoryBase(db, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const total = Number(countRow?.n ?? 0);
  if (total === 0) return { total, rows: [] };
  const rows = await directoryBase(db, f)
    .leftJoin('sectors as s', 's.id', 'mp.sector_id')
    .leftJoin('regions as r', 'r.id', 'mp.region_id')
    .leftJoin('regions as rp', 'rp.id', 'r.parent_id')
    .select(['u.id', 'u.display_name', 'mp.is_standing', 'mp.occupation', 'mp.sector_id', 's.name as sector_name', 's.name_en as sector_name_en',
      'r.id as region_id', 'r.level as region_level', 'r.name as region_name', 'r.name_en as region_name_en',
      'rp.id as parent_id', 'rp.name as parent_name', 'rp.name_en as parent_name_en'])
    .orderBy('mp.sort_name').orderBy('u.display_name').orderBy('u.id')
    .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE).execute();
  const committees = await bodiesOf(db, rows.map((r) => r.id), ['special_committee']);
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id, name: r.display_name, isStanding: r.is_standing === 1, occupation: r.occupation,
      sector: r.sector_id !== null && r.sector_name !== null ? { id: r.sector_id, name: r.sector_name, nameEn: r.sector_name_en } : null,
      township: townshipOf(r),
      committees: committees.get(r.id) ?? [],
    })),
  };
}

interface RegionCols { region_id: number | null; region_level: string | null; region_name: string | null; region_name_en: string | null; parent_id: number | null; parent_name: string | null; parent_name_en: string | null }
function townshipOf(r: RegionCols): Named | null {
  if (r.region_id === null || r.region_name === null) return null;
  if (r.region_level === 'township') return { id: r.region_id, name: r.region_name, nameEn: r.region_name_en };
  if (r.region_level === 'village' && r.parent_id !== null && r.parent_name !== null) return { id: r.parent_id, name: r.parent_name, nameEn: r.parent_name_en };
  return null;
}

/** The bodies of the given kinds each user belongs to, in one query for a whole page of users. */
export async function bodiesOf(db: Executor, userIds: number[], kinds: BodyKind[]): Promise<Map<number, BodyRef[]>> {
  const out = new Map<number, BodyRef[]>();
  if (userIds.length === 0) return out;
  const rows = await db.selectFrom('memberships as m').innerJoin('bodies as b', 'b.id', 'm.body_id')
    .select(['m.user_id', 'b.id', 'b.name', 'b.name_en', 'b.kind'])
    .where('m.user_id', 'in', userIds).where('b.kind', 'in', kinds)
    .orderBy('b.sort').orderBy('b.id').execute();
  for (const r of rows) {
    const list = out.get(r.user_id) ?? [];
    if (!list.some((b) => b.id === r.id)) list.push({ id: r.id, name: r.name, nameEn: r.name_en, kind: r.kind });
    out.set(r.user_id, list);
  }
  return out;
}

export interface MemberProfile {
  id: number; name: string; gender: string | null; party: string | null; isStanding: boolean; occupation: string; bio: string;
  sector: Named | null; township: Named | null; bodies: BodyRef[]; terms: Named[];
}

/** A public member's profile, or null when there is none to show. Never reads personal data. */
export async function findProfile(db: Executor, userId: number): Promise<MemberProfile | null> {
  const r = await db.selectFrom('member_profiles as mp').innerJoin('users as u', 'u.id', 'mp.user_id')
    .leftJoin('sectors as s', 's.id', 'mp.sector_id')
    .leftJoin('regions as r', 'r.id', 'mp.region_id')
    .leftJoin('regions as rp', 'rp.id', 'r.parent_id')
    .select(['u.id', 'u.display_name', 'mp.gender', 'mp.party', 'mp.is_standing', 'mp.occupation', 'mp.bio',
      'mp.sector_id', 's.name as sector_name', 's.name_en as sector_name_en',
      'r.id as region_id', 'r.level as region_level', 'r.name as region_name', 'r.name_en as region_name_en',
      'rp.id as parent_id', 'rp.name as parent_name', 'rp.name_en as parent_name_en'])
    .where('mp.user_id', '=', userId).where('mp.is_public', '=', 1).where('u.status', '=', 'active')
    .executeTakeFirst();
  if (!r) return null;
  const [bodies, terms] = await Promise.all([
    bodiesOf(db, [userId], ['special_committee', 'liaison_group', 'member_studio']),
    db.selectFrom('memberships as m').innerJoin('terms as t', 't.id', 'm.term_id')
      .select(['t.id', 't.name', 't.number']).distinct()
      .where('m.user_id', '=', userId).where('m.role', 'in', ['member', 'standing_member'])
      .orderBy('t.number').execute(),
  ]);
  return {
    id: r.id, name: r.display_name, gender: r.gender, party: r.party, isStanding: r.is_standing === 1,
    occupation: r.occupation, bio: r.bio,
    sector: r.sector_id !== null && r.sector_name !== null ? { id: r.sector_id, name: r.sector_name, nameEn: r.sector_name_en } : null,
    township: townshipOf(r), bodies: bodies.get(userId) ?? [],
    terms: terms.map((t) => ({ id: t.id, name: t.name, nameEn: termNameEn(t.number) })),
  };
}
