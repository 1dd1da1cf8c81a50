import type { AppContext } from '../../../context.js';
import type { Executor } from '../../../db/database.js';
import type { CurrentUser } from '../../../platform/auth/current-user.js';
import { ValidationError } from '../../../platform/errors.js';
import { appendEvent } from '../../../platform/timeline/audit.js';
import { checkbox, choice, int, text, validate } from '../../../platform/validation.js';
import { guardConstraints, requireAdmin } from '../access.js';
import { getAccount } from './users-service.js';

export const GENDERS = ['male', 'female'] as const;

const spec = {
  sectorId: int({ label: (t) => t.adminPeople.sector, min: 1, required: false }),
  regionId: int({ label: (t) => t.adminPeople.township, min: 1, required: false }),
  gender: choice({ label: (t) => t.adminPeople.gender, values: GENDERS, required: false }),
  ethnicity: text({ label: (t) => t.adminPeople.ethnicity, max: 20, required: false }),
  party: text({ label: (t) => t.adminPeople.party, max: 30, required: false }),
  occupation: text({ label: (t) => t.adminPeople.occupation, max: 100, required: false }),
  bio: text({ label: (t) => t.adminPeople.bio, max: 2000, multiline: true, required: false }),
  sortName: text({ label: (t) => t.adminPeople.sortName, max: 50, required: false }),
  isStanding: checkbox({ label: (t) => t.adminPeople.isStanding }),
  isPublic: checkbox({ label: (t) => t.adminPeople.isPublic }),
};

export interface ProfileValues {
  sectorId: number | null; regionId: number | null; gender: string | null; ethnicity: string | null; party: string | null;
  occupation: string; bio: string; sortName: string; isStanding: boolean; isPublic: boolean;
}

export async function getProfile(db: Executor, user: CurrentUser | null, userId: number): Promise<ProfileValues | null> {
  await getAccount(db, user, userId);
  const p = await db.selectFrom('member_profiles').selectAll().where('user_id', '=', userId).executeTakeFirst();
  if (!p) return null;
  return {
    sectorId: p.sector_id, regionId: p.region_id, gender: p.gender, ethnicity: p.ethnicity, party: p.party,
    occupation: p.occupation, bio: p.bio, sortName: p.sort_name, isStanding: p.is_standing === 1, isPublic: p.is_public === 1,
  };
}

/** Creates or replaces a member's public profile; the township must be a township-level region. */
export async function saveProfile(ctx: AppContext, user: CurrentUser | null, userId: number, input: unknown): Promise<void> {
  const db = ctx.database.db;
  const actor = await requireAdmin(db, user, 'admin.users');
  const account = await getAccount(db, actor, userId);
  const v = validate(spec, input);
  await guardConstraints(() => db.transaction().execute(async (trx) => {
    const issues: ValidationError['issues'] = [];
    if (v.sectorId !== null && !(await trx.selectFrom('sectors').select('id').where('id', '=', v.sectorId).executeTakeFirst())) {
      issues.push({ field: 'sectorId', message: (t) => t.adminPeople.errUnknownSector });
    }
    if (v.regionId !== null && !(await trx.selectFrom('regions').select('id').where('id', '=', v.regionId).where('level', '=', 'township').executeTakeFirst())) {
      issues.push({ field: 'regionId', message: (t) => t.adminPeople.errUnknownTownship });
    }
    if (issues.length) throw new ValidationError(issues);
    const row = {
      sector_id: v.sectorId, region_id: v.regionId, gender: v.gender, ethnicity: v.ethnicity, party: v.party,
      occupation: v.occupation ?? '', bio: v.bio ?? '', sort_name: v.sortName ?? account.displayName,
      is_standing: v.isStanding ? 1 : 0, is_public: v.isPublic ? 1 : 0,
    };
    await trx.insertInto('member_profiles').values({ user_id: userId, ...row })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(row)).execute();
    await appendEvent(trx, { streamType: 'user', streamId: userId, action: 'profile_saved', actorId: actor.id, data: { isPublic: v.isPublic, isStanding: v.isStanding } });
  }));
  ctx.pageCache.invalidate();
}
