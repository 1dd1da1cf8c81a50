import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { Catalog } from '../../web/i18n/index.js';
import { formatTrackingCode } from './model.js';
import type { ExportRow } from './inbox-queries.js';
import { statusLabel } from './timeline.js';

// Staff exports of a filtered list: CSV (UTF-8 with a byte-order mark, so Excel reads the
// Chinese correctly) and .xlsx, both streamed batch by batch. No phone number, no name of a
// citizen is ever in an export. At most EXPORT_CAP rows; a last line says when it stopped.

export const EXPORT_CAP = 50_000;

/** China time, minutes: what people read in a spreadsheet. */
export function chinaTime(iso: string | null): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

function ratingText(t: Catalog, v: number | null): string {
  return v === 3 ? t.opinions.ratingSatisfied : v === 2 ? t.opinions.ratingBasically : v === 1 ? t.opinions.ratingNotSatisfied : '';
}

export function exportHeader(t: Catalog): string[] {
  const m = t.opinionsHandler;
  return [m.colCode, m.colTitle, m.colCategory, m.colRegion, m.colStatus, m.colHandler, m.colReceived, m.colAcceptDue, m.colAccepted, m.colReplyDue, m.colReplied, m.colRating];
}

export function exportCells(t: Catalog, locale: string, r: ExportRow): string[] {
  const en = locale === 'en';
  const handler = [en && r.handlerBodyEn ? r.handlerBodyEn : r.handlerBody, r.handlerUser].filter(Boolean).join(' / ');
  const rating = r.ratingHandling === null ? '' : t.opinionsHandler.ratingPair(ratingText(t, r.ratingHandling), ratingText(t, r.ratingResult));
  return [
    formatTrackingCode(r.code), r.title, en ? r.categoryEn : r.category, r.region ?? '', statusLabel(t, r.status), handler,
    chinaTime(r.receivedAt), r.acceptDue, chinaTime(r.acceptedAt), r.replyDue, chinaTime(r.repliedAt), rating,
  ];
}

/** Rows up to the cap, then (if there were more) one note; `batches` is read with cap + 1 rows. */
async function* capped(batches: AsyncIterable<ExportRow[]>, cap: number): AsyncGenerator<ExportRow[] | 'capped'> {
  let n = 0;
  for await (const b of batches) {
    if (n + b.length > cap) {
      const keep = b.slice(0, cap - n);
      if (keep.length) yield keep;
      yield 'capped';
      return;
    }
    n += b.length;
    yield b;
  }
}

/**
 * Cells that start like a formula are prefixed with an apostrophe so a spreadsheet shows
 * them as text (CSV injection): a citizen's title could begin with "=".
 */
export const safeCell = (s: string): string => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

export function csvStream(batches: AsyncIterable<ExportRow[]>, t: Catalog, locale: string, cap = EXPORT_CAP): Readable {
  async function* lines(): AsyncGenerator<string> {
    yield `\uFEFF${stringify([exportHeader(t)], { record_delimiter: 'windows' })}`;
    for await (const b of capped(batches, cap)) {
      if (b === 'capped') { yield stringify([[t.opinionsHandler.exportCapped(cap)]], { record_delimiter: 'windows' }); return; }
      yield stringify(b.map((r) => exportCells(t, locale, r).map(safeCell)), { record_delimiter: 'windows' });
    }
  }
  return Readable.from(lines());
}

export function xlsxStream(batches: AsyncIterable<ExportRow[]>, t: Catalog, locale: string, cap = EXPORT_CAP): Readable {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const ws = wb.addWorksheet(t.opinionsHandler.sheetName);
  (async () => {
    ws.addRow(exportHeader(t)).commit();
    for await (const b of capped(batches, cap)) {
      if (b === 'capped') { ws.addRow([t.opinionsHandler.exportCapped(cap)]).commit(); break; }
      for (const r of b) ws.addRow(exportCells(t, locale, r)).commit();
    }
    ws.commit();
    await wb.commit();
  })().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}

export const exportFilename = (ext: 'csv' | 'xlsx'): string => `opinions-${new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10)}.${ext}`;

export const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;
