import type { VNode } from 'preact';
import type { FormState } from '../../../web/components/fields.js';
import { PostForm, TextInput } from '../../../web/components/fields.js';
import { ErrorSummary } from '../../../web/components/error-summary.js';
import { Layout } from '../../../web/layout.js';
import { usePage } from '../../../web/page-context.js';

export function SetupPage({ form }: { form?: FormState }) {
  const { t } = usePage();
  const s = t.setup;
  return (
    <Layout title={s.title} hasErrors={Boolean(form?.issues?.length)}>
      <h1>{s.title}</h1>
      <ErrorSummary issues={form?.issues} />
      <p class="xs-lead">{s.intro}</p>
      <PostForm action="/setup">
        <fieldset class="xs-fieldset">
          <legend><h2>{s.orgSection}</h2></legend>
          <TextInput name="orgName" label={s.orgName} hint={s.orgNameHint} form={form} required maxLength={100} />
          <TextInput name="orgNameEn" label={s.orgNameEn} hint={s.orgNameEnHint} form={form} maxLength={200} />
          <TextInput name="regionName" label={s.regionName} hint={s.regionNameHint} form={form} required maxLength={100} />
          <TextInput name="regionCode" label={s.regionCode} hint={s.regionCodeHint} form={form} required inputmode="numeric" maxLength={12} />
        </fieldset>
        <fieldset class="xs-fieldset">
          <legend><h2>{s.adminSection}</h2></legend>
          <TextInput name="username" label={s.username} hint={s.usernameHint} form={form} required autocomplete="username" maxLength={40} />
          <TextInput name="displayName" label={s.displayName} hint={s.displayNameHint} form={form} required autocomplete="name" maxLength={100} />
          <TextInput name="password" type="password" label={s.password} hint={s.passwordHint} form={form} required autocomplete="new-password" />
          <TextInput name="passwordConfirm" type="password" label={s.passwordConfirm} form={form} required autocomplete="new-password" />
        </fieldset>
        <button type="submit" class="xs-button">{s.submit}</button>
      </PostForm>
    </Layout>
  );
}

export const setupPage = (form?: FormState): VNode => <SetupPage form={form} />;
