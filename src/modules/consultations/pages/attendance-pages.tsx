import type { FieldIssue } from '../../../platform/errors.js';
import { PostForm } from '../../../web/components/fields.js';
import { usePage } from '../../../web/page-context.js';
import type { ConsultationRow } from '../access.js';
import { type MyAttendance, SHEET_LIMIT, type SheetRow } from '../attendance-service.js';
import { AdminLayout } from './admin-home.js';
import { PublicLayout, named, participantLabel, showDateTime } from './parts.js';

// The staff's attendance list of invited participants, and a participant's own sign-in code.

export function AttendanceSheetPage({ c, rows, notice, issues }: { c: ConsultationRow; rows: SheetRow[]; notice?: string | null; issues?: FieldIssue[] }) {
  const { t, locale } = usePage();
  const m = t.consultations;
  const a = t.consultationsAttendance;
  const present = rows.filter((r) => r.attendedAt !== null).length;
  return (
    <AdminLayout title={a.sheetTitle} trail={[{ href: `/admin/consultations/${c.id}`, label: c.title }]} notice={notice} issues={issues}>
      <p>{a.sheetLead}</p>
      <p><a href={`/admin/consultations/${c.id}/checkin`}>{a.deskLink}</a></p>
      {rows.length === 0 ? <p>{a.noParticipants}</p> : (
        <PostForm action={`/admin/consultations/${c.id}/attendance`}>
          <p role="status">{a.countLine(present, rows.length)}</p>
          {rows.length >= SHEET_LIMIT && <p class="xs-hint">{a.truncated(SHEET_LIMIT)}</p>}
          <fieldset id="f-present" class="xs-panel">
            <legend>{a.sheetLegend}</legend>
            {rows.map((r) => {
              const body = r.bodyName && r.bodyName !== r.name ? `（${named({ name: r.bodyName, nameEn: r.bodyNameEn }, locale)}）` : '';
              return (
                <div key={r.id} class="xs-field xs-checkbox">
                  <input type="checkbox" id={`present-${r.id}`} name="present" value={r.id} checked={r.attendedAt !== null} />
                  <label for={`present-${r.id}`}>
                    {participantLabel(m, r.kind)}：{r.name}{body}{r.title ? ` ${r.title}` : ''}
                    {r.attendedAt && <span class="xs-muted"> · {a.attendedSince(showDateTime(r.attendedAt))}</span>}
                    {!r.hasAccount && <span class="xs-muted"> · {a.noAccount}</span>}
                  </label>
                  {r.attendedAt && <input type="hidden" name="was" value={r.id} />}
                </div>
              );
            })}
          </fieldset>
          <button type="submit" class="xs-button">{a.save}</button>
        </PostForm>
      )}
    </AdminLayout>
  );
}

export function MyAttendancePage({ me }: { me: MyAttendance }) {
  const { t } = usePage();
  const a = t.consultationsAttendance;
  const { c } = me;
  return (
    <PublicLayout title={a.myTitle(c.title)} trail={c.is_public === 1 ? [{ href: `/consultations/${c.id}`, label: c.title }] : []}>
      <p>{c.starts_at ? showDateTime(c.starts_at) : t.consultations.dateToBeSet}{c.place ? ` · ${c.place}` : ''}</p>
      <div class="xs-panel">
        {me.attendedAt ? <p><strong>{a.myAttended(showDateTime(me.attendedAt))}</strong></p> : (
          <>
            <p>{a.myLead}</p>
            {me.code && <p>{a.myCode} <strong class="xs-code" aria-label={me.code.split('').join(' ')}>{me.code}</strong></p>}
          </>
        )}
      </div>
      {c.is_public === 1 && <p><a href={`/consultations/${c.id}`}>{a.backToConsultation}</a></p>}
    </PublicLayout>
  );
}
