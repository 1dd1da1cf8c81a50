import { SanitisedHtml } from '../../../web/components/raw-html.js';
import { usePage } from '../../../web/page-context.js';
import { showDateTime } from '../../content/shared/dates.js';
import type { ResultsView } from '../report.js';
import { DeliberationLayout } from './parts.js';

/**
 * The public results: the opinion map (server-drawn SVG, with its text alternative in the
 * page), each group's representative statements, common ground and statements every group
 * agrees with. Served from the page cache: nothing personal.
 */
export function ResultsPage({ r }: { r: ResultsView }) {
  const { t } = usePage();
  const m = t.deliberation;
  const d = r.deliberation;
  const trail = [
    ...(r.consultation ? [{ href: `/consultations/${r.consultation.id}`, label: r.consultation.title }] : []),
    { href: `/deliberations/${d.id}`, label: d.title },
  ];
  const dir = (x: 'agree' | 'disagree') => (x === 'agree' ? m.dirAgree : m.dirDisagree);
  return (
    <DeliberationLayout title={m.resultsTitle(d.title)} trail={trail}>
      {!r.computed ? <p class="xs-panel">{m.notComputed}</p> : (
        <>
          <dl class="xs-summary">
            <dt>{m.participants}</dt><dd>{r.computed.counts.participants}</dd>
            <dt>{m.placed}</dt><dd>{r.computed.counts.placed}</dd>
            <dt>{m.votesCount}</dt><dd>{r.computed.counts.votes}</dd>
            <dt>{m.statementsCount}</dt><dd>{r.computed.counts.statements}</dd>
            <dt>{m.groupsCount}</dt><dd>{r.computed.groups.length}</dd>
            <dt>{m.computedAt}</dt><dd>{showDateTime(r.computed.computedAt)}</dd>
          </dl>
          {r.computed.stale && <p class="xs-muted">{m.staleNote}</p>}

          <figure class="xs-chart" aria-labelledby="map-caption">
            <SanitisedHtml html={r.computed.svg} class="xs-chart__image" />
            <figcaption id="map-caption">{r.computed.description}</figcaption>
          </figure>

          <section aria-labelledby="groups-title">
            <h2 id="groups-title">{m.groupsTitle}</h2>
            {r.computed.groups.length === 0 && <p>{r.computed.description}</p>}
            {r.computed.groups.map((g) => (
              <section key={g.letter} aria-labelledby={`group-${g.letter}`}>
                <h3 id={`group-${g.letter}`}>{m.groupHeading(g.label, g.size, g.percent)}</h3>
                {g.statements.length === 0 ? <p>{m.groupNone}</p> : (
                  <ul class="xs-list">
                    {g.statements.map((s) => (
                      <li key={s.statementId}>
                        <span class="xs-list__title">{s.text}</span><br />
                        <span class="xs-list__meta">{m.repLine(dir(s.direction), s.groupPercent, s.othersPercent)}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            ))}
          </section>

          <section aria-labelledby="consensus-title">
            <h2 id="consensus-title">{m.consensusTitle}</h2>
            <p class="xs-muted">{m.consensusLead}</p>
            {r.computed.consensus.length === 0 ? <p>{m.consensusNone}</p> : (
              <ul class="xs-list">
                {r.computed.consensus.map((c) => (
                  <li key={`${c.direction}-${c.statementId}`}>
                    <span class="xs-list__title">{c.text}</span><br />
                    <span class="xs-list__meta">{m.consensusLine(dir(c.direction), c.percent)}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>

          {r.computed.groupInformed.length > 0 && (
            <section aria-labelledby="gic-title">
              <h2 id="gic-title">{m.gicTitle}</h2>
              <p class="xs-muted">{m.gicLead}</p>
              <ol class="xs-list">
                {r.computed.groupInformed.map((s) => (
                  <li key={s.statementId}>
                    <span class="xs-list__title">{s.text}</span><br />
                    <span class="xs-list__meta">{m.gicLine(s.agreePercent, s.seen)}</span>
                  </li>
                ))}
              </ol>
            </section>
          )}
        </>
      )}
      <p><a href={`/deliberations/${d.id}`}>{m.backToDeliberation}</a></p>
    </DeliberationLayout>
  );
}
