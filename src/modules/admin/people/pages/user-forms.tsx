import { MEMBERSHIP_ROLES } from '../../../../db/schema.js';
import { ErrorSummary } from '../../../../web/components/error-summary.js';
import { Checkbox, type FormState, PostForm, Select, TextArea, TextInput } from '../../../../web/components/fields.js';
import { usePage } from '../../../../web/page-context.js';
import { AdminLayout } from '../../components.js';
import { GENDERS } from '../profiles-service.js';

type Opt = { value: number | string; label: string };
const parentOf = (id: number, name: string) => ({ href: `/admin/users/${id}`, label: name });

export function AccountFormPage({ id, name, form }: { id: number; name: string; form: FormState }) {
  const { t } = usePage();
  const m = t.adminPeople;
  return (
    <AdminLayout title={m.editAccount} hasErrors={Boolean(form.issues?.length)} parent={parentOf(id, name)}>
      <ErrorSummary issues={form.issues} />
      <PostForm action={`/admin/users/${id}/account`}>
        <TextInput name="displayName" label={m.displayName} form={form} required maxLength={50} />
        <TextInput name="username" label={`${m.username}（${t.common.optional}）`} hint={m.usernameHint} form={form} maxLength={32} autocomplete="off" />
        <TextInput name="phone" label={`${m.phone}（${t.common.optional}）`} form={form} type="tel" maxLength={20} />
        <TextInput name="realName" label={`${m.realName}（${t.common.optional}）`} form={form} maxLength={50} />
        <button type="submit" class="xs-button">{t.common.save}</button>
      </PostForm>
    </AdminLayout>
  );
}

export function PasswordFormPage({ id, name, form }: { id: number; name: string; form: FormState }) {
  const { t } = usePage();
  const m = t.adminPeople;
  return (
    <AdminLayout title={m.resetPassword} hasErrors={Boolean(form.issues?.length)} parent={parentOf(id, name)}>
      <p>{m.resetPasswordLead}</p>
      <ErrorSummary issues={form.issues} />
      <PostForm action={`/admin/users/${id}/password`}>
        <TextInput name="password" label={m.newPassword} hint={m.passwordHint} form={form} type="password" required autocomplete="new-password" maxLength={200} />
        <button type="submit" class="xs-button">{t.common.save}</button>
      </PostForm>
    </AdminLayout>
  );
}

export function ProfileFormPage({ id, name, form, sectors, townships }: { id: number; name: string; form: FormState; sectors: Opt[]; townships: Opt[] }) {
  const { t } = usePage();
  const m = t.adminPeople;
  return (
    <AdminLayout title={m.editProfile} hasErrors={Boolean(form.issues?.length)} parent={parentOf(id, name)}>
      <ErrorSummary issues={form.issues} />
      <PostForm action={`/admin/users/${id}/profile`}>
        <Select name="sectorId" label={m.sector} form={form} options={sectors} blank={m.notSet} />
        <Select name="regionId" label={m.township} form={form} options={townships} blank={m.notSet} />
        <Select name="gender" label={m.gender} form={form} options={GENDERS.map((g) => ({ value: g, label: m.genders(g) }))} blank={m.notSet} />
        <TextInput name="ethnicity" label={`${m.ethnicity}（${t.common.optional}）`} form={form} maxLength={20} />
        <TextInput name="party" label={`${m.party}（${t.common.optional}）`} form={form} maxLength={30} />
        <TextInput name="occupation" label={`${m.occupation}（${t.common.optional}）`} form={form} maxLength={100} />
        <TextArea name="bio" label={`${m.bio}（${t.common.optional}）`} form={form} maxLength={2000} />
        <TextInput name="sortName" label={`${m.sortName}（${t.common.optional}）`} hint={m.sortNameHint} form={form} maxLength={50} />
        <Checkbox name="isStanding" label={m.isStanding} form={form} />
        <Checkbox name="isPublic" label={m.isPublic} form={form} />
        <button type="submit" class="xs-button">{t.common.save}</button>
      </PostForm>
    </AdminLayout>
  );
}

export function MembershipFormPage({ id, name, form, bodies, terms }: { id: number; name: string; form: FormState; bodies: Opt[]; terms: Opt[] }) {
  const { t } = usePage();
  const m = t.adminPeople;
  return (
    <AdminLayout title={m.addMembership} hasErrors={Boolean(form.issues?.length)} parent={parentOf(id, name)}>
      <ErrorSummary issues={form.issues} />
      <PostForm action={`/admin/users/${id}/memberships`}>
        <Select name="bodyId" label={m.body} form={form} options={bodies} blank="" required />
        <Select name="role" label={m.role} form={form} options={MEMBERSHIP_ROLES.map((r) => ({ value: r, label: m.roleNames(r) }))} blank="" required />
        <Select name="termId" label={m.term} form={form} options={terms} blank={m.notSet} />
        <TextInput name="title" label={`${m.title}（${t.common.optional}）`} hint={m.titleHint} form={form} maxLength={50} />
        <TextInput name="startsOn" label={`${m.startsOn}（${t.common.optional}）`} form={form} type="date" />
        <TextInput name="endsOn" label={`${m.endsOn}（${t.common.optional}）`} form={form} type="date" />
        <button type="submit" class="xs-button">{t.common.save}</button>
      </PostForm>
    </AdminLayout>
  );
}
