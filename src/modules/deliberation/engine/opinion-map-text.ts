/**
 * Text alternative of the opinion map: group sizes and what characterises each group, as structured
 * data (for a table or a screen reader) and as plain text. Chinese and English phrases are built in;
 * callers can override any phrase (e.g. from the module's messages.ts).
 */
import type { DeliberationResult, Direction } from './types.js';

export type MapLocale = 'zh-CN' | 'en';

export interface MapPhrases {
  title: string;
  axis1: string;
  axis2: string;
  noGroups: string;
  group: (letter: string) => string;
  legend: (label: string, size: number, percent: number) => string;
  description: (s: { participants: number; placed: number; groups: Array<{ label: string; size: number; percent: number }> }) => string;
  statement: (id: number) => string;
  line: (s: { text: string; direction: Direction; groupPercent: number; othersPercent: number | null }) => string;
  consensusHeading: string;
  consensusLine: (s: { text: string; direction: Direction; percent: number }) => string;
}

const PHRASES: Record<MapLocale, MapPhrases> = {
  'zh-CN': {
    title: '观点分布图',
    axis1: '第一轴',
    axis2: '第二轴',
    noGroups: '参与人数或投票不足，尚未形成观点群。',
    group: (l) => `${l} 群`,
    legend: (label, size, pct) => `${label}：${size} 人（${pct}%）`,
    description: (s) =>
      `共 ${s.participants} 名参与者投票，其中 ${s.placed} 名投票较多、归入 ${s.groups.length} 个观点群` +
      (s.groups.length ? `：${s.groups.map((g) => `${g.label} ${g.size} 人（${g.percent}%）`).join('；')}。` : '。') +
      '图中位置相近的人投票相似；两条轴是投票差异最大的两个方向。',
    statement: (id) => `意见 #${id}`,
    line: (s) => `${s.text}——本群 ${s.groupPercent}% ${s.direction === 'agree' ? '赞同' : '反对'}` + (s.othersPercent === null ? '' : `，其他人 ${s.othersPercent}%`),
    consensusHeading: '各方共识',
    consensusLine: (s) => `${s.text}——${s.percent}% ${s.direction === 'agree' ? '赞同' : '反对'}`,
  },
  en: {
    title: 'Opinion map',
    axis1: 'Axis 1',
    axis2: 'Axis 2',
    noGroups: 'Not enough participants or votes to form opinion groups yet.',
    group: (l) => `Group ${l}`,
    legend: (label, size, pct) => `${label}: ${size} (${pct}%)`,
    description: (s) =>
      `${s.participants} participants voted; ${s.placed} voted enough to be placed in ${s.groups.length} opinion group${s.groups.length === 1 ? '' : 's'}` +
      (s.groups.length ? `: ${s.groups.map((g) => `${g.label} ${g.size} (${g.percent}%)`).join('; ')}.` : '.') +
      ' People close together on the map voted alike; the axes are the two directions in which votes differ most.',
    statement: (id) => `Statement #${id}`,
    line: (s) => `${s.text} — ${s.groupPercent}% of the group ${s.direction === 'agree' ? 'agreed' : 'disagreed'}` + (s.othersPercent === null ? '' : `, ${s.othersPercent}% of others`),
    consensusHeading: 'Common ground',
    consensusLine: (s) => `${s.text} — ${s.percent}% ${s.direction === 'agree' ? 'agreed' : 'disagreed'}`,
  },
};

export interface MapTextOptions {
  locale?: MapLocale;
  /** Statement texts for the text alternative; without it statements are named by id. */
  statementText?: (statementId: number) => string | undefined;
  /** Override built-in phrases. */
  text?: Partial<MapPhrases>;
  /** Representative statements listed per group (default 3). */
  statementsPerGroup?: number;
}

export function mapText(opts: MapTextOptions): MapPhrases {
  return { ...PHRASES[opts.locale ?? 'zh-CN'], ...opts.text };
}

/** A, B, … Z, then G27, G28 … */
export function groupLetter(id: number): string {
  return id < 26 ? String.fromCharCode(65 + id) : `G${id + 1}`;
}

export interface OpinionMapSummary {
  title: string;
  description: string;
  participants: number;
  placed: number;
  groups: Array<{
    id: number;
    letter: string;
    label: string;
    legend: string;
    size: number;
    /** Share of placed participants, whole percent. */
    percent: number;
    statements: Array<{ statementId: number; text: string; direction: Direction; groupPercent: number; othersPercent: number | null; line: string }>;
  }>;
  consensus: Array<{ statementId: number; text: string; direction: Direction; percent: number; line: string }>;
}

const pct = (a: number, b: number) => (b > 0 ? Math.round((100 * a) / b) : 0);

export function describeOpinionMap(result: DeliberationResult, opts: MapTextOptions = {}): OpinionMapSummary {
  const t = mapText(opts);
  const name = (id: number) => opts.statementText?.(id) ?? t.statement(id);
  const st = result.statements;
  const n = st.statementIds.length;
  const index = new Map<number, number>();
  st.statementIds.forEach((id, j) => index.set(id, j));
  const placed = result.counts.placed;
  const groups = result.groups.map((g) => {
    const letter = groupLetter(g.id);
    const label = t.group(letter);
    const size = g.memberIds.length;
    const percent = pct(size, placed);
    const statements = (result.repness[g.id] ?? []).slice(0, opts.statementsPerGroup ?? 3).map((r) => {
      const j = index.get(r.statementId)!;
      let restSucc = 0;
      let restSeen = 0;
      for (let h = 0; h < result.groups.length; h++) {
        if (h === g.id) continue;
        restSucc += (r.direction === 'agree' ? st.groupAgree : st.groupDisagree)[h * n + j]!;
        restSeen += st.groupSeen[h * n + j]!;
      }
      const item = { statementId: r.statementId, text: name(r.statementId), direction: r.direction, groupPercent: pct(r.nSuccess, r.nTrials), othersPercent: restSeen > 0 ? pct(restSucc, restSeen) : null };
      return { ...item, line: t.line(item) };
    });
    return { id: g.id, letter, label, legend: t.legend(label, size, percent), size, percent, statements };
  });
  const consensus = (['agree', 'disagree'] as const).flatMap((direction) =>
    result.consensus[direction].map((c) => {
      const item = { statementId: c.statementId, text: name(c.statementId), direction, percent: pct(c.nSuccess, c.nTrials) };
      return { ...item, line: t.consensusLine(item) };
    }),
  );
  return {
    title: t.title,
    description: t.description({ participants: result.counts.participants, placed, groups }),
    participants: result.counts.participants,
    placed,
    groups,
    consensus,
  };
}

/** The summary as plain text, one line per fact. */
export function opinionMapText(summary: OpinionMapSummary, opts: MapTextOptions = {}): string {
  const t = mapText(opts);
  const lines = [summary.title, summary.description];
  for (const g of summary.groups) {
    lines.push('', g.legend);
    for (const s of g.statements) lines.push(`- ${s.line}`);
  }
  if (summary.consensus.length) {
    lines.push('', t.consensusHeading);
    for (const c of summary.consensus) lines.push(`- ${c.line}`);
  }
  return lines.join('\n');
}
