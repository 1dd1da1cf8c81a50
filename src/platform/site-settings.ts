import type { Executor } from '../db/database.js';

export interface SiteSettings {
  orgName: string;
  orgNameEn: string;
  rootRegionId: number | null;
  committeeBodyId: number | null;
  setupDone: boolean;
}

const KEYS = ['org_name', 'org_name_en', 'root_region_id', 'committee_body_id', 'setup_done'] as const;

// Per database handle, so several apps in one process (tests) never share settings.
const cache = new WeakMap<object, { at: number; value: SiteSettings }>();

/** Site settings, read at most once a second per process (they change once, at set-up). */
export async function getSiteSettings(db: Executor): Promise<SiteSettings> {
  const cached = cache.get(db);
  if (cached && Date.now() - cached.at < 1000) return cached.value;
  const rows = await db.selectFrom('settings').select(['key', 'value']).where('key', 'in', KEYS).execute();
  const m = new Map(rows.map((r) => [r.key, r.value]));
  const value: SiteSettings = {
    orgName: m.get('org_name') ?? '',
    orgNameEn: m.get('org_name_en') ?? '',
    rootRegionId: m.has('root_region_id') ? Number(m.get('root_region_id')) : null,
    committeeBodyId: m.has('committee_body_id') ? Number(m.get('committee_body_id')) : null,
    setupDone: m.get('setup_done') === '1',
  };
  cache.set(db, { at: Date.now(), value });
  return value;
}

export function forgetSiteSettings(db: object): void {
  cache.delete(db);
}

/** Writes settings; pass the root handle as `cacheOwner` when `db` is a transaction. */
export async function putSettings(db: Executor, values: Record<string, string>, cacheOwner: object = db): Promise<void> {
  for (const [key, value] of Object.entries(values)) {
    await db.insertInto('settings').values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
  }
  forgetSiteSettings(cacheOwner);
}
