import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { csvStream, safeCell, xlsxStream } from '../../src/modules/opinions/export.js';
import type { ExportRow } from '../../src/modules/opinions/inbox-queries.js';
import { catalogFor } from '../../src/web/i18n/index.js';

// The export streams on their own: the row cap with its note, formula-looking cells, English.

const row = (i: number, o: Partial<ExportRow> = {}): ExportRow => ({
  id: i, code: 'ABCDEFGHJK', title: `标题${i}`, status: 'accepted', category: '交通出行', categoryEn: 'Transport', region: '东门社区',
  receivedAt: '2026-03-02T01:30:00.000Z', acceptDue: '2026-03-04', replyDue: '2026-03-23', handlerBody: '城关镇联络组', handlerBodyEn: 'Chengguan group',
  handlerUser: null, due: null, targetType: 'body', routingConfirmed: true, publicVisible: false,
  acceptedAt: '2026-03-03T02:00:00.000Z', repliedAt: null, ratingHandling: 3, ratingResult: 1, ...o,
});

async function* batches(n: number, size: number): AsyncGenerator<ExportRow[]> {
  for (let i = 0; i < n; i += size) yield Array.from({ length: Math.min(size, n - i) }, (_, k) => row(i + k));
}

const text = async (s: NodeJS.ReadableStream): Promise<string> => {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(Buffer.from(c as Buffer));
  return Buffer.concat(parts).toString('utf8');
};

describe('opinion exports', () => {
  it('stops at the cap and says so in a last line', async () => {
    const csv = await text(csvStream(batches(7, 3), catalogFor('zh-CN'), 'zh-CN', 5));
    const rows = parse(csv.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];
    assert.equal(rows.length, 1 + 5 + 1);
    assert.match(rows[6]?.[0] ?? '', /已达到 5 行上限/);
    const exact = parse((await text(csvStream(batches(5, 3), catalogFor('zh-CN'), 'zh-CN', 5))).replace(/^\uFEFF/, '')) as string[][];
    assert.equal(exact.length, 1 + 5, 'exactly the cap: no note');
  });

  it('writes China time, ratings in words and English names in English', async () => {
    const csv = await text(csvStream(batches(1, 1), catalogFor('en'), 'en'));
    const rows = parse(csv.replace(/^\uFEFF/, '')) as string[][];
    assert.deepEqual(rows[0]?.slice(0, 3), ['Tracking code', 'Title', 'Category']);
    assert.deepEqual(rows[1], ['ABCDE-FGHJK', '标题0', 'Transport', '东门社区', 'Being handled', 'Chengguan group', '2026-03-02 09:30', '2026-03-04', '2026-03-03 10:00', '2026-03-23', '', 'Handling: Satisfied; result: Not satisfied']);
  });

  it('neutralises cells a spreadsheet would run as formulas', async () => {
    assert.equal(safeCell('=1+1'), '\'=1+1');
    assert.equal(safeCell('@SUM(A1)'), '\'@SUM(A1)');
    assert.equal(safeCell('-2'), '\'-2');
    assert.equal(safeCell('正常标题'), '正常标题');
  });

  it('streams a workbook exceljs can open, with the cap note', async () => {
    const parts: Buffer[] = [];
    for await (const c of xlsxStream(batches(4, 2), catalogFor('zh-CN'), 'zh-CN', 3)) parts.push(Buffer.from(c as Buffer));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(parts) as never);
    const ws = wb.worksheets[0];
    assert.ok(ws);
    assert.equal(ws.rowCount, 1 + 3 + 1);
    assert.equal(ws.getRow(2).getCell(2).value, '标题0');
    assert.match(String(ws.getRow(5).getCell(1).value), /已达到 3 行上限/);
  });
});
