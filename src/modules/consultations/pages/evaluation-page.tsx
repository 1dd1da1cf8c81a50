import type { ComponentChildren } from 'preact';
import type { FieldIssue } from '../../../platform/errors.js';
import { ErrorSummary } from '../../../web/components/error-summary.js';
import { type FormState, PostForm, TextArea } from '../../../web/components/fields.js';
import { usePage } from '../../../web/page-context.js';
import { Radios } from '../../opinions/pages/citizen/parts.js';
import { type EvaluationFormData, MAX_COMMENT } from '../evaluation-service.js';
import { Notice, Paragraphs, PublicLayout, actionStatusLabel } from './parts.js';

// The signed-in participant's evaluation: the consultation (overall, process, outcome, a
// comment) and the result of each recommendation its department has answered. Plain POST,
// no script; the form comes back with what was typed and each error beside its field.

/** The form's values from the person's saved evaluation. */
export function savedValues(d: EvaluationFormData): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  if (d.mine) {
    v.overall = String(d.mine.overall);
    v.process = d.mine.process === null ? '' : String(d.mine.process);
    v.outcome = d.mine.outcome === null ? '' : String(d.mine.outcome);
    v.comment = d.mine.comment ?? '';
  }
  for (const r of d.recommendations) {
    const mine = d.myRecs.get(r.id);
    if (mine) { v[`rec_${r.number}`] = String(mine.rating); v[`rec_${r.number}_comment`] = mine.comment ?? ''; }
  }
  return v;
}

export function EvaluationPage({ d, notice, form }: { d: EvaluationFormData; notice?: string | null; form?: { values: Record<string, unknown>; issues: FieldIssue[] } }) {
  const { t } = usePage();
  const m = t.consultationsOutcome;
  const state: FormState = form ?? { values: savedValues(d) };
  const levels = [{ value: '3', label: m.level3 }, { value: '2', label: m.level2 }, { value: '1', label: m.level1 }];
  const back = <p><a href={`/consultations/${d.c.id}`}>{m.backToConsultation}</a></p>;
  const layout = (children: ComponentChildren) => (
    <PublicLayout title={m.formTitle(d.c.title)} trail={[{ href: `/consultations/${d.c.id}`, label: d.c.title }]} hasErrors={Boolean(form?.issues.length)}>
      <ErrorSummary issues={form?.issues} />
      <Notice text={notice} />
      {children}
      {d.canManage && <p><a href={`/admin/consultations/${d.c.id}/evaluations`}>{m.adminTitle}</a></p>}
      {back}
    </PublicLayout>
  );
  if (d.window !== 'open') return layout(<p>{d.window === 'closed' ? m.evalClosedNote : m.errNotOpen}</p>);
  if (!d.role) return layout(<p>{m.errNotEligible}</p>);
  return layout(
    <>
      <p class="xs-lead">{m.formLead}</p>
      {d.mine && <p>{m.formEditNote}</p>}
      <PostForm action={`/consultations/${d.c.id}/evaluation`}>
        <h2>{m.consultationPart}</h2>
        <Radios name="overall" legend={m.fOverall} options={levels} form={state} />
        <Radios name="process" legend={`${m.fProcess}（${m.optional}）`} options={[...levels, { value: '', label: m.recNoRating }]} form={state} />
        <Radios name="outcome" legend={`${m.fOutcome}（${m.optional}）`} options={[...levels, { value: '', label: m.recNoRating }]} form={state} />
        <TextArea name="comment" label={`${m.fComment}（${m.optional}）`} rows={4} maxLength={MAX_COMMENT} form={state} />
        {d.recommendations.length > 0 && (
          <>
            <h2>{m.recsPart}</h2>
            <p class="xs-hint">{m.recsPartHint}</p>
            {d.recommendations.map((r) => (
              <div key={r.id} class="xs-panel">
                <p class="xs-list__title">{t.consultations.recNumber(r.number)} {r.text}</p>
                {r.status && <p><span class="xs-tag">{actionStatusLabel(t.consultations, r.status)}</span></p>}
                {r.answer && <div><strong>{t.consultations.departmentAnswer}</strong><Paragraphs text={r.answer} /></div>}
                {r.state === 'ok' && (
                  <>
                    <Radios name={`rec_${r.number}`} legend={m.fRecRating(r.number)} options={[...levels, { value: '', label: m.recNoRating }]} form={state} />
                    <TextArea name={`rec_${r.number}_comment`} label={`${m.fRecComment(r.number)}（${m.optional}）`} rows={2} maxLength={MAX_COMMENT} form={state} />
                  </>
                )}
                {r.state === 'not_answered' && <p class="xs-muted">{m.recNotRatable}</p>}
                {r.state === 'own_department' && <p class="xs-muted">{m.recOwnDept}</p>}
              </div>
            ))}
          </>
        )}
        <button type="submit" class="xs-button">{m.submit}</button>
      </PostForm>
    </>,
  );
}
