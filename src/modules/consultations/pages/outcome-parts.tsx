import { SanitisedHtml } from '../../../web/components/raw-html.js';
import { usePage } from '../../../web/page-context.js';
import type { EvaluationSummary, LevelCounts } from '../evaluation-service.js';
import type { OutcomeExtras } from '../outcome-service.js';
import type { RecommendationView } from '../queries.js';

// Pieces of the published outcome on the public consultation page: the report's download,
// the online deliberation's section, per recommendation the evidence of what was done and
// how participants rated it, and the evaluation summary. Counts only, never names or comments.

export function OutcomeDownload({ consultationId }: { consultationId: number }) {
  const { t } = usePage();
  return <p><a href={`/consultations/${consultationId}/outcome.docx`} download>{t.consultationsOutcome.docxLink}</a></p>;
}

export function DeliberationSections({ extras }: { extras: OutcomeExtras }) {
  const { t, locale } = usePage();
  if (!extras.deliberations.length) return null;
  return (
    <>
      <h3 id="deliberation-report">{t.consultationsOutcome.deliberationTitle}</h3>
      {extras.deliberations.map((s) => (
        <div key={s.id}>
          <SanitisedHtml class="xs-prose" html={s.html[locale]} />
          <p><a href={`/deliberations/${s.id}/results`}>{t.consultationsOutcome.deliberationResults}</a></p>
        </div>
      ))}
    </>
  );
}

function Levels({ counts }: { counts: LevelCounts }) {
  const { t } = usePage();
  const m = t.consultationsOutcome;
  return <>{[m.levelCount(m.level3, counts[3]), m.levelCount(m.level2, counts[2]), m.levelCount(m.level1, counts[1])].join(' · ')}</>;
}

/** Under a recommendation: the evidence files and its rating by participants. */
export function RecommendationExtras({ r, extras, consultationId }: { r: RecommendationView; extras: OutcomeExtras; consultationId: number }) {
  const { t } = usePage();
  const m = t.consultationsOutcome;
  const files = extras.evidence.get(r.id) ?? [];
  const rated = extras.evaluation.recommendations.get(r.id);
  return (
    <>
      {!r.answer && r.status !== 'done' && <p class="xs-muted">{m.noAnswerYet}</p>}
      {files.length > 0 && (
        <div>
          <strong>{m.evidence}</strong>
          <ul>{files.map((f) => (
            <li key={f.id}><a href={`/consultations/${consultationId}/evidence/${f.id}/${encodeURIComponent(f.filename)}`}>{f.filename}</a></li>
          ))}</ul>
        </div>
      )}
      {(r.status === 'answered' || r.status === 'done') && (
        <p class="xs-list__meta">{rated && rated.total > 0 ? <>{m.evalRecCount(rated.total)}：<Levels counts={rated.counts} /></> : m.evalRecNone}</p>
      )}
    </>
  );
}

/** People per level for each aspect of the consultation. */
export function SummaryTable({ summary: e }: { summary: EvaluationSummary }) {
  const { t } = usePage();
  const m = t.consultationsOutcome;
  const rows: Array<[string, LevelCounts]> = [[m.aspectOverall, e.overall], [m.aspectProcess, e.process], [m.aspectOutcome, e.outcome]];
  if (e.total === 0) return <p>{m.evalNone}</p>;
  return (
    <>
      <p>{m.evalCount(e.total)}</p>
      <div class="xs-table-wrap">
        <table class="xs-table">
          <caption>{m.summaryTableCaption}</caption>
          <thead><tr><th scope="col">{m.aspect}</th><th scope="col">{m.level3}</th><th scope="col">{m.level2}</th><th scope="col">{m.level1}</th></tr></thead>
          <tbody>{rows.map(([label, c]) => (
            <tr key={label}><th scope="row">{label}</th><td>{c[3]}</td><td>{c[2]}</td><td>{c[1]}</td></tr>
          ))}</tbody>
        </table>
      </div>
    </>
  );
}

export function EvaluationSummaryView({ extras, consultationId }: { extras: OutcomeExtras; consultationId: number }) {
  const { t } = usePage();
  const m = t.consultationsOutcome;
  return (
    <section aria-labelledby="evaluation-title">
      <h2 id="evaluation-title">{m.evalTitle}</h2>
      <p>{m.evalLead}</p>
      <SummaryTable summary={extras.evaluation} />
      {extras.window === 'open' && <p>{m.evalOpenNote} <a class="xs-button" href={`/consultations/${consultationId}/evaluation`}>{m.evalLink}</a></p>}
      {extras.window === 'closed' && <p>{m.evalClosedNote}</p>}
    </section>
  );
}
