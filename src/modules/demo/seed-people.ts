import type { Executor } from '../../db/database.js';
import { insertAll, insertMany } from './batch.js';
import { TERMS } from './data/bodies.js';
import type { MemberSeed } from './people.js';
import type { Structure } from './seed-structure.js';

/** Inserts members with their personal data, public profiles and memberships; returns their user ids. */
export async function insertMembers(db: Executor, s: Structure, members: MemberSeed[], now: string): Promise<number[]> {
  const ids = await insertMany(db, 'users', members.map((m) => ({
    display_name: m.name, username: null, password_hash: null, totp_secret: null, is_admin: 0, status: 'active', locale: null, created_at: now, erased_at: null,
  })));
  await insertAll(db, 'user_pii', members.map((m, i) => ({ user_id: ids[i], phone: m.phone, real_name: m.name, id_number: null, email: null, updated_at: now })));
  await insertAll(db, 'member_profiles', members.map((m, i) => ({
    user_id: ids[i], sector_id: s.sectorIds[m.sector], region_id: m.village === null ? s.townshipIds[m.township] : s.villageIds[m.township]![m.village],
    gender: m.gender, ethnicity: m.ethnicity, party: m.party, occupation: m.occupation, bio: m.bio,
    is_standing: m.standing ? 1 : 0, is_public: 1, sort_name: m.sortName,
  })));
  const [t10, t11] = TERMS;
  const rows: Record<string, unknown>[] = [];
  const add = (userId: number, bodyId: number, role: string, termId: number, term: typeof t10, title: string | null = null) =>
    rows.push({ user_id: userId, body_id: bodyId, role, term_id: termId, title, starts_on: term!.starts_on, ends_on: term!.ends_on, created_at: now });
  members.forEach((m, i) => {
    const id = ids[i]!;
    if (m.inTerm10) add(id, s.committeeId, 'member', s.termIds.t10, t10);
    if (!m.inTerm11) return;
    add(id, s.committeeId, m.standing ? 'standing_member' : 'member', s.termIds.t11, t11, m.standing ? '常务委员' : null);
    add(id, s.liaisonGroupIds[m.township]!, 'member', s.termIds.t11, t11);
    if (m.committee !== null) add(id, s.specialCommitteeIds[m.committee]!, 'member', s.termIds.t11, t11);
    const studio = s.studioIds.find((x) => x.township === m.township);
    if (studio && i % 3 === 0) add(id, studio.id, 'member', s.termIds.t11, t11);
  });
  await insertAll(db, 'memberships', rows);
  return ids;
}
