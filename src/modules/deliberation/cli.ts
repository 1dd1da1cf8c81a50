import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { CliError, type Io, withContext } from '../../cli/common.js';
import { PolisFormatError } from './engine/index.js';
import { POLIS_FILES, exportPolis } from './polis-export.js';
import { importPolis } from './polis-import.js';
import { recomputeNow } from './recompute.js';

// `polis-import <folder>` and `polis-export <id> <folder>` (Polis open-data format).

function readOptional(folder: string, name: string): string | null {
  const f = join(folder, name);
  return existsSync(f) ? readFileSync(f, 'utf8') : null;
}

/** Creates a standalone deliberation from a Polis export folder, computes it and prints its id. */
export async function polisImportCommand(args: string[], io: Io): Promise<void> {
  const [folderArg] = args;
  if (!folderArg || args.length !== 1) throw new CliError('Usage: polis-import <folder>  (with comments.csv and votes.csv; participants-votes.csv and summary.csv if there)', 2);
  const folder = resolve(folderArg);
  const comments = readOptional(folder, 'comments.csv');
  const votes = readOptional(folder, 'votes.csv');
  if (comments === null || votes === null) throw new CliError(`${folder} must hold comments.csv and votes.csv`, 2);
  const started = Date.now();
  const r = await withContext(async (ctx) => {
    try {
      return await importPolis(ctx, {
        comments, votes, participantsVotes: readOptional(folder, 'participants-votes.csv'), summary: readOptional(folder, 'summary.csv'),
      }, { owner: null, createdBy: null, fallbackTitle: basename(folder), thread: false });
    } catch (err) {
      if (err instanceof PolisFormatError) throw new CliError(err.message);
      throw err;
    }
  });
  io.err(`Imported ${r.statements} statements, ${r.participants} participants, ${r.votes} votes (${r.voteRows} in the log${r.skippedVotes ? `, ${r.skippedVotes} on unknown comments left out` : ''}); ${r.groups} opinion groups (${Date.now() - started} ms).`);
  if (r.ari !== null) io.err(`Agreement with Polis's groups (adjusted Rand index over ${r.compared} participants placed by both): ${r.ari.toFixed(3)}.`);
  io.out(String(r.id));
}

/** Writes the four Polis files of a deliberation (its result brought up to date first). */
export async function polisExportCommand(args: string[], io: Io): Promise<void> {
  const [idArg, folderArg] = args;
  if (!idArg || !folderArg || args.length !== 2 || !/^\d{1,10}$/.test(idArg)) throw new CliError('Usage: polis-export <id> <folder>', 2);
  const id = Number(idArg);
  const folder = resolve(folderArg);
  const files = await withContext(async (ctx) => {
    const d = await ctx.database.db.selectFrom('deliberations').select('id').where('id', '=', id).executeTakeFirst();
    if (!d) throw new CliError(`No deliberation ${id}.`);
    await recomputeNow(ctx, id, { thread: false });
    return exportPolis(ctx, id);
  });
  mkdirSync(folder, { recursive: true });
  for (const name of POLIS_FILES) writeFileSync(join(folder, name), files[name]);
  io.out(`Wrote ${POLIS_FILES.join(', ')} to ${folder}.`);
}
