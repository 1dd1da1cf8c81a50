import { SanitisedHtml } from '../../../web/components/raw-html.js';
import type { Catalog } from '../../../web/i18n/index.js';
import { usePage } from '../../../web/page-context.js';
import type { NoticeView } from '../community-notice-service.js';
import type { EscalationStatus, ResultView } from '../escalation-queries.js';
import { chinaDate } from '../../../platform/calendar/index.js';
import { showDate } from './parts.js';

// Small pieces the grassroots pages share.

type G = Catalog['grassroots'];
export const escalationStatusLabel = (g: G, s: EscalationStatus): string => g[`status_${s}`];

/** "Became a topic: …", linked when the visitor may open it. */
export function EscalationResult({ result }: { result: ResultView | null }) {
  const { t } = usePage();
  if (!result) return null;
  const g = t.grassroots;
  const type = g[`rtype_${result.type}`];
  return (
    <p class="xs-list__meta">
      {result.href ? <a href={result.href}>{g.becameResult(type, result.label)}</a> : g.becameResult(type, result.label)}
    </p>
  );
}

/** Notices, newest first, each with its kind, dates and the rendered Markdown. */
export function NoticeList({ notices, headingLevel }: { notices: NoticeView[]; headingLevel: 2 | 3 }) {
  const { t } = usePage();
  const g = t.grassroots;
  const today = chinaDate(new Date());
  const H = headingLevel === 2 ? 'h2' : 'h3';
  if (!notices.length) return <p>{g.noNotices}</p>;
  return (
    <>
      {notices.map((n) => (
        <article key={n.id} id={`notice-${n.id}`} class="xs-panel">
          <H>{g[`kind_${n.kind}`]}</H>
          <p class="xs-muted">
            {g.publishedOn(showDate(n.publishedAt))}
            {n.noticeUntil && ` · ${n.noticeUntil < today ? g.noticeEnded : g.noticeUntil(n.noticeUntil)}`}
          </p>
          <SanitisedHtml class="xs-prose" html={n.bodyHtml} />
        </article>
      ))}
    </>
  );
}
