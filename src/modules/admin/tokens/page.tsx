import { ErrorSummary } from '../../../web/components/error-summary.js';
import { type FormState, PostForm, TextInput } from '../../../web/components/fields.js';
import { Pagination } from '../../../web/components/pagination.js';
import { usePage } from '../../../web/page-context.js';
import { AdminLayout, fmtTime } from '../components.js';
import type { TokenRow } from './service.js';
import { TableScroll } from '../../../web/components/table-scroll.js';

export function TokensPage({ rows, page, pages, form, issued, done }: {
  rows: TokenRow[]; page: number; pages: number; form: FormState; issued: { token: string; name: string } | null; done: string | null;
}) {
  const { t } = usePage();
  const m = t.adminOps;
  return (
    <AdminLayout title={m.tokensTitle} hasErrors={Boolean(form.issues?.length)} done={done}>
      {issued && (
        <div class="xs-notice" role="status">
          <p>{m.issuedOnce(issued.name)}</p>
          <p><label for="new-token">{m.tokenValue}</label></p>
          <input id="new-token" class="xs-input" readOnly value={issued.token} />
        </div>
      )}
      <p>{m.tokensLead}</p>
      {rows.length === 0 ? <p>{t.common.none}</p> : (
        <TableScroll><table class="xs-table">
          <caption class="xs-visually-hidden">{m.tokensTitle}</caption>
          <thead><tr><th scope="col">{m.tokenName}</th><th scope="col">{m.tokenUser}</th><th scope="col">{m.created}</th><th scope="col">{m.lastUsed}</th><th scope="col">{m.revoked}</th></tr></thead>
          <tbody>{rows.map((r) => (
            <tr key={r.id}>
              <td>{r.name}</td>
              <td><a href={`/admin/users/${r.userId}`}>{r.userName}</a></td>
              <td>{fmtTime(r.createdAt)}</td>
              <td>{fmtTime(r.lastUsedAt)}</td>
              <td>{r.revokedAt ? fmtTime(r.revokedAt) : (
                <PostForm action={`/admin/tokens/${r.id}/revoke`}>
                  <button type="submit" class="xs-button xs-button--warning">{m.revoke}<span class="xs-visually-hidden"> {r.name}</span></button>
                </PostForm>
              )}</td>
            </tr>
          ))}</tbody>
        </table></TableScroll>
      )}
      <Pagination page={page} pages={pages} baseUrl="/admin/tokens" query={{}} />
      <h2>{m.issueHeading}</h2>
      <ErrorSummary issues={form.issues} />
      <PostForm action="/admin/tokens">
        <TextInput name="name" label={m.tokenName} hint={m.tokenNameHint} form={form} required maxLength={100} />
        <TextInput name="userId" label={m.tokenUserId} hint={m.tokenUserIdHint} form={form} required inputmode="numeric" maxLength={10} />
        <button type="submit" class="xs-button">{m.issue}</button>
      </PostForm>
    </AdminLayout>
  );
}
