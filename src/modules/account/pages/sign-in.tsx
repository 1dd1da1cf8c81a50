import type { VNode } from 'preact';
import { ErrorSummary } from '../../../web/components/error-summary.js';
import { type FormState, PostForm, TextInput } from '../../../web/components/fields.js';
import { Layout } from '../../../web/layout.js';
import { usePage } from '../../../web/page-context.js';

const NextField = ({ next }: { next: string }) => (next !== '/' ? <input type="hidden" name="next" value={next} /> : null);

function SignInPage({ next, phoneForm, passwordForm }: { next: string; phoneForm?: FormState; passwordForm?: FormState }) {
  const { t } = usePage();
  const a = t.account;
  const issues = [...(phoneForm?.issues ?? []), ...(passwordForm?.issues ?? [])];
  return (
    <Layout title={a.signInTitle} hasErrors={issues.length > 0}>
      <h1>{a.signInTitle}</h1>
      <ErrorSummary issues={issues} />
      <section class="xs-panel" aria-labelledby="citizen-h">
        <h2 id="citizen-h">{a.citizenSection}</h2>
        <p>{a.citizenIntro}</p>
        <PostForm action="/sign-in/code">
          <NextField next={next} />
          <TextInput name="phone" type="tel" label={a.phone} hint={a.phoneHint} form={phoneForm} autocomplete="tel" inputmode="tel" maxLength={20} required />
          <button type="submit" class="xs-button">{a.sendCode}</button>
        </PostForm>
      </section>
      <section aria-labelledby="staff-h">
        <h2 id="staff-h">{a.staffSection}</h2>
        <PostForm action="/sign-in/password">
          <NextField next={next} />
          <TextInput name="username" label={a.username} form={passwordForm} autocomplete="username" maxLength={40} required />
          <TextInput name="password" type="password" label={a.password} form={passwordForm} autocomplete="current-password" required />
          <button type="submit" class="xs-button">{a.signInButton}</button>
        </PostForm>
      </section>
    </Layout>
  );
}

function CodePage({ next, maskedPhone, form }: { next: string; maskedPhone: string; form?: FormState }) {
  const { t } = usePage();
  const a = t.account;
  return (
    <Layout title={a.codeTitle} hasErrors={Boolean(form?.issues?.length)}>
      <h1>{a.codeTitle}</h1>
      <ErrorSummary issues={form?.issues} />
      <p>{a.codeSentTo(maskedPhone)}</p>
      <PostForm action="/sign-in/code/verify">
        <NextField next={next} />
        <TextInput name="code" label={a.code} hint={a.codeHint} form={{ issues: form?.issues }} autocomplete="one-time-code" inputmode="numeric" maxLength={12} required />
        <button type="submit" class="xs-button">{a.signInButton}</button>
      </PostForm>
      <p><a href={`/sign-in${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`}>{a.resend}</a></p>
    </Layout>
  );
}

function TotpPage({ next, form }: { next: string; form?: FormState }) {
  const { t } = usePage();
  const a = t.account;
  return (
    <Layout title={a.totpTitle} hasErrors={Boolean(form?.issues?.length)}>
      <h1>{a.totpTitle}</h1>
      <ErrorSummary issues={form?.issues} />
      <p>{a.totpIntro}</p>
      <PostForm action="/sign-in/totp">
        <NextField next={next} />
        <TextInput name="code" label={a.totpCode} form={{ issues: form?.issues }} autocomplete="one-time-code" inputmode="numeric" maxLength={12} required />
        <button type="submit" class="xs-button">{a.signInButton}</button>
      </PostForm>
    </Layout>
  );
}

export const signInPage = (p: { next: string; phoneForm?: FormState; passwordForm?: FormState }): VNode => <SignInPage {...p} />;
export const codePage = (p: { next: string; maskedPhone: string; form?: FormState }): VNode => <CodePage {...p} />;
export const totpPage = (p: { next: string; form?: FormState }): VNode => <TotpPage {...p} />;
