import ExcelJS from 'exceljs';
import { COLUMNS } from './columns.js';

/** The downloadable template: the header row, one example row, the phone column as text. */
export async function templateWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Xieshang';
  const ws = wb.addWorksheet('委员');
  ws.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  ws.getRow(1).font = { bold: true };
  ws.getColumn('phone').numFmt = '@';
  ws.addRow({ name: '张三（示例，导入前请删除）', gender: '男', ethnicity: '汉族', party: '中国民主同盟', phone: '13800000000', sector: '教育界', term: '第十五届',
    committee: '提案委员会', township: '城关镇', occupation: '县第一中学 校长', standing: '否' });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
