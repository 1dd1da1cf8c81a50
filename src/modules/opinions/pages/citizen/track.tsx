import type { VNode } from 'preact';
import { ErrorSummary } from '../../../../web/components/error-summary.js';
import { type FormState, PostForm, TextArea, TextInput } from '../../../../web/components/fields.js';
import { Layout } from '../../../../web/layout.js';
import { usePage } from '../../../../web/page-context.js';
import type { TimelineItem } from '../../timeline.js';
import { actionLabel, statusLabel } from '../../timeline.js';
import { Due, Paragraphs, Radios, when } from './parts.js';

// Following an opinion: the lookup form (tracking code + the phone's last four digits), the
// tracking view with the whole timeline and the sender's actions, and the withdraw check.

function LookupPage({ form, signedIn }: { form: FormState; signedIn: boolean }) {
  const { t } = usePage();
  const c = t.opinionsCitizen;
  const issues = form.issues ?? [];
  return (
    <Layout title={c.trackTitle} hasErrors={issues.length > 0}>
      <h1>{c.trackTitle}</h1>
      <ErrorSummary issues={issues} />
      <p class="xs-lead">{c.trackLead}</p>
      <PostForm action="/opinions/track">
        <TextInput name="code" label={t.opinions.fTrackingCode} hint={c.codeFormatHint} form={form} autocomplete="off" maxLength={20} required />
        <TextInput name="last4" label={t.opinions.fLast4} form={form} inputmode="numeric" autocomplete="off" maxLength={4} required />
        <button type="submit" class="xs-button">{c.trackButton}</button>
      </PostForm>
      <p>{signedIn ? <a href="/my/opinions">{c.myTitle}</a> : c.trackSignedInHint}</p>
      <p><a href="/opinions/new">{c.newTitle}</a></p>
    </Layout>
  );
}

export interface TrackedOpinion {
  code: string; title: string; body: string; kind: string; status: string; createdAt: string;
  acceptDue: string; replyDue: string; acceptOverdue: boolean; replyOverdue: boolean; isPublic: boolean; phoneLast4: string | null;
}

export interface TrackViewProps {
  op: TrackedOpinion;
  recipient: string;
  timeline: TimelineItem[];
  attachments: { id: number; filename: string; size: number; url: string }[];
  /** The opinion this one was merged into: what its sender would let anyone see. */
  merged: { title: string | null; status: string; recipient: string; replyDue: string; timeline: TimelineItem[]; publicUrl: string | null } | null;
  ack: 'sent' | 'dup' | null;
  notice: 'added' | 'rated' | 'reopened' | 'withdrawn' | null;
  open: boolean;
  canRate: boolean;
  forms: { info?: FormState; rate?: FormState };
  signedIn: boolean;
}

function Timeline({ items }: { items: TimelineItem[] }) {
  const { t } = usePage();
  const c = t.opinionsCitizen;
  const o = t.opinions;
  const rating = (n: number) => (n === 3 ? o.ratingSatisfied : n === 2 ? o.ratingBasically : o.ratingNotSatisfied);
  return (
    <ol class="xs-list">
      {items.map((e) => (
        <li key={e.id}>
          <div class="xs-list__title">{actionLabel(t, e.action)}</div>
          <div class="xs-list__meta">{when(e.at)}{e.actor && <> · {e.actor}</>}</div>
          {e.detail.to && e.action !== 'submitted' && <div>{c.detailTo(e.detail.to)}</div>}
          {e.detail.department && <div>{c.detailDepartment(e.detail.department)}</div>}
          {e.detail.dueOn && <div>{c.detailDue(e.detail.dueOn)}</div>}
          {e.detail.rating && <div>{c.detailRating(rating(e.detail.rating.handling), rating(e.detail.rating.result))}</div>}
          {e.text && <Paragraphs text={e.text} />}
        </li>
      ))}
    </ol>
  );
}

function TrackView(p: TrackViewProps) {
  const { t } = usePage();
  const c = t.opinionsCitizen;
  const o = t.opinions;
  const issues = [...(p.forms.info?.issues ?? []), ...(p.forms.rate?.issues ?? [])];
  const base = `/opinions/track/${p.op.code.replace('-', '')}`;
  return (
    <Layout title={p.ack ? c.ackTitle : p.op.title} hasErrors={issues.length > 0}>
      {p.ack && (
        <section class="xs-notice" aria-labelledby="ack-h">
          <h1 id="ack-h">{p.ack === 'dup' ? c.ackDupTitle : c.ackTitle}</h1>
          {p.ack === 'dup' && <p>{c.ackDup}</p>}
          <p>{c.ackCodeIs}</p>
          <p class="xs-tracking-code" lang="en">{p.op.code}</p>
          <p>{p.op.phoneLast4 ? c.ackSms(p.op.phoneLast4) : c.ackNoSms}</p>
          <p>{c.ackDue(p.op.acceptDue, p.op.replyDue)}</p>
        </section>
      )}
      <ErrorSummary issues={issues} />
      {p.notice && <p class="xs-notice" role="status">{{ added: c.addedNotice, reopened: c.reopenedNotice, rated: c.ratedNotice, withdrawn: c.withdrawnNotice }[p.notice]}</p>}
      {p.ack ? <h2>{p.op.title}</h2> : <h1>{p.op.title}</h1>}
      <dl class="xs-summary">
        <dt>{o.fTrackingCode}</dt><dd lang="en">{p.op.code}</dd>
        <dt>{c.status}</dt><dd><strong>{statusLabel(t, p.op.status)}</strong></dd>
        <dt>{c.handledBy}</dt><dd>{p.recipient}</dd>
        <dt>{c.acceptBy}</dt><dd><Due date={p.op.acceptDue} overdue={p.op.acceptOverdue} /></dd>
        <dt>{c.replyBy}</dt><dd><Due date={p.op.replyDue} overdue={p.op.replyOverdue} /></dd>
        <dt>{c.sentAt}</dt><dd>{when(p.op.createdAt)}</dd>
        <dt>{o.fKind}</dt><dd>{p.op.kind}</dd>
        <dt>{o.fPublic}</dt><dd>{p.op.isPublic ? c.publicYes : c.publicNo}</dd>
      </dl>
      <section aria-labelledby="body-h">
        <h2 id="body-h">{o.fBody}</h2>
        <Paragraphs text={p.op.body} />
        {p.attachments.length > 0 && (
          <>
            <h3>{o.fAttachments}</h3>
            <ul>{p.attachments.map((a) => <li key={a.id}><a href={a.url}>{a.filename}</a> <span class="xs-muted">({Math.ceil(a.size / 1024)} KB)</span></li>)}</ul>
          </>
        )}
      </section>
      {p.merged && (
        <section class="xs-panel" aria-labelledby="merged-h">
          <h2 id="merged-h">{c.mergedTitle}</h2>
          <p>{c.mergedExplained}</p>
          <dl class="xs-summary">
            {p.merged.title && <><dt>{o.fTitle}</dt><dd>{p.merged.title}</dd></>}
            <dt>{c.status}</dt><dd>{statusLabel(t, p.merged.status)}</dd>
            <dt>{c.handledBy}</dt><dd>{p.merged.recipient}</dd>
            <dt>{c.replyBy}</dt><dd>{p.merged.replyDue}</dd>
          </dl>
          {p.merged.publicUrl && <p><a href={p.merged.publicUrl}>{c.mergedPublicLink}</a></p>}
          <h3>{c.timeline}</h3>
          <Timeline items={p.merged.timeline} />
        </section>
      )}
      <section aria-labelledby="tl-h">
        <h2 id="tl-h">{c.timeline}</h2>
        <Timeline items={p.timeline} />
      </section>
      {p.canRate && (
        <section aria-labelledby="rate-h">
          <h2 id="rate-h">{c.rateTitle}</h2>
          <p>{c.rateExplained}</p>
          <PostForm action={`${base}/rate`}>
            <RatingRadios name="handling" legend={o.fHandling} form={p.forms.rate} />
            <RatingRadios name="result" legend={o.fResult} form={p.forms.rate} />
            <TextArea name="comment" label={`${o.fComment}（${t.common.optional}）`} form={p.forms.rate} rows={3} maxLength={1000} />
            <button type="submit" class="xs-button">{c.rateButton}</button>
          </PostForm>
        </section>
      )}
      {p.open && (
        <section aria-labelledby="info-h">
          <h2 id="info-h">{c.addTitle}</h2>
          <PostForm action={`${base}/info`}>
            <TextArea name="info" label={o.fInfo} hint={c.addHint} form={p.forms.info} rows={4} maxLength={3000} />
            <button type="submit" class="xs-button">{c.addButton}</button>
          </PostForm>
        </section>
      )}
      {p.open && (
        <section aria-labelledby="withdraw-h">
          <h2 id="withdraw-h">{c.withdrawTitle}</h2>
          <p>{c.withdrawExplained}</p>
          <PostForm action={`${base}/withdraw`}>
            <button type="submit" class="xs-button xs-button--warning">{c.withdrawButton}</button>
          </PostForm>
        </section>
      )}
      <p>{p.signedIn ? <a href="/my/opinions">{c.myTitle}</a> : <a href="/opinions/track">{c.trackAnother}</a>} · <a href="/opinions/new">{c.newTitle}</a></p>
    </Layout>
  );
}

function RatingRadios({ name, legend, form }: { name: string; legend: string; form?: FormState }) {
  const { t } = usePage();
  const o = t.opinions;
  return <Radios name={name} legend={legend} form={form} options={[
    { value: '3', label: o.ratingSatisfied }, { value: '2', label: o.ratingBasically }, { value: '1', label: o.ratingNotSatisfied },
  ]} />;
}

function WithdrawPage({ code, title }: { code: string; title: string }) {
  const { t } = usePage();
  const c = t.opinionsCitizen;
  const base = `/opinions/track/${code.replace('-', '')}`;
  return (
    <Layout title={c.withdrawConfirmTitle}>
      <h1>{c.withdrawConfirmTitle}</h1>
      <p class="xs-lead">{c.withdrawConfirmText(title)}</p>
      <PostForm action={`${base}/withdraw`}>
        <input type="hidden" name="confirm" value="yes" />
        <button type="submit" class="xs-button xs-button--warning">{c.withdrawConfirmButton}</button>
      </PostForm>
      <p><a href={base}>{c.withdrawCancel}</a></p>
    </Layout>
  );
}

export const lookupPage = (p: { form: FormState; signedIn: boolean }): VNode => <LookupPage {...p} />;
export const trackView = (p: TrackViewProps): VNode => <TrackView {...p} />;
export const withdrawPage = (p: { code: string; title: string }): VNode => <WithdrawPage {...p} />;
