import type { FieldIssue } from '../../platform/errors.js';
import { ErrorSummary } from '../../web/components/error-summary.js';
import { PostForm, Select, TextArea } from '../../web/components/fields.js';
import { usePage } from '../../web/page-context.js';
import type { LiveQuestion, LiveView } from './live-service.js';
import { ANSWER_MAX, HIDE_CATEGORIES, LIVE_PAGE_SIZE, QUESTION_MAX } from './live-service.js';
import { Notice, PublicLayout, showDateTime } from './pages/parts.js';

type Form = { values: Record<string, unknown>; issues: FieldIssue[] };

/**
 * The live question session. Without JavaScript it is an ordinary page (forms and a refresh
 * link); /assets/live.js subscribes to the event stream and adds questions and answers as
 * they come, using the templates at the end of the page.
 */
export function LivePage({ v, notice, form }: { v: LiveView; notice?: string | null; form?: Form }) {
  const { t } = usePage();
  const m = t.consultationsLive;
  const queued = v.questions.filter((q) => q.status !== 'answered');
  const answered = v.questions.filter((q) => q.status === 'answered');
  const base = `/consultations/${v.c.id}/live`;
  const here = v.before ? `${base}?before=${v.before}` : base;
  return (
    <PublicLayout title={m.title(v.c.title)} trail={[{ href: `/consultations/${v.c.id}`, label: v.c.title }]} hasErrors={Boolean(form?.issues.length)}>
      <ErrorSummary issues={form?.issues} />
      <Notice text={notice} />
      <p>{m.lead}</p>
      <p><a href={here} id="xs-live-refresh">{m.refresh}</a> <span id="xs-live-status" aria-live="polite" /></p>
      {v.before ? <p>{m.olderNote}</p> : v.olderBefore !== null && <p>{m.newestNote(LIVE_PAGE_SIZE)}</p>}
      {/* Only the newest page follows the event stream: older pages have no place for new questions. */}
      <div id="xs-live" data-events={v.before ? undefined : `${base}/events`} data-last-event-id={String(v.lastEventId)} data-asking-label={m.asking}
        data-answer-label={m.answerBy('{}')} data-empty={m.noQuestions} data-live-on={m.liveOn}
        data-author-member={m.author_member} data-author-citizen={m.author_citizen} data-author-staff={m.author_staff}
        data-hidden-trace={m.hiddenTrace('{time}', '{reason}')} data-hidden-trace-bare={m.hiddenTraceNoReason('{time}')}
        data-hide-abuse={m.hide_abuse} data-hide-privacy={m.hide_privacy} data-hide-off_topic={m.hide_off_topic} data-hide-duplicate={m.hide_duplicate} data-hide-other={m.hide_other}>
        <h2>{m.queueHeading}</h2>
        <ol id="xs-live-queue" aria-live="polite">
          {queued.map((q) => <Question q={q} v={v} base={base} />)}
        </ol>
        {v.before ? !v.questions.length && <p>{m.noOlder}</p> : !queued.length && <p class="xs-live-empty">{m.noQuestions}</p>}
        {v.waiting && v.waiting.total > 0 && <Waiting v={v} base={base} />}
        <h2>{m.answeredHeading}</h2>
        <ol id="xs-live-answered" aria-live="polite">
          {answered.map((q) => <Question q={q} v={v} base={base} />)}
        </ol>
      </div>
      {(v.before !== null || v.olderBefore !== null) && (
        <nav class="xs-pagination" aria-label={m.pagesLabel}>
          {v.before !== null && <a class="xs-pagination__prev" href={base}>{m.newestLink}</a>}
          {v.olderBefore !== null && <a class="xs-pagination__next" rel="next" href={`${base}?before=${v.olderBefore}`}>{m.olderLink}</a>}
        </nav>
      )}
      <h2>{m.askHeading}</h2>
      {!v.open ? <p>{m.closed}</p> : v.rights.ask ? (
        <PostForm action={`${base}/questions`}>
          <TextArea name="body" label={m.fQuestion} hint={m.askLimit(QUESTION_MAX)} rows={3} maxLength={QUESTION_MAX} form={form} />
          {v.departments.length > 0 && (
            <Select name="addressedBodyId" label={m.fAddressed} blank={m.anyDepartment} options={v.departments.map((d) => ({ value: d.id, label: d.name }))} form={form} />
          )}
          <button type="submit" class="xs-button">{m.askButton}</button>
        </PostForm>
      ) : <p>{m.mayNotAsk}</p>}
      <script src="/assets/live.js" defer />
    </PublicLayout>
  );
}

/** Where a hidden question was, for everyone but the organisers: that it was hidden, when, and why (the category), without its text. */
function hiddenTraceText(m: ReturnType<typeof usePage>['t']['consultationsLive'], q: LiveQuestion): string {
  const at = showDateTime(q.hidden?.at ?? q.createdAt);
  return q.hidden?.category ? m.hiddenTrace(at, m[`hide_${q.hidden.category}`]) : m.hiddenTraceNoReason(at);
}

function Question({ q, v, base }: { q: LiveQuestion; v: LiveView; base: string }) {
  const { t } = usePage();
  const m = t.consultationsLive;
  if (q.status === 'hidden' && !v.rights.moderate) {
    return <li id={`q-${q.id}`} class="xs-live-hidden"><p class="xs-muted">{hiddenTraceText(m, q)}</p></li>;
  }
  const asking = v.askingId === q.id && q.status === 'queued';
  // Forms sent from an older page come back to it.
  const page = v.before ? <input type="hidden" name="before" value={String(v.before)} /> : null;
  return (
    <li id={`q-${q.id}`} class={asking ? 'xs-live-asking' : undefined} data-question-id={String(q.id)}>
      <p>
        <strong class="xs-live-flag">{asking ? `${m.asking} · ` : ''}</strong>
        <span class="xs-live-author">{m[`author_${q.authorKind}`]}</span> · <time dateTime={q.createdAt}>{showDateTime(q.createdAt)}</time>
        {q.addressedTo ? ` · ${m.addressedTo(q.addressedTo)}` : ''}
        {q.status === 'hidden' ? ` · ${m.hiddenMark}${q.hidden?.category ? `：${m[`hide_${q.hidden.category}`]}` : ''}` : ''}
      </p>
      <p class="xs-live-body">{q.body}</p>
      <ul class="xs-live-answers">
        {q.answers.map((a) => <li id={`a-${a.id}`}><strong>{m.answerBy(a.bodyName ?? '')}</strong>：<span>{a.body}</span></li>)}
      </ul>
      {q.status !== 'hidden' && v.rights.answerBodies.length > 0 && (
        <PostForm action={`${base}/questions/${q.id}/answer`}>
          {page}
          <div class="xs-field"><label for={`answer-${q.id}`}>{`${m.fAnswer} #${q.id}`}</label>
            <textarea class="xs-textarea" id={`answer-${q.id}`} name="body" rows={2} maxLength={ANSWER_MAX} /></div>
          <button type="submit" class="xs-button">{m.answerButton}</button>
        </PostForm>
      )}
      {/* One moderation form (marking as asked and hiding), so the organisers' page of 50 stays light.
          Hide comes first: Enter in the note field hides, it never marks the question as asked. */}
      {q.status !== 'hidden' && v.rights.moderate && (
        <PostForm action={`${base}/questions/${q.id}/moderate`}>
          {page}
          <div class="xs-field"><label for={`hidecat-${q.id}`}>{`${m.fHideCategory} #${q.id}`}</label>
            <select class="xs-select" id={`hidecat-${q.id}`} name="category">
              {HIDE_CATEGORIES.map((c) => <option value={c} selected={c === 'other'}>{m[`hide_${c}`]}</option>)}
            </select></div>
          <div class="xs-field"><label for={`reason-${q.id}`}>{`${m.fHideReason} #${q.id}`}</label>
            <input class="xs-input" id={`reason-${q.id}`} name="reason" type="text" maxLength={200} /></div>
          <button type="submit" name="action" value="hide" class="xs-button xs-button--warning">{m.hideButton}</button>
          {q.status === 'queued' && <> <button type="submit" name="action" value="asking" class="xs-button xs-button--secondary">{m.markAsking}</button></>}
        </PostForm>
      )}
    </li>
  );
}

/**
 * The older questions still waiting, on the newest page: text only (no forms, no
 * `data-question-id`: the event stream's script keeps to the newest questions), each linking to
 * the page that holds it with its answer and moderation forms. The script takes a question off
 * when it is answered or hidden and keeps the count (`data-total` of the questions below
 * `data-below`) and its sentence current.
 */
function Waiting({ v, base }: { v: LiveView; base: string }) {
  const { t } = usePage();
  const m = t.consultationsLive;
  const w = v.waiting;
  if (!w) return null;
  return (
    <section id="xs-live-waiting-section" aria-labelledby="xs-live-waiting-heading" data-total={String(w.total)} data-below={String(v.olderBefore)}
      data-note-one={m.waitingNote(1)} data-note-many={m.waitingNote('{n}')}>
      <h2 id="xs-live-waiting-heading">{m.waitingHeading}</h2>
      <p id="xs-live-waiting-note">{m.waitingNote(w.total)}</p>
      <ol id="xs-live-waiting">
        {w.items.map((q) => (
          <li id={`w-${q.id}`}>
            <p>
              <span>{m[`author_${q.authorKind}`]}</span> · <time dateTime={q.createdAt}>{showDateTime(q.createdAt)}</time>
              {q.addressedTo ? ` · ${m.addressedTo(q.addressedTo)}` : ''}
            </p>
            <p class="xs-live-body">{q.body}</p>
            <p><a href={`${base}?before=${q.id + 1}#q-${q.id}`}>{m.waitingOpen(q.id)}</a></p>
          </li>
        ))}
      </ol>
      {(w.after !== null || w.next !== null) && (
        <nav class="xs-pagination" aria-label={m.waitingPagesLabel}>
          {w.after !== null && <a class="xs-pagination__prev" href={`${base}#xs-live-waiting-heading`}>{m.waitingFirst}</a>}
          {w.next !== null && <a class="xs-pagination__next" href={`${base}?waiting=${w.next}#xs-live-waiting-heading`}>{m.waitingMore}</a>}
        </nav>
      )}
    </section>
  );
}
