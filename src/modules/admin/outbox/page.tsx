import type { SmsMessagesTable } from '../../../db/schema.js';
import { Fragment } from 'preact';
import { Pagination } from '../../../web/components/pagination.js';
import { usePage } from '../../../web/page-context.js';
import { AdminLayout, fmtTime } from '../components.js';
import type { jobState } from './service.js';
import { TableScroll } from '../../../web/components/table-scroll.js';

type Sms = Omit<SmsMessagesTable, 'id'> & { id: number };

export function OutboxPage({ sms, page, pages, jobs }: { sms: Sms[]; page: number; pages: number; jobs: Awaited<ReturnType<typeof jobState>> }) {
  const { t } = usePage();
  const m = t.adminOps;
  return (
    <AdminLayout title={m.outboxTitle}>
      <h2>{m.jobsHeading}</h2>
      <dl class="xs-summary">
        {(['pending', 'running', 'failed', 'done'] as const).map((s) => <Fragment key={s}><dt>{m.jobStatuses(s)}</dt><dd>{jobs.byStatus[s]}</dd></Fragment>)}
      </dl>
      {jobs.open.length > 0 && (
        <TableScroll><table class="xs-table">
          <caption class="xs-visually-hidden">{m.jobsHeading}</caption>
          <thead><tr><th scope="col">{m.jobKind}</th><th scope="col">{m.status}</th><th scope="col">{m.runAt}</th><th scope="col">{m.attempts}</th><th scope="col">{m.lastError}</th></tr></thead>
          <tbody>{jobs.open.map((j) => (
            <tr key={j.id}><td>{j.kind}</td><td>{m.jobStatuses(j.status)}</td><td>{fmtTime(j.run_at)}</td><td>{j.attempts} / {j.max_attempts}</td><td>{j.last_error ?? '—'}</td></tr>
          ))}</tbody>
        </table></TableScroll>
      )}
      <h2>{m.smsHeading}</h2>
      <p>{m.smsLead}</p>
      {sms.length === 0 ? <p>{t.common.none}</p> : (
        <TableScroll><table class="xs-table">
          <caption class="xs-visually-hidden">{m.smsHeading}</caption>
          <thead><tr><th scope="col">{m.created}</th><th scope="col">{m.phone}</th><th scope="col">{m.text}</th><th scope="col">{m.status}</th></tr></thead>
          <tbody>{sms.map((s) => (
            <tr key={s.id}><td>{fmtTime(s.created_at)}</td><td>{s.phone}</td><td>{s.text}</td>
              <td>{m.smsStatuses(s.status)}{s.error ? `：${s.error}` : ''} <span class="xs-muted">({s.adapter})</span></td></tr>
          ))}</tbody>
        </table></TableScroll>
      )}
      <Pagination page={page} pages={pages} baseUrl="/admin/outbox" query={{}} />
    </AdminLayout>
  );
}
