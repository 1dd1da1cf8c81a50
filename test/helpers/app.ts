import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { type AppContext, closeContext, createContext } from '../../src/context.js';
import { dropPgSchema } from '../../src/db/database.js';

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  close(): Promise<void>;
}

/**
 * A real, migrated database per suite: a fresh SQLite file, or a fresh PostgreSQL schema
 * when DATABASE_URL is set (CI runs the whole suite both ways).
 */
export async function createTestContext(
  overrides: Partial<Config> = {},
  opts: { setupDone?: boolean } = {},
): Promise<{ ctx: AppContext; cleanup(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'xs-test-'));
  const schema = process.env.DATABASE_URL ? `t_${randomBytes(6).toString('hex')}` : undefined;
  const config = loadConfig({ ...process.env, XS_COOKIE_SECRET: 'test-secret-test-secret-test-secret-123' }, {
    dataDir, pgSchema: schema, logLevel: process.env.XS_TEST_LOG ?? 'silent', workerInline: false, ...overrides,
  });
  const ctx = await createContext(config);
  // Most suites test a set-up installation; the first-run suites pass setupDone: false.
  if (opts.setupDone !== false) await ctx.database.db.insertInto('settings').values({ key: 'setup_done', value: '1' }).execute();
  return {
    ctx,
    async cleanup() {
      await closeContext(ctx);
      if (schema && config.databaseUrl) {
        await dropPgSchema(config.databaseUrl, schema);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function createTestApp(overrides: Partial<Config> = {}, opts: { setupDone?: boolean } = {}): Promise<TestApp> {
  const { ctx, cleanup } = await createTestContext(overrides, opts);
  const app = await buildApp(ctx);
  await app.ready();
  return {
    app,
    ctx,
    async close() {
      await app.close();
      await cleanup();
    },
  };
}
