// What an uploaded file really is, read from its bytes: the name and the declared type
// are the sender's claims. Office files are ZIP archives; their central directory says
// whether it is a Word document or an Excel workbook.

export interface FileType { ext: 'pdf' | 'docx' | 'xlsx' | 'jpg' | 'png'; mime: string }

const TYPES: Record<FileType['ext'], string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  jpg: 'image/jpeg',
  png: 'image/png',
};

const startsWith = (buf: Buffer, bytes: number[]): boolean => buf.length >= bytes.length && bytes.every((b, i) => buf[i] === b);

/** Names of the entries in a ZIP archive's central directory, or null when it is not a readable ZIP. */
export function zipEntryNames(buf: Buffer): string[] | null {
  if (!startsWith(buf, [0x50, 0x4b, 0x03, 0x04]) || buf.length < 22) return null;
  const from = Math.max(0, buf.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = buf.length - 22; i >= from; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) return null;
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) return null;
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    if (p + 46 + nameLen > buf.length) return null;
    names.push(buf.subarray(p + 46, p + 46 + nameLen).toString('utf8'));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

/** The allowed type the bytes show, or null for anything else. */
export function detectFileType(buf: Buffer): FileType | null {
  const of = (ext: FileType['ext']): FileType => ({ ext, mime: TYPES[ext] });
  if (startsWith(buf, [0x25, 0x50, 0x44, 0x46, 0x2d])) return of('pdf');
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return of('png');
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return of('jpg');
  const names = zipEntryNames(buf);
  if (!names?.includes('[Content_Types].xml')) return null;
  if (names.includes('word/document.xml')) return of('docx');
  if (names.includes('xl/workbook.xml')) return of('xlsx');
  return null;
}

/** Whether a file name's extension agrees with the detected type. */
export function extensionMatches(filename: string, type: FileType): boolean {
  const ext = filename.toLowerCase().split('.').pop() ?? '';
  return ext === type.ext || (type.ext === 'jpg' && ext === 'jpeg');
}
