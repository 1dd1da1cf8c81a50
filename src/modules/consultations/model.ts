import {
  COMMUNITY_STAGES, CONSULTATION_FORMS, type ConsultationForm, type ConsultationStage, type ConsultationTrack, STANDARD_STAGES,
} from '../../db/schema.js';

// The lifecycle as pure rules: which stages a consultation passes through, which moves are
// allowed, and what its public timeline shows as done, current and next.

export const FORMS = CONSULTATION_FORMS;
export const ALL_STAGES: readonly ConsultationStage[] = [...new Set<ConsultationStage>([...STANDARD_STAGES, ...COMMUNITY_STAGES, 'closed'])];

/** 社区协商 follows the community council's steps; every other form the committee's. */
export const trackOf = (form: ConsultationForm): ConsultationTrack => (form === 'community' ? 'community' : 'standard');

export function stagesOf(track: ConsultationTrack): readonly ConsultationStage[] {
  return track === 'community' ? [...COMMUNITY_STAGES, 'closed'] : STANDARD_STAGES;
}

export const firstStage = (track: ConsultationTrack): ConsultationStage => stagesOf(track)[0] as ConsultationStage;

export type StageMoveProblem = 'unknown' | 'same' | 'backwards' | 'needs_outcome';

/**
 * Stages only move forward (a step may be skipped: not every consultation deliberates
 * online). Evaluation and closing need the outcome published first on the committee's track.
 */
export function checkStageMove(track: ConsultationTrack, from: ConsultationStage, to: string, outcomePublished: boolean): StageMoveProblem | null {
  const stages = stagesOf(track);
  const i = stages.indexOf(from);
  const j = stages.indexOf(to as ConsultationStage);
  if (j < 0) return 'unknown';
  if (j === i) return 'same';
  if (j < i) return 'backwards';
  if (track === 'standard' && (to === 'evaluation' || to === 'closed') && !outcomePublished) return 'needs_outcome';
  return null;
}

export const isAtOrAfter = (track: ConsultationTrack, stage: ConsultationStage, than: ConsultationStage): boolean =>
  stagesOf(track).indexOf(stage) >= stagesOf(track).indexOf(than);

export type TimelineStep =
  | 'solicitation' | 'plan' | 'preparation' | 'meeting' | 'deliberation' | 'outcome' | 'evaluation'
  | 'topic' | 'proposal' | 'decision' | 'decision_notice' | 'result_notice';
export type StepState = 'done' | 'current' | 'next' | 'upcoming' | 'skipped';
export interface StepView {
  step: TimelineStep; state: StepState; at: string | null;
  /** On the last step once there are recommendations: how many of their action items are not done yet. */
  items?: { open: number; total: number };
}

export interface TimelineFacts {
  track: ConsultationTrack;
  stage: ConsultationStage;
  /** The topic came from a public call (议题征集). */
  solicited: boolean;
  /** The consultation is an item of an annual plan. */
  planned: boolean;
  /** When each stage was entered (from the audit trail). */
  enteredAt: Partial<Record<ConsultationStage, string>>;
  solicitedAt?: string | null;
  plannedAt?: string | null;
  /** The published recommendations' action items: all of them, and those not done. */
  items?: { open: number; total: number };
}

/**
 * Every step with its state. The committee's track starts with solicitation and plan,
 * which are done (or skipped, when the consultation came about another way) before the
 * consultation's own stages; the first step not yet done is "next".
 */
export function timeline(f: TimelineFacts): StepView[] {
  const stages = stagesOf(f.track).filter((s) => s !== 'closed') as TimelineStep[];
  const out: StepView[] = [];
  if (f.track === 'standard') {
    out.push({ step: 'solicitation', state: f.solicited ? 'done' : 'skipped', at: f.solicitedAt ?? null });
    out.push({ step: 'plan', state: f.planned ? 'done' : 'skipped', at: f.plannedAt ?? null });
  }
  // A consultation is not finished while its recommendations are still being carried out:
  // its last step stays in progress (closing is refused then; this covers older data).
  const open = f.items?.open ?? 0;
  const current = f.stage === 'closed' ? (open > 0 ? stages.length - 1 : stages.length) : stages.indexOf(f.stage as TimelineStep);
  stages.forEach((step, i) => {
    const state: StepState = i < current ? 'done' : i === current ? 'current' : i === current + 1 ? 'next' : 'upcoming';
    const last = i === stages.length - 1 && f.items && f.items.total > 0;
    out.push({ step, state, at: f.enteredAt[step as ConsultationStage] ?? null, ...(last ? { items: f.items } : {}) });
  });
  return out;
}

/** Quarter of a 'YYYY-MM-DD' date: 1–4. */
export const quarterOf = (date: string): number => Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1;
