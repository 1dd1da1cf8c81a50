// The member import sheet. Headers are matched by name, in any order; the template lists
// them in this order. Keys name the fields the parser fills.
export const COLUMNS = [
  { key: 'name', header: '姓名', required: true, width: 12 },
  { key: 'gender', header: '性别', required: false, width: 6 },
  { key: 'ethnicity', header: '民族', required: false, width: 8 },
  { key: 'party', header: '党派', required: false, width: 12 },
  { key: 'phone', header: '手机号', required: true, width: 14 },
  { key: 'sector', header: '界别', required: false, width: 14 },
  { key: 'term', header: '届次', required: true, width: 10 },
  { key: 'committee', header: '所属专委会', required: false, width: 18 },
  { key: 'township', header: '所在乡镇', required: false, width: 12 },
  { key: 'occupation', header: '工作单位及职务', required: false, width: 28 },
  { key: 'standing', header: '是否常委', required: false, width: 8 },
] as const;

export type ColumnKey = (typeof COLUMNS)[number]['key'];
export const headerOf = (key: ColumnKey): string => COLUMNS.find((c) => c.key === key)?.header ?? key;

export const MAX_LEN: Partial<Record<ColumnKey, number>> = { name: 50, ethnicity: 20, party: 30, occupation: 100, sector: 50, term: 50, committee: 100, township: 100 };
export const IMPORT_MAX_BYTES = 2 * 1024 * 1024;
export const IMPORT_MAX_ROWS = 5000;
