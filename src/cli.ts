import { parseArgs } from 'node:util';
import { loadConfig } from './config.js';
import { createContext } from './context.js';
import { createAdmin } from './cli/admin.js';
import { CliError, type Io, stdio } from './cli/common.js';
import { demo } from './cli/demo.js';
import { backup, migrate, verifyAuditCommand } from './cli/maintenance.js';
import { runWorker } from './cli/serve.js';
import { issueToken, listTokens, revokeToken } from './cli/tokens.js';

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
  demo [--serve] [--force]                  seed the fictional demo county (and serve it)

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
    case 'migrate': return migrate(io);
    case 'create-admin': return createAdmin(values, io);
    case 'token': {
      const [sub, ...args] = rest;
      if (sub === 'issue') return issueToken(values, io);
      if (sub === 'revoke') return revokeToken(args, io);
      if (sub === 'list') return listTokens(io);
      throw new CliError('Usage: token issue --user U --name N | token revoke <id> | token list', 2);
    }
    case 'backup': return backup(rest, io);
    case 'verify-audit': return verifyAuditCommand(io);
    case 'worker': return runWorker(await createContext(loadConfig()));
    case 'demo': return demo(values, io);
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
