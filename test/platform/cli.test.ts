import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { hashToken } from '../../src/platform/auth/sessions.js';
import { dropPgSchema } from '../../src/db/database.js';

const CLI = join(import.meta.dirname, '../../src/cli.ts');
const pgUrl = process.env.DATABASE_URL;

interface Run { code: number; stdout: string; stderr: string }

describe('CLI', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'xs-cli-'));
  const schema = pgUrl ? `t_cli_${randomBytes(5).toString('hex')}` : undefined;
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, XS_DATA_DIR: dataDir, LOG_LEVEL: 'silent', XS_ADMIN_PASSWORD: '' };
  if (schema) baseEnv.XS_PG_SCHEMA = schema;

  function xs(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
    return new Promise((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...baseEnv, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      });
    });
  }

  /** Reads the command's database directly (SQLite file or the suite's schema). */
  async function query<T>(text: string, params: unknown[] = []): Promise<T[]> {
    if (!pgUrl) {
      const db = new SQLite(join(dataDir, 'xieshang.db'), { readonly: true });
      try { return db.prepare(text).all(...params) as T[]; } finally { db.close(); }
    }
    const c = new pg.Client({ connectionString: pgUrl, options: `-c search_path=${schema}` });
    await c.connect();
    try {
      let i = 0;
      return (await c.query(text.replace(/\?/g, () => `$${++i}`), params)).rows as T[];
    } finally { await c.end(); }
  }

  before(async () => {
    const r = await xs(['migrate']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Applied 0001-foundation/);
  });
  after(async () => {
    if (schema && pgUrl) {
      await dropPgSchema(pgUrl, schema);
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('migrate a second time has nothing to do; unknown commands and options fail with usage', async () => {
    assert.match((await xs(['migrate'])).stdout, /up to date/);
    const bad = await xs(['frobnicate']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Unknown command "frobnicate"/);
    const opt = await xs(['migrate', '--bogus']);
    assert.equal(opt.code, 2);
    assert.match(opt.stderr, /Unknown option/);
  });

  it('create-admin refuses a weak password and a missing password, then creates the admin once', async () => {
    const weak = await xs(['create-admin', '--username', 'root', '--name', '管理员'], { XS_ADMIN_PASSWORD: 'short' });
    assert.equal(weak.code, 1);
    assert.match(weak.stderr, /too weak/);
    const none = await xs(['create-admin', '--username', 'root', '--name', '管理员']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /XS_ADMIN_PASSWORD/);
    assert.equal((await query('SELECT id FROM users')).length, 0);
    const ok = await xs(['create-admin', '--username', 'root', '--name', '管理员'], { XS_ADMIN_PASSWORD: 'correct horse battery' });
    assert.equal(ok.code, 0, ok.stderr);
    const [user] = await query<{ is_admin: number; password_hash: string; display_name: string }>('SELECT is_admin, password_hash, display_name FROM users WHERE username = ?', ['root']);
    assert.equal(user?.is_admin, 1);
    assert.equal(user?.display_name, '管理员');
    assert.match(user?.password_hash ?? '', /^\$argon2id\$/);
    const dup = await xs(['create-admin', '--username', 'root', '--name', 'Again'], { XS_ADMIN_PASSWORD: 'correct horse battery' });
    assert.equal(dup.code, 1);
    assert.match(dup.stderr, /taken/);
  });

  it('token issue prints the token once and stores only its hash; list and revoke', async () => {
    const issued = await xs(['token', 'issue', '--user', 'root', '--name', 'ci-bot']);
    assert.equal(issued.code, 0, issued.stderr);
    const token = issued.stdout.trim();
    assert.match(token, /^xs_[A-Za-z0-9_-]{40,}$/);
    const rows = await query<{ id: number; token_hash: string }>('SELECT id, token_hash FROM api_tokens');
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.token_hash, hashToken(token));
    const list = await xs(['token', 'list']);
    assert.match(list.stdout, /ci-bot\troot\t.*\tactive/);
    assert.doesNotMatch(list.stdout, new RegExp(token.slice(3, 20)));
    const nobody = await xs(['token', 'issue', '--user', 'nobody', '--name', 'x']);
    assert.equal(nobody.code, 1);
    const revoked = await xs(['token', 'revoke', String(rows[0]?.id)]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.ok((await query<{ revoked_at: string | null }>('SELECT revoked_at FROM api_tokens'))[0]?.revoked_at);
    assert.match((await xs(['token', 'list'])).stdout, /revoked/);
    assert.equal((await xs(['token', 'revoke', String(rows[0]?.id)])).code, 1);
    assert.equal((await xs(['token', 'revoke', '999'])).code, 1);
    assert.equal((await xs(['token', 'revoke', 'abc'])).code, 2);
  });

  it('verify-audit passes on the CLI-written chain and exits 1 with a listing once a row is edited', async () => {
    const ok = await xs(['verify-audit']);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /intact: 3 events/);
    if (pgUrl) await query("UPDATE audit_events SET data = '{\"via\":\"sql\"}' WHERE id = 2");
    else {
      const db = new SQLite(join(dataDir, 'xieshang.db'));
      db.prepare("UPDATE audit_events SET data = '{\"via\":\"sql\"}' WHERE id = 2").run();
      db.close();
    }
    const bad = await xs(['verify-audit']);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /event 2: edited/);
    assert.match(bad.stderr, /damaged/);
  });

  it('backup makes an openable SQLite copy with the same rows (PostgreSQL: points to pg_dump)', async () => {
    const file = join(dataDir, 'backup.db');
    const r = await xs(['backup', file]);
    if (pgUrl) {
      assert.equal(r.code, 1);
      assert.match(r.stderr, /pg_dump/);
      assert.equal(existsSync(file), false);
      return;
    }
    assert.equal(r.code, 0, r.stderr);
    const copy = new SQLite(file, { readonly: true });
    try {
      const count = (t: string) => (copy.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
      assert.equal(count('users'), 1);
      assert.equal(count('api_tokens'), 1);
      assert.equal(count('audit_events'), 3);
    } finally { copy.close(); }
    const again = await xs(['backup', file]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /exists/);
  });
});
