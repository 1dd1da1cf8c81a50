import { ErrorSummary } from '../../../web/components/error-summary.js';
import { type FormState, PostForm } from '../../../web/components/fields.js';
import { usePage } from '../../../web/page-context.js';
import { AdminLayout } from '../components.js';
import { COLUMNS, IMPORT_MAX_BYTES, IMPORT_MAX_ROWS, headerOf } from './columns.js';
import type { Report } from './parse.js';
import { TableScroll } from '../../../web/components/table-scroll.js';

const parent = (label: string) => ({ href: '/admin/users', label });

export function ImportPage({ form, result }: { form: FormState; result: { imported: number; skipped: number } | null }) {
  const { t } = usePage();
  const m = t.adminImport;
  const issue = form.issues?.find((i) => i.field === 'file');
  return (
    <AdminLayout title={m.title} hasErrors={Boolean(form.issues?.length)} parent={parent(t.adminPeople.usersTitle)}>
      {result && <div class="xs-notice" role="status">{m.doneResult(result.imported, result.skipped)}</div>}
      <ErrorSummary issues={form.issues} />
      <p>{m.lead}</p>
      <p>{m.columns(COLUMNS.map((c) => c.header).join('、'))}</p>
      <p><a href="/admin/import/template.xlsx" download>{m.downloadTemplate}</a></p>
      <PostForm action="/admin/import" multipart>
        <div class={`xs-field${issue ? ' xs-field--error' : ''}`}>
          <label class="xs-label" for="f-file">{m.file}</label>
          <div class="xs-hint" id="h-file">{m.fileHint(IMPORT_MAX_BYTES / 1024 / 1024, IMPORT_MAX_ROWS)}</div>
          {issue && <p class="xs-error" id="e-file"><span class="xs-visually-hidden">{t.common.errorPrefix}</span>{issue.message(t)}</p>}
          <input class="xs-input" id="f-file" name="file" type="file" required
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-describedby={issue ? 'h-file e-file' : 'h-file'} />
        </div>
        <button type="submit" class="xs-button">{m.check}</button>
      </PostForm>
    </AdminLayout>
  );
}

export function ReportPage({ report, token, blocked }: { report: Report; token: string; blocked?: boolean }) {
  const { t } = usePage();
  const m = t.adminImport;
  const bad = new Set(report.issues.map((i) => i.row)).size;
  return (
    <AdminLayout title={m.reportTitle} hasErrors={report.issues.length > 0} parent={{ href: '/admin/import', label: m.title }}>
      <p class="xs-lead">{m.summary(report.total, report.rows.length, bad)}</p>
      {blocked && <p role="alert" class="xs-error">{m.blocked}</p>}
      {report.issues.length > 0 && (
        <TableScroll><table class="xs-table">
          <caption>{m.issuesCaption}</caption>
          <thead><tr><th scope="col">{m.row}</th><th scope="col">{m.column}</th><th scope="col">{m.problem}</th></tr></thead>
          <tbody>{report.issues.map((i, n) => (
            <tr key={n}><td>{i.row}</td><td>{i.column ? headerOf(i.column) : '—'}</td><td>{i.message(t)}</td></tr>
          ))}</tbody>
        </table></TableScroll>
      )}
      {report.rows.length > 0 && (
        <PostForm action="/admin/import/confirm">
          <input type="hidden" name="token" value={token} />
          {report.issues.length === 0 ? (
            <button type="submit" class="xs-button">{m.importAll(report.rows.length)}</button>
          ) : (<>
            <input type="hidden" name="validOnly" value="1" />
            <p>{m.validOnlyExplain}</p>
            <button type="submit" class="xs-button xs-button--warning">{m.importValidOnly(report.rows.length)}</button>
          </>)}
        </PostForm>
      )}
      <p><a href="/admin/import">{m.uploadAgain}</a></p>
    </AdminLayout>
  );
}
