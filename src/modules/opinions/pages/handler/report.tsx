import { ErrorSummary } from '../../../../web/components/error-summary.js';
import { type FormState, PostForm, TextArea, TextInput } from '../../../../web/components/fields.js';
import { usePage } from '../../../../web/page-context.js';
import type { ReportView } from '../../handler-service.js';
import type { HandlerNav } from '../../handler-access.js';
import { formatTrackingCode } from '../../model.js';
import { statusLabel } from '../../timeline.js';
import { HandlerLayout, Paragraphs, fmt } from './layout.js';

/** A public-sentiment report draft and the opinions it came from. */
export function ReportPage({ r, nav, done, form }: { r: ReportView; nav: HandlerNav; done: string | null; form?: FormState }) {
  const { t } = usePage();
  const m = t.opinionsHandlerDetail;
  const values = form?.values ?? { title: r.title, body: r.body };
  return (
    <HandlerLayout title={`${m.reportTitle}：${r.title}`} nav={nav} current={null} hasErrors={Boolean(form?.issues?.length)} done={done}>
      <ErrorSummary issues={form?.issues} />
      <dl class="xs-summary">
        <dt>{m.detailStatus}</dt><dd>{m.reportStatus(r.status)}</dd>
        <dt>{m.reportAuthor}</dt><dd>{r.authorName}</dd>
        <dt>{m.reportCreated}</dt><dd>{fmt(r.createdAt)}</dd>
        <dt>{m.reportUpdated}</dt><dd>{fmt(r.updatedAt)}</dd>
      </dl>
      <h2>{m.reportSources}</h2>
      <ul>{r.sources.map((s) => (
        <li key={s.id}>
          {s.visible ? <a href={`/handle/opinions/${s.id}`}>{formatTrackingCode(s.code)} {s.title}</a> : <>{formatTrackingCode(s.code)} {m.sourceHidden}</>}
          {' · '}{statusLabel(t, s.status)}
        </li>
      ))}</ul>
      {r.canEdit ? (
        <PostForm action={`/handle/reports/${r.id}`}>
          <TextInput name="title" label={m.reportTitleField} form={{ values, issues: form?.issues }} maxLength={100} required />
          <TextArea name="body" label={m.reportBodyField} form={{ values, issues: form?.issues }} rows={16} maxLength={20000} required />
          <p class="xs-hint">{m.reportSubmitHint}</p>
          <button type="submit" name="intent" value="save" class="xs-button xs-button--secondary">{m.reportSave}</button>{' '}
          <button type="submit" name="intent" value="submit" class="xs-button">{m.reportSubmit}</button>
        </PostForm>
      ) : (<>
        <h2>{m.reportBodyField}</h2>
        <Paragraphs text={r.body} />
      </>)}
    </HandlerLayout>
  );
}
