import type { FieldIssue } from '../../../platform/errors.js';
import { Checkbox, PostForm, Select, TextArea, TextInput } from '../../../web/components/fields.js';
import { Pagination } from '../../../web/components/pagination.js';
import { TableScroll } from '../../../web/components/table-scroll.js';
import { usePage } from '../../../web/page-context.js';
import type { TopicCallRow } from '../access.js';
import type { EditorOptions } from '../admin-queries.js';
import type { PlanView, TopicDetail, TopicSummary } from '../calls-queries.js';
import type { CallState } from '../calls-service.js';
import { FORMS } from '../model.js';
import { AdminLayout } from './admin-home.js';
import { Paragraphs, callStateLabel, formLabel, named, proposerLabel, topicStatusLabel } from './parts.js';

// Staff editors for calls (and their topics) and annual plans (and their items).

type Form = { values: Record<string, unknown>; issues?: FieldIssue[] };
const plansTrail = (m: { plansTitle: string }) => [{ href: '/admin/consultations', label: m.plansTitle }];

export function CallEditorPage({ call, state, options, form, topics, total, page, pages, notice }: {
  call: TopicCallRow | null; state: CallState | null; options: EditorOptions; form: Form; topics: TopicSummary[]; total: number; page: number; pages: number; notice?: string | null;
}) {
  const { t, locale } = usePage();
  const m = t.consultations;
  return (
    <AdminLayout title={call ? call.title : m.newCall} issues={form.issues} notice={notice}>
      {call && state && <p><span class="xs-tag">{callStateLabel(m, state)}</span> {call.published ? <a href={`/consultations/calls/${call.id}`}>{m.viewPublicPage}</a> : m.notPublic}</p>}
      <PostForm action={call ? `/admin/consultations/calls/${call.id}` : '/admin/consultations/calls'}>
        <Select name="bodyId" label={m.fBody} options={options.bodies.map((b) => ({ value: b.id, label: named(b, locale) }))} form={form} />
        <TextInput name="title" label={m.fCallTitle} maxLength={100} form={form} required />
        <TextArea name="description" label={m.fCallDescription} rows={6} maxLength={5000} form={form} />
        <TextInput name="opensOn" type="date" label={m.fOpensOn} form={form} required />
        <TextInput name="closesOn" type="date" label={m.fClosesOn} form={form} required />
        <TextInput name="planYear" label={m.fPlanYear} inputmode="numeric" maxLength={4} form={form} />
        <Checkbox name="published" label={m.fPublished} form={form} />
        <button type="submit" class="xs-button">{m.save}</button>
      </PostForm>
      {call && state === 'open' && (
        <PostForm action={`/admin/consultations/calls/${call.id}/close`}>
          <button type="submit" class="xs-button xs-button--warning">{m.closeCallNow}</button>
        </PostForm>
      )}
      {call && (
        <section aria-labelledby="topics-title">
          <h2 id="topics-title">{m.topicsTitle(total)}</h2>
          <p class="xs-hint">{m.staffTopicsHint}</p>
          <TableScroll>
            <table class="xs-table">
              <thead><tr><th scope="col">{m.fTopicTitle}</th><th scope="col">{m.colSupports}</th><th scope="col">{m.colComments}</th><th scope="col">{m.colStatus}</th><th scope="col">{m.colProposer}</th></tr></thead>
              <tbody>{topics.map((tp) => (
                <tr key={tp.id}>
                  <td><a href={`/admin/consultations/topics/${tp.id}`}>{tp.title}</a></td><td>{tp.supports}</td><td>{tp.comments}</td>
                  <td>{topicStatusLabel(m, tp.status, state)}</td><td>{proposerLabel(m, tp.proposerKind)}</td>
                </tr>
              ))}</tbody>
            </table>
          </TableScroll>
          <Pagination page={page} pages={pages} baseUrl={`/admin/consultations/calls/${call.id}`} query={{}} />
        </section>
      )}
    </AdminLayout>
  );
}

/** One topic for staff: select it into a plan, or hide, decline or restore it. */
export function TopicAdminPage({ d, callStateNow, options, selectForm, moderateForm, notice }: { d: TopicDetail; callStateNow: CallState | null; options: EditorOptions; selectForm: Form; moderateForm: Form; notice?: string | null }) {
  const { t, locale } = usePage();
  const m = t.consultations;
  const tp = d.topic;
  const trail = d.call ? [{ href: `/admin/consultations/calls/${d.call.id}`, label: d.call.title }] : [];
  return (
    <AdminLayout title={tp.title} trail={trail} issues={[...(selectForm.issues ?? []), ...(moderateForm.issues ?? [])]} notice={notice}>
      <p><span class="xs-tag">{topicStatusLabel(m, tp.status, callStateNow)}</span> {m.proposedBy(proposerLabel(m, tp.proposerKind))} · {m.supportCount(tp.supports)} · {m.commentCount(tp.comments)}</p>
      <Paragraphs text={tp.reason} />
      {tp.status !== 'selected' && tp.status !== 'hidden' && (
        <section aria-labelledby="select-title" class="xs-panel">
          <h2 id="select-title">{m.selectIntoPlan}</h2>
          {options.plans.length === 0 ? <p>{m.noPlansYet} <a href="/admin/consultations/plans/new">{m.newPlan}</a></p> : (
            <PostForm action={`/admin/consultations/topics/${tp.id}/select`}>
              <Select name="planId" label={m.fPlan} options={options.plans.map((p) => ({ value: p.id, label: p.label }))} form={selectForm} />
              <TextInput name="itemTitle" label={m.fItemTitle} hint={m.itemTitleHint} maxLength={100} form={selectForm} />
              <Select name="form" label={m.fForm} options={FORMS.map((f) => ({ value: f, label: formLabel(m, f) }))} form={selectForm} />
              <Select name="leadBodyId" label={m.fLeadBody} options={options.bodies.map((b) => ({ value: b.id, label: named(b, locale) }))} form={selectForm} />
              <Select name="quarter" label={m.fQuarter} options={[1, 2, 3, 4].map((q) => ({ value: q, label: m.quarterN(q) }))} form={selectForm} />
              <button type="submit" class="xs-button">{m.selectIntoPlan}</button>
            </PostForm>
          )}
        </section>
      )}
      {tp.status !== 'selected' && (
        <section aria-labelledby="moderate-title">
          <h2 id="moderate-title">{m.moderateTitle}</h2>
          <PostForm action={`/admin/consultations/topics/${tp.id}/moderate`}>
            <Select name="action" label={m.fModeration} options={(tp.status === 'proposed' ? ['hide', 'decline'] : ['restore']).map((a) => ({ value: a, label: m[`moderate_${a as 'hide'}`] }))} form={moderateForm} />
            <TextArea name="note" label={m.fStaffNote} hint={m.staffNoteHint} rows={3} maxLength={500} form={moderateForm} />
            <button type="submit" class="xs-button xs-button--secondary">{m.applyModeration}</button>
          </PostForm>
        </section>
      )}
    </AdminLayout>
  );
}

export function PlanEditorPage({ plan, options, form, itemForm, notice }: { plan: PlanView | null; options: EditorOptions; form: Form; itemForm?: Form; notice?: string | null }) {
  const { t, locale } = usePage();
  const m = t.consultations;
  return (
    <AdminLayout title={plan ? plan.title : m.newPlan} trail={plansTrail(m)} issues={[...(form.issues ?? []), ...(itemForm?.issues ?? [])]} notice={notice}>
      {plan?.publishedAt && <p><a href={`/consultations/plans/${plan.year}`}>{m.viewPublicPage}</a></p>}
      <PostForm action={plan ? `/admin/consultations/plans/${plan.id}` : '/admin/consultations/plans'}>
        <Select name="bodyId" label={m.fBody} options={options.bodies.map((b) => ({ value: b.id, label: named(b, locale) }))} form={form} />
        <TextInput name="year" label={m.fYear} inputmode="numeric" maxLength={4} form={form} required />
        <TextInput name="title" label={m.fPlanTitle} maxLength={100} form={form} required />
        <TextArea name="intro" label={m.fPlanIntro} rows={4} maxLength={5000} form={form} />
        <Checkbox name="published" label={m.fPlanPublished} form={form} />
        <button type="submit" class="xs-button">{m.save}</button>
      </PostForm>
      {plan && (
        <section aria-labelledby="items-title">
          <h2 id="items-title">{m.planItemsTitle}</h2>
          {plan.items.length === 0 ? <p>{m.noPlanItems}</p> : (
            <ul class="xs-list">{plan.items.map((i) => (
              <li key={i.id}>
                <span class="xs-list__title">{m.quarterN(i.quarter)} · {i.title}</span>
                <div class="xs-list__meta"><span class="xs-tag">{formLabel(m, i.form)}</span> {m.leadBody(named(i.leadBody, locale))}</div>
                {i.consultations.length === 0 && (
                  <PostForm action={`/admin/consultations/plan-items/${i.id}/delete`}>
                    <button type="submit" class="xs-button xs-button--secondary">{m.removeItem(i.title)}</button>
                  </PostForm>
                )}
              </li>
            ))}</ul>
          )}
          <h3>{m.addPlanItem}</h3>
          <PostForm action={`/admin/consultations/plans/${plan.id}/items`}>
            <TextInput name="itemTitle" label={m.fItemTitle} maxLength={100} form={itemForm} required />
            <TextArea name="itemDescription" label={m.fItemDescription} rows={3} maxLength={2000} form={itemForm} />
            <Select name="form" label={m.fForm} options={FORMS.map((f) => ({ value: f, label: formLabel(m, f) }))} form={itemForm} />
            <Select name="leadBodyId" label={m.fLeadBody} options={options.bodies.map((b) => ({ value: b.id, label: named(b, locale) }))} form={itemForm} />
            <Select name="quarter" label={m.fQuarter} options={[1, 2, 3, 4].map((q) => ({ value: q, label: m.quarterN(q) }))} form={itemForm} />
            <button type="submit" class="xs-button">{m.addPlanItem}</button>
          </PostForm>
        </section>
      )}
    </AdminLayout>
  );
}
