import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config.js';
import { ensurePgSchema, openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { verifyAudit } from '../platform/timeline/verify.js';
import { CliError, type Io, withContext } from './common.js';

/** `migrate`: brings the schema up to date and says which migrations ran. */
export async function migrate(io: Io): Promise<void> {
  const config = loadConfig();
  if (config.databaseUrl && config.pgSchema) await ensurePgSchema(config.databaseUrl, config.pgSchema);
  const database = openDatabase(config);
  try {
    const applied = await migrateToLatest(database, config.pgSchema);
    io.out(applied.length ? `Applied ${applied.join(', ')}.` : `The ${database.dialect} database is up to date.`);
  } finally {
    await database.close();
  }
}

/** `backup <file>`: an online, consistent copy of the SQLite database, safe while the site runs. */
export async function backup(positionals: string[], io: Io): Promise<void> {
  const target = positionals[0];
  if (!target) throw new CliError('Usage: backup <file>', 2);
  const file = resolve(target);
  if (existsSync(file)) throw new CliError(`${file} exists; choose a new file name.`);
  await withContext(async (ctx) => {
    if (!ctx.database.sqlite) throw new CliError('This installation uses PostgreSQL: back it up with pg_dump (e.g. pg_dump -Fc "$DATABASE_URL" > xieshang.dump).');
    const { totalPages } = await ctx.database.sqlite.backup(file);
    io.out(`Backed up ${totalPages} pages to ${file}.`);
  });
}

/** `verify-audit`: walks the hash chain; exit code 1 and a listing when anything is wrong. */
export async function verifyAuditCommand(io: Io): Promise<void> {
  const report = await withContext((ctx) => verifyAudit(ctx.database.db));
  if (report.ok) {
    io.out(`Audit log intact: ${report.checked} events checked.`);
    return;
  }
  const what = { edited: 'edited (its hash does not match its content or the next link)', deleted: 'deleted (missing from the chain)', anchor: 'chain head does not match the recorded anchor' };
  for (const p of report.problems) io.out(`event ${p.id}: ${what[p.kind]}`);
  throw new CliError(`Audit log damaged: ${report.problems.length} problem(s) in ${report.checked} events checked.`);
}
