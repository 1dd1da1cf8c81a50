import type { VNode } from 'preact';
import { ErrorSummary } from '../../../web/components/error-summary.js';
import { type FormState, PostForm, TextArea } from '../../../web/components/fields.js';
import { Pagination } from '../../../web/components/pagination.js';
import { Layout } from '../../../web/layout.js';
import { usePage } from '../../../web/page-context.js';

export interface AdminRow {
  id: number; user_id: number; display_name: string; status: string; reason: string;
  created_at: string; handled_at: string | null; note: string | null;
}

function AdminPage({ rows, page, pages, done, failed }: {
  rows: AdminRow[]; page: number; pages: number; done: 'approved' | 'rejected' | null; failed?: { id: number; form: FormState };
}) {
  const { t } = usePage();
  const p = t.privacy;
  return (
    <Layout title={p.adminTitle} hasErrors={Boolean(failed)}>
      <nav class="xs-breadcrumbs" aria-label={t.common.breadcrumb}><ol><li><a href="/admin">{t.account.adminLink}</a></li></ol></nav>
      <h1>{p.adminTitle}</h1>
      <ErrorSummary issues={failed?.form.issues} />
      {done && <div class="xs-notice" role="status">{done === 'approved' ? p.doneApproved : p.doneRejected}</div>}
      <p>{p.adminIntro}</p>
      {rows.length === 0 ? <p>{p.noRequests}</p> : (
        <ul class="xs-list">
          {rows.map((r) => (
            <li key={r.id}>
              <h2 class="xs-list__title">#{r.id} {r.display_name} · {p.requestStatus(r.status)}</h2>
              <p class="xs-list__meta">{p.filedAt} {r.created_at.slice(0, 16).replace('T', ' ')} UTC{r.handled_at && ` · ${p.handled} ${r.handled_at.slice(0, 10)}`}</p>
              {r.reason && <p>{p.reason}：{r.reason}</p>}
              {r.note && <p>{p.note}：{r.note}</p>}
              {r.status === 'pending' && (
                <div class="xs-panel">
                  <PostForm action={`/admin/privacy/${r.id}/approve`}>
                    <button type="submit" class="xs-button xs-button--warning">{p.approve}</button>
                  </PostForm>
                  <PostForm action={`/admin/privacy/${r.id}/reject`}>
                    <TextArea name={`note-${r.id}`} label={p.rejectNoteLabel} rows={2} maxLength={1000}
                      form={failed?.id === r.id ? failed.form : undefined} />
                    <button type="submit" class="xs-button xs-button--secondary">{p.reject}</button>
                  </PostForm>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} pages={pages} baseUrl="/admin/privacy" query={{}} />
    </Layout>
  );
}

export const adminPage = (p: Parameters<typeof AdminPage>[0]): VNode => <AdminPage {...p} />;
