import { ErrorSummary } from '../../../../web/components/error-summary.js';
import { type FormState, PostForm, Select, TextArea, TextInput } from '../../../../web/components/fields.js';
import { usePage } from '../../../../web/page-context.js';
import type { AttachmentItem } from '../../attachments/service.js';
import { type BodyOption, bodyName } from '../../shared/editable-bodies.js';
import { AttachmentsPanel } from './attachments-panel.js';
import { EditorLayout, PublishButtons, StatusLine } from './common.js';
import { ItemActions } from './item-actions.js';
import type { NewsFormProps } from './news-form.js';

export function PageFormPage({ id, form, bodies, status, attachments, uploadIssues, maxMb, slug }: NewsFormProps & { slug: string | null }) {
  const { t, locale } = usePage();
  const title = id ? t.contentAdmin.editPage : t.contentAdmin.newPage;
  const action = id ? `/admin/content/pages/${id}` : '/admin/content/pages';
  const kinds = [
    { value: 'overview', label: t.contentAdmin.pageKindOverview }, { value: 'rules', label: t.contentAdmin.pageKindRules },
    { value: 'duties', label: t.contentAdmin.pageKindDuties }, { value: 'page', label: t.contentAdmin.pageKindPage },
  ];
  return (
    <EditorLayout title={title} hasErrors={!!form.issues?.length || !!uploadIssues?.length}>
      <ErrorSummary issues={form.issues?.length ? form.issues : uploadIssues} />
      {status && <p><StatusLine status={status.status} publishAt={status.publishAt} publishedAt={status.publishedAt} /></p>}
      <PostForm action={action}>
        <Select name="body_id" label={t.contentAdmin.fieldBody} form={form} required options={bodies.map((b) => ({ value: b.id, label: bodyName(b, locale) }))} />
        <Select name="kind" label={t.contentAdmin.fieldKind} form={form} required options={kinds} />
        <TextInput name="title" label={t.contentAdmin.fieldTitle} form={form} required maxLength={120} />
        <TextInput name="slug" label={t.contentAdmin.fieldSlug} hint={t.contentAdmin.fieldSlugHint} form={form} required maxLength={60} />
        <TextInput name="sort" label={t.contentAdmin.fieldSort} hint={t.contentAdmin.fieldSortHint} form={form} inputmode="numeric" />
        <TextArea name="body_md" label={t.contentAdmin.fieldMarkdown} hint={t.contentAdmin.fieldMarkdownHint} form={form} rows={16} required maxLength={50_000} />
        <TextInput name="publish_at" type="datetime-local" label={t.contentAdmin.fieldPublishAt} hint={t.contentAdmin.fieldPublishAtHint} form={form} />
        <PublishButtons />
      </PostForm>
      <AttachmentsPanel uploadAction={id ? `/admin/content/pages/${id}/attachments` : null} items={attachments} maxMb={maxMb} issues={uploadIssues} />
      {id && status && <ItemActions base={`/admin/content/pages/${id}`} status={status.status} publicUrl={`/pages/${slug ?? ''}`} />}
    </EditorLayout>
  );
}
