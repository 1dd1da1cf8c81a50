import type { VNode } from 'preact';
import { Pagination } from '../../../../web/components/pagination.js';
import { TableScroll } from '../../../../web/components/table-scroll.js';
import { Layout } from '../../../../web/layout.js';
import { usePage } from '../../../../web/page-context.js';
import { formatTrackingCode } from '../../model.js';
import { statusLabel } from '../../timeline.js';
import { Due, when } from './parts.js';

export interface MyOpinionRow {
  trackingCode: string; title: string; status: string; createdAt: string; due: string | null; overdue: boolean;
}

/** A signed-in person's own opinions, newest first. */
function MyOpinionsPage({ rows, page, pages, total }: { rows: MyOpinionRow[]; page: number; pages: number; total: number }) {
  const { t } = usePage();
  const c = t.opinionsCitizen;
  return (
    <Layout title={c.myTitle}>
      <h1>{c.myTitle}</h1>
      <p><a class="xs-button" href="/opinions/new">{c.newTitle}</a></p>
      {rows.length === 0 ? <p class="xs-muted">{c.myNone}</p> : (
        <>
          <p class="xs-muted">{t.common.resultsCount(total)}</p>
          <TableScroll>
            <table class="xs-table">
              <caption class="xs-visually-hidden">{c.myTitle}</caption>
              <thead><tr>
                <th scope="col">{t.opinions.fTitle}</th><th scope="col">{t.opinions.fTrackingCode}</th>
                <th scope="col">{c.status}</th><th scope="col">{c.sentAt}</th><th scope="col">{c.nextDeadline}</th>
              </tr></thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.trackingCode}>
                    <td><a href={`/opinions/track/${r.trackingCode}`}>{r.title}</a></td>
                    <td lang="en">{formatTrackingCode(r.trackingCode)}</td>
                    <td>{statusLabel(t, r.status)}</td>
                    <td>{when(r.createdAt)}</td>
                    <td>{r.due ? <Due date={r.due} overdue={r.overdue} /> : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <Pagination page={page} pages={pages} baseUrl="/my/opinions" query={{}} />
        </>
      )}
    </Layout>
  );
}

export const myOpinionsPage = (p: { rows: MyOpinionRow[]; page: number; pages: number; total: number }): VNode => <MyOpinionsPage {...p} />;
