import type { VNode } from 'preact';
import { ErrorSummary } from '../../../web/components/error-summary.js';
import { type FormState, PostForm, TextArea, TextInput } from '../../../web/components/fields.js';
import { Layout } from '../../../web/layout.js';
import { usePage } from '../../../web/page-context.js';

export interface RequestRow { id: number; status: string; reason: string; created_at: string; note: string | null }

function ErasePage({ needsReview, requests, filed, form }: { needsReview: boolean; requests: RequestRow[]; filed: boolean; form?: FormState }) {
  const { t } = usePage();
  const p = t.privacy;
  const pending = requests.some((r) => r.status === 'pending');
  return (
    <Layout title={p.eraseTitle} hasErrors={Boolean(form?.issues?.length)}>
      <h1>{p.eraseTitle}</h1>
      <ErrorSummary issues={form?.issues} />
      {filed && <div class="xs-notice" role="status">{p.requestFiled}</div>}
      {!needsReview ? (
        <>
          <p>{p.eraseCitizenIntro}</p>
          <PostForm action="/account/erase">
            <TextInput name="confirm" label={p.eraseConfirmLabel(p.eraseWord)} form={form} maxLength={20} autocomplete="off" required />
            <button type="submit" class="xs-button xs-button--warning">{p.eraseButton}</button>
          </PostForm>
        </>
      ) : (
        <>
          <p>{p.eraseMemberIntro}</p>
          {pending ? <p><strong>{p.requestPending}</strong></p> : (
            <PostForm action="/account/erase">
              <TextArea name="reason" label={p.reasonLabel} form={form} rows={4} maxLength={1000} />
              <button type="submit" class="xs-button xs-button--warning">{p.requestButton}</button>
            </PostForm>
          )}
          {requests.length > 0 && (
            <>
              <h2>{p.yourRequests}</h2>
              <ul class="xs-list">
                {requests.map((r) => (
                  <li key={r.id}>
                    <span class="xs-list__title">{p.requestStatus(r.status)}</span>
                    <span class="xs-list__meta"> · {r.created_at.slice(0, 10)}</span>
                    {r.note && <p>{p.note}：{r.note}</p>}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      <p><a href="/account">{t.account.backToAccount}</a></p>
    </Layout>
  );
}

function ErasedPage() {
  const { t } = usePage();
  return (
    <Layout title={t.privacy.erasedTitle}>
      <h1>{t.privacy.erasedTitle}</h1>
      <p class="xs-lead">{t.privacy.erasedText}</p>
      <p><a href="/">{t.common.home}</a></p>
    </Layout>
  );
}

export const erasePage = (p: Parameters<typeof ErasePage>[0]): VNode => <ErasePage {...p} />;
export const erasedPage = (): VNode => <ErasedPage />;
