import type { FieldIssue } from '../../../platform/errors.js';
import { ErrorSummary } from '../../../web/components/error-summary.js';
import { PostForm, TextArea } from '../../../web/components/fields.js';
import { usePage } from '../../../web/page-context.js';
import { type DeliberationRow, STATEMENT_MAX } from '../model.js';
import type { NextView } from '../queries.js';
import { DeliberationLayout, Notice, Paragraphs, moderationLabel, statusLabel } from './parts.js';

export interface DeliberationPageProps {
  d: DeliberationRow;
  consultation: { id: number; title: string } | null;
  /** The participant's next statement and progress; null when not signed in. */
  view: NextView | null;
  canModerate: boolean;
  notice?: string | null;
  /** A refused vote, shown at the top. */
  voteError?: string | null;
  form?: { values: Record<string, unknown>; issues: FieldIssue[] };
}

/** A participant's page: the next statement with agree / disagree / pass, progress, and adding a statement. */
export function DeliberationPage({ d, consultation, view, canModerate, notice, voteError, form }: DeliberationPageProps) {
  const { t, url } = usePage();
  const m = t.deliberation;
  const open = d.status === 'open';
  const trail = consultation ? [{ href: `/consultations/${consultation.id}`, label: consultation.title }] : [];
  return (
    <DeliberationLayout title={d.title} trail={trail} hasErrors={Boolean(form?.issues.length || voteError)}>
      <ErrorSummary issues={form?.issues} />
      {voteError && <div class="xs-error-summary" role="alert"><p class="xs-error">{voteError}</p></div>}
      <Notice text={notice} />
      <p>
        <span class="xs-tag">{statusLabel(m, d.status)}</span>
        <span class="xs-tag">{moderationLabel(m, d.moderation)}</span>
      </p>
      {d.description && <Paragraphs text={d.description} />}
      {consultation && <dl class="xs-summary"><dt>{m.fromConsultation}</dt><dd><a href={`/consultations/${consultation.id}`}>{consultation.title}</a></dd></dl>}

      {!open && <p class="xs-panel">{m.closedNote}</p>}
      {open && !view && (
        <div class="xs-panel">
          <p>{m.signInToTakePart}</p>
          <p><a class="xs-button" href={`/sign-in?next=${encodeURIComponent(url)}`}>{m.signInLink}</a></p>
        </div>
      )}
      {open && view && (
        <>
          <section aria-labelledby="next-title" class="xs-panel">
            <h2 id="next-title">{m.nextTitle}</h2>
            <p class="xs-muted">{m.progress(view.voted, view.total)}</p>
            {view.next ? (
              <>
                <p class="xs-lead" id="next-statement"><strong>{view.next.body}</strong></p>
                <p class="xs-hint">{m.nextHint}</p>
                <PostForm action={`/deliberations/${d.id}/vote`}>
                  <input type="hidden" name="statement" value={String(view.next.id)} />
                  <div role="group" aria-labelledby="next-statement">
                    <button type="submit" name="vote" value="agree" class="xs-button">{m.voteAgree}</button>{' '}
                    <button type="submit" name="vote" value="disagree" class="xs-button xs-button--warning">{m.voteDisagree}</button>{' '}
                    <button type="submit" name="vote" value="pass" class="xs-button xs-button--secondary">{m.votePass}</button>
                  </div>
                </PostForm>
              </>
            ) : (
              <p>{view.total === 0 ? m.noStatements : m.allVoted}</p>
            )}
          </section>
          <section aria-labelledby="add-title">
            <h2 id="add-title">{m.addTitle}</h2>
            <PostForm action={`/deliberations/${d.id}/statements`}>
              <TextArea name="body" label={m.fBody} rows={3} maxLength={STATEMENT_MAX} form={form}
                hint={d.moderation === 'strict' && !canModerate ? m.addHintStrict(STATEMENT_MAX) : m.addHintOpen(STATEMENT_MAX)} />
              <button type="submit" class="xs-button">{m.addButton}</button>
            </PostForm>
          </section>
        </>
      )}
      <p><a href={`/deliberations/${d.id}/results`}>{m.resultsLink}</a></p>
      {canModerate && <p><a href={`/deliberations/${d.id}/moderate`}>{m.moderateLink}</a></p>}
    </DeliberationLayout>
  );
}
