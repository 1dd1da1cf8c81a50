import { TableScroll } from '../../../../web/components/table-scroll.js';
import { usePage } from '../../../../web/page-context.js';
import type { HandlerNav } from '../../handler-access.js';
import type { BadRating, OverdueItem, OverdueOpinion } from '../../supervision-queries.js';
import { formatTrackingCode } from '../../model.js';
import { statusLabel } from '../../timeline.js';
import { ratingWord } from './detail.js';
import { HandlerLayout, fmt, localName } from './layout.js';

export interface OverdueProps {
  nav: HandlerNav;
  opinions: { rows: OverdueOpinion[]; pages: number; total: number; page: number };
  items: { rows: OverdueItem[]; pages: number; total: number; page: number };
  ratings: { rows: BadRating[]; pages: number; page: number };
}

/** Groups consecutive rows (already ordered by group) under their group's name. */
function groups<T>(rows: T[], key: (r: T) => string): [string, T[]][] {
  const out: [string, T[]][] = [];
  for (const r of rows) {
    const k = key(r);
    const last = out[out.length - 1];
    if (last && last[0] === k) last[1].push(r);
    else out.push([k, [r]]);
  }
  return out;
}

export function OverduePage({ nav, opinions, items, ratings }: OverdueProps) {
  const { t, locale } = usePage();
  const m = t.opinionsHandler;
  const dm = t.opinionsHandlerDetail;
  const q = { page: opinions.page, ipage: items.page, rpage: ratings.page };
  const pageLinks = (which: 'page' | 'ipage' | 'rpage', label: string, page: number, pages: number) => {
    const others = Object.fromEntries(Object.entries(q).filter(([k]) => k !== which).map(([k, v]) => [k, v > 1 ? v : undefined]));
    return <ListPager param={which} label={label} page={page} pages={pages} others={others} />;
  };
  return (
    <HandlerLayout title={m.overdueTitle} nav={nav} current="overdue">
      <p class="xs-lead">{m.overdueLead}</p>

      <h2>{m.overdueOpinions} <span class="xs-muted">({opinions.total})</span></h2>
      {opinions.rows.length === 0 ? <p>{m.overdueOpinionsNone}</p> : groups(opinions.rows, (r) => localName({ name: r.body, nameEn: r.bodyEn }, locale)).map(([body, rows]) => (
        <div key={body}>
          <h3>{body}</h3>
          <TableScroll><table class="xs-table">
            <caption class="xs-visually-hidden">{`${m.overdueOpinions} · ${body}`}</caption>
            <thead><tr><th scope="col">{m.colCode}</th><th scope="col">{m.colTitle}</th><th scope="col">{m.colKind}</th><th scope="col">{m.colDue}</th><th scope="col">{m.colDays}</th><th scope="col">{m.colHandler}</th></tr></thead>
            <tbody>{rows.map((r) => (
              <tr key={r.id}>
                <td><a href={`/handle/opinions/${r.id}`}>{formatTrackingCode(r.code)}</a></td>
                <td>{r.title}</td>
                <td>{r.kind === 'accept' ? m.overdueKindAccept : m.overdueKindReply}（{statusLabel(t, r.status)}）</td>
                <td>{r.due}</td>
                <td><strong class="xs-error">{m.overdueDays(r.days)}</strong></td>
                <td>{r.handlerUser ?? '—'}</td>
              </tr>
            ))}</tbody>
          </table></TableScroll>
        </div>
      ))}
      {pageLinks('page', m.overdueOpinions, opinions.page, opinions.pages)}

      <h2>{m.overdueItems} <span class="xs-muted">({items.total})</span></h2>
      {items.rows.length === 0 ? <p>{m.overdueItemsNone}</p> : groups(items.rows, (r) => localName({ name: r.department, nameEn: r.departmentEn }, locale)).map(([dept, rows]) => (
        <div key={dept}>
          <h3>{dept}</h3>
          <TableScroll><table class="xs-table">
            <caption class="xs-visually-hidden">{`${m.overdueItems} · ${dept}`}</caption>
            <thead><tr><th scope="col">{m.colItem}</th><th scope="col">{m.colAssignedBy}</th><th scope="col">{m.colStatus}</th><th scope="col">{m.colDue}</th><th scope="col">{m.colDays}</th></tr></thead>
            <tbody>{rows.map((r) => (
              <tr key={r.id}>
                <td><a href={`/handle/actions/${r.id}`}>{r.title}</a></td>
                <td>{r.assignedBody ?? '—'}</td>
                <td>{m.itemStatus(r.status)}</td>
                <td>{r.dueOn}</td>
                <td><strong class="xs-error">{m.overdueDays(r.days)}</strong></td>
              </tr>
            ))}</tbody>
          </table></TableScroll>
        </div>
      ))}
      {pageLinks('ipage', m.overdueItems, items.page, items.pages)}

      <h2>{m.badRatings}</h2>
      {ratings.rows.length === 0 ? <p>{m.badRatingsNone}</p> : (
        <TableScroll><table class="xs-table">
          <caption class="xs-visually-hidden">{m.badRatings}</caption>
          <thead><tr><th scope="col">{m.colCode}</th><th scope="col">{m.colTitle}</th><th scope="col">{m.colHandler}</th><th scope="col">{dm.ratingHandling}</th><th scope="col">{dm.ratingResult}</th><th scope="col">{dm.ratingComment}</th><th scope="col">{m.colWhen}</th></tr></thead>
          <tbody>{ratings.rows.map((r) => (
            <tr key={`${r.opinionId}-${r.round}`}>
              <td><a href={`/handle/opinions/${r.opinionId}`}>{formatTrackingCode(r.code)}</a></td>
              <td>{r.title} <span class="xs-muted">{dm.ratingRound(r.round)}</span></td>
              <td>{localName({ name: r.body, nameEn: r.bodyEn }, locale)}</td>
              <td>{ratingWord(t, r.handling)}</td>
              <td>{ratingWord(t, r.result)}</td>
              <td>{r.comment ?? '—'}</td>
              <td>{fmt(r.at)}</td>
            </tr>
          ))}</tbody>
        </table></TableScroll>
      )}
      {pageLinks('rpage', m.badRatings, ratings.page, ratings.pages)}
    </HandlerLayout>
  );
}

/** Previous/next for a second list on the same page (its own page parameter). */
function ListPager({ param, label, page, pages, others }: { param: string; label: string; page: number; pages: number; others: Record<string, number | undefined> }) {
  const { t } = usePage();
  if (pages <= 1) return null;
  const href = (p: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(others)) if (v !== undefined) q.set(k, String(v));
    if (p > 1) q.set(param, String(p));
    const s = q.toString();
    return s ? `/handle/overdue?${s}` : '/handle/overdue';
  };
  return (
    <nav class="xs-pagination" aria-label={`${label} · ${t.common.pageOf(page, pages)}`}>
      {page > 1 && <a rel="prev" href={href(page - 1)}>{t.common.previous}</a>}
      <span>{t.common.pageOf(page, pages)}</span>
      {page < pages && <a rel="next" href={href(page + 1)}>{t.common.next}</a>}
    </nav>
  );
}
