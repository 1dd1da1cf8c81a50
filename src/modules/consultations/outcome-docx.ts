import {
  AlignmentType, Document, Footer, LineRuleType, Packer, PageNumber, Paragraph, type ParagraphChild, Table, TableCell, TableRow, TextRun, WidthType,
} from 'docx';
import MarkdownIt from 'markdown-it';
import type { Catalog } from '../../web/i18n/index.js';

// The outcome report as a Word document in the usual official layout (党政机关公文格式,
// GB/T 9704): A4 with the standard margins, the title centred in 二号 小标宋, the body in
// 三号 仿宋 at a fixed 28.95 pt line with two characters' first-line indent, headings in
// 黑体 / 楷体, the issuing body and the date at the end, page numbers "— n —" in 四号 宋体 on
// the outer side. Chinese fonts are set as East Asian fonts with Times New Roman for Latin
// text, so an office suite without the official fonts falls back per script. The report's
// Markdown (and the deliberation section's) is converted by a small walk over markdown-it's
// tokens: headings, paragraphs, lists, quotes, code, tables, emphasis, links. The structure
// is numbered the official way — sections 一、二、三、, then （一）, 1., （1） — with the
// recommendations as （一）（二）… of their section; list items are numbered, never bulleted.
// The annex (minutes) numbers its own sections from 一、.

export interface OutcomeDocxInput {
  title: string;
  issuer: string;
  joint: string[];
  /** YYYY-MM-DD: the publication date, or today for a draft. */
  date: string;
  draft: boolean;
  reportMd: string;
  recommendations: Array<{ number: number; text: string; department: string; dueOn: string | null; dueDays: number }>;
  /** Markdown sections (the deliberation report) put after the report. */
  sectionsMd: Array<{ heading: string; markdown: string }>;
  minutesMd: string | null;
}

const LATIN = 'Times New Roman';
const font = (eastAsia: string) => ({ ascii: LATIN, hAnsi: LATIN, cs: LATIN, eastAsia, hint: 'eastAsia' });
export const FONTS = {
  title: font('方正小标宋简体'),
  body: font('仿宋_GB2312'),
  heading1: font('黑体'),
  heading2: font('楷体_GB2312'),
  pageNumber: font('宋体'),
  code: { ascii: 'Courier New', hAnsi: 'Courier New', cs: 'Courier New', eastAsia: '仿宋_GB2312', hint: 'eastAsia' },
};
/** Half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt. */
const SIZE = { title: 44, body: 32, pageNumber: 28 };
/** Twips: one 三号 character is 16 pt = 320 twips. */
const CHAR = 320;
const LINE = { line: 579, lineRule: LineRuleType.EXACT };
const mm = (x: number) => Math.round((x / 25.4) * 1440);

interface RunStyle { bold?: boolean; italics?: boolean; strike?: boolean; code?: boolean; fontSet?: ReturnType<typeof font> }

const run = (text: string, s: RunStyle = {}) => new TextRun({
  text, bold: s.bold, italics: s.italics, strike: s.strike, font: s.code ? FONTS.code : (s.fontSet ?? FONTS.body), size: SIZE.body,
});

const bodyParagraph = (children: ParagraphChild[], opts: { indentLeft?: number; firstLine?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType]; right?: number } = {}) =>
  new Paragraph({
    children, spacing: LINE, alignment: opts.align ?? AlignmentType.JUSTIFIED,
    indent: { firstLine: opts.firstLine === false ? undefined : 2 * CHAR, left: opts.indentLeft, right: opts.right },
  });

type Token = ReturnType<InstanceType<typeof MarkdownIt>['parse']>[number];
const mdParser = new MarkdownIt({ html: false, linkify: true, typographer: false });
const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

/** The runs of one inline token (text with emphasis, code, links and breaks). */
function inlineRuns(token: Token | undefined, base: RunStyle = {}): ParagraphChild[] {
  const out: ParagraphChild[] = [];
  const style: RunStyle = { ...base };
  let last = '';
  const links: string[] = [];
  const push = (text: string, extra: RunStyle = {}) => {
    if (!text) return;
    out.push(run(text, { ...style, ...extra }));
    last = text;
  };
  for (const c of token?.children ?? []) {
    switch (c.type) {
      case 'text': push(c.content); break;
      case 'code_inline': push(c.content, { code: true }); break;
      case 'strong_open': style.bold = true; break;
      case 'strong_close': style.bold = base.bold; break;
      case 'em_open': style.italics = true; break;
      case 'em_close': style.italics = base.italics; break;
      case 's_open': style.strike = true; break;
      case 's_close': style.strike = false; break;
      case 'softbreak': {
        // A line break inside a paragraph: nothing between Chinese characters, a space otherwise.
        if (last && !CJK.test(last.slice(-1))) push(' ');
        break;
      }
      case 'hardbreak': out.push(new TextRun({ break: 1 })); break;
      case 'link_open': links.push(String(c.attrGet('href') ?? '')); break;
      case 'link_close': {
        const href = links.pop() ?? '';
        if (href && href !== last) push(CJK.test(last) ? `（${href}）` : ` (${href})`);
        break;
      }
      case 'image': push(c.content || String(c.attrGet('alt') ?? '')); break;
      default: if (c.content) push(c.content);
    }
  }
  return out;
}

/** How a level of the document's structure is numbered: level 1–4, its number, the numbers of the levels above. */
export type NumberFormat = (level: Level, n: number, parents: number[]) => string;
type Level = 1 | 2 | 3 | 4;

/**
 * The document's structure numbers (GB/T 9704 7.3.3: 一、 （一） 1. （1）), shared by the report
 * and the sections after it so that the sections continue the report's numbering.
 */
export class Numbering {
  /** The current number at each level; a level's number restarts under a new one above it. */
  private readonly at = [0, 0, 0, 0];
  constructor(readonly format: NumberFormat) {}
  /** The prefix of the next heading at this level. */
  next(level: Level): string {
    this.at[level - 1]! += 1;
    for (let i = level; i < 4; i++) this.at[i] = 0;
    return this.format(level, this.at[level - 1]!, this.at.slice(0, level - 1));
  }
  /** Counts a heading the author numbered already. */
  skip(level: Level): void {
    this.at[level - 1]! += 1;
    for (let i = level; i < 4; i++) this.at[i] = 0;
  }
}

/** A heading or item the author already numbered (一、 （一） 1. 1、 （1） (1) 1.1): it keeps its own. */
const NUMBERED = /^\s*(?:[一二三四五六七八九十百零〇]+、|[（(][一二三四五六七八九十百零〇\d]+[）)]|\d+[.．、](?!\d))/;
/** A heading may also be numbered 1.1 (in a list item that would more likely be a decimal: 1.5 倍). */
const NUMBERED_HEADING = new RegExp(`${NUMBERED.source}|^\\s*\\d+(?:\\.\\d+)+\\s`);
const clampLevel = (n: number): Level => Math.min(4, Math.max(1, n)) as Level;

const HEADING_FONT: Record<Level, ReturnType<typeof font>> = { 1: FONTS.heading1, 2: FONTS.heading2, 3: FONTS.body, 4: FONTS.body };

/**
 * Markdown to Word paragraphs and tables in the official layout. Headings are numbered from
 * `baseLevel` down (the source's highest heading level at `baseLevel`, the next one below
 * it…), list items one level below their heading (a list outside any heading at level 3,
 * 1. 2.), counting on from the headings and items of that level in the same section; a
 * level below 4 counts as the 4th, （1）. Without `numbering` nothing is numbered and list
 * items keep a plain mark.
 */
export function markdownToDocx(source: string, numbering?: Numbering, baseLevel: Level = 1): Array<Paragraph | Table> {
  const tokens = mdParser.parse(source, {});
  const out: Array<Paragraph | Table> = [];
  const headingLevels = [...new Set(tokens.filter((tk) => tk.type === 'heading_open').map((tk) => Number(tk.tag.slice(1))))].sort((a, b) => a - b);
  const levelOf = (tag: string): Level => clampLevel(baseLevel + headingLevels.indexOf(Number(tag.slice(1))));
  let heading: Level | null = null;
  const lists: Array<{ ordered: boolean; n: number; level: Level }> = [];
  let quote = 0;
  let prefix: string | null = null;
  let table: string[][] | null = null;
  let row: string[] | null = null;
  let header = 0;
  const indentLeft = () => (lists.length > 1 ? (lists.length - 1) * 2 * CHAR : 0) + quote * 2 * CHAR;
  for (let i = 0; i < tokens.length; i++) {
    const tk = tokens[i] as Token;
    switch (tk.type) {
      case 'heading_open': {
        const level = levelOf(tk.tag);
        heading = level;
        const inline = tokens[i + 1];
        const runs = inlineRuns(inline, { fontSet: HEADING_FONT[level] });
        if (numbering) {
          if (NUMBERED_HEADING.test(inline?.content ?? '')) numbering.skip(level);
          else runs.unshift(run(numbering.next(level), { fontSet: HEADING_FONT[level] }));
        }
        out.push(bodyParagraph(runs, { align: AlignmentType.LEFT, indentLeft: indentLeft() }));
        i += 2;
        break;
      }
      case 'bullet_list_open': case 'ordered_list_open': {
        const outer = lists[lists.length - 1];
        const level = clampLevel(outer ? outer.level + 1 : heading === null ? 3 : heading + 1);
        lists.push({ ordered: tk.type === 'ordered_list_open', n: tk.type === 'ordered_list_open' ? Number(tk.attrGet('start') ?? 1) - 1 : 0, level });
        break;
      }
      case 'bullet_list_close': case 'ordered_list_close': lists.pop(); break;
      case 'list_item_open': {
        const l = lists[lists.length - 1];
        if (l) {
          l.n++;
          const own = NUMBERED.test(tokens[i + 2]?.type === 'inline' ? (tokens[i + 2] as Token).content : '');
          if (!numbering) prefix = own ? '' : l.ordered ? `${l.n}. ` : '• ';
          else if (own) { numbering.skip(l.level); prefix = ''; }
          // Items count with the headings of their level: after 1. 2. a sub-heading is 3.
          else prefix = numbering.next(l.level);
        }
        break;
      }
      case 'blockquote_open': quote++; break;
      case 'blockquote_close': quote--; break;
      case 'table_open': table = []; header = 0; break;
      case 'thead_open': header = 1; break;
      case 'tr_open': row = []; break;
      case 'th_open': case 'td_open': row?.push(''); break;
      case 'tr_close': if (table && row) table.push(row); row = null; break;
      case 'table_close': {
        if (table?.length) out.push(docxTable(table, header));
        table = null;
        break;
      }
      case 'inline': {
        if (row) { row[row.length - 1] = (tk.children ?? []).map((c) => c.content).join(''); break; }
        const runs = inlineRuns(tk);
        if (prefix) runs.unshift(run(prefix));
        prefix = null;
        out.push(bodyParagraph(runs, { indentLeft: indentLeft() }));
        break;
      }
      case 'fence': case 'code_block': {
        for (const line of tk.content.replace(/\n$/, '').split('\n')) out.push(bodyParagraph([run(line, { code: true })], { firstLine: false, align: AlignmentType.LEFT, indentLeft: indentLeft() + 2 * CHAR }));
        break;
      }
      default: break;
    }
  }
  return out;
}

function docxTable(rows: string[][], headerRows: number): Table {
  const width = Math.max(...rows.map((r) => r.length));
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: rows.map((r, i) => new TableRow({
      tableHeader: i < headerRows,
      children: Array.from({ length: width }, (_, j) => new TableCell({
        children: [new Paragraph({ children: [run(r[j] ?? '', { bold: i < headerRows })], alignment: AlignmentType.CENTER })],
      })),
    })),
  });
}

const pageNumberParagraph = (side: 'odd' | 'even') => new Paragraph({
  alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
  indent: side === 'odd' ? { right: 280 } : { left: 280 },
  children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: FONTS.pageNumber, size: SIZE.pageNumber })],
});

export async function buildOutcomeDocx(input: OutcomeDocxInput, t: Catalog): Promise<Buffer> {
  const m = t.consultationsOutcome;
  const [y, mo, d] = input.date.split('-').map(Number) as [number, number, number];
  const title = `${m.docxTitle(input.title)}${input.draft ? m.docxDraftMark : ''}`;
  // One numbering for the report's sections and the sections after it: 一、 二、 三、…
  const numbering = new Numbering(m.docxNumber);
  const section = (heading: string) => bodyParagraph([run(`${numbering.next(1)}${heading}`, { fontSet: FONTS.heading1 })], { align: AlignmentType.LEFT });
  const children: Array<Paragraph | Table> = [
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { line: 700, lineRule: LineRuleType.EXACT }, children: [new TextRun({ text: title, font: FONTS.title, size: SIZE.title })] }),
    new Paragraph({ spacing: LINE, children: [] }),
    ...markdownToDocx(input.reportMd, numbering),
  ];
  if (input.recommendations.length) {
    children.push(section(m.docxRecommendations));
    for (const r of input.recommendations) {
      children.push(bodyParagraph([run(m.docxRecLine(r.number, r.text))]));
      const due = r.dueOn ? m.docxDueOn(m.docxDate(...(r.dueOn.split('-').map(Number) as [number, number, number]))) : m.docxDueDays(r.dueDays);
      children.push(bodyParagraph([run(m.docxRecMeta(r.department, due), { fontSet: FONTS.heading2 })]));
    }
  }
  // Sections under one heading share it (several deliberations: one 网络议政情况, each a （一）).
  let last: string | null = null;
  for (const s of input.sectionsMd) {
    if (s.heading !== last) children.push(section(s.heading));
    last = s.heading;
    children.push(...markdownToDocx(s.markdown, numbering, 2));
  }
  // 发文机关署名 and 成文日期: right-aligned, the date four characters in from the right.
  children.push(new Paragraph({ spacing: LINE, children: [] }));
  // A joint consultation is signed by every holding body, the lead body first, one per line.
  for (const name of [input.issuer, ...input.joint]) children.push(bodyParagraph([run(name)], { firstLine: false, align: AlignmentType.RIGHT, right: 2 * CHAR }));
  children.push(bodyParagraph([run(m.docxDate(y, mo, d))], { firstLine: false, align: AlignmentType.RIGHT, right: 4 * CHAR }));
  if (input.minutesMd?.trim()) {
    children.push(new Paragraph({ pageBreakBefore: true, spacing: LINE, children: [run(m.docxMinutes, { fontSet: FONTS.heading1 })] }));
    children.push(...markdownToDocx(input.minutesMd, new Numbering(m.docxNumber)));
  }
  const doc = new Document({
    creator: input.issuer,
    title,
    evenAndOddHeaderAndFooters: true,
    styles: { default: { document: { run: { font: FONTS.body, size: SIZE.body } } } },
    sections: [{
      properties: {
        page: {
          size: { width: 11906, height: 16838 },
          margin: { top: mm(37), bottom: mm(35), left: mm(28), right: mm(26), footer: mm(23) },
        },
      },
      footers: { default: new Footer({ children: [pageNumberParagraph('odd')] }), even: new Footer({ children: [pageNumberParagraph('even')] }) },
      children,
    }],
  });
  return Packer.toBuffer(doc);
}
