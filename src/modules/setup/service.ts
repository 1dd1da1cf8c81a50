import type { Database } from '../../db/database.js';
import { hashPassword } from '../../platform/auth/passwords.js';
import { createSession } from '../../platform/auth/sessions.js';
import { type FieldIssue, NotFoundError, ValidationError } from '../../platform/errors.js';
import { forgetSiteSettings, getSiteSettings, putSettings } from '../../platform/site-settings.js';
import { appendEvent } from '../../platform/timeline/audit.js';
import { text, validate } from '../../platform/validation.js';
import { password, username } from '../account/credentials.js';

export const setupSpec = {
  orgName: text({ label: (t) => t.setup.orgName, max: 100 }),
  orgNameEn: text({ label: (t) => t.setup.orgNameEn, max: 200, required: false }),
  regionName: text({ label: (t) => t.setup.regionName, max: 100 }),
  regionCode: text({ label: (t) => t.setup.regionCode, max: 12, pattern: /^\d{6}(\d{6})?$/ }),
  username: username({ label: (t) => t.setup.username }),
  displayName: text({ label: (t) => t.setup.displayName, max: 100 }),
  password: password({ label: (t) => t.setup.password }),
  passwordConfirm: password({ label: (t) => t.setup.passwordConfirm, checkLength: false }),
};

export async function isSetupDone(database: Database): Promise<boolean> {
  return (await getSiteSettings(database.db)).setupDone;
}

/**
 * Creates the organisation and its first administrator in one transaction and returns a
 * session for them. The `setup_done` row is claimed first, so a second run (a race or a
 * replayed form) finds it taken and changes nothing.
 */
export async function runSetup(database: Database, input: unknown): Promise<{ userId: number; sessionToken: string }> {
  if (await isSetupDone(database)) throw new NotFoundError();
  const v = validate(setupSpec, input);
  if (v.password !== v.passwordConfirm) {
    throw new ValidationError([{ field: 'passwordConfirm', message: (t) => t.setup.errPasswordMismatch }]);
  }
  const passwordHash = await hashPassword(v.password);
  const now = new Date().toISOString();
  const result = await database.db.transaction().execute(async (trx) => {
    const claimed = await trx.insertInto('settings').values({ key: 'setup_done', value: '1' })
      .onConflict((oc) => oc.column('key').doNothing()).returning('key').executeTakeFirst();
    if (!claimed) throw new NotFoundError();
    const issues: FieldIssue[] = [];
    if (await trx.selectFrom('users').select('id').where('username', '=', v.username).executeTakeFirst()) {
      issues.push({ field: 'username', message: (t) => t.setup.errUsernameTaken });
    }
    if (await trx.selectFrom('regions').select('id').where('code', '=', v.regionCode).executeTakeFirst()) {
      issues.push({ field: 'regionCode', message: (t) => t.setup.errRegionCodeTaken });
    }
    if (issues.length) throw new ValidationError(issues);

    const region = await trx.insertInto('regions').values({
      parent_id: null, level: 'county', name: v.regionName, name_en: null, code: v.regionCode,
    }).returning('id').executeTakeFirstOrThrow();
    const body = await trx.insertInto('bodies').values({
      parent_id: null, kind: 'committee', name: v.orgName, name_en: v.orgNameEn, region_id: region.id, created_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await putSettings(trx, {
      org_name: v.orgName,
      org_name_en: v.orgNameEn ?? '',
      root_region_id: String(region.id),
      committee_body_id: String(body.id),
      setup_done: '1',
    }, database.db);
    const user = await trx.insertInto('users').values({
      display_name: v.displayName, username: v.username, password_hash: passwordHash, totp_secret: null,
      is_admin: 1, locale: null, created_at: now, erased_at: null,
    }).returning('id').executeTakeFirstOrThrow();
    await trx.insertInto('memberships').values({
      user_id: user.id, body_id: body.id, role: 'admin', term_id: null, title: null, starts_on: now.slice(0, 10), ends_on: null, created_at: now,
    }).execute();
    await appendEvent(trx, {
      streamType: 'site', streamId: 'setup', action: 'setup.completed', actorId: user.id,
      data: { orgName: v.orgName, regionId: region.id, committeeBodyId: body.id, adminUserId: user.id },
    });
    const sessionToken = await createSession(trx, user.id);
    return { userId: user.id, sessionToken };
  });
  // A read racing the transaction may have cached the old settings; drop them now it has committed.
  forgetSiteSettings(database.db);
  return result;
}
