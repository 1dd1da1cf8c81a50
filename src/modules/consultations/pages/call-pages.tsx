import type { FieldIssue } from '../../../platform/errors.js';
import { ErrorSummary } from '../../../web/components/error-summary.js';
import { PostForm, TextArea, TextInput } from '../../../web/components/fields.js';
import { Pagination } from '../../../web/components/pagination.js';
import { usePage } from '../../../web/page-context.js';
import type { TopicCallRow } from '../access.js';
import type { TopicDetail, TopicSummary } from '../calls-queries.js';
import { type CallState, MAX_TOPICS_PER_PERSON } from '../calls-service.js';
import { Notice, Paragraphs, PublicLayout, callStateLabel, formLabel, named, proposerLabel, showDate, stageLabel, topicStatusLabel } from './parts.js';

// 议题征集 pages. The call and its topics are public (cached, no forms); proposing,
// supporting and commenting happen on personal pages.

type CallItem = TopicCallRow & { body_name: string; body_name_en: string | null; topics: number; state: CallState };

export function CallsPage({ items, page, pages }: { items: CallItem[]; page: number; pages: number }) {
  const { t, locale } = usePage();
  const m = t.consultations;
  return (
    <PublicLayout title={m.callsTitle}>
      <p class="xs-lead">{m.callsLead}</p>
      {items.length === 0 ? <p>{m.noCalls}</p> : (
        <ul class="xs-list">{items.map((c) => (
          <li key={c.id}>
            <a class="xs-list__title" href={`/consultations/calls/${c.id}`}>{c.title}</a>
            <div class="xs-list__meta">
              <span class="xs-tag">{callStateLabel(m, c.state)}</span> {named({ name: c.body_name, nameEn: c.body_name_en }, locale)} · {m.callPeriod(c.opens_on, c.closes_on)} · {m.topicCount(c.topics)}
            </div>
          </li>
        ))}</ul>
      )}
      <Pagination page={page} pages={pages} baseUrl="/consultations/calls" query={{}} />
    </PublicLayout>
  );
}

export function CallPage({ call, state, topics, total, page, pages }: { call: TopicCallRow; state: CallState; topics: TopicSummary[]; total: number; page: number; pages: number }) {
  const { t } = usePage();
  const m = t.consultations;
  return (
    <PublicLayout title={call.title} trail={[{ href: '/consultations/calls', label: m.callsTitle }]}>
      <p><span class="xs-tag">{callStateLabel(m, state)}</span> {m.callPeriod(call.opens_on, call.closes_on)}</p>
      <Paragraphs text={call.description} />
      {state === 'open' && <p><a class="xs-button" href={`/consultations/calls/${call.id}/propose`}>{m.proposeLink}</a></p>}
      <h2>{m.topicsTitle(total)}</h2>
      <p class="xs-hint">{m.supportsHint}</p>
      {topics.length === 0 ? <p>{m.noTopics}</p> : <TopicList topics={topics} state={state} />}
      <Pagination page={page} pages={pages} baseUrl={`/consultations/calls/${call.id}`} query={{}} />
    </PublicLayout>
  );
}

export function TopicList({ topics, state }: { topics: TopicSummary[]; state: CallState | null }) {
  const { t } = usePage();
  const m = t.consultations;
  return (
    <ul class="xs-list">{topics.map((tp) => (
      <li key={tp.id}>
        <a class="xs-list__title" href={`/consultations/topics/${tp.id}`}>{tp.title}</a>
        <div class="xs-list__meta">
          <span class="xs-tag">{topicStatusLabel(m, tp.status, state)}</span> {m.proposedBy(proposerLabel(m, tp.proposerKind))} · {showDate(tp.createdAt)} · {m.supportCount(tp.supports)} · {m.commentCount(tp.comments)}
        </div>
      </li>
    ))}</ul>
  );
}

export interface TopicPageProps { d: TopicDetail; state: CallState | null; supported: boolean; signedIn: boolean; mine: boolean; page: number; notice?: string | null; form?: { values: Record<string, unknown>; issues: FieldIssue[] } }

/** One topic: its reason and support, the personal support button, the discussion. */
export function TopicPage({ d, state, supported, signedIn, mine, page, notice, form }: TopicPageProps) {
  const { t, url } = usePage();
  const m = t.consultations;
  const tp = d.topic;
  const trail = d.call ? [{ href: '/consultations/calls', label: m.callsTitle }, { href: `/consultations/calls/${d.call.id}`, label: d.call.title }] : [];
  const open = state === 'open';
  return (
    <PublicLayout title={tp.title} trail={trail} hasErrors={Boolean(form?.issues.length)}>
      <ErrorSummary issues={form?.issues} />
      <Notice text={notice} />
      <p><span class="xs-tag">{topicStatusLabel(m, tp.status, state)}</span> {m.proposedBy(proposerLabel(m, tp.proposerKind))} · {showDate(tp.createdAt)}</p>
      <h2>{m.fTopicReason}</h2>
      <Paragraphs text={tp.reason} />
      {tp.staffNote && <div class="xs-panel"><strong>{m.staffNoteTitle}</strong><Paragraphs text={tp.staffNote} /></div>}
      <p role="status"><strong>{m.supportCount(tp.supports)}</strong></p>
      {open && signedIn && !mine && (
        <PostForm action={`/consultations/topics/${tp.id}/${supported ? 'withdraw' : 'support'}`}>
          <button type="submit" class={supported ? 'xs-button xs-button--secondary' : 'xs-button'}>{supported ? m.withdrawSupport : m.addSupport}</button>
          {supported && <span class="xs-muted"> {m.youSupport}</span>}
        </PostForm>
      )}
      {open && !signedIn && <p><a href={`/sign-in?next=${encodeURIComponent(url)}`}>{m.signInToTakePart}</a></p>}
      {(d.planItems.length > 0 || d.consultations.length > 0) && (
        <section aria-labelledby="became-title">
          <h2 id="became-title">{m.becameTitle}</h2>
          <ul>
            {d.planItems.map((p) => <li key={`p${p.id}`}><a href={`/consultations/plans/${p.year}`}>{m.planQuarter(p.year, p.quarter)}</a> · {formLabel(m, p.form)}</li>)}
            {d.consultations.map((c) => <li key={`c${c.id}`}><a href={`/consultations/${c.id}`}>{c.title}</a> · {stageLabel(m, c.stage)}</li>)}
          </ul>
        </section>
      )}
      <section aria-labelledby="comments-title">
        <h2 id="comments-title">{m.commentsTitle(d.commentTotal)}</h2>
        <ul class="xs-list">{d.comments.map((c) => <li key={c.id}><Paragraphs text={c.body} /><div class="xs-list__meta">{showDate(c.createdAt)}</div></li>)}</ul>
        <Pagination page={page} pages={Math.max(1, Math.ceil(d.commentTotal / 50))} baseUrl={`/consultations/topics/${tp.id}`} query={{}} />
        {open && signedIn && (
          <PostForm action={`/consultations/topics/${tp.id}/comments`}>
            <TextArea name="body" label={m.fComment} hint={m.commentHint} rows={4} maxLength={1000} form={form} />
            <button type="submit" class="xs-button">{m.postComment}</button>
          </PostForm>
        )}
      </section>
    </PublicLayout>
  );
}

export function ProposePage({ call, form }: { call: TopicCallRow; form?: { values: Record<string, unknown>; issues: FieldIssue[] } }) {
  const { t } = usePage();
  const m = t.consultations;
  return (
    <PublicLayout title={m.proposeTitle} trail={[{ href: '/consultations/calls', label: m.callsTitle }, { href: `/consultations/calls/${call.id}`, label: call.title }]} hasErrors={Boolean(form?.issues.length)}>
      <ErrorSummary issues={form?.issues} />
      <p>{m.proposeLead(MAX_TOPICS_PER_PERSON)}</p>
      <PostForm action={`/consultations/calls/${call.id}/topics`}>
        <TextInput name="title" label={m.fTopicTitle} hint={m.topicTitleHint} maxLength={60} form={form} required />
        <TextArea name="reason" label={m.fTopicReason} hint={m.topicReasonHint} rows={8} maxLength={2000} form={form} required />
        <button type="submit" class="xs-button">{m.submitTopic}</button>
      </PostForm>
    </PublicLayout>
  );
}
