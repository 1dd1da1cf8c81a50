import ExcelJS from 'exceljs';
import type { Executor } from '../../../db/database.js';
import { ValidationError } from '../../../platform/errors.js';
import { cleanText, normalisePhone } from '../../../platform/validation.js';
import type { LocalText } from '../../../web/i18n/index.js';
import { COLUMNS, type ColumnKey, IMPORT_MAX_BYTES, IMPORT_MAX_ROWS, MAX_LEN } from './columns.js';

export interface RowIssue { row: number; column: ColumnKey | null; message: LocalText }
export interface MemberRow {
  row: number; name: string; gender: 'male' | 'female' | null; ethnicity: string | null; party: string | null; phone: string;
  sectorId: number | null; termId: number; committeeId: number | null; townshipId: number | null; occupation: string; standing: boolean;
}
export interface Report { rows: MemberRow[]; issues: RowIssue[]; total: number; committeeBodyId: number }

const fileError = (message: LocalText) => new ValidationError([{ field: 'file', message }]);

/** Reads the first sheet; the content must be an .xlsx (a ZIP that ExcelJS can open), whatever the name says. */
export async function readSheet(buf: Buffer): Promise<{ row: number; cells: Partial<Record<ColumnKey, string | null>> }[]> {
  if (buf.length === 0) throw fileError((t) => t.adminImport.errEmptyFile);
  if (buf.length > IMPORT_MAX_BYTES) throw fileError((t) => t.adminImport.errTooBig(IMPORT_MAX_BYTES / 1024 / 1024));
  if (buf.subarray(0, 4).toString('binary') !== 'PK\x03\x04') throw fileError((t) => t.adminImport.errNotXlsx);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw fileError((t) => t.adminImport.errNotXlsx);
  }
  const ws = wb.worksheets[0];
  if (!ws) throw fileError((t) => t.adminImport.errNoRows);
  if (ws.actualRowCount > IMPORT_MAX_ROWS + 1) throw fileError((t) => t.adminImport.errTooManyRows(IMPORT_MAX_ROWS));
  const header = ws.getRow(1);
  const colOf = new Map<ColumnKey, number>();
  header.eachCell((cell, col) => {
    const h = cleanText(cell.text);
    const c = COLUMNS.find((x) => x.header === h);
    if (c && !colOf.has(c.key)) colOf.set(c.key, col);
  });
  const missing = COLUMNS.filter((c) => c.required && !colOf.has(c.key)).map((c) => c.header);
  if (missing.length) throw fileError((t) => t.adminImport.errMissingColumns(missing.join('、')));
  const out: { row: number; cells: Partial<Record<ColumnKey, string | null>> }[] = [];
  ws.eachRow({ includeEmpty: false }, (r, n) => {
    if (n === 1) return;
    const cells: Partial<Record<ColumnKey, string | null>> = {};
    let any = false;
    for (const [key, col] of colOf) {
      const v = cleanText(r.getCell(col).text);
      cells[key] = v === undefined ? '' : v;
      if (v) any = true;
    }
    if (any) out.push({ row: n, cells });
  });
  if (out.length === 0) throw fileError((t) => t.adminImport.errNoRows);
  return out;
}

const norm = (s: string) => s.replace(/\s+/g, '');

/** Checks every row against the database; collects every problem instead of stopping at the first. */
export async function checkRows(db: Executor, raw: Awaited<ReturnType<typeof readSheet>>): Promise<Report> {
  const committee = await committeeBody(db);
  if (committee === null) throw fileError((t) => t.adminImport.errNoCommittee);
  const [sectors, terms, bodies, townships] = await Promise.all([
    db.selectFrom('sectors').select(['id', 'name', 'name_en']).execute(),
    db.selectFrom('terms').select(['id', 'name', 'number']).execute(),
    db.selectFrom('bodies').select(['id', 'name']).where('kind', '=', 'special_committee').execute(),
    db.selectFrom('regions').select(['id', 'name']).where('level', '=', 'township').execute(),
  ]);
  const phones = raw.map((r) => normalisePhone(r.cells.phone ?? '')).filter((p): p is string => p !== null);
  const taken = new Set<string>();
  for (let i = 0; i < phones.length; i += 500) {
    const chunk = phones.slice(i, i + 500);
    for (const r of await db.selectFrom('user_pii').select('phone').where('phone', 'in', chunk).execute()) if (r.phone) taken.add(r.phone);
  }
  const firstRowOfPhone = new Map<string, number>();
  const issues: RowIssue[] = [];
  const rows: MemberRow[] = [];
  for (const { row, cells } of raw) {
    const before = issues.length;
    const add = (column: ColumnKey | null, message: LocalText) => issues.push({ row, column, message });
    for (const [key, max] of Object.entries(MAX_LEN) as [ColumnKey, number][]) {
      const v = cells[key];
      if (v === null) add(key, (t) => t.adminImport.errUnreadable);
      else if (v && [...v].length > max) add(key, (t) => t.adminImport.errTooLong(max));
    }
    const name = cells.name ?? '';
    if (!name) add('name', (t) => t.adminImport.errMissingName);
    const phone = normalisePhone(cells.phone ?? '');
    if (!cells.phone) add('phone', (t) => t.adminImport.errMissingPhone);
    else if (!phone) add('phone', (t) => t.adminImport.errInvalidPhone);
    else if (firstRowOfPhone.has(phone)) { const first = firstRowOfPhone.get(phone) ?? 0; add('phone', (t) => t.adminImport.errDuplicateInFile(first)); }
    else if (taken.has(phone)) add('phone', (t) => t.adminImport.errPhoneExists);
    if (phone && !firstRowOfPhone.has(phone)) firstRowOfPhone.set(phone, row);
    const g = cells.gender ?? '';
    const gender = g === '男' || g.toLowerCase() === 'male' ? 'male' : g === '女' || g.toLowerCase() === 'female' ? 'female' : null;
    if (g && !gender) add('gender', (t) => t.adminImport.errGender);
    const s = cells.standing ?? '';
    const standing = ['是', 'y', 'yes', '1', '常委'].includes(s.toLowerCase());
    if (s && !standing && !['否', 'n', 'no', '0'].includes(s.toLowerCase())) add('standing', (t) => t.adminImport.errYesNo);
    const sector = cells.sector ? sectors.find((x) => norm(x.name) === norm(cells.sector ?? '') || x.name_en === cells.sector) : undefined;
    if (cells.sector && !sector) add('sector', (t) => t.adminImport.errUnknownSector(cells.sector ?? ''));
    const tv = cells.term ?? '';
    const term = terms.find((x) => norm(x.name) === norm(tv) || (/^\d{1,3}$/.test(tv) && x.number === Number(tv)));
    if (!tv) add('term', (t) => t.adminImport.errMissingTerm);
    else if (!term) add('term', (t) => t.adminImport.errUnknownTerm(tv));
    const body = cells.committee ? bodies.find((x) => norm(x.name) === norm(cells.committee ?? '')) : undefined;
    if (cells.committee && !body) add('committee', (t) => t.adminImport.errUnknownCommittee(cells.committee ?? ''));
    const town = cells.township ? townships.find((x) => norm(x.name) === norm(cells.township ?? '')) : undefined;
    if (cells.township && !town) add('township', (t) => t.adminImport.errUnknownTownship(cells.township ?? ''));
    if (issues.length > before || !phone || !term) continue;
    rows.push({
      row, name, gender, ethnicity: cells.ethnicity || null, party: cells.party || null, phone, sectorId: sector?.id ?? null, termId: term.id,
      committeeId: body?.id ?? null, townshipId: town?.id ?? null, occupation: cells.occupation ?? '', standing,
    });
  }
  return { rows, issues, total: raw.length, committeeBodyId: committee };
}

/** The committee members belong to: the one named in site settings, else the first root committee. */
async function committeeBody(db: Executor): Promise<number | null> {
  const s = await db.selectFrom('settings').select('value').where('key', '=', 'committee_body_id').executeTakeFirst();
  if (s && /^\d+$/.test(s.value)) {
    const b = await db.selectFrom('bodies').select('id').where('id', '=', Number(s.value)).executeTakeFirst();
    if (b) return b.id;
  }
  const b = await db.selectFrom('bodies').select('id').where('kind', '=', 'committee').where('parent_id', 'is', null).orderBy('id').limit(1).executeTakeFirst();
  return b?.id ?? null;
}
