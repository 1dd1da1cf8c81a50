import { createHash, randomBytes } from 'node:crypto';
import { unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppContext } from '../../context.js';
import { ValidationError } from '../../platform/errors.js';
import { cleanFilename, megabytes } from '../content/attachments/service.js';
import { detectFileType, extensionMatches } from '../content/attachments/file-types.js';

// A citizen's attachments: images or PDF, checked by their content (magic bytes), not by
// their name; limits come from config and are stated on the form.

export interface Upload { filename: string; data: Buffer }
export interface StoredFile { filename: string; mime: string; size: number; sha256: string; storageKey: string }

const ALLOWED = new Set(['jpg', 'png', 'pdf']);

/** Checks every upload first (nothing is written if one is bad), then writes them. */
export async function storeOpinionFiles(ctx: AppContext, uploads: Upload[]): Promise<StoredFile[]> {
  const checked = checkOpinionFiles(ctx, uploads);
  const stored: StoredFile[] = [];
  try {
    for (const { u, filename, kind } of checked) {
      const storageKey = randomBytes(18).toString('hex');
      await writeFile(join(ctx.config.uploadsDir, storageKey), u.data, { flag: 'wx', mode: 0o640 });
      stored.push({ filename, mime: kind.mime, size: u.data.length, sha256: createHash('sha256').update(u.data).digest('hex'), storageKey });
    }
  } catch (err) {
    await discardFiles(ctx, stored);
    throw err;
  }
  return stored;
}

/** The checks alone (count, size, type by content), so a form can refuse a bad file before anything is spent. */
export function checkOpinionFiles(ctx: AppContext, uploads: Upload[]) {
  const real = uploads.filter((u) => u.data.length > 0 || u.filename !== '');
  const { maxAttachments, attachmentMaxBytes } = ctx.config.opinions;
  if (real.length > maxAttachments) throw new ValidationError([{ field: 'files', message: (t) => t.opinions.errTooManyFiles(maxAttachments) }]);
  const checked = real.map((u) => {
    if (u.data.length > attachmentMaxBytes) throw new ValidationError([{ field: 'files', message: (t) => t.opinions.errFileTooLarge(megabytes(attachmentMaxBytes)) }]);
    const filename = cleanFilename(u.filename);
    const kind = detectFileType(u.data);
    if (!filename || !kind || !ALLOWED.has(kind.ext) || !extensionMatches(filename, kind) || u.data.length === 0) {
      throw new ValidationError([{ field: 'files', message: (t) => t.opinions.errFileType }]);
    }
    return { u, filename, kind };
  });
  return checked;
}

export async function discardFiles(ctx: AppContext, files: StoredFile[]): Promise<void> {
  await Promise.all(files.map((f) => unlink(join(ctx.config.uploadsDir, f.storageKey)).catch(() => undefined)));
}
