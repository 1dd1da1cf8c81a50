import { CONSULTATION_MODES, PARTICIPANT_KINDS } from '../../../db/schema.js';
import type { FieldIssue } from '../../../platform/errors.js';
import { Checkbox, PostForm, Select, TextArea, TextInput } from '../../../web/components/fields.js';
import { usePage } from '../../../web/page-context.js';
import { dateTimeInputValue } from '../../content/shared/dates.js';
import type { ConsultationRow } from '../access.js';
import type { EditorOptions } from '../admin-queries.js';
import { FORMS, stagesOf } from '../model.js';
import type { ConsultationDetail, ParticipantView } from '../queries.js';
import { AdminLayout } from './admin-home.js';
import { Preparation } from './admin-prep.js';
import { formLabel, modeLabel, named, participantLabel, stageLabel } from './parts.js';

// Creating and editing a consultation; for an existing one also its stage, participants
// and the ways to registrations, sign-in and the outcome.

export function valuesOf(c: ConsultationRow, jointBodyIds: number[]): Record<string, unknown> {
  return {
    title: c.title, summary: c.summary, form: c.form, mode: c.mode, leadBodyId: c.lead_body_id, planItemId: c.plan_item_id, year: c.year,
    startsAt: dateTimeInputValue(c.starts_at), endsAt: dateTimeInputValue(c.ends_at), place: c.place, onlineUrl: c.online_url, agenda: c.agenda,
    isPublic: c.is_public === 1, registrationOpen: c.registration_open === 1, capacity: c.capacity, jointBodyIds,
  };
}

export interface EditorProps {
  c: ConsultationRow | null; options: EditorOptions; participants: ParticipantView[];
  materials: ConsultationDetail['materials']; research: ConsultationDetail['research'];
  form: { values: Record<string, unknown>; issues?: FieldIssue[] }; notice?: string | null;
  participantForm?: { values: Record<string, unknown>; issues?: FieldIssue[] }; prepForm?: { values: Record<string, unknown>; issues?: FieldIssue[] };
}

export function EditorPage({ c, options, participants, materials, research, form, notice, participantForm, prepForm }: EditorProps) {
  const { t, locale } = usePage();
  const m = t.consultations;
  const joint = ([] as unknown[]).concat(form.values.jointBodyIds ?? []).map(String);
  const issues = [...(form.issues ?? []), ...(participantForm?.issues ?? []), ...(prepForm?.issues ?? [])];
  const jointIssue = form.issues?.find((i) => i.field === 'jointBodyIds');
  return (
    <AdminLayout title={c ? c.title : m.newConsultation} issues={issues} notice={notice}>
      {c && (
        <p>
          <a href={`/consultations/${c.id}`}>{m.viewPublicPage}</a> · <a href={`/admin/consultations/${c.id}/registrations`}>{m.registrationsTitle}</a> ·{' '}
          <a href={`/admin/consultations/${c.id}/checkin`}>{m.checkinTitle}</a> · <a href={`/admin/consultations/${c.id}/outcome`}>{m.outcomeTitle}</a>
        </p>
      )}
      {c && <StageForm c={c} />}
      <h2>{m.detailsHeading}</h2>
      <PostForm action={c ? `/admin/consultations/${c.id}` : '/admin/consultations'}>
        <TextInput name="title" label={m.fTitle} maxLength={100} form={form} required />
        <Select name="form" label={m.fForm} options={FORMS.map((f) => ({ value: f, label: formLabel(m, f) }))} form={form} hint={m.formHint} />
        <Select name="mode" label={m.fMode} options={CONSULTATION_MODES.map((v) => ({ value: v, label: modeLabel(m, v) }))} form={form} />
        <Select name="leadBodyId" label={m.fLeadBody} options={options.bodies.map((b) => ({ value: b.id, label: named(b, locale) }))} form={form} />
        <fieldset class="xs-field" id="f-jointBodyIds" aria-describedby={jointIssue ? 'e-jointBodyIds' : undefined}>
          <legend class="xs-label">{m.fJointBodies}</legend>
          {jointIssue && <p class="xs-error" id="e-jointBodyIds">{jointIssue.message(t)}</p>}
          {options.bodies.map((b) => (
            <div class="xs-checkbox" key={b.id}>
              <input type="checkbox" id={`f-joint-${b.id}`} name="jointBodyIds" value={String(b.id)} checked={joint.includes(String(b.id))} />
              <label for={`f-joint-${b.id}`}>{named(b, locale)}</label>
            </div>
          ))}
        </fieldset>
        <Select name="planItemId" label={m.fPlanItem} blank={m.noPlanItem} options={options.planItems.map((p) => ({ value: p.id, label: p.label }))} form={form} />
        <TextInput name="year" label={m.fYear} hint={m.yearHint} inputmode="numeric" maxLength={4} form={form} />
        <TextInput name="startsAt" type="datetime-local" label={m.fStartsAt} form={form} />
        <TextInput name="endsAt" type="datetime-local" label={m.fEndsAt} form={form} />
        <TextInput name="place" label={m.fPlace} maxLength={200} form={form} />
        <TextInput name="onlineUrl" type="url" label={m.fOnlineUrl} maxLength={500} form={form} />
        <TextArea name="summary" label={m.fSummary} rows={4} maxLength={2000} form={form} />
        <TextArea name="agenda" label={m.fAgenda} hint={m.agendaHint} rows={6} maxLength={5000} form={form} />
        <Checkbox name="isPublic" label={m.fIsPublic} form={form} />
        <Checkbox name="registrationOpen" label={m.fRegistrationOpen} form={form} />
        <TextInput name="capacity" label={m.fCapacity} hint={m.capacityHint} inputmode="numeric" maxLength={6} form={form} />
        <button type="submit" class="xs-button">{m.save}</button>
      </PostForm>
      {c && <Participants c={c} participants={participants} options={options} form={participantForm} />}
      {c && <Preparation c={c} materials={materials} research={research} form={prepForm} />}
    </AdminLayout>
  );
}

function StageForm({ c }: { c: ConsultationRow }) {
  const { t } = usePage();
  const m = t.consultations;
  const stages = stagesOf(c.track);
  const later = stages.slice(stages.indexOf(c.stage) + 1);
  return (
    <section aria-labelledby="stage-title" class="xs-panel">
      <h2 id="stage-title">{m.stageHeading}</h2>
      <p>{m.currentStage(stageLabel(m, c.stage))}</p>
      {c.track === 'community' && <p><a href={`/admin/consultations/${c.id}/notices`}>{t.grassroots.noticesAdminTitle(c.title)}</a></p>}
      {later.length > 0 && (
        <PostForm action={`/admin/consultations/${c.id}/stage`}>
          <Select name="stage" label={m.moveTo} options={later.map((s) => ({ value: s, label: stageLabel(m, s) }))} />
          <button type="submit" class="xs-button">{m.moveStage}</button>
        </PostForm>
      )}
    </section>
  );
}

function Participants({ c, participants, options, form }: { c: ConsultationRow; participants: ParticipantView[]; options: EditorOptions; form?: { values: Record<string, unknown>; issues?: FieldIssue[] } }) {
  const { t, locale } = usePage();
  const m = t.consultations;
  return (
    <section aria-labelledby="participants-title">
      <h2 id="participants-title">{m.participantsTitle}</h2>
      {participants.length > 0 && <p><a href={`/admin/consultations/${c.id}/attendance`}>{t.consultationsAttendance.sheetLink}</a></p>}
      {participants.length === 0 ? <p>{m.noParticipants}</p> : (
        <ul class="xs-list">{participants.map((p) => (
          <li key={p.id}>
            <span class="xs-tag">{participantLabel(m, p.kind)}</span> {p.name}{p.body && p.body.name !== p.name ? `（${named(p.body, locale)}）` : ''}{p.title ? ` ${p.title}` : ''}
            <PostForm action={`/admin/consultations/${c.id}/participants/${p.id}/delete`}>
              <button type="submit" class="xs-button xs-button--secondary">{m.removeParticipant(p.name)}</button>
            </PostForm>
          </li>
        ))}</ul>
      )}
      <h3>{m.addParticipant}</h3>
      <PostForm action={`/admin/consultations/${c.id}/participants`}>
        <Select name="kind" label={m.fParticipantKind} options={PARTICIPANT_KINDS.map((k) => ({ value: k, label: participantLabel(m, k) }))} form={form} />
        <Select name="userId" label={m.fParticipantMember} hint={m.participantMemberHint} blank="—" options={options.members.map((u) => ({ value: u.id, label: u.name }))} form={form} />
        <Select name="bodyId" label={m.fParticipantBody} hint={m.participantBodyHint} blank="—" options={options.departments.map((b) => ({ value: b.id, label: named(b, locale) }))} form={form} />
        <TextInput name="name" label={m.fParticipantName} maxLength={60} form={form} />
        <TextInput name="role" label={m.fParticipantTitle} maxLength={60} form={form} />
        <button type="submit" class="xs-button">{m.addParticipant}</button>
      </PostForm>
    </section>
  );
}
