import type { Config } from './config.js';
import { type Database, ensurePgSchema, openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { PageCache } from './platform/page-cache.js';

/** Everything a request or job needs, built once from config; tests swap parts. */
export interface AppContext {
  config: Config;
  database: Database;
  pageCache: PageCache;
}

export async function createContext(config: Config, overrides: Partial<AppContext> = {}): Promise<AppContext> {
  if (config.databaseUrl && config.pgSchema) await ensurePgSchema(config.databaseUrl, config.pgSchema);
  const database = overrides.database ?? openDatabase(config);
  await migrateToLatest(database, config.pgSchema);
  return {
    config,
    database,
    pageCache: overrides.pageCache ?? new PageCache(config.pageCacheTtlMs),
    ...overrides,
  };
}

export async function closeContext(ctx: AppContext): Promise<void> {
  await ctx.database.close();
}
