import type { Executor } from '../../db/database.js';
import { type Locale, catalogFor } from '../../web/i18n/index.js';
import { showDateTime } from '../content/shared/dates.js';
import type { DeliberationCounts, OpinionMapSummary } from './engine/index.js';
import { loadDeliberation } from './access.js';
import type { DeliberationRow } from './model.js';
import { groupInformedTop, latestResult } from './results.js';

// What a deliberation came to, for the results page, the API and the outcome report:
// `deliberationReport(db, id)` gives the structured data and a Markdown / plain-text summary
// another module can put into its own report.

export interface ResultsView {
  deliberation: Pick<DeliberationRow, 'id' | 'title' | 'description' | 'status' | 'moderation' | 'source' | 'consultation_id' | 'votes_version'>;
  consultation: { id: number; title: string } | null;
  computed: null | {
    computedAt: string;
    votesVersion: number;
    /** Votes (or moderation) arrived after this computation. */
    stale: boolean;
    counts: DeliberationCounts;
    /** The opinion map (SVG without script) and its one-paragraph description. */
    svg: string;
    description: string;
    groups: OpinionMapSummary['groups'];
    consensus: OpinionMapSummary['consensus'];
    groupInformed: Array<{ statementId: number; text: string; agreePercent: number; seen: number; gic: number }>;
  };
}

const pct = (a: number, b: number) => (b > 0 ? Math.round((100 * a) / b) : 0);

export async function resultsView(db: Executor, d: DeliberationRow, locale: Locale): Promise<ResultsView> {
  const consultation = d.consultation_id === null ? null
    : (await db.selectFrom('consultations').select(['id', 'title']).where('id', '=', d.consultation_id).executeTakeFirst()) ?? null;
  const deliberation = { id: d.id, title: d.title, description: d.description, status: d.status, moderation: d.moderation, source: d.source, consultation_id: d.consultation_id, votes_version: d.votes_version };
  const latest = await latestResult(db, d.id);
  if (!latest) return { deliberation, consultation, computed: null };
  const map = latest.data.maps[locale];
  const top = groupInformedTop(latest.data);
  const texts = top.length ? await db.selectFrom('deliberation_statements').select(['id', 'body']).where('id', 'in', top.map((s) => s.statementId)).execute() : [];
  const text = new Map(texts.map((r) => [r.id, r.body]));
  return {
    deliberation, consultation,
    computed: {
      computedAt: latest.computedAt, votesVersion: latest.votesVersion, stale: latest.votesVersion < d.votes_version,
      counts: latest.data.counts, svg: map.svg, description: map.summary.description, groups: map.summary.groups, consensus: map.summary.consensus,
      groupInformed: top.map((s) => ({ statementId: s.statementId, text: text.get(s.statementId) ?? '', agreePercent: pct(s.agree, s.seen), seen: s.seen, gic: s.gic })),
    },
  };
}

export interface DeliberationReport extends ResultsView {
  /** A section for an outcome report, in Markdown, and the same as plain text. */
  markdown: string;
  text: string;
}

const md = (s: string) => s.replace(/([\\`*_[\]#<>|])/g, '\\$1').replace(/\s+/g, ' ').trim();

/** The deliberation's results as data plus a ready-to-include summary (Chinese by default). */
export async function deliberationReport(db: Executor, deliberationId: number, opts: { locale?: Locale } = {}): Promise<DeliberationReport> {
  const locale = opts.locale ?? 'zh-CN';
  const d = await loadDeliberation(db, deliberationId);
  const view = await resultsView(db, d, locale);
  const m = catalogFor(locale).deliberation;
  const dir = (x: 'agree' | 'disagree') => (x === 'agree' ? m.dirAgree : m.dirDisagree);
  const paren = (s: string) => (locale === 'en' ? ` (${s})` : `（${s}）`);
  const out: Array<{ md: string; text: string }> = [];
  const line = (mdLine: string, plain = mdLine.replace(/\\(.)/g, '$1').replace(/^#+ /, '')) => out.push({ md: mdLine, text: plain });
  line(`## ${md(m.reportTitle(d.title))}`);
  line('');
  const c = view.computed;
  if (!c) {
    line(md(m.notComputed));
  } else {
    line([m.reportCounts(c.counts.participants, c.counts.votes, c.counts.statements), m.reportGroups(c.groups.length, c.counts.placed), m.reportComputed(showDateTime(c.computedAt))].map(md).join(locale === 'en' ? ' ' : ''));
    for (const g of c.groups) {
      line('');
      line(`### ${md(m.groupHeading(g.label, g.size, g.percent))}`);
      if (!g.statements.length) line(md(m.groupNone));
      for (const s of g.statements) line(`- ${md(s.text)}${paren(md(m.repLine(dir(s.direction), s.groupPercent, s.othersPercent)))}`);
    }
    line('');
    line(`### ${md(m.consensusTitle)}`);
    if (!c.consensus.length) line(md(m.consensusNone));
    for (const s of c.consensus) line(`- ${md(s.text)}${paren(md(m.consensusLine(dir(s.direction), s.percent)))}`);
    if (c.groupInformed.length) {
      line('');
      line(`### ${md(m.gicTitle)}`);
      for (const s of c.groupInformed) line(`- ${md(s.text)}${paren(md(m.gicLine(s.agreePercent, s.seen)))}`);
    }
  }
  return { ...view, markdown: out.map((l) => l.md).join('\n') + '\n', text: out.map((l) => l.text).join('\n') + '\n' };
}
