import { PostForm } from '../../../../web/components/fields.js';
import { usePage } from '../../../../web/page-context.js';
import { AdminLayout, fmtTime } from '../../components.js';
import type { MembershipRow } from '../memberships-service.js';
import type { ProfileValues } from '../profiles-service.js';
import type { getAccount } from '../users-service.js';
import { TableScroll } from '../../../../web/components/table-scroll.js';

type Account = Awaited<ReturnType<typeof getAccount>>;

export function UserDetailPage({ account: a, profile, memberships, done, isSelf }: {
  account: Account; profile: ProfileValues | null; memberships: MembershipRow[]; done: string | null; isSelf: boolean;
}) {
  const { t } = usePage();
  const m = t.adminPeople;
  return (
    <AdminLayout title={a.displayName} done={done} parent={{ href: '/admin/users', label: m.usersTitle }}>
      <dl class="xs-summary">
        <dt>{m.username}</dt><dd>{a.username ?? '—'}</dd>
        <dt>{m.phone}</dt><dd>{a.phone || '—'}</dd>
        <dt>{m.realName}</dt><dd>{a.realName || '—'}</dd>
        <dt>{m.status}</dt><dd>{m.statuses(a.status)}{a.isAdmin ? `（${m.siteAdmin}）` : ''}</dd>
        <dt>{m.password}</dt><dd>{a.hasPassword ? m.passwordSet : m.passwordNotSet}</dd>
        <dt>{m.createdAt}</dt><dd>{fmtTime(a.createdAt)}</dd>
      </dl>
      <p>
        <a href={`/admin/users/${a.id}/account`}>{m.editAccount}</a> · <a href={`/admin/users/${a.id}/password`}>{m.resetPassword}</a> · <a href={`/admin/tokens?user=${a.id}`}>{m.issueToken}</a>
      </p>
      {!isSelf && (
        <PostForm action={`/admin/users/${a.id}/${a.status === 'active' ? 'disable' : 'enable'}`}>
          <button type="submit" class={`xs-button ${a.status === 'active' ? 'xs-button--warning' : 'xs-button--secondary'}`}>{a.status === 'active' ? m.disable : m.enable}</button>
        </PostForm>
      )}

      <h2>{m.profileHeading}</h2>
      {profile ? (
        <dl class="xs-summary">
          <dt>{m.occupation}</dt><dd>{profile.occupation || '—'}</dd>
          <dt>{m.isStanding}</dt><dd>{profile.isStanding ? m.yes : m.no}</dd>
          <dt>{m.isPublic}</dt><dd>{profile.isPublic ? m.yes : m.no}</dd>
        </dl>
      ) : <p>{m.noProfile}</p>}
      <p><a href={`/admin/users/${a.id}/profile`}>{m.editProfile}</a></p>

      <h2>{m.membershipsHeading}</h2>
      {memberships.length === 0 ? <p>{m.noMemberships}</p> : (
        <TableScroll><table class="xs-table">
          <caption class="xs-visually-hidden">{m.membershipsHeading}</caption>
          <thead><tr><th scope="col">{m.body}</th><th scope="col">{m.role}</th><th scope="col">{m.term}</th><th scope="col">{m.title}</th><th scope="col">{m.period}</th><th scope="col">{m.actionsCol}</th></tr></thead>
          <tbody>{memberships.map((r) => (
            <tr key={r.id}>
              <td>{r.bodyName}</td><td>{m.roleNames(r.role)}</td><td>{r.termName ?? '—'}</td><td>{r.title ?? '—'}</td>
              <td>{r.startsOn ?? '…'} – {r.endsOn ?? '…'}</td>
              <td>{r.active ? (
                <PostForm action={`/admin/memberships/${r.id}/end`}>
                  <button type="submit" class="xs-button xs-button--secondary">{m.endMembership}<span class="xs-visually-hidden"> {r.bodyName} {m.roleNames(r.role)}</span></button>
                </PostForm>
              ) : m.ended}</td>
            </tr>
          ))}</tbody>
        </table></TableScroll>
      )}
      <p><a class="xs-button" href={`/admin/users/${a.id}/memberships`}>{m.addMembership}</a></p>
    </AdminLayout>
  );
}
