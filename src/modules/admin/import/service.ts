import { createHash } from 'node:crypto';
import type { AppContext } from '../../../context.js';
import type { Executor } from '../../../db/database.js';
import type { CurrentUser } from '../../../platform/auth/current-user.js';
import { BadRequestError, ConflictError } from '../../../platform/errors.js';
import { appendEvent } from '../../../platform/timeline/audit.js';
import { guardConstraints, nowIso, requireAdmin } from '../access.js';
import { type MemberRow, type Report, checkRows, readSheet } from './parse.js';
import { dropUpload, keepUpload, takeUpload } from './store.js';

export interface Checked { report: Report; token: string }
export interface Imported { imported: number; skipped: number }

/** Step one: read and check an uploaded sheet; keep it for the confirmation step. */
export async function checkImport(ctx: AppContext, user: CurrentUser | null, file: Buffer): Promise<Checked> {
  const actor = await requireAdmin(ctx.database.db, user, 'admin.users');
  const report = await checkRows(ctx.database.db, await readSheet(file));
  const token = await keepUpload(ctx.config.uploadsDir, actor.id, file);
  return { report, token };
}

/**
 * Step two: re-check the kept sheet against the database as it is now and import in one
 * transaction. With any invalid row nothing is imported unless `validOnly` is set.
 */
export async function confirmImport(ctx: AppContext, user: CurrentUser | null, token: unknown, validOnly: boolean): Promise<Imported | { blocked: Report; token: string }> {
  const db = ctx.database.db;
  const actor = await requireAdmin(db, user, 'admin.users');
  const file = await takeUpload(ctx.config.uploadsDir, actor.id, token);
  const report = await checkRows(db, await readSheet(file));
  if (report.issues.length && !validOnly) return { blocked: report, token: String(token) };
  if (report.rows.length === 0) throw new BadRequestError((t) => t.adminImport.errNothingToImport, 'nothing_to_import');
  const sha = createHash('sha256').update(file).digest('hex');
  const invalidRows = new Set(report.issues.map((i) => i.row)).size;
  await guardConstraints(() => db.transaction().execute(async (trx) => {
    // Another import may have added some of these phones since the check: then stop.
    const clash = await trx.selectFrom('user_pii').select('phone').where('phone', 'in', report.rows.map((r) => r.phone).slice(0, 5000)).limit(1).executeTakeFirst();
    if (clash) throw new ConflictError((t) => t.adminImport.errChangedMeanwhile);
    await insertMembers(trx, report.rows, report.committeeBodyId);
    await appendEvent(trx, { streamType: 'member_import', streamId: sha.slice(0, 16), action: 'imported', actorId: actor.id,
      data: { imported: report.rows.length, skipped: invalidRows, rows: report.total, sha256: sha } });
  }));
  await dropUpload(ctx.config.uploadsDir, String(token));
  ctx.pageCache.invalidate();
  return { imported: report.rows.length, skipped: invalidRows };
}

const chunks = <T>(xs: T[], n = 200): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

async function insertMembers(trx: Executor, rows: MemberRow[], committeeId: number): Promise<void> {
  const now = nowIso();
  // Each user's id is needed for the rows that refer to it, so users go in one by one;
  // everything else goes in by the chunk.
  const ids: number[] = [];
  for (const r of rows) {
    const u = await trx.insertInto('users').values({
      display_name: r.name, username: null, password_hash: null, totp_secret: null, locale: null, created_at: now, erased_at: null,
    }).returning('id').executeTakeFirstOrThrow();
    ids.push(u.id);
  }
  const at = (i: number) => ids[i] as number;
  for (const c of chunks(rows.map((r, i) => ({ r, id: at(i) })))) {
    await trx.insertInto('user_pii').values(c.map(({ r, id }) => ({ user_id: id, phone: r.phone, real_name: r.name, id_number: null, email: null, updated_at: now }))).execute();
    await trx.insertInto('member_profiles').values(c.map(({ r, id }) => ({
      user_id: id, sector_id: r.sectorId, region_id: r.townshipId, gender: r.gender, ethnicity: r.ethnicity, party: r.party,
      occupation: r.occupation, bio: '', is_standing: r.standing ? 1 : 0, is_public: 1, sort_name: r.name,
    }))).execute();
    const memberships = c.flatMap(({ r, id }) => [
      { user_id: id, body_id: committeeId, role: r.standing ? 'standing_member' as const : 'member' as const, term_id: r.termId, title: null, starts_on: null, ends_on: null, created_at: now },
      ...(r.committeeId ? [{ user_id: id, body_id: r.committeeId, role: 'member' as const, term_id: r.termId, title: null, starts_on: null, ends_on: null, created_at: now }] : []),
    ]);
    await trx.insertInto('memberships').values(memberships).execute();
  }
}
