import { CsrfField } from '../../../../web/components/fields.js';
import { usePage } from '../../../../web/page-context.js';

/** Unpublish (when published or scheduled), delete, and a link to the public page. */
export function ItemActions({ base, status, publicUrl }: { base: string; status: string; publicUrl: string }) {
  const { t } = usePage();
  return (
    <div class="xs-panel">
      {status === 'published' && <p><a href={publicUrl}>{t.contentAdmin.viewPublic}</a></p>}
      {status !== 'draft' && (
        <form method="post" action={`${base}/unpublish`}><CsrfField />
          <button type="submit" class="xs-button xs-button--secondary">{t.contentAdmin.unpublish}</button></form>
      )}
      <form method="post" action={`${base}/delete`} data-module="confirm" data-confirm={t.contentAdmin.confirmDelete}><CsrfField />
        <button type="submit" class="xs-button xs-button--warning">{t.contentAdmin.deleteItem}</button></form>
    </div>
  );
}
