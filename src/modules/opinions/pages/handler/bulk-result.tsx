import { usePage } from '../../../../web/page-context.js';
import type { BulkOutcome } from '../../handler-service.js';
import type { HandlerNav } from '../../handler-access.js';
import { formatTrackingCode } from '../../model.js';
import { HandlerLayout } from './layout.js';

/** What a bulk action did, item by item: what succeeded, and why the rest did not. */
export function BulkResultPage({ nav, outcomes, back }: { nav: HandlerNav; outcomes: BulkOutcome[]; back: string }) {
  const { t } = usePage();
  const m = t.opinionsHandler;
  const ok = outcomes.filter((o) => o.ok);
  const failed = outcomes.filter((o) => !o.ok);
  const name = (o: BulkOutcome) => (o.code ? `${formatTrackingCode(o.code)} ${o.title ?? ''}` : m.bulkNoRights(o.id));
  return (
    <HandlerLayout title={m.bulkResultTitle} nav={nav} current="inbox">
      <p role="status" class="xs-lead">{m.bulkSummary(ok.length, failed.length)}</p>
      {ok.length > 0 && (<>
        <h2>{m.bulkSucceeded}</h2>
        <ul>{ok.map((o) => <li key={o.id}><a href={`/handle/opinions/${o.id}`}>{name(o)}</a></li>)}</ul>
      </>)}
      {failed.length > 0 && (<>
        <h2>{m.bulkFailed}</h2>
        <ul>{failed.map((o) => (
          <li key={o.id}>{o.code ? <a href={`/handle/opinions/${o.id}`}>{name(o)}</a> : name(o)}：<span class="xs-error">{o.message ? o.message(t) : ''}</span></li>
        ))}</ul>
      </>)}
      <p><a href={back}>{m.backToInbox}</a></p>
    </HandlerLayout>
  );
}
