import type { RegistrationStatus } from '../../../db/schema.js';
import type { FieldIssue } from '../../../platform/errors.js';
import { ErrorSummary } from '../../../web/components/error-summary.js';
import { PostForm, TextArea } from '../../../web/components/fields.js';
import { usePage } from '../../../web/page-context.js';
import type { ConsultationRow } from '../access.js';
import type { RegistrationState } from '../registration-service.js';
import { Notice, PublicLayout, registrationLabel, showDateTime } from './parts.js';

export interface MyRegistration { status: RegistrationStatus; code: string | null; position: number | null; checkedInAt: string | null }

/** The signed-in person's registration for one consultation: register, see the code, cancel. */
export function RegistrationPage({ c, state, mine, waitlisted, notice, form }: {
  c: ConsultationRow; state: RegistrationState; mine: MyRegistration | null; waitlisted: number; notice?: string | null;
  form?: { values: Record<string, unknown>; issues: FieldIssue[] };
}) {
  const { t } = usePage();
  const m = t.consultations;
  const active = mine && mine.status !== 'cancelled';
  return (
    <PublicLayout title={m.registrationFor(c.title)} trail={[{ href: `/consultations/${c.id}`, label: c.title }]} hasErrors={Boolean(form?.issues.length)}>
      <ErrorSummary issues={form?.issues} />
      <Notice text={notice} />
      <p>{c.starts_at ? showDateTime(c.starts_at) : m.dateToBeSet}{c.place ? ` · ${c.place}` : ''}</p>
      <p>{m.seats(c.seats_taken, c.capacity ?? 0)}{waitlisted > 0 ? ` ${m.waitingCount(waitlisted)}` : ''}</p>
      {mine && (
        <div class="xs-panel">
          <p><strong>{registrationLabel(m, mine.status)}</strong></p>
          {mine.status === 'confirmed' && mine.code && !mine.checkedInAt && (
            <p>{m.yourCode} <strong class="xs-code" aria-label={mine.code.split('').join(' ')}>{mine.code}</strong><br />{m.codeHint}</p>
          )}
          {mine.checkedInAt && <p>{m.checkedInAt(showDateTime(mine.checkedInAt))}</p>}
          {mine.status === 'waitlisted' && mine.position !== null && <p>{m.waitlistPosition(mine.position)}</p>}
        </div>
      )}
      {active && !mine.checkedInAt && (
        <PostForm action={`/consultations/${c.id}/registration/cancel`}>
          <button type="submit" class="xs-button xs-button--warning">{m.cancelRegistration}</button>
        </PostForm>
      )}
      {!active && state === 'open' && (
        <PostForm action={`/consultations/${c.id}/registration`}>
          {c.seats_taken >= (c.capacity ?? 0) && <p>{m.fullWillWait}</p>}
          <TextArea name="note" label={m.fRegistrationNote} hint={m.registrationNoteHint} rows={3} maxLength={200} form={form} />
          <button type="submit" class="xs-button">{m.registerButton}</button>
        </PostForm>
      )}
      {!active && state !== 'open' && <p>{m.registrationClosed}</p>}
      <p><a href={`/consultations/${c.id}`}>{m.backToConsultation}</a></p>
    </PublicLayout>
  );
}
