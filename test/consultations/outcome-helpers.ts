import { inflateRawSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import type { Jar } from '../helpers/http.js';
import { postForm } from '../helpers/http.js';
import { type ConsultationWorld, dayOffset, postAndId } from './world.js';

// Shared by the outcome and evaluation tests: a consultation taken to a published outcome
// through the organisers' pages, and a small reader of zip files (a .docx is one).

export const REPORT = '## 主要共识\n\n与会各方一致认为应**统筹规划**停车设施。\n\n- 盘活存量\n- 适度新建';
export const REC_1 = '在老旧小区周边新建立体停车场';
export const REC_2 = '推行机关单位停车位夜间错时共享';

export async function consultationWithOutcome(app: FastifyInstance, w: ConsultationWorld, staff: Jar, o: { title: string; isPublic?: boolean; publish?: boolean; capacity?: string }): Promise<number> {
  const year = Number(dayOffset(30).slice(0, 4));
  const id = await postAndId(app, '/admin/consultations', {
    title: o.title, form: 'thematic', mode: 'in_person', leadBodyId: String(w.committee), jointBodyIds: [String(w.specialCommittee)], year: String(year),
    startsAt: `${dayOffset(30)}T09:30`, endsAt: '', place: '县政协三楼会议室', onlineUrl: '', summary: '围绕城区停车难协商。', agenda: '',
    ...(o.isPublic === false ? {} : { isPublic: 'on' }), registrationOpen: 'on', capacity: o.capacity ?? '10',
  }, staff, /consultations\/(\d+)/);
  return id;
}

export async function writeAndPublish(app: FastifyInstance, w: ConsultationWorld, staff: Jar, id: number, publish = true): Promise<void> {
  const ok = (code: number, what: string) => { if (code !== 303) throw new Error(`${what}: ${code}`); };
  ok((await postForm(app, `/admin/consultations/${id}/stage`, { stage: 'meeting' }, staff)).statusCode, 'stage');
  ok((await postForm(app, `/admin/consultations/${id}/outcome`, {
    report: REPORT, minutes: '会议由县政协副主席主持，十二位委员和群众代表发言。',
    text_1: REC_1, department_1: String(w.department), days_1: '20',
    text_2: REC_2, department_2: String(w.otherDepartment), days_2: '10',
  }, staff)).statusCode, 'outcome');
  if (publish) await publishOutcome(app, staff, id);
}

export async function publishOutcome(app: FastifyInstance, staff: Jar, id: number): Promise<void> {
  const res = await postForm(app, `/admin/consultations/${id}/outcome/publish`, {}, staff);
  if (res.statusCode !== 303) throw new Error(`publish: ${res.statusCode} ${res.body.slice(0, 300)}`);
}

/** The files of a zip archive by name (stored or deflated entries, from the central directory). */
export function unzip(buf: Buffer): Map<string, Buffer> {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip: no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory');
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    if (buf.readUInt32LE(local) !== 0x04034b50) throw new Error('bad local header');
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + size);
    out.set(name, method === 0 ? Buffer.from(raw) : inflateRawSync(raw));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** The visible text of word/document.xml, paragraph per line. */
export function docxText(xml: string): string {
  return xml.replace(/<\/w:p>/g, '\n').replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"');
}
