import { SanitisedHtml } from '../../../web/components/raw-html.js';
import { usePage } from '../../../web/page-context.js';
import type { OutcomeExtras } from '../outcome-service.js';
import type { ConsultationDetail, RecommendationView } from '../queries.js';
import type { RegistrationState } from '../registration-service.js';
import { GrassrootsSection } from './grassroots-section.js';
import {
  Paragraphs, PublicLayout, Timeline, actionStatusLabel, formLabel, modeLabel, named, participantLabel, showDate, showDateTime, stageLabel,
} from './parts.js';
import { DeliberationSections, EvaluationSummaryView, OutcomeDownload, RecommendationExtras } from './outcome-parts.js';

// The public page of one consultation: what, who, when and where; its timeline; how to
// register; who takes part; the outcome (with the online deliberation's section and the
// report as .docx), what became of each recommendation, and the participants' evaluation.

export function DetailPage({ d, registration, extras = null }: { d: ConsultationDetail; registration: RegistrationState; extras?: OutcomeExtras | null }) {
  const { t, locale } = usePage();
  const m = t.consultations;
  const c = d.c;
  const lead = d.bodies.filter((b) => b.role === 'lead');
  const joint = d.bodies.filter((b) => b.role === 'joint');
  const citizens = d.participants.filter((p) => p.kind === 'citizen').length;
  const named_ = d.participants.filter((p) => p.kind !== 'citizen');
  const published = d.outcome?.status === 'published';
  return (
    <PublicLayout title={c.title}>
      <p>
        <span class="xs-tag">{formLabel(m, c.form)}</span>
        <span class="xs-tag">{modeLabel(m, c.mode)}</span>
        <span class="xs-tag">{stageLabel(m, c.stage)}</span>
      </p>
      {c.summary && <Paragraphs text={c.summary} />}
      <dl class="xs-summary">
        <dt>{m.holdingBodies}</dt>
        <dd>{lead.map((b) => named(b, locale)).join('、')}{joint.length > 0 && `（${m.jointWith(joint.map((b) => named(b, locale)).join('、'))}）`}</dd>
        <dt>{m.when}</dt>
        <dd>{c.starts_at ? `${showDateTime(c.starts_at)}${c.ends_at ? ` – ${showDateTime(c.ends_at)}` : ''}` : m.dateToBeSet}</dd>
        {c.place && <><dt>{m.fPlace}</dt><dd>{c.place}</dd></>}
        {c.online_url && <><dt>{m.fOnlineUrl}</dt><dd><a href={c.online_url} rel="nofollow noopener">{c.online_url}</a></dd></>}
        <dt>{m.fYear}</dt><dd>{c.year}</dd>
        {d.topic && <><dt>{m.fromTopic}</dt><dd><a href={`/consultations/topics/${d.topic.id}`}>{d.topic.title}</a></dd></>}
        {d.planItem && <><dt>{m.inPlan}</dt><dd><a href={`/consultations/plans/${d.planItem.year}`}>{m.planQuarter(d.planItem.year, d.planItem.quarter)}</a></dd></>}
      </dl>
      <p><a href={`/consultations/${c.id}/live`}>{t.consultationsLive.linkFromDetail}</a></p>
      {(c.form === 'online' || c.stage === 'deliberation') && <p><a href={`/deliberations/for-consultation/${c.id}`}>{t.deliberation.linkFromConsultation}</a></p>}

      <Timeline steps={d.steps} />
      <GrassrootsSection d={d} />

      {registration !== 'not_offered' && (
        <section aria-labelledby="reg-title" class="xs-panel">
          <h2 id="reg-title">{m.registrationTitle}</h2>
          <p>{m.seats(c.seats_taken, c.capacity ?? 0)}{d.waitlisted > 0 ? ` ${m.waitingCount(d.waitlisted)}` : ''}</p>
          {registration === 'open'
            ? <p><a class="xs-button" href={`/consultations/${c.id}/registration`}>{m.registerLink}</a></p>
            : <p>{m.registrationClosed} <a href={`/consultations/${c.id}/registration`}>{m.myRegistration}</a></p>}
        </section>
      )}

      {c.agenda && <section aria-labelledby="agenda-title"><h2 id="agenda-title">{m.fAgenda}</h2><Paragraphs text={c.agenda} /></section>}

      {(named_.length > 0 || citizens > 0) && (
        <section aria-labelledby="people-title">
          <h2 id="people-title">{m.participantsTitle}</h2>
          <ul class="xs-list">
            {named_.map((p) => (
              <li key={p.id}>
                <span class="xs-tag">{participantLabel(m, p.kind)}</span> {p.name}
                {p.body && p.body.name !== p.name ? `（${named(p.body, locale)}）` : ''}{p.title ? ` ${p.title}` : ''}
              </li>
            ))}
            {citizens > 0 && <li><span class="xs-tag">{participantLabel(m, 'citizen')}</span> {m.citizenCount(citizens)}</li>}
          </ul>
        </section>
      )}

      {d.materials.some((x) => x.isPublic) && (
        <section aria-labelledby="materials-title">
          <h2 id="materials-title">{m.materialsTitle}</h2>
          <ul>{d.materials.filter((x) => x.isPublic).map((x) => (
            <li key={x.id}><a href={`/consultations/${c.id}/materials/${x.id}/${encodeURIComponent(x.filename)}`}>{x.title}</a> <span class="xs-muted">（{x.filename}）</span></li>
          ))}</ul>
        </section>
      )}

      {d.research.length > 0 && (
        <section aria-labelledby="research-title">
          <h2 id="research-title">{m.researchTitle}</h2>
          <ul class="xs-list">{d.research.map((r) => (
            <li key={r.id}><span class="xs-list__title">{r.title}</span>
              <div class="xs-list__meta">{[r.visitedOn, r.place].filter(Boolean).join(' · ')}</div>
              <Paragraphs text={r.summary} /></li>
          ))}</ul>
        </section>
      )}

      {published && d.outcome && (
        <section aria-labelledby="outcome-title">
          <h2 id="outcome-title">{m.outcomeTitle}</h2>
          <p class="xs-muted">{m.outcomePublishedOn(showDate(d.outcome.publishedAt))}</p>
          <OutcomeDownload consultationId={c.id} />
          <SanitisedHtml class="xs-prose" html={d.outcome.reportHtml} />
          <h3 id="recs">{m.recommendationsTitle}</h3>
          <ol class="xs-list">{d.recommendations.map((r) => <Recommendation key={r.id} r={r} extras={extras} consultationId={c.id} />)}</ol>
          {extras && <DeliberationSections extras={extras} />}
          {d.outcome.minutesHtml && (
            <><h3>{m.fMinutes}</h3><SanitisedHtml class="xs-prose" html={d.outcome.minutesHtml} /></>
          )}
        </section>
      )}
      {published && extras && extras.window !== 'not_offered' && <EvaluationSummaryView extras={extras} consultationId={c.id} />}
    </PublicLayout>
  );
}

function Recommendation({ r, extras, consultationId }: { r: RecommendationView; extras: OutcomeExtras | null; consultationId: number }) {
  const { t, locale } = usePage();
  const m = t.consultations;
  return (
    <li id={`rec-${r.number}`}>
      <p class="xs-list__title">{m.recNumber(r.number)} {r.text}</p>
      <p class="xs-list__meta">
        {m.recDepartment(named(r.department, locale))} · {r.dueOn ? m.recDue(r.dueOn) : m.recDueDays(r.dueDays)}
        {r.status && <> <span class="xs-tag">{actionStatusLabel(m, r.status)}</span></>}
        {r.overdue && <> <span class="xs-tag">{m.overdue}</span></>}
      </p>
      {r.answer && <div><strong>{m.departmentAnswer}</strong><Paragraphs text={r.answer} /></div>}
      {extras && <RecommendationExtras r={r} extras={extras} consultationId={consultationId} />}
      {r.updates.length > 0 && (
        <details>
          <summary>{m.progressCount(r.updates.length)}</summary>
          <ul>{r.updates.map((u, i) => <li key={`${i}`}>{showDate(u.createdAt)} {m[`ukind_${u.kind}`]}：{u.body}</li>)}</ul>
        </details>
      )}
    </li>
  );
}
