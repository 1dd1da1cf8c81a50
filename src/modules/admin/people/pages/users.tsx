import { ErrorSummary } from '../../../../web/components/error-summary.js';
import { type FormState, PostForm, TextInput } from '../../../../web/components/fields.js';
import { Pagination } from '../../../../web/components/pagination.js';
import { usePage } from '../../../../web/page-context.js';
import { AdminLayout } from '../../components.js';
import type { UserListRow } from '../users-service.js';
import { TableScroll } from '../../../../web/components/table-scroll.js';

export function UsersPage({ rows, total, page, pages, q, done }: { rows: UserListRow[]; total: number; page: number; pages: number; q: string; done: string | null }) {
  const { t } = usePage();
  const m = t.adminPeople;
  return (
    <AdminLayout title={m.usersTitle} done={done}>
      <p><a class="xs-button" href="/admin/users/new">{m.newUser}</a> <a href="/admin/import">{t.admin.importMembers}</a></p>
      <form method="get" action="/admin/users" role="search" aria-label={m.usersTitle} class="xs-filters">
        <div class="xs-field">
          <label class="xs-label" for="f-q">{m.searchLabel}</label>
          <input class="xs-input" id="f-q" name="q" type="search" value={q} maxLength={50} />
        </div>
        <div class="xs-field"><button type="submit" class="xs-button xs-button--secondary">{t.common.search}</button></div>
      </form>
      <p>{t.common.resultsCount(total)}</p>
      {rows.length > 0 && (
        <TableScroll><table class="xs-table">
          <caption class="xs-visually-hidden">{m.usersTitle}</caption>
          <thead><tr><th scope="col">{m.displayName}</th><th scope="col">{m.username}</th><th scope="col">{m.phone}</th><th scope="col">{m.roles}</th><th scope="col">{m.status}</th></tr></thead>
          <tbody>{rows.map((u) => (
            <tr key={u.id}>
              <td><a href={`/admin/users/${u.id}`}>{u.displayName}</a></td>
              <td>{u.username ?? '—'}</td>
              <td>{u.phone || '—'}</td>
              <td>{[...(u.isAdmin ? [m.siteAdmin] : []), ...u.roles.map((r) => m.roleNames(r))].join('、') || m.citizen}</td>
              <td>{m.statuses(u.status)}</td>
            </tr>
          ))}</tbody>
        </table></TableScroll>
      )}
      <Pagination page={page} pages={pages} baseUrl="/admin/users" query={{ q }} />
    </AdminLayout>
  );
}

export function NewUserPage({ form }: { form: FormState }) {
  const { t } = usePage();
  const m = t.adminPeople;
  return (
    <AdminLayout title={m.newUser} hasErrors={Boolean(form.issues?.length)} parent={{ href: '/admin/users', label: m.usersTitle }}>
      <p>{m.newUserLead}</p>
      <ErrorSummary issues={form.issues} />
      <PostForm action="/admin/users/new">
        <TextInput name="displayName" label={m.displayName} form={form} required maxLength={50} />
        <TextInput name="username" label={m.username} hint={m.usernameHint} form={form} required maxLength={32} autocomplete="off" />
        <TextInput name="password" label={m.initialPassword} hint={m.passwordHint} form={form} type="password" required autocomplete="new-password" maxLength={200} />
        <TextInput name="phone" label={`${m.phone}（${t.common.optional}）`} form={form} type="tel" maxLength={20} />
        <TextInput name="realName" label={`${m.realName}（${t.common.optional}）`} form={form} maxLength={50} />
        <button type="submit" class="xs-button">{t.common.create}</button>
      </PostForm>
    </AdminLayout>
  );
}
