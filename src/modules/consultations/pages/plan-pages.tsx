import { usePage } from '../../../web/page-context.js';
import type { PlanView } from '../calls-queries.js';
import { Paragraphs, PublicLayout, formLabel, named, showDateTime, stageLabel } from './parts.js';

// 年度协商计划: a page per year with every published plan's items, quarter by quarter,
// and a calendar feed to subscribe to.

export function PlansIndexPage({ years }: { years: number[] }) {
  const { t } = usePage();
  const m = t.consultations;
  return (
    <PublicLayout title={m.plansTitle}>
      <p class="xs-lead">{m.plansLead}</p>
      {years.length === 0 ? <p>{m.noPlans}</p> : (
        <ul class="xs-list">{years.map((y) => <li key={y}><a class="xs-list__title" href={`/consultations/plans/${y}`}>{m.planOfYear(y)}</a></li>)}</ul>
      )}
    </PublicLayout>
  );
}

export function PlanPage({ year, plans }: { year: number; plans: PlanView[] }) {
  const { t, locale } = usePage();
  const m = t.consultations;
  return (
    <PublicLayout title={m.planOfYear(year)} trail={[{ href: '/consultations/plans', label: m.plansTitle }]}>
      <p><a href={`/consultations/plans/${year}.ics`} type="text/calendar">{m.calendarFeed}</a> <span class="xs-muted">{m.calendarHint}</span></p>
      {plans.map((p) => (
        <section key={p.id} aria-labelledby={`plan-${p.id}`}>
          <h2 id={`plan-${p.id}`}>{p.title}</h2>
          <p class="xs-muted">{named(p.body, locale)}</p>
          {p.intro && <Paragraphs text={p.intro} />}
          {[1, 2, 3, 4].map((q) => {
            const items = p.items.filter((i) => i.quarter === q);
            if (!items.length) return null;
            return (
              <div key={q}>
                <h3>{m.quarterN(q)}</h3>
                <ul class="xs-list">{items.map((i) => (
                  <li key={i.id}>
                    <span class="xs-list__title">{i.title}</span>
                    <div class="xs-list__meta">
                      <span class="xs-tag">{formLabel(m, i.form)}</span> {m.leadBody(named(i.leadBody, locale))}
                      {i.topicId !== null && <> · <a href={`/consultations/topics/${i.topicId}`}>{m.fromSolicitation}</a></>}
                    </div>
                    {i.description && <Paragraphs text={i.description} />}
                    {i.consultations.map((c) => (
                      <p key={c.id}><a href={`/consultations/${c.id}`}>{c.title}</a> · {c.startsAt ? showDateTime(c.startsAt) : m.dateToBeSet} · {stageLabel(m, c.stage)}</p>
                    ))}
                  </li>
                ))}</ul>
              </div>
            );
          })}
        </section>
      ))}
    </PublicLayout>
  );
}
