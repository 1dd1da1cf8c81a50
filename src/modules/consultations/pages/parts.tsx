import type { ComponentChildren } from 'preact';
import type { ActionItemStatus, ConsultationForm, ConsultationMode, ConsultationStage, ParticipantKind, ProposerKind, RegistrationStatus, TopicStatus } from '../../../db/schema.js';
import type { Catalog } from '../../../web/i18n/index.js';
import { usePage } from '../../../web/page-context.js';
import { SectionLayout } from '../../content/shared/breadcrumbs.js';
import { showDate, showDateTime } from '../../content/shared/dates.js';
import type { CallState } from '../calls-service.js';
import type { StepState, StepView, TimelineStep } from '../model.js';

// Labels and small pieces the consultation pages share.

type M = Catalog['consultations'];
export const formLabel = (m: M, f: ConsultationForm): string => m[`form_${f}`];
export const modeLabel = (m: M, v: ConsultationMode): string => m[`mode_${v}`];
export const stageLabel = (m: M, s: ConsultationStage): string => m[`stage_${s}`];
export const stepLabel = (m: M, s: TimelineStep): string => m[`step_${s}`];
export const stateLabel = (m: M, s: StepState): string => m[`state_${s}`];
export const participantLabel = (m: M, k: ParticipantKind): string => m[`pkind_${k}`];
export const proposerLabel = (m: M, k: ProposerKind): string => m[`proposer_${k}`];
/** A topic's status; a proposed topic of a closed call no longer takes support, so it is not shown as open. */
export const topicStatusLabel = (m: M, s: TopicStatus, call?: CallState | null): string =>
  s === 'proposed' && call === 'closed' ? m.tstatusCallClosed : m[`tstatus_${s}`];
export const callStateLabel = (m: M, s: CallState): string => m[`cstate_${s}`];
export const registrationLabel = (m: M, s: RegistrationStatus): string => m[`rstatus_${s}`];
export const actionStatusLabel = (m: M, s: ActionItemStatus): string => m[`astatus_${s}`];

export const named = (n: { name: string; nameEn: string | null }, locale: string): string => (locale === 'en' && n.nameEn) || n.name;

export { showDate, showDateTime };

/** A public page: breadcrumbs under "协商" and one h1. */
export function PublicLayout({ title, trail, hasErrors, children }: { title: string; trail?: { href: string; label: string }[]; hasErrors?: boolean; children: ComponentChildren }) {
  const { t } = usePage();
  return <SectionLayout home={{ href: '/consultations', label: t.consultations.listTitle }} title={title} trail={trail} hasErrors={hasErrors}>{children}</SectionLayout>;
}

/** Plain text with its line breaks kept, as paragraphs (no HTML from the text). */
export function Paragraphs({ text }: { text: string }) {
  const parts = text.split(/\n{2,}/).map((p) => p.trim()).filter(Boolean);
  return (
    <div class="xs-prose">
      {parts.map((p, i) => (
        <p key={`${i}`}>{p.split('\n').map((line, j) => (j === 0 ? line : [<br key={`${j}`} />, line]))}</p>
      ))}
    </div>
  );
}

/** The lifecycle: every step with done / in progress / next, and when it was reached. */
export function Timeline({ steps }: { steps: StepView[] }) {
  const { t } = usePage();
  const m = t.consultations;
  const next = steps.find((s) => s.state === 'next') ?? steps.find((s) => s.state === 'upcoming');
  const current = steps.find((s) => s.state === 'current');
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">{m.timelineTitle}</h2>
      <p>
        {current ? m.nowAt(stepLabel(m, current.step)) : m.allDone}
        {next ? ` ${m.nextIs(stepLabel(m, next.step))}` : ''}
      </p>
      <ol class="xs-list">
        {steps.map((s) => (
          <li key={s.step} aria-current={s.state === 'current' ? 'step' : undefined}>
            <span class="xs-list__title">{stepLabel(m, s.step)}</span>{' '}
            <span class="xs-tag">{stateLabel(m, s.state)}</span>
            {s.at && (s.state === 'done' || s.state === 'current') && <span class="xs-list__meta"> {showDate(s.at)}</span>}
            {s.items && (
              <div class="xs-list__meta">
                {s.items.open > 0 ? t.consultationsOutcome.itemsOpen(s.items.open, s.items.total) : t.consultationsOutcome.itemsAllDone(s.items.total)}
              </div>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

export function Notice({ text }: { text: string | null | undefined }) {
  return text ? <div class="xs-notice" role="status">{text}</div> : null;
}
