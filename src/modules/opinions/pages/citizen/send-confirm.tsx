import type { VNode } from 'preact';
import { ErrorSummary } from '../../../../web/components/error-summary.js';
import { type FormState, PostForm, TextInput } from '../../../../web/components/fields.js';
import { Layout } from '../../../../web/layout.js';
import { usePage } from '../../../../web/page-context.js';
import type { PowChallenge } from '../../pow.js';
import { CARRIED } from './send-form.js';
import { Paragraphs } from './parts.js';

// Step 2 of sending: what will be sent, who receives it and by when they must accept and
// answer; then (without an account) the phone check and the proof of work; attachments are
// chosen here, because files cannot travel in hidden fields from step 1.

export interface ConfirmPageProps {
  /** The checked values of step 1, carried in hidden fields. */
  values: Record<(typeof CARRIED)[number], string>;
  summary: { kind: string; category: string; region: string; isPublic: boolean };
  recipient: { target: 'body' | 'member' | 'route'; body: string; member: string | null };
  due: { acceptDue: string; replyDue: string; acceptDays: number; replyDays: number };
  signedInAs: string | null;
  /** Without an account: whether a code was texted (then the code field, files and send appear) and the challenge. */
  anonymous: { codeSent: boolean; challenge: PowChallenge | null } | null;
  /** Phone and code as typed, and the issues of this step. */
  form: FormState;
  notice: 'code-sent' | 'files-again' | null;
  limits: { maxFiles: number; maxMb: string };
  idempotencyKey: string;
}

function ConfirmPage(p: ConfirmPageProps) {
  const { t } = usePage();
  const o = t.opinions;
  const c = t.opinionsCitizen;
  const issues = p.form.issues ?? [];
  const ready = !p.anonymous || p.anonymous.codeSent;
  const who = p.recipient.member ? c.recipientMember(p.recipient.member, p.recipient.body) : p.recipient.body;
  return (
    <Layout title={c.confirmTitle} hasErrors={issues.length > 0}>
      <h1>{c.confirmTitle}</h1>
      <ErrorSummary issues={issues} />
      {p.notice === 'code-sent' && <p class="xs-notice" role="status">{c.codeSent}</p>}
      {p.notice === 'files-again' && <p class="xs-notice" role="status">{c.codeSent} {c.filesAgain}</p>}
      <section class="xs-panel" aria-labelledby="who-h">
        <h2 id="who-h">{c.whoReceives}</h2>
        <p><strong>{who}</strong></p>
        {p.recipient.target === 'route' && <p>{c.routeExplained}</p>}
        <dl class="xs-summary">
          <dt>{c.acceptBy}</dt><dd>{c.dueOn(p.due.acceptDue, p.due.acceptDays)}</dd>
          <dt>{c.replyBy}</dt><dd>{c.dueOn(p.due.replyDue, p.due.replyDays)}</dd>
        </dl>
        <p class="xs-hint">{c.dueExplained}</p>
      </section>
      <section aria-labelledby="what-h">
        <h2 id="what-h">{c.whatYouSend}</h2>
        <dl class="xs-summary">
          <dt>{o.fKind}</dt><dd>{p.summary.kind}</dd>
          <dt>{o.fTitle}</dt><dd>{p.values.title}</dd>
          <dt>{o.fCategory}</dt><dd>{p.summary.category}</dd>
          <dt>{o.fRegion}</dt><dd>{p.summary.region}</dd>
          <dt>{o.fPublic}</dt><dd>{p.summary.isPublic ? c.publicYes : c.publicNo}</dd>
          {p.values.email && <><dt>{o.fEmail}</dt><dd>{p.values.email}</dd></>}
        </dl>
        <h3>{o.fBody}</h3>
        <Paragraphs text={p.values.body} />
      </section>
      <PostForm action="/opinions/new" multipart>
        {Object.entries(p.values).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
        <input type="hidden" name="idem" value={p.idempotencyKey} />
        {p.anonymous && <PhoneCheck anonymous={p.anonymous} form={p.form} />}
        {ready && (
          <div class={`xs-field${issues.some((i) => i.field === 'files') ? ' xs-field--error' : ''}`}>
            <label class="xs-label" for="f-files">{`${o.fAttachments}（${t.common.optional}）`}</label>
            <div class="xs-hint" id="h-files">{c.filesHint(p.limits.maxFiles, p.limits.maxMb)}</div>
            {issues.filter((i) => i.field === 'files').map((i) => <p key="e" class="xs-error" id="e-files">{i.message(t)}</p>)}
            <input class="xs-input" type="file" id="f-files" name="files" multiple accept="image/jpeg,image/png,application/pdf" aria-describedby="h-files" />
          </div>
        )}
        {ready && <p><button type="submit" class="xs-button" name="step" value="send" data-pow-send>{c.sendButton}</button></p>}
        {p.anonymous?.codeSent && (
          <p><button type="submit" class="xs-button xs-button--secondary" formaction="/opinions/new/code">{c.resendCode}</button></p>
        )}
        <p><button type="submit" class="xs-button xs-button--secondary" name="step" value="edit">{c.editButton}</button></p>
      </PostForm>
    </Layout>
  );
}

/** Without an account: the phone, "获取验证码", then the code and the browser's proof of work. */
function PhoneCheck({ anonymous, form }: { anonymous: NonNullable<ConfirmPageProps['anonymous']>; form: FormState }) {
  const { t } = usePage();
  const c = t.opinionsCitizen;
  const o = t.opinions;
  return (
    <fieldset class="xs-field">
      <legend class="xs-label">{c.phoneCheck}</legend>
      <p class="xs-hint">{c.phoneCheckHint}</p>
      <TextInput name="phone" type="tel" label={o.fPhone} hint={c.phoneHint} form={form} autocomplete="tel" inputmode="tel" maxLength={20} required />
      {!anonymous.codeSent && <p><button type="submit" class="xs-button" formaction="/opinions/new/code">{c.getCode}</button></p>}
      {anonymous.codeSent && (
        <>
          <input type="hidden" name="codeSent" value="1" />
          <TextInput name="code" label={o.fCode} hint={c.codeHint} form={{ issues: form.issues }} autocomplete="one-time-code" inputmode="numeric" maxLength={6} required />
          <div id="f-proof" class={`xs-field${form.issues?.some((i) => i.field === 'proof') ? ' xs-field--error' : ''}`} tabIndex={-1}
            data-module="pow" data-challenge={anonymous.challenge ? JSON.stringify(anonymous.challenge) : ''}
            data-working={c.powWorking} data-done={c.powDone} data-failed={c.powFailed}>
            <input type="hidden" name="proof" value="" data-pow-proof />
            {form.issues?.filter((i) => i.field === 'proof').map((i) => <p key="e" class="xs-error">{i.message(t)}</p>)}
            <p class="xs-hint" aria-live="polite" data-pow-status>{c.powWaiting}</p>
            <noscript><p class="xs-panel">{c.noScriptAnonymous} <a href="/sign-in?next=%2Fopinions%2Fnew">{c.signInFirst}</a></p></noscript>
          </div>
          <script src="/assets/pow.js" defer />
        </>
      )}
    </fieldset>
  );
}

export const confirmPage = (p: ConfirmPageProps): VNode => <ConfirmPage {...p} />;
