import { ErrorSummary } from '../../../web/components/error-summary.js';
import { Checkbox, type FormState, PostForm, TextArea } from '../../../web/components/fields.js';
import { usePage } from '../../../web/page-context.js';
import type { ActionItemUpdate } from '../service.js';
import { megabytes } from '../../content/attachments/service.js';
import type { HandlerNav } from '../../opinions/handler-access.js';
import type { ActionItemDetail } from '../../opinions/supervision-queries.js';
import { formatTrackingCode } from '../../opinions/model.js';
import { statusLabel } from '../../opinions/timeline.js';
import { HandlerLayout, Paragraphs, fmt, localName } from '../../opinions/pages/handler/layout.js';
import { yearsByRule } from '../../../platform/calendar/index.js';

export type ItemForm = 'progress' | 'answer' | 'done';

export interface ActionItemProps {
  d: ActionItemDetail;
  nav: HandlerNav;
  updates: ActionItemUpdate[];
  evidence: { id: number; filename: string; size: number; createdAt: string }[];
  limits: { maxFiles: number; maxBytes: number };
  done: string | null;
  failed?: { form: ItemForm; state: FormState };
}

/** One action item: its source (the sender not identified), instructions, record, and the department's forms. */
export function ActionItemPage({ d, nav, updates, evidence, limits, done, failed }: ActionItemProps) {
  const { t, locale } = usePage();
  const m = t.opinionsDepartment;
  const h = t.opinionsHandler;
  const dm = t.opinionsHandlerDetail;
  const it = d.item;
  const base = `/handle/actions/${it.id}`;
  const stateOf = (f: ItemForm) => (failed?.form === f ? failed.state : undefined);
  const open = it.status !== 'done';
  return (
    <HandlerLayout title={it.title} nav={nav} current="actions" hasErrors={Boolean(failed)} done={done}>
      <ErrorSummary issues={failed?.state.issues} />
      <dl class="xs-summary">
        <dt>{m.itemDepartment}</dt><dd>{localName(d.department, locale)}</dd>
        <dt>{dm.detailStatus}</dt><dd>{h.itemStatus(it.status)}</dd>
        <dt>{m.itemDue}</dt><dd>{it.due_on}{d.overdueDays > 0 && <> · <strong class="xs-error">{h.overdueBy(d.overdueDays)}</strong></>}</dd>
        <dt>{m.itemAssignedBy}</dt><dd>{d.assignedBody ?? '—'} · {fmt(it.created_at)}</dd>
      </dl>
      {open && yearsByRule([it.due_on]).length > 0 && <p class="xs-notice" role="note">{dm.dueByRule(yearsByRule([it.due_on]))}</p>}
      <h2>{m.itemInstructions}</h2>
      <Paragraphs text={it.instructions} />
      {d.source && (
        <section class="xs-panel" aria-labelledby="h-source">
          <h2 id="h-source">{m.itemSource}</h2>
          <p class="xs-hint">{m.itemSourceNote}</p>
          <dl class="xs-summary">
            <dt>{h.colCode}</dt><dd>{formatTrackingCode(d.source.code)}</dd>
            <dt>{h.colTitle}</dt><dd>{d.source.title}</dd>
            <dt>{h.colCategory}</dt><dd>{locale === 'en' ? d.source.categoryEn : d.source.category}</dd>
            <dt>{h.colRegion}</dt><dd>{d.source.region ?? '—'}</dd>
            <dt>{h.colStatus}</dt><dd>{statusLabel(t, d.source.status)}</dd>
          </dl>
          <Paragraphs text={d.source.body} />
          {d.rights.source && <p><a href={`/handle/opinions/${d.source.id}`}>{m.itemOpenSource}</a></p>}
        </section>
      )}
      {it.answer && (<><h2>{m.itemAnswer}</h2><Paragraphs text={it.answer} /></>)}
      <h2>{m.itemUpdates}</h2>
      {updates.length === 0 ? <p>{m.itemUpdatesNone}</p> : (
        <ol class="xs-list">{updates.map((u) => (
          <li key={u.id}>
            <p class="xs-list__title">{m.updateKind(u.kind)}</p>
            <p class="xs-list__meta">{fmt(u.createdAt)}{u.authorName && ` · ${u.authorName}`}</p>
            <Paragraphs text={u.body} />
          </li>
        ))}</ol>
      )}
      {evidence.length > 0 && (<>
        <h2>{m.evidenceHeading}</h2>
        <ul>{evidence.map((e) => (
          <li key={e.id}><a href={`${base}/files/${e.id}/${encodeURIComponent(e.filename)}`}>{e.filename}</a> <span class="xs-muted">({Math.max(1, Math.round(e.size / 1024))} KB · {fmt(e.createdAt)})</span></li>
        ))}</ul>
      </>)}
      {!open ? <p class="xs-notice">{m.itemClosed}</p> : !d.rights.answer ? <p>{m.itemReadOnly}</p> : (<>
        <section class="xs-panel" aria-labelledby="h-progress">
          <h2 id="h-progress">{m.progressHeading}</h2>
          <PostForm action={`${base}/progress`}>
            <TextArea name="progress" label={m.progressField} form={stateOf('progress')} rows={3} maxLength={5000} required />
            <button type="submit" class="xs-button xs-button--secondary">{m.progressButton}</button>
          </PostForm>
        </section>
        <section class="xs-panel" aria-labelledby="h-answer">
          <h2 id="h-answer">{m.answerHeading}</h2>
          <p class="xs-hint">{m.answerLead}</p>
          <PostForm action={`${base}/answer`}>
            <TextArea name="answer" label={m.answerField} form={stateOf('answer')} rows={6} maxLength={5000} required />
            <Checkbox name="done" label={m.answerDone} form={stateOf('answer')} />
            <button type="submit" class="xs-button">{m.answerButton}</button>
          </PostForm>
        </section>
        <section class="xs-panel" aria-labelledby="h-done">
          <h2 id="h-done">{m.doneHeading}</h2>
          <PostForm action={`${base}/done`} multipart>
            <TextArea name="evidence" label={m.doneField} form={stateOf('done')} rows={4} maxLength={5000} required />
            <div class={`xs-field${stateOf('done')?.issues?.some((i) => i.field === 'files') ? ' xs-field--error' : ''}`}>
              <label class="xs-label" for="f-files">{m.doneFiles}</label>
              <div class="xs-hint" id="h-files">{m.doneFilesHint(limits.maxFiles, megabytes(limits.maxBytes))}</div>
              {stateOf('done')?.issues?.filter((i) => i.field === 'files').map((i) => <p class="xs-error" key="e">{i.message(t)}</p>)}
              <input type="file" id="f-files" name="files" multiple accept="image/jpeg,image/png,application/pdf" aria-describedby="h-files" />
            </div>
            <button type="submit" class="xs-button">{m.doneButton}</button>
          </PostForm>
        </section>
      </>)}
    </HandlerLayout>
  );
}
