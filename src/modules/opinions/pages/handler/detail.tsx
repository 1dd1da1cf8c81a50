import type { ComponentChildren } from 'preact';
import { ErrorSummary } from '../../../../web/components/error-summary.js';
import { type FormState, PostForm, Select, TextArea, TextInput } from '../../../../web/components/fields.js';
import { TableScroll } from '../../../../web/components/table-scroll.js';
import type { Catalog } from '../../../../web/i18n/index.js';
import { usePage } from '../../../../web/page-context.js';
import type { OpinionDetail, Option } from '../../handler-service.js';
import { runningClock } from '../../inbox-queries.js';
import { type HandlerNav } from '../../handler-access.js';
import { formatTrackingCode } from '../../model.js';
import { todayInChina } from '../../clocks.js';
import { addWorkingDays, yearsByRule } from '../../../../platform/calendar/index.js';
import { actionLabel, statusLabel } from '../../timeline.js';
import { HandlerLayout, Paragraphs, fmt, localName } from './layout.js';

export type DetailAction = 'accept' | 'decline' | 'reply' | 'ask' | 'assign' | 'forward' | 'merge' | 'close' | 'visibility' | 'report';

export interface DetailProps {
  d: OpinionDetail;
  nav: HandlerNav;
  options: { bodies: Option[]; members: Option[]; departments: Option[] };
  done: string | null;
  failed?: { action: DetailAction; form: FormState };
}

const indent = (o: Option) => `${'　'.repeat(o.depth ?? 0)}${o.label}`;

export function ratingWord(t: Catalog, v: number): string {
  return v === 3 ? t.opinions.ratingSatisfied : v === 2 ? t.opinions.ratingBasically : t.opinions.ratingNotSatisfied;
}

function kindWord(t: Catalog, k: string): string {
  return k === 'request' ? t.opinions.kindRequest : k === 'suggestion' ? t.opinions.kindSuggestion : t.opinions.kindOpinion;
}

export function OpinionDetailPage({ d, nav, options, done, failed }: DetailProps) {
  const { t, locale } = usePage();
  const m = t.opinionsHandlerDetail;
  const h = t.opinionsHandler;
  const o = t.opinions;
  const op = d.op;
  const s = op.status;
  const code = formatTrackingCode(op.tracking_code);
  const base = `/handle/opinions/${op.id}`;
  const formOf = (a: DetailAction) => (failed?.action === a ? failed.form : undefined);
  const acts = d.rights.handle || d.rights.supervise;
  const allowed = {
    accept: s === 'received',
    decline: s === 'received' || s === 'accepted',
    reply: s === 'accepted' || s === 'replied',
    ask: s === 'received' || s === 'accepted',
    assign: s === 'received' || s === 'accepted',
    forward: s === 'accepted' || s === 'replied',
    merge: s === 'received' || s === 'accepted',
    close: s === 'replied',
    visibility: (s === 'accepted' || s === 'replied' || s === 'closed') && (op.public_visible === 1 || op.public_consent === 1),
  };
  const anyAllowed = Object.values(allowed).some(Boolean);
  const today = todayInChina();
  const clock = runningClock(s, op.accept_due, op.reply_due, today);
  // Deadlines in a year whose holiday arrangements are not published yet (computed by rule).
  const dueByRule = yearsByRule([op.accept_due, op.reply_due]);
  const forwardByRule = allowed.forward ? yearsByRule([addWorkingDays(today, 60)]) : []; // the form allows 1 to 60 days
  const Section = ({ id, title, lead, children }: { id: DetailAction; title: string; lead?: string; children: ComponentChildren }) => (
    <section class="xs-panel" aria-labelledby={`h-${id}`}>
      <h3 id={`h-${id}`}>{title}</h3>
      {lead && <p class="xs-hint">{lead}</p>}
      {children}
    </section>
  );
  const Submit = ({ id, label, warning }: { id: DetailAction; label: string; warning?: boolean }) => (
    <button type="submit" id={`f-act-${id}`} class={`xs-button${warning ? ' xs-button--warning' : ''}`}>{label}</button>
  );
  return (
    <HandlerLayout title={op.title} nav={nav} current="inbox" hasErrors={Boolean(failed)} done={done}>
      <ErrorSummary issues={failed?.form.issues} />
      <dl class="xs-summary">
        <dt>{m.detailCode}</dt><dd>{code}</dd>
        <dt>{m.detailStatus}</dt><dd>{statusLabel(t, s)}{clock && clock.overdueDays > 0 && <> · <strong class="xs-error">{h.overdueBy(clock.overdueDays)}</strong></>}</dd>
        <dt>{m.detailKind}</dt><dd>{kindWord(t, op.kind)}</dd>
        <dt>{o.fCategory}</dt><dd>{d.category ? (locale === 'en' ? d.category.nameEn : d.category.name) : op.category_key}</dd>
        <dt>{o.fRegion}</dt><dd>{d.regionPath.length ? d.regionPath.join(' / ') : '—'}</dd>
        <dt>{m.detailReceived}</dt><dd>{fmt(op.created_at)}</dd>
        <dt>{m.detailAcceptDue}</dt><dd>{op.accept_due}{op.accepted_at && ` · ${h.colAccepted} ${fmt(op.accepted_at)}`}</dd>
        <dt>{m.detailReplyDue}</dt><dd>{op.reply_due}{op.first_replied_at && ` · ${h.colReplied} ${fmt(op.first_replied_at)}`}</dd>
        <dt>{m.detailHandler}</dt><dd>{[d.handlerBody ? localName(d.handlerBody, locale) : '', d.handlerUser].filter(Boolean).join(' / ')}</dd>
        <dt>{m.detailTarget}</dt><dd>{op.target_type === 'route' ? o.targetRoute : op.target_type === 'member' ? d.target.member ?? '—' : d.target.body ?? '—'}</dd>
        <dt>{m.detailPublic}</dt><dd>{op.public_visible === 1 ? m.publicYes : op.public_consent === 1 ? m.publicConsentHidden : m.publicNo}</dd>
        {d.mergedInto && <><dt>{m.mergedInto}</dt><dd><a href={`/handle/opinions/${d.mergedInto.id}`}>{formatTrackingCode(d.mergedInto.code)}</a></dd></>}
      </dl>
      {dueByRule.length > 0 && <p class="xs-notice" role="note">{m.dueByRule(dueByRule)}</p>}

      <h2>{m.textHeading}</h2>
      <Paragraphs text={op.body} />
      {d.attachments.length > 0 && (<>
        <h2>{m.attachmentsHeading}</h2>
        <ul>{d.attachments.map((a) => (
          <li key={a.id}><a href={`/opinions/files/${a.id}/${encodeURIComponent(a.filename)}`}>{a.filename}</a> <span class="xs-muted">({Math.max(1, Math.round(a.size / 1024))} KB)</span></li>
        ))}</ul>
      </>)}

      <h2>{m.citizenHeading}</h2>
      {d.citizen ? (
        <dl class="xs-summary">
          <dt>{m.citizenName}</dt><dd>{d.citizen.name ?? '—'}</dd>
          <dt>{m.citizenPhone}</dt><dd>{d.citizen.phone || '—'}{d.citizen.phone.includes('*') && <> <span class="xs-muted">{m.phoneMaskedNote}</span></>}</dd>
        </dl>
      ) : <p>{m.citizenErased}</p>}

      {op.target_type === 'route' && op.routing_confirmed === 0 && allowed.assign && acts && (
        <section class="xs-panel" aria-labelledby="h-routing">
          <h2 id="h-routing">{m.routingHeading}</h2>
          {d.suggestion ? (<>
            <p>{m.routingSuggested(d.suggestion.name)}</p>
            {d.suggestion.reason && <p>{m.routingReason}：{d.suggestion.reason}</p>}
            <PostForm action={`${base}/assign`}>
              <input type="hidden" name="bodyId" value={String(d.suggestion.bodyId)} />
              <button type="submit" class="xs-button">{m.routingConfirm}</button>
            </PostForm>
            <p><a href="#h-assign">{m.routingOther}</a></p>
          </>) : <p><a href="#h-assign">{m.routingNone}</a></p>}
        </section>
      )}

      <h2>{m.actionsHeading}</h2>
      {!acts ? <p>{m.readOnly}</p> : !anyAllowed ? <p>{m.noActions}</p> : null}
      {acts && (<>
        {allowed.accept && (
          <Section id="accept" title={m.acceptHeading} lead={m.acceptLead(op.reply_due)}>
            <PostForm action={`${base}/accept`}><Submit id="accept" label={m.acceptButton} /></PostForm>
          </Section>
        )}
        {allowed.reply && (
          <Section id="reply" title={m.replyHeading} lead={m.replyLead}>
            <PostForm action={`${base}/reply`}>
              <TextArea name="reply" label={o.fReply} form={formOf('reply')} maxLength={5000} rows={6} required />
              <Submit id="reply" label={m.replyButton} />
            </PostForm>
          </Section>
        )}
        {allowed.ask && (
          <Section id="ask" title={m.askHeading}>
            <PostForm action={`${base}/ask`}>
              <TextArea name="question" label={o.fQuestion} form={formOf('ask')} maxLength={1000} rows={3} required />
              <Submit id="ask" label={m.askButton} />
            </PostForm>
          </Section>
        )}
        {allowed.assign && (
          <Section id="assign" title={m.assignHeading} lead={m.assignLead}>
            <PostForm action={`${base}/assign`}>
              <Select name="bodyId" label={o.fAssignBody} blank={h.anyBody} form={formOf('assign')} options={options.bodies.map((b) => ({ value: b.id, label: indent(b) }))} />
              <Select name="memberId" label={o.fAssignMember} blank={h.anyMember} form={formOf('assign')} options={options.members.map((b) => ({ value: b.id, label: b.label }))} />
              <TextArea name="note" label={o.fNote} form={formOf('assign')} maxLength={500} rows={2} />
              <Submit id="assign" label={m.assignButton} />
            </PostForm>
          </Section>
        )}
        {allowed.forward && (
          <Section id="forward" title={m.forwardHeading} lead={m.forwardLead}>
            <PostForm action={`${base}/forward`}>
              <Select name="departmentId" label={o.fDepartment} blank={m.choose} form={formOf('forward')} options={options.departments.map((b) => ({ value: b.id, label: b.label }))} required />
              <TextArea name="instructions" label={o.fInstructions} form={formOf('forward')} maxLength={2000} rows={3} required />
              <TextInput name="dueDays" label={o.fDueDays} hint={m.dueDaysHint} form={formOf('forward')} inputmode="numeric" maxLength={2} />
              {forwardByRule.length > 0 && <p class="xs-notice" role="note">{m.dueByRule(forwardByRule)}</p>}
              <Submit id="forward" label={m.forwardButton} />
            </PostForm>
          </Section>
        )}
        {allowed.merge && (
          <Section id="merge" title={m.mergeHeading} lead={m.mergeLead}>
            <PostForm action={`${base}/merge`}>
              <TextInput name="into" label={o.fMergeInto} hint={m.mergeHint} form={formOf('merge')} maxLength={20} required />
              <Submit id="merge" label={m.mergeButton} />
            </PostForm>
          </Section>
        )}
        {allowed.decline && (
          <Section id="decline" title={m.declineHeading} lead={m.declineLead}>
            <PostForm action={`${base}/decline`}>
              <TextArea name="reason" label={o.fReason} form={formOf('decline')} maxLength={1000} rows={3} required />
              <Submit id="decline" label={m.declineButton} warning />
            </PostForm>
          </Section>
        )}
        {allowed.close && (
          <Section id="close" title={m.closeHeading} lead={m.closeLead}>
            <PostForm action={`${base}/close`}><Submit id="close" label={m.closeButton} /></PostForm>
          </Section>
        )}
        {allowed.visibility && (
          <Section id="visibility" title={m.visibilityHeading}>
            <PostForm action={`${base}/visibility`}>
              <input type="hidden" name="visible" value={op.public_visible === 1 ? '0' : '1'} />
              <Submit id="visibility" label={op.public_visible === 1 ? m.hideButton : m.showButton} />
            </PostForm>
          </Section>
        )}
        <Section id="report" title={m.reportHeading} lead={m.reportLead}>
          <PostForm action={`${base}/report`}><Submit id="report" label={m.reportButton} /></PostForm>
        </Section>
      </>)}

      <h2>{m.timelineHeading}</h2>
      {d.timeline.length === 0 ? <p>{m.timelineEmpty}</p> : (
        <ol class="xs-list">
          {d.timeline.map((e) => (
            <li key={e.id}>
              <p class="xs-list__title">{actionLabel(t, e.action)}</p>
              <p class="xs-list__meta">{fmt(e.at)} · {e.actor ?? (e.action === 'submitted' || e.action === 'citizen_added' || e.action === 'withdrawn' || e.action === 'rated' ? m.timelineCitizen : m.timelineSystem)}</p>
              {(e.detail.to || e.detail.department || e.detail.dueOn || e.detail.mergedCode || e.detail.rating) && (
                <p class="xs-list__meta">{[
                  e.detail.to && m.timelineTo(e.detail.to),
                  e.detail.department && m.timelineDept(e.detail.department),
                  e.detail.dueOn && m.timelineDue(e.detail.dueOn),
                  e.detail.mergedCode && m.timelineMerged(formatTrackingCode(e.detail.mergedCode)),
                  e.detail.rating && m.timelineRating(ratingWord(t, e.detail.rating.handling), ratingWord(t, e.detail.rating.result)),
                ].filter(Boolean).join(' · ')}</p>
              )}
              {e.text && <Paragraphs text={e.text} />}
            </li>
          ))}
        </ol>
      )}

      <h2>{m.ratingsHeading}</h2>
      {d.ratings.length === 0 ? <p>{m.ratingsNone}</p> : (
        <TableScroll><table class="xs-table">
          <caption class="xs-visually-hidden">{m.ratingsHeading}</caption>
          <thead><tr><th scope="col">{m.ratingRoundCol}</th><th scope="col">{m.ratingHandling}</th><th scope="col">{m.ratingResult}</th><th scope="col">{m.ratingComment}</th><th scope="col">{m.ratingAt}</th></tr></thead>
          <tbody>{d.ratings.map((r) => (
            <tr key={r.round}>
              <th scope="row">{m.ratingRound(r.round)}</th>
              <td>{ratingWord(t, r.handling)}</td><td>{ratingWord(t, r.result)}</td><td>{r.comment ?? '—'}</td><td>{fmt(r.at)}</td>
            </tr>
          ))}</tbody>
        </table></TableScroll>
      )}

      {d.actionItems.length > 0 && (<>
        <h2>{m.itemsHeading}</h2>
        <ul>{d.actionItems.map((i) => (
          <li key={i.id}>
            <a href={`/handle/actions/${i.id}`}>{i.department}</a> · {h.itemStatus(i.status)} · {m.timelineDue(i.dueOn)}
            {i.overdueDays > 0 && <> · <strong class="xs-error">{h.overdueBy(i.overdueDays)}</strong></>}
          </li>
        ))}</ul>
      </>)}

      {d.reports.length > 0 && (<>
        <h2>{m.reportsHeading}</h2>
        <ul>{d.reports.map((r) => <li key={r.id}><a href={`/handle/reports/${r.id}`}>{r.title}</a> · {m.reportStatus(r.status)}</li>)}</ul>
      </>)}
      <p><a href="/handle/opinions">{h.backToInbox}</a></p>
    </HandlerLayout>
  );
}

