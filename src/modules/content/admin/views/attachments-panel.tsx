import type { FieldIssue } from '../../../../platform/errors.js';
import { CsrfField, PostForm } from '../../../../web/components/fields.js';
import { usePage } from '../../../../web/page-context.js';
import type { AttachmentItem } from '../../attachments/service.js';

/** Files of an item being edited: list with delete buttons, and the upload form. */
export function AttachmentsPanel({ uploadAction, items, maxMb, issues }: { uploadAction: string | null; items: AttachmentItem[]; maxMb: string; issues?: FieldIssue[] }) {
  const { t } = usePage();
  const issue = issues?.find((i) => i.field === 'file');
  return (
    <section id="attachments" aria-labelledby="attachments-heading" class="xs-panel">
      <h2 id="attachments-heading">{t.contentAdmin.attachmentsHeading}</h2>
      {!uploadAction ? <p>{t.contentAdmin.saveFirst}</p> : (
        <>
          {items.length ? (
            <ul class="xs-list">
              {items.map((a) => (
                <li key={a.id}>
                  <a href={a.url}>{a.filename}</a> <code>{a.url}</code>
                  <form method="post" action={`/admin/content/attachments/${a.id}/delete`} data-module="confirm" data-confirm={t.contentAdmin.confirmDelete}>
                    <CsrfField />
                    <button type="submit" class="xs-button xs-button--warning" aria-label={t.contentAdmin.deleteAttachment(a.filename)}>{t.common.delete}</button>
                  </form>
                </li>
              ))}
            </ul>
          ) : <p class="xs-muted">{t.contentAdmin.attachmentsNone}</p>}
          <PostForm action={uploadAction} multipart>
            <div class={`xs-field${issue ? ' xs-field--error' : ''}`}>
              <label class="xs-label" for="f-file">{t.contentAdmin.uploadLabel}</label>
              <div class="xs-hint" id="h-file">{t.contentAdmin.uploadHint(maxMb)}</div>
              {issue && <p class="xs-error" id="e-file"><span class="xs-visually-hidden">{t.common.errorPrefix}</span>{issue.message(t)}</p>}
              <input class="xs-input" type="file" id="f-file" name="file" accept=".pdf,.docx,.xlsx,.jpg,.jpeg,.png" aria-describedby={issue ? 'h-file e-file' : 'h-file'} />
            </div>
            <button type="submit" class="xs-button">{t.contentAdmin.uploadButton}</button>
          </PostForm>
        </>
      )}
    </section>
  );
}
