import type { FieldIssue } from '../../platform/errors.js';
import { usePage } from '../page-context.js';

/** GOV.UK-style error summary: takes focus (see app.js), links to each field. */
export function ErrorSummary({ issues }: { issues: FieldIssue[] | undefined }) {
  const { t } = usePage();
  if (!issues?.length) return null;
  return (
    <div class="xs-error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} data-module="error-summary">
      <h2 class="xs-error-summary__title" id="error-summary-title">{t.common.errorSummaryTitle}</h2>
      <ul class="xs-error-summary__list">
        {issues.map((i) => (
          <li key={i.field}><a href={`#f-${i.field}`}>{i.message(t)}</a></li>
        ))}
      </ul>
    </div>
  );
}
