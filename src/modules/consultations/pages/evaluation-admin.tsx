import { usePage } from '../../../web/page-context.js';
import type { EvaluationComment, evaluationComments } from '../evaluation-service.js';
import { AdminLayout } from './admin-home.js';
import { SummaryTable } from './outcome-parts.js';
import { showDateTime } from './parts.js';

// For the consultation's organisers: the evaluation counts, the unmoderated comments
// (never public, never with names), a page at a time, and the report's download.

type Data = Awaited<ReturnType<typeof evaluationComments>>;

export function EvaluationAdminPage({ d }: { d: Data }) {
  const { t } = usePage();
  const m = t.consultationsOutcome;
  const base = `/admin/consultations/${d.c.id}/evaluations`;
  const label = (n: number) => (n === 3 ? m.level3 : n === 2 ? m.level2 : m.level1);
  const list = (items: EvaluationComment[]) => (items.length === 0 ? <p>{m.adminNoComments}</p> : (
    <ul class="xs-list">{items.map((c, i) => (
      <li key={`${c.kind}-${i}`}>
        <p class="xs-list__meta">
          {c.number !== null && <span class="xs-tag">{m.adminRecLabel(c.number)}</span>} {m.adminRating(label(c.rating))}
          {c.role === 'participant' || c.role === 'registrant' ? ` · ${m[`role_${c.role}`]}` : ''} · {showDateTime(c.createdAt)}
        </p>
        <p>{c.comment}</p>
      </li>
    ))}</ul>
  ));
  return (
    <AdminLayout title={m.adminTitle} trail={[{ href: `/admin/consultations/${d.c.id}`, label: d.c.title }]}>
      <p>{m.adminLead}</p>
      {d.hasOutcome && <p><a href={`/consultations/${d.c.id}/outcome.docx`}>{m.docxDraftLink}</a></p>}
      <SummaryTable summary={d.summary} />
      <h2>{m.adminGeneral}</h2>
      {list(d.general)}
      <h2>{m.adminRecs}</h2>
      {list(d.recommendations)}
      {(d.page > 1 || d.more) && (
        <nav class="xs-pagination" aria-label={t.common.pageOf(d.page, d.more ? d.page + 1 : d.page)}>
          {d.page > 1 && <a class="xs-pagination__prev" rel="prev" href={d.page === 2 ? base : `${base}?page=${d.page - 1}`}>{m.adminPrev}</a>}
          {d.more && <a class="xs-pagination__next" rel="next" href={`${base}?page=${d.page + 1}`}>{m.adminMore}</a>}
        </nav>
      )}
    </AdminLayout>
  );
}
