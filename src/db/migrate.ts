import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import { type Database, withSchemaLock } from './database.js';
import * as m0001 from './migrations/0001-foundation.js';
import * as m0003 from './migrations/0003-search-weights.js';
import * as m0004 from './migrations/0004-privacy-indexes.js';
import * as m0007 from './migrations/0007-member-directory.js';
import * as m0008 from './migrations/0008-totp-replay.js';
import * as m0009 from './migrations/0009-page-slug-unique.js';
import * as m0010 from './migrations/0010-opinions.js';
import * as m0011 from './migrations/0011-opinion-stats.js';
import * as m0012 from './migrations/0012-consultations.js';
import * as m0013 from './migrations/0013-deliberation.js';
import * as m0014 from './migrations/0014-opinion-due-indexes.js';
import * as m0015 from './migrations/0015-opinion-public-partial.js';
import * as m0016 from './migrations/0016-notice-until-index.js';
import * as m0017 from './migrations/0017-opinion-insert-indexes.js';
import * as m0018 from './migrations/0018-membership-role-index.js';
import * as m0019 from './migrations/0019-outcome-deliberation-snapshot.js';
import * as m0020 from './migrations/0020-participant-checkin.js';
import * as m0021 from './migrations/0021-vote-log-version.js';
import type { Dialect } from './migrations/helpers.js';

type DialectMigration = { up(db: Kysely<any>, dialect: Dialect): Promise<void> };

// Listed explicitly (not read from disk) so the same code runs from source and bundles.
const migrations: Record<string, DialectMigration> = {
  '0001-foundation': m0001,
  '0003-search-weights': m0003,
  '0004-privacy-indexes': m0004,
  '0007-member-directory': m0007,
  '0008-totp-replay': m0008,
  '0009-page-slug-unique': m0009,
  '0010-opinions': m0010,
  '0011-opinion-stats': m0011,
  '0012-consultations': m0012,
  '0013-deliberation': m0013,
  '0014-opinion-due-indexes': m0014,
  '0015-opinion-public-partial': m0015,
  '0016-notice-until-index': m0016,
  '0017-opinion-insert-indexes': m0017,
  '0018-membership-role-index': m0018,
  '0019-outcome-deliberation-snapshot': m0019,
  '0020-participant-checkin': m0020,
  '0021-vote-log-version': m0021,
};

class ListProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const [name, m] of Object.entries(migrations)) out[name] = { up: (db) => m.up(db, this.dialect) };
    return out;
  }
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export async function migrateToLatest(database: Database, pgSchema?: string): Promise<string[]> {
  // Name the schema on PostgreSQL: introspection sees every schema, and another schema's
  // migration tables must not be taken for ours.
  const migrator = new Migrator({
    db: database.db,
    provider: new ListProvider(database.dialect),
    // Numbers are handed out to work done in parallel, so one may land after a higher one ran.
    allowUnorderedMigrations: true,
    ...(database.dialect === 'postgres' ? { migrationTableSchema: pgSchema ?? 'public' } : {}),
  });
  let outcome: Awaited<ReturnType<Migrator['migrateToLatest']>>;
  if (database.pool) {
    const client = await database.pool.connect();
    try {
      outcome = await withSchemaLock(client, () => migrator.migrateToLatest());
    } finally {
      client.release();
    }
  } else {
    outcome = await migrator.migrateToLatest();
  }
  const { error, results } = outcome;
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(`migration ${failed} failed: ${String(error instanceof Error ? error.message : error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
