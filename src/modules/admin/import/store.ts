import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BadRequestError } from '../../../platform/errors.js';

// An uploaded sheet waits here between the report and the confirmation, under a random
// name that only the uploader learns, with the uploader's id beside it. Confirmation
// re-reads and re-checks the file, so the report is never trusted. Files expire after an hour.

const TTL_MS = 60 * 60 * 1000;
const TOKEN = /^[A-Za-z0-9_-]{32}$/;

const dirOf = (uploadsDir: string) => join(uploadsDir, 'member-import');

export async function keepUpload(uploadsDir: string, userId: number, buf: Buffer): Promise<string> {
  const dir = dirOf(uploadsDir);
  await mkdir(dir, { recursive: true });
  await sweep(dir);
  const token = randomBytes(24).toString('base64url');
  await writeFile(join(dir, `${token}.xlsx`), buf, { mode: 0o600 });
  await writeFile(join(dir, `${token}.json`), JSON.stringify({ userId, at: Date.now() }), { mode: 0o600 });
  return token;
}

export async function takeUpload(uploadsDir: string, userId: number, token: unknown): Promise<Buffer> {
  const expired = () => new BadRequestError((t) => t.adminImport.errUploadGone, 'upload_expired');
  if (typeof token !== 'string' || !TOKEN.test(token)) throw expired();
  const dir = dirOf(uploadsDir);
  try {
    const meta = JSON.parse(await readFile(join(dir, `${token}.json`), 'utf8')) as { userId: number; at: number };
    if (meta.userId !== userId || Date.now() - meta.at > TTL_MS) throw expired();
    return await readFile(join(dir, `${token}.xlsx`));
  } catch {
    throw expired();
  }
}

export async function dropUpload(uploadsDir: string, token: string): Promise<void> {
  if (!TOKEN.test(token)) return;
  const dir = dirOf(uploadsDir);
  await rm(join(dir, `${token}.xlsx`), { force: true });
  await rm(join(dir, `${token}.json`), { force: true });
}

async function sweep(dir: string): Promise<void> {
  const now = Date.now();
  for (const f of await readdir(dir)) {
    const p = join(dir, f);
    const s = await stat(p).catch(() => null);
    if (s && now - s.mtimeMs > TTL_MS) await rm(p, { force: true });
  }
}
