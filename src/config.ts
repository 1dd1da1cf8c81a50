import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type SmsAdapterKind = 'log' | 'http';

export interface Config {
  host: string;
  port: number;
  /** PostgreSQL when set; otherwise the embedded SQLite file in dataDir. */
  databaseUrl: string | undefined;
  /** Schema to use on PostgreSQL (tests give each suite its own). */
  pgSchema: string | undefined;
  dataDir: string;
  sqliteFile: string;
  uploadsDir: string;
  /** Secret for signing cookies; generated once and kept in dataDir when not given. */
  cookieSecret: string;
  secureCookies: boolean;
  trustProxy: boolean;
  logLevel: string;
  /** Run the job worker inside the web process. */
  workerInline: boolean;
  workerPollMs: number;
  uploadMaxBytes: number;
  pageCacheTtlMs: number;
  sms: { adapter: SmsAdapterKind; gatewayUrl: string | undefined; gatewayToken: string | undefined };
  rateLimits: { signInPerMinute: number; publicWritePerMinute: number };
  opinions: {
    /** Opinions one person (phone or account) may send per hour, and one IP address per hour. */
    perSenderPerHour: number;
    perIpPerHour: number;
    /** Proof-of-work difficulty for anonymous sending (the largest number a browser may have to try). */
    powMaxNumber: number;
    /** Largest attachment of an opinion, and how many. */
    attachmentMaxBytes: number;
    maxAttachments: number;
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function int(env: NodeJS.ProcessEnv, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${key} must be a non-negative integer, got "${raw}"`);
  return n;
}

function bool(env: NodeJS.ProcessEnv, key: string, fallback: boolean): boolean {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${key} must be true or false, got "${raw}"`);
}

function cookieSecretFor(dataDir: string, given: string | undefined): string {
  if (given) {
    if (given.length < 32) throw new ConfigError('XS_COOKIE_SECRET must be at least 32 characters');
    return given;
  }
  const file = join(dataDir, 'cookie-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

/** Reads and validates configuration once; overrides are for tests and the CLI. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const dataDir = resolve(overrides.dataDir ?? env.XS_DATA_DIR ?? 'data');
  mkdirSync(dataDir, { recursive: true });
  const adapter = (env.XS_SMS_ADAPTER ?? 'log') as SmsAdapterKind;
  if (adapter !== 'log' && adapter !== 'http') throw new ConfigError('XS_SMS_ADAPTER must be "log" or "http"');
  if (adapter === 'http' && !env.XS_SMS_GATEWAY_URL) throw new ConfigError('XS_SMS_GATEWAY_URL is required with XS_SMS_ADAPTER=http');
  const uploadsDir = join(dataDir, 'uploads');
  mkdirSync(uploadsDir, { recursive: true });
  const config: Config = {
    host: env.HOST ?? '0.0.0.0',
    port: int(env, 'PORT', 3000),
    databaseUrl: env.DATABASE_URL || undefined,
    pgSchema: env.XS_PG_SCHEMA || undefined,
    dataDir,
    sqliteFile: join(dataDir, env.XS_SQLITE_FILE ?? 'xieshang.db'),
    uploadsDir,
    cookieSecret: cookieSecretFor(dataDir, env.XS_COOKIE_SECRET),
    secureCookies: bool(env, 'XS_SECURE_COOKIES', false),
    trustProxy: bool(env, 'XS_TRUST_PROXY', false),
    logLevel: env.LOG_LEVEL ?? 'info',
    workerInline: bool(env, 'XS_WORKER_INLINE', true),
    workerPollMs: int(env, 'XS_WORKER_POLL_MS', 1000),
    uploadMaxBytes: int(env, 'XS_UPLOAD_MAX_BYTES', 10 * 1024 * 1024),
    pageCacheTtlMs: int(env, 'XS_PAGE_CACHE_TTL_MS', 60_000),
    sms: { adapter, gatewayUrl: env.XS_SMS_GATEWAY_URL, gatewayToken: env.XS_SMS_GATEWAY_TOKEN },
    rateLimits: {
      signInPerMinute: int(env, 'XS_RATE_SIGN_IN_PER_MIN', 10),
      publicWritePerMinute: int(env, 'XS_RATE_PUBLIC_WRITE_PER_MIN', 20),
    },
    opinions: {
      perSenderPerHour: int(env, 'XS_OPINIONS_PER_SENDER_HOUR', 10),
      perIpPerHour: int(env, 'XS_OPINIONS_PER_IP_HOUR', 60),
      powMaxNumber: int(env, 'XS_POW_MAX_NUMBER', 100_000),
      attachmentMaxBytes: int(env, 'XS_OPINION_ATTACHMENT_MAX_BYTES', 5 * 1024 * 1024),
      maxAttachments: int(env, 'XS_OPINION_MAX_ATTACHMENTS', 3),
    },
  };
  return { ...config, ...overrides };
}
