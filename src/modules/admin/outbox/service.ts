import type { Executor } from '../../../db/database.js';
import type { JobStatus } from '../../../db/schema.js';
import type { CurrentUser } from '../../../platform/auth/current-user.js';
import { requireAdmin } from '../access.js';

const SIZE = 50;

/** Text messages newest first, in full: development login codes are read here. */
export async function listSms(db: Executor, user: CurrentUser | null, page: number) {
  await requireAdmin(db, user, 'admin.outbox');
  const { n } = await db.selectFrom('sms_messages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await db.selectFrom('sms_messages').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc')
    .limit(SIZE).offset((page - 1) * SIZE).execute();
  return { rows, total: Number(n), pages: Math.max(1, Math.ceil(Number(n) / SIZE)) };
}

/** Job counts by state, and the unfinished or failed jobs (oldest due first). */
export async function jobState(db: Executor, user: CurrentUser | null) {
  await requireAdmin(db, user, 'admin.outbox');
  const counts = await db.selectFrom('jobs').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  const byStatus: Record<JobStatus, number> = { pending: 0, running: 0, done: 0, failed: 0 };
  for (const c of counts) byStatus[c.status] = Number(c.n);
  const open = await db.selectFrom('jobs').select(['id', 'kind', 'status', 'run_at', 'attempts', 'max_attempts', 'last_error', 'created_at'])
    .where('status', 'in', ['pending', 'running', 'failed']).orderBy('status').orderBy('run_at').limit(100).execute();
  return { byStatus, open };
}
