import { ErrorSummary } from '../../../../web/components/error-summary.js';
import { type FormState, PostForm, Select, TextArea, TextInput } from '../../../../web/components/fields.js';
import { usePage } from '../../../../web/page-context.js';
import type { AttachmentItem } from '../../attachments/service.js';
import { type BodyOption, bodyName } from '../../shared/editable-bodies.js';
import { AttachmentsPanel } from './attachments-panel.js';
import { EditorLayout, PublishButtons, StatusLine } from './common.js';
import { ItemActions } from './item-actions.js';

export interface NewsFormProps {
  id: number | null;
  form: FormState;
  bodies: BodyOption[];
  status?: { status: 'draft' | 'scheduled' | 'published'; publishAt: string | null; publishedAt: string | null };
  attachments: AttachmentItem[];
  uploadIssues?: FormState['issues'];
  maxMb: string;
}

export function NewsFormPage({ id, form, bodies, status, attachments, uploadIssues, maxMb }: NewsFormProps) {
  const { t, locale } = usePage();
  const title = id ? t.contentAdmin.editNews : t.contentAdmin.newNews;
  const action = id ? `/admin/content/news/${id}` : '/admin/content/news';
  return (
    <EditorLayout title={title} hasErrors={!!form.issues?.length || !!uploadIssues?.length}>
      <ErrorSummary issues={form.issues?.length ? form.issues : uploadIssues} />
      {status && <p><StatusLine status={status.status} publishAt={status.publishAt} publishedAt={status.publishedAt} /></p>}
      <PostForm action={action}>
        <Select name="body_id" label={t.contentAdmin.fieldBody} form={form} required options={bodies.map((b) => ({ value: b.id, label: bodyName(b, locale) }))} />
        <Select name="kind" label={t.contentAdmin.fieldKind} form={form} required
          options={[{ value: 'news', label: t.content.kindNews }, { value: 'announcement', label: t.content.kindAnnouncement }]} />
        <TextInput name="title" label={t.contentAdmin.fieldTitle} form={form} required maxLength={120} />
        <TextArea name="summary" label={t.contentAdmin.fieldSummary} hint={t.contentAdmin.fieldSummaryHint} form={form} rows={3} maxLength={300} />
        <TextArea name="body_md" label={t.contentAdmin.fieldMarkdown} hint={t.contentAdmin.fieldMarkdownHint} form={form} rows={16} required maxLength={50_000} />
        <TextInput name="publish_at" type="datetime-local" label={t.contentAdmin.fieldPublishAt} hint={t.contentAdmin.fieldPublishAtHint} form={form} />
        <PublishButtons />
      </PostForm>
      <AttachmentsPanel uploadAction={id ? `/admin/content/news/${id}/attachments` : null} items={attachments} maxMb={maxMb} issues={uploadIssues} />
      {id && status && <ItemActions base={`/admin/content/news/${id}`} status={status.status} publicUrl={`/news/${id}`} />}
    </EditorLayout>
  );
}
