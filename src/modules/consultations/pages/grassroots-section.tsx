import { usePage } from '../../../web/page-context.js';
import type { GrassrootsView } from '../grassroots-queries.js';
import type { ConsultationDetail } from '../queries.js';
import { EscalationResult, NoticeList, escalationStatusLabel } from './grassroots-parts.js';
import { Paragraphs, named } from './parts.js';

// On a consultation's public page: its notices (公示) and the matters its council escalated
// from it, with what became of them. The data comes with the page (public-service attaches
// `grassroots` to the detail); nothing is shown when there is none.

export function GrassrootsSection({ d }: { d: ConsultationDetail & { grassroots?: GrassrootsView } }) {
  const { t, locale } = usePage();
  const g = t.grassroots;
  const view = d.grassroots;
  if (!view || (!view.notices.length && !view.escalations.length)) return null;
  return (
    <>
      {view.notices.length > 0 && (
        <section aria-labelledby="notices-title">
          <h2 id="notices-title">{g.noticesTitle}</h2>
          <NoticeList notices={view.notices} headingLevel={3} />
          <p><a href={`/consultations/${d.c.id}/notices`}>{g.allNoticesLink}</a></p>
        </section>
      )}
      {view.escalations.length > 0 && (
        <section aria-labelledby="escalations-title">
          <h2 id="escalations-title">{g.escalationsOnConsultation}</h2>
          <ul class="xs-list">{view.escalations.map((e) => (
            <li key={e.id}>
              <span class="xs-list__title">{e.title}</span>
              <div class="xs-list__meta">{g.escalationPublicStatus(named(e.to, locale), escalationStatusLabel(g, e.status))}</div>
              {e.response && <div><strong>{g.responseLabel}</strong><Paragraphs text={e.response} /></div>}
              <EscalationResult result={e.result} />
            </li>
          ))}</ul>
        </section>
      )}
    </>
  );
}


