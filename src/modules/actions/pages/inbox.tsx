import { Pagination } from '../../../web/components/pagination.js';
import { TableScroll } from '../../../web/components/table-scroll.js';
import { usePage } from '../../../web/page-context.js';
import { type HandlerNav } from '../../opinions/handler-access.js';
import { ACTION_FILTERS, type ActionFilter, type ActionRow } from '../../opinions/supervision-queries.js';
import { HandlerLayout, fmt } from '../../opinions/pages/handler/layout.js';

export interface ActionsInboxProps {
  nav: HandlerNav;
  departments: { id: number; label: string }[];
  department: number;
  filter: ActionFilter;
  list: { rows: ActionRow[]; pages: number; total: number };
  page: number;
}

/** A department's action items: what the committee assigned, by deadline, overdue marked in words. */
export function ActionsInboxPage(p: ActionsInboxProps) {
  const { t } = usePage();
  const m = t.opinionsDepartment;
  const h = t.opinionsHandler;
  const href = (dept: number, filter: ActionFilter) => `/handle/actions?dept=${dept}${filter === 'pending' ? '' : `&status=${filter}`}`;
  return (
    <HandlerLayout title={m.actionsTitle} nav={p.nav} current="actions">
      <p class="xs-lead">{m.actionsLead}</p>
      {p.departments.length > 1 && (
        <nav aria-label={m.deptLabel} class="xs-panel">
          <ul>{p.departments.map((d) => (
            <li key={d.id}><a href={href(d.id, p.filter)} aria-current={d.id === p.department ? 'page' : undefined}>{d.label}</a></li>
          ))}</ul>
        </nav>
      )}
      <nav aria-label={m.actionFilterLabel}>
        <ul class="xs-nav__list">{ACTION_FILTERS.map((f) => (
          <li key={f}><a href={href(p.department, f)} aria-current={f === p.filter ? 'page' : undefined}>{m.actionFilter(f)}</a></li>
        ))}</ul>
      </nav>
      <p role="status">{h.count(p.list.total, false)}</p>
      {p.list.rows.length === 0 ? <p>{m.actionsNone}</p> : (
        <TableScroll><table class="xs-table">
          <caption class="xs-visually-hidden">{m.actionsTitle}</caption>
          <thead><tr><th scope="col">{h.colItem}</th><th scope="col">{m.colFrom}</th><th scope="col">{m.colAssigned}</th><th scope="col">{m.itemDue}</th><th scope="col">{h.colStatus}</th></tr></thead>
          <tbody>{p.list.rows.map((r) => (
            <tr key={r.id}>
              <td><a href={`/handle/actions/${r.id}`}>{r.title}</a></td>
              <td>{r.assignedBody ?? '—'}</td>
              <td>{fmt(r.createdAt)}</td>
              <td>{r.dueOn}{r.overdueDays > 0 && <><br /><strong class="xs-error">{h.overdueBy(r.overdueDays)}</strong></>}</td>
              <td>{h.itemStatus(r.status)}</td>
            </tr>
          ))}</tbody>
        </table></TableScroll>
      )}
      <Pagination page={p.page} pages={p.list.pages} baseUrl="/handle/actions" query={{ dept: p.department, status: p.filter === 'pending' ? undefined : p.filter }} />
    </HandlerLayout>
  );
}
