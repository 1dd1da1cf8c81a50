import type { Executor } from '../../db/database.js';
import { readAnchor } from './audit.js';
import { GENESIS_HASH, eventHash } from './canonical.js';

export interface AuditProblem {
  /** The row concerned: the edited row, or the first id missing. */
  id: number;
  kind: 'edited' | 'deleted' | 'anchor';
}

export interface AuditReport {
  ok: boolean;
  checked: number;
  problems: AuditProblem[];
}

const BATCH = 2000;

/**
 * Walks the whole chain: every row's hash must match its fields and the previous row's
 * hash, ids must have no gaps, and the newest row must be the anchored head.
 */
export async function verifyAudit(db: Executor): Promise<AuditReport> {
  const problems: AuditProblem[] = [];
  let lastId = 0;
  let lastHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_events').selectAll().where('id', '>', lastId).orderBy('id').limit(BATCH).execute();
    for (const r of rows) {
      const id = Number(r.id);
      checked++;
      if (id !== lastId + 1) problems.push({ id: lastId + 1, kind: 'deleted' });
      else if (r.prev_hash !== lastHash) {
        // Contiguous ids but a broken link: the previous row was rewritten, hash and all.
        problems.push({ id: lastId, kind: 'edited' });
      }
      if (eventHash(r.prev_hash, { ...r, id }) !== r.hash) problems.push({ id, kind: 'edited' });
      lastId = id;
      lastHash = r.hash;
    }
    if (rows.length < BATCH) break;
  }
  const anchor = await readAnchor(db);
  if (anchor === 'invalid') problems.push({ id: lastId, kind: 'anchor' });
  else if (!anchor) {
    if (checked > 0) problems.push({ id: lastId, kind: 'anchor' });
  } else if (anchor.id > lastId) problems.push({ id: lastId + 1, kind: 'deleted' });
  else if (anchor.id < lastId) problems.push({ id: anchor.id + 1, kind: 'anchor' });
  else if (anchor.hash !== lastHash) problems.push({ id: lastId, kind: 'edited' });
  problems.sort((a, b) => a.id - b.id);
  return { ok: problems.length === 0, checked, problems };
}
