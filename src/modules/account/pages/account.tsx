import type { VNode } from 'preact';
import { ErrorSummary } from '../../../web/components/error-summary.js';
import { type FormState, PostForm, TextInput } from '../../../web/components/fields.js';
import { Layout } from '../../../web/layout.js';
import { usePage } from '../../../web/page-context.js';

export interface AccountView {
  displayName: string;
  maskedPhone: string | null;
  roles: { body: string; role: string }[];
  hasPassword: boolean;
  isAdmin: boolean;
  mayAdminister: boolean;
  canHandlePrivacy: boolean;
}

function AccountHome({ view }: { view: AccountView }) {
  const { t } = usePage();
  const a = t.account;
  return (
    <Layout title={a.accountTitle}>
      <h1>{a.accountTitle}</h1>
      <dl class="xs-summary">
        <dt>{a.name}</dt><dd>{view.displayName}</dd>
        <dt>{a.phone}</dt><dd>{view.maskedPhone ?? a.noPhone}</dd>
        <dt>{a.roles}</dt>
        <dd>{view.roles.length ? view.roles.map((r) => `${r.body} · ${a.roleNames(r.role)}`).join('；') : a.citizen}</dd>
      </dl>
      <ul>
        {view.hasPassword && <li><a href="/account/security">{a.securityLink}</a></li>}
        {view.roles.some((r) => r.role === 'member' || r.role === 'standing_member') && <li><a href="/my/liaison">{t.grassroots.myLiaisonLink}</a></li>}
        <li><a href="/account/data">{a.myDataLink}</a></li>
        <li><a href="/account/erase">{a.eraseLink}</a></li>
        {(view.isAdmin || view.roles.length > 0) && <li><a href="/handle">{t.opinionsHandler.navLink}</a></li>}
        {view.mayAdminister && <li><a href="/admin">{a.adminLink}</a></li>}
        {view.canHandlePrivacy && <li><a href="/admin/privacy">{a.privacyRequestsLink}</a></li>}
      </ul>
      <PostForm action="/sign-out">
        <button type="submit" class="xs-button xs-button--secondary">{a.signOut}</button>
      </PostForm>
    </Layout>
  );
}

export type SecurityNotice = 'password' | 'totp-on' | 'totp-off' | null;

function SecurityPage({ hasPassword, totpEnabled, notice, passwordForm, totpForm }: {
  hasPassword: boolean; totpEnabled: boolean; notice: SecurityNotice; passwordForm?: FormState; totpForm?: FormState;
}) {
  const { t } = usePage();
  const a = t.account;
  const issues = [...(passwordForm?.issues ?? []), ...(totpForm?.issues ?? [])];
  const noticeText = notice === 'password' ? a.passwordChanged : notice === 'totp-on' ? a.totpEnabledDone : notice === 'totp-off' ? a.totpDisabledDone : null;
  return (
    <Layout title={a.securityTitle} hasErrors={issues.length > 0}>
      <h1>{a.securityTitle}</h1>
      <ErrorSummary issues={issues} />
      {noticeText && <div class="xs-notice" role="status">{noticeText}</div>}
      {!hasPassword ? <p>{a.noPasswordSecurity}</p> : (
        <>
          <h2>{a.changePassword}</h2>
          <PostForm action="/account/security/password">
            <TextInput name="currentPassword" type="password" label={a.currentPassword} form={passwordForm} autocomplete="current-password" required />
            <TextInput name="newPassword" type="password" label={a.newPassword} hint={a.newPasswordHint} form={passwordForm} autocomplete="new-password" required />
            <TextInput name="newPasswordConfirm" type="password" label={a.newPasswordConfirm} form={passwordForm} autocomplete="new-password" required />
            <button type="submit" class="xs-button">{a.changePassword}</button>
          </PostForm>
          <h2>{a.totpSection}</h2>
          {totpEnabled ? (
            <>
              <p>{a.totpOn}</p>
              <PostForm action="/account/security/totp/disable">
                <TextInput name="code" label={a.totpCode} form={totpForm} autocomplete="one-time-code" inputmode="numeric" maxLength={12} required />
                <button type="submit" class="xs-button xs-button--warning">{a.totpDisable}</button>
              </PostForm>
            </>
          ) : (
            <>
              <p>{a.totpOff}</p>
              <PostForm action="/account/security/totp/start">
                <button type="submit" class="xs-button">{a.totpStart}</button>
              </PostForm>
            </>
          )}
        </>
      )}
      <p><a href="/account">{a.backToAccount}</a></p>
    </Layout>
  );
}

function TotpSetupPage({ secret, qr, form }: { secret: string; qr: string; form?: FormState }) {
  const { t } = usePage();
  const a = t.account;
  return (
    <Layout title={a.totpSetupTitle} hasErrors={Boolean(form?.issues?.length)}>
      <h1>{a.totpSetupTitle}</h1>
      <ErrorSummary issues={form?.issues} />
      <p>{a.totpSetupIntro}</p>
      <p><img src={qr} alt={a.qrAlt} width={220} height={220} /></p>
      <dl class="xs-summary"><dt>{a.totpSecret}</dt><dd><code>{secret.replace(/(.{4})/g, '$1 ').trim()}</code></dd></dl>
      <PostForm action="/account/security/totp/confirm">
        <TextInput name="code" label={a.totpCode} form={form} autocomplete="one-time-code" inputmode="numeric" maxLength={12} required />
        <button type="submit" class="xs-button">{a.totpConfirm}</button>
      </PostForm>
      <p><a href="/account/security">{a.securityTitle}</a></p>
    </Layout>
  );
}

export const accountHomePage = (view: AccountView): VNode => <AccountHome view={view} />;
export const securityPage = (p: Parameters<typeof SecurityPage>[0]): VNode => <SecurityPage {...p} />;
export const totpSetupPage = (p: Parameters<typeof TotpSetupPage>[0]): VNode => <TotpSetupPage {...p} />;
