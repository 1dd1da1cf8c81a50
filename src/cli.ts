import { parseArgs } from 'node:util';
import { CliError, type Io, stdio } from './cli/common.js';

// Commands load their code on demand, so a quick command does not load the whole site.
const maintenance = () => import('./cli/maintenance.js');
const tokens = () => import('./cli/tokens.js');

const USAGE = `Usage: npm run xs -- <command> [options]

  migrate                                   bring the database schema up to date
  create-admin --username U --name N        create an administrator (password from
                                            XS_ADMIN_PASSWORD, or asked for twice)
  token issue --user U --name N             issue an API token (shown once)
  token revoke <id>                         revoke an API token
  token list                                list API tokens
  backup <file>                             online, consistent copy of the SQLite database
  verify-audit                              check the audit log's hash chain (exit 1 if damaged)
  worker                                    run only the job worker
  hotspots                                  group the last 30 days' opinions into hotspots now
                                            (the worker also does it every 15 minutes)
  demo [--serve] [--force]                  seed the fictional demo county (and serve it)
  polis-import <folder>                     a deliberation from a Polis open-data export; prints its id
  polis-export <id> <folder>                a deliberation as Polis open data (comments, votes, participants-votes, summary)

The database is the one the site uses: DATABASE_URL, or the SQLite file in XS_DATA_DIR (./data).`;

async function main(argv: string[], io: Io): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      username: { type: 'string' }, name: { type: 'string' }, user: { type: 'string' },
      serve: { type: 'boolean' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    io.out(USAGE);
    if (!command && !values.help) throw new CliError('No command given.', 2);
    return;
  }
  switch (command) {
    case 'migrate': return (await maintenance()).migrate(io);
    case 'create-admin': return (await import('./cli/admin.js')).createAdmin(values, io);
    case 'token': {
      const [sub, ...args] = rest;
      if (sub === 'issue') return (await tokens()).issueToken(values, io);
      if (sub === 'revoke') return (await tokens()).revokeToken(args, io);
      if (sub === 'list') return (await tokens()).listTokens(io);
      throw new CliError('Usage: token issue --user U --name N | token revoke <id> | token list', 2);
    }
    case 'backup': return (await maintenance()).backup(rest, io);
    case 'verify-audit': return (await maintenance()).verifyAuditCommand(io);
    case 'worker': {
      const [{ runWorker }, { loadConfig }, { createContext }] = await Promise.all([import('./cli/serve.js'), import('./config.js'), import('./context.js')]);
      return runWorker(await createContext(loadConfig()));
    }
    case 'demo': return (await import('./cli/demo.js')).demo(values, io);
    case 'hotspots': {
      const [{ withContext }, { runHotspots }] = await Promise.all([import('./cli/common.js'), import('./modules/opinions/hotspot-job.js')]);
      const started = Date.now();
      const r = await withContext((ctx) => runHotspots(ctx));
      io.out(`Hotspots: ${r.public.groups.length} public groups from ${r.public.opinions} public opinions, ${r.all.groups.length} groups from all ${r.all.opinions} (${Date.now() - started} ms). Public pages show them within a minute.`);
      return;
    }
    case 'polis-import': return (await import('./modules/deliberation/cli.js')).polisImportCommand(rest, io);
    case 'polis-export': return (await import('./modules/deliberation/cli.js')).polisExportCommand(rest, io);
    default: throw new CliError(`Unknown command "${command}". Run "npm run xs -- --help" for the list.`, 2);
  }
}

try {
  await main(process.argv.slice(2), stdio);
} catch (err) {
  if (err instanceof CliError) {
    stdio.err(`Error: ${err.message}`);
    process.exitCode = err.exitCode;
  } else if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) {
    stdio.err(`Error: ${err.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    stdio.err(`Error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  }
}
