import type { Generated } from 'kysely';

// Row types of every table. Timestamps are ISO-8601 UTC text, dates YYYY-MM-DD text,
// booleans 0/1 integers (see migrations/0001-foundation.ts).

export interface SettingsTable { key: string; value: string }

export type RegionLevel = 'county' | 'township' | 'village';
export interface RegionsTable {
  id: Generated<number>; parent_id: number | null; level: RegionLevel; name: string;
  name_en: string | null; code: string | null; sort: Generated<number>;
}

// A sector group (界别) is the body through which the members of one sector act together (界别协商会);
// the sector itself stays a member attribute (sectors, member_profiles.sector_id).
export const BODY_KINDS = ['committee', 'special_committee', 'sector_group', 'liaison_group', 'member_studio', 'community_council', 'department'] as const;
export type BodyKind = (typeof BODY_KINDS)[number];
export interface BodiesTable {
  id: Generated<number>; parent_id: number | null; kind: BodyKind; name: string; name_en: string | null;
  region_id: number | null; description: Generated<string>; sort: Generated<number>; created_at: string;
}

export interface SectorsTable { id: Generated<number>; name: string; name_en: string | null; sort: Generated<number> }
export interface TermsTable { id: Generated<number>; number: number; name: string; starts_on: string; ends_on: string | null }

export type UserStatus = 'active' | 'disabled' | 'erased';
export interface UsersTable {
  id: Generated<number>; display_name: string; username: string | null; password_hash: string | null;
  totp_secret: string | null; totp_enabled: Generated<number>; totp_last_step: number | null; is_admin: Generated<number>;
  status: Generated<UserStatus>; locale: string | null; created_at: string; erased_at: string | null;
}
export interface UserPiiTable {
  user_id: number; phone: string | null; real_name: string | null; id_number: string | null;
  email: string | null; updated_at: string;
}

export const MEMBERSHIP_ROLES = ['member', 'standing_member', 'staff', 'admin', 'department_handler', 'council_facilitator'] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];
export interface MembershipsTable {
  id: Generated<number>; user_id: number; body_id: number; role: MembershipRole; term_id: number | null;
  title: string | null; starts_on: string | null; ends_on: string | null; created_at: string;
}
export interface MemberProfilesTable {
  user_id: number; sector_id: number | null; region_id: number | null; gender: string | null;
  ethnicity: string | null; party: string | null; occupation: Generated<string>; bio: Generated<string>;
  is_standing: Generated<number>; is_public: Generated<number>; sort_name: Generated<string>;
}

export interface SessionsTable { id: string; user_id: number; created_at: string; expires_at: string; mfa_pending: Generated<number> }
export interface LoginCodesTable {
  id: Generated<number>; phone: string; purpose: string; code_hash: string; attempts: Generated<number>;
  created_at: string; expires_at: string; used_at: string | null;
}
export interface ApiTokensTable {
  id: Generated<number>; name: string; token_hash: string; user_id: number; created_by: number | null;
  created_at: string; last_used_at: string | null; revoked_at: string | null;
}

export type PublishStatus = 'draft' | 'scheduled' | 'published';
export type PageKind = 'overview' | 'rules' | 'duties' | 'page';
export interface PagesTable {
  id: Generated<number>; body_id: number; slug: string; kind: PageKind; title: string; body_md: string;
  body_html: string; status: PublishStatus; publish_at: string | null; published_at: string | null;
  author_id: number | null; sort: Generated<number>; created_at: string; updated_at: string;
}
export type NewsKind = 'news' | 'announcement';
export interface NewsTable {
  id: Generated<number>; body_id: number; kind: NewsKind; title: string; summary: Generated<string>;
  body_md: string; body_html: string; status: PublishStatus; publish_at: string | null;
  published_at: string | null; author_id: number | null; created_at: string; updated_at: string;
}
export interface AttachmentsTable {
  id: Generated<number>; owner_type: string; owner_id: number; filename: string; mime: string; size: number;
  sha256: string; storage_key: string; created_by: number | null; created_at: string;
}

export interface AuditEventsTable {
  id: Generated<number>; stream_type: string; stream_id: string; action: string; actor_id: number | null;
  data: string; created_at: string; prev_hash: string; hash: string;
}

export type JobStatus = 'pending' | 'running' | 'done' | 'failed';
export interface JobsTable {
  id: Generated<number>; kind: string; payload: string; status: JobStatus; run_at: string;
  attempts: Generated<number>; max_attempts: Generated<number>; locked_by: string | null;
  locked_until: string | null; last_error: string | null; dedupe_key: string | null;
  created_at: string; finished_at: string | null;
}
export interface NotificationsTable {
  id: Generated<number>; user_id: number; kind: string; title: string; body: string; link: string | null;
  created_at: string; read_at: string | null;
}
export interface SmsMessagesTable {
  id: Generated<number>; phone: string; text: string; adapter: string; status: 'queued' | 'sent' | 'failed';
  provider_ref: string | null; error: string | null; created_at: string; sent_at: string | null;
}
export interface DataRequestsTable {
  id: Generated<number>; user_id: number; kind: 'erasure'; status: 'pending' | 'done' | 'rejected';
  reason: Generated<string>; created_at: string; handled_at: string | null; handled_by: number | null; note: string | null;
}
export interface SearchDocsTable {
  id: Generated<number>; doc_type: string; doc_id: number; title: string; excerpt: string; url: string;
  published_at: string | null; tokens: string;
}

// The citizens' voice channel (migration 0010).
export const OPINION_KINDS = ['opinion', 'request', 'suggestion'] as const;
export type OpinionKind = (typeof OPINION_KINDS)[number];
export const OPINION_STATUSES = ['received', 'accepted', 'declined', 'replied', 'closed', 'withdrawn', 'merged'] as const;
export type OpinionStatus = (typeof OPINION_STATUSES)[number];
export type OpinionTargetType = 'body' | 'member' | 'route';
export interface OpinionCategoriesTable {
  key: string; name: string; name_en: string; accept_days: Generated<number>; reply_days: Generated<number>;
  default_body_id: number | null; sort: Generated<number>;
}
export interface OpinionsTable {
  id: Generated<number>; tracking_code: string; kind: OpinionKind; title: string; body: string; category_key: string;
  region_id: number | null; target_type: OpinionTargetType; target_body_id: number | null; target_user_id: number | null;
  handler_body_id: number; handler_user_id: number | null; suggested_body_id: number | null; suggestion_reason: string | null;
  routing_confirmed: Generated<number>; citizen_id: number | null; phone_last4: string | null;
  public_consent: Generated<number>; public_visible: Generated<number>; status: OpinionStatus;
  accept_due: string; reply_due: string; accepted_at: string | null; declined_at: string | null;
  first_replied_at: string | null; replied_at: string | null; closed_at: string | null; withdrawn_at: string | null;
  reopen_count: Generated<number>; merged_into_id: number | null; reply_text: string | null;
  rating_handling: number | null; rating_result: number | null; accept_reminded_at: string | null;
  reply_reminded_at: string | null; escalated_at: string | null; content_hash: string; created_at: string; updated_at: string;
}
export type OpinionEntryKind = 'addition' | 'question' | 'reply' | 'decline_reason' | 'note';
export interface OpinionEntriesTable {
  id: Generated<number>; opinion_id: number; kind: OpinionEntryKind; author_id: number | null;
  author_body_id: number | null; body: string; created_at: string;
}
export interface OpinionRatingsTable {
  id: Generated<number>; opinion_id: number; round: number; handling: number; result: number;
  comment: string | null; created_at: string;
}
export type ActionItemStatus = 'open' | 'answered' | 'done';
export interface ActionItemsTable {
  id: Generated<number>; source_type: string; source_id: number; title: string; instructions: string;
  owner_body_id: number; assigned_by: number | null; assigned_by_body_id: number | null; due_on: string;
  status: ActionItemStatus; answer: string | null; answered_at: string | null; answered_by: number | null;
  done_at: string | null; reminded_at: string | null; escalated_at: string | null; created_at: string; updated_at: string;
}
export interface ActionItemUpdatesTable {
  id: Generated<number>; action_item_id: number; kind: 'progress' | 'answer' | 'done'; body: string;
  author_id: number | null; created_at: string;
}
export interface IdempotencyKeysTable { scope: string; key: string; result: string; created_at: string }
export interface PowSpentTable { signature: string; expires_at: string }
export interface HotspotSnapshotsTable { id: Generated<number>; scope: string; computed_at: string; data: string }
export interface SentimentReportsTable {
  id: Generated<number>; author_id: number; title: string; body: string; status: 'draft' | 'submitted';
  created_at: string; updated_at: string;
}
export interface SentimentReportSourcesTable { report_id: number; opinion_id: number }

// Consultations from topic to result (migration 0012).
export const CONSULTATION_FORMS = ['thematic', 'counterpart', 'sector', 'proposal', 'online', 'remote', 'community'] as const;
export type ConsultationForm = (typeof CONSULTATION_FORMS)[number];
export const CONSULTATION_MODES = ['in_person', 'online', 'hybrid'] as const;
export type ConsultationMode = (typeof CONSULTATION_MODES)[number];
export type ConsultationTrack = 'standard' | 'community';
export const STANDARD_STAGES = ['preparation', 'meeting', 'deliberation', 'outcome', 'evaluation', 'closed'] as const;
export const COMMUNITY_STAGES = ['topic', 'proposal', 'deliberation', 'decision', 'decision_notice', 'result_notice'] as const;
export type ConsultationStage = (typeof STANDARD_STAGES)[number] | (typeof COMMUNITY_STAGES)[number];
export type TopicStatus = 'proposed' | 'selected' | 'declined' | 'hidden';
export type ProposerKind = 'citizen' | 'member' | 'staff' | 'council';
export type RegistrationStatus = 'confirmed' | 'waitlisted' | 'cancelled';
export const PARTICIPANT_KINDS = ['member', 'department', 'citizen', 'expert'] as const;
export type ParticipantKind = (typeof PARTICIPANT_KINDS)[number];
export interface TopicCallsTable {
  id: Generated<number>; body_id: number; title: string; description: string; opens_on: string; closes_on: string;
  plan_year: number | null; published: Generated<number>; closed_at: string | null; created_by: number | null; created_at: string; updated_at: string;
}
export interface ConsultationTopicsTable {
  id: Generated<number>; call_id: number | null; body_id: number; title: string; reason: string; proposer_id: number | null;
  proposer_kind: ProposerKind; status: TopicStatus; staff_note: string | null; support_count: Generated<number>;
  comment_count: Generated<number>; content_hash: string; created_at: string; updated_at: string;
}
export interface TopicSupportsTable { topic_id: number; user_id: number; created_at: string }
export interface TopicCommentsTable {
  id: Generated<number>; topic_id: number; author_id: number | null; body: string; status: 'visible' | 'hidden'; created_at: string;
}
export interface ConsultationPlansTable {
  id: Generated<number>; body_id: number; year: number; title: string; intro: string; status: 'draft' | 'published';
  published_at: string | null; created_by: number | null; created_at: string; updated_at: string;
}
export interface PlanItemsTable {
  id: Generated<number>; plan_id: number; topic_id: number | null; title: string; description: string; form: ConsultationForm;
  lead_body_id: number; quarter: number; sort: Generated<number>; created_at: string; updated_at: string;
}
export interface ConsultationsTable {
  id: Generated<number>; title: string; summary: string; form: ConsultationForm; mode: ConsultationMode; track: ConsultationTrack;
  stage: ConsultationStage; lead_body_id: number; plan_item_id: number | null; topic_id: number | null; year: number;
  starts_at: string | null; ends_at: string | null; place: string | null; online_url: string | null; agenda: string;
  is_public: Generated<number>; registration_open: Generated<number>; capacity: number | null; seats_taken: Generated<number>;
  sort_at: string; stage_changed_at: string; created_by: number | null; created_at: string; updated_at: string;
}
export interface ConsultationBodiesTable { consultation_id: number; body_id: number; role: 'lead' | 'joint' }
export interface ConsultationParticipantsTable {
  id: Generated<number>; consultation_id: number; kind: ParticipantKind; user_id: number | null; body_id: number | null;
  name: string; title: string | null; attended_at: string | null; created_at: string;
  /** The participant's personal sign-in code (0020), given when they first look at it; null until then. */
  checkin_code: Generated<string | null>;
}
export interface ConsultationRegistrationsTable {
  id: Generated<number>; consultation_id: number; user_id: number; status: RegistrationStatus; note: string | null; queued_at: string;
  confirmed_at: string | null; cancelled_at: string | null; checkin_code: string | null; checked_in_at: string | null;
  created_at: string; updated_at: string;
}
export interface ConsultationMaterialsTable {
  id: Generated<number>; consultation_id: number; title: string; filename: string; mime: string; size: number; sha256: string;
  storage_key: string; is_public: Generated<number>; created_by: number | null; created_at: string;
}
export interface FieldResearchTable {
  id: Generated<number>; body_id: number; title: string; summary: string; place: string | null; visited_on: string | null;
  topic_id: number | null; consultation_id: number | null; created_by: number | null; created_at: string; updated_at: string;
}
export interface ConsultationQuestionsTable {
  id: Generated<number>; consultation_id: number; author_id: number | null; author_kind: 'member' | 'citizen' | 'staff';
  addressed_body_id: number | null; body: string; status: 'queued' | 'answered' | 'hidden'; hidden_reason: string | null;
  answered_at: string | null; created_at: string; updated_at: string;
}
export interface ConsultationAnswersTable {
  id: Generated<number>; question_id: number; consultation_id: number; body_id: number | null; author_id: number | null; body: string; created_at: string;
}
export interface ConsultationOutcomesTable {
  consultation_id: number; minutes_md: string; minutes_html: string; report_md: string; report_html: string;
  status: 'draft' | 'published'; published_at: string | null; published_by: number | null; updated_by: number | null; updated_at: string;
  /** The deliberation section as published (JSON), null for a draft. */
  deliberation_report: string | null;
}
export interface ConsultationRecommendationsTable {
  id: Generated<number>; consultation_id: number; number: number; text: string; department_id: number; due_days: number;
  due_on: string | null; action_item_id: number | null; created_at: string; updated_at: string;
}
export interface ConsultationEvaluationsTable {
  id: Generated<number>; consultation_id: number; user_id: number; role: 'participant' | 'registrant'; overall: number;
  process: number | null; outcome: number | null; comment: string | null; created_at: string;
}
export interface RecommendationEvaluationsTable { recommendation_id: number; user_id: number; rating: number; comment: string | null; created_at: string }
export interface ConsultationNoticesTable {
  id: Generated<number>; consultation_id: number; kind: 'decision' | 'result'; body_md: string; body_html: string;
  notice_until: string | null; published_at: string; published_by: number | null;
}
export interface EscalationsTable {
  id: Generated<number>; from_body_id: number; to_body_id: number; consultation_id: number | null; topic_id: number | null;
  title: string; body: string; status: 'sent' | 'accepted' | 'declined' | 'resolved'; response: string | null;
  result_type: 'topic' | 'plan_item' | 'consultation' | 'action_item' | null; result_id: number | null; created_by: number | null;
  responded_by: number | null; responded_at: string | null; created_at: string; updated_at: string;
}
export interface MemberLiaisonsTable {
  id: Generated<number>; user_id: number; body_id: number | null; region_id: number | null; starts_on: string; ends_on: string | null; created_at: string;
}
export interface DeliberationsTable {
  id: Generated<number>; consultation_id: number | null; title: string; description: string; moderation: 'strict' | 'open';
  status: 'open' | 'closed'; max_groups: Generated<number>; source: 'native' | 'polis'; external_id: string | null;
  votes_version: Generated<number>; created_by: number | null; created_at: string; updated_at: string; closed_at: string | null;
  /** Migration 0013: the body whose organisers manage a deliberation without a consultation. */
  body_id: number | null;
}
export interface DeliberationParticipantsTable { id: Generated<number>; deliberation_id: number; user_id: number | null; external_id: string | null; created_at: string }
export interface DeliberationStatementsTable {
  id: Generated<number>; deliberation_id: number; author_participant_id: number | null; body: string; body_hash: string;
  status: 'pending' | 'accepted' | 'rejected'; is_meta: Generated<number>; is_seed: Generated<number>; external_id: string | null;
  moderated_by: number | null; moderated_at: string | null; created_at: string;
}
export interface DeliberationVotesTable { deliberation_id: number; participant_id: number; statement_id: number; value: -1 | 0 | 1; voted_at: string }
export interface DeliberationVoteLogTable {
  id: Generated<number>; deliberation_id: number; participant_id: number; statement_id: number; value: -1 | 0 | 1; voted_at: string;
  /** Migration 0021: deliberations.votes_version as the vote's transaction committed it (0 before then). */
  votes_version: Generated<number>;
}
export interface DeliberationResultsTable {
  id: Generated<number>; deliberation_id: number; votes_version: number; data: string; computed_at: string;
  /** Migration 0013: digest of the votes computed from, and the participant → group map (JSON). */
  input_digest: string | null; participant_groups: string | null;
}
export interface ConsultationTables {
  topic_calls: TopicCallsTable; consultation_topics: ConsultationTopicsTable; topic_supports: TopicSupportsTable; topic_comments: TopicCommentsTable;
  consultation_plans: ConsultationPlansTable; plan_items: PlanItemsTable; consultations: ConsultationsTable; consultation_bodies: ConsultationBodiesTable;
  consultation_participants: ConsultationParticipantsTable; consultation_registrations: ConsultationRegistrationsTable;
  consultation_materials: ConsultationMaterialsTable; field_research: FieldResearchTable; consultation_questions: ConsultationQuestionsTable;
  consultation_answers: ConsultationAnswersTable; consultation_outcomes: ConsultationOutcomesTable;
  consultation_recommendations: ConsultationRecommendationsTable; consultation_evaluations: ConsultationEvaluationsTable;
  recommendation_evaluations: RecommendationEvaluationsTable; consultation_notices: ConsultationNoticesTable; escalations: EscalationsTable;
  member_liaisons: MemberLiaisonsTable; deliberations: DeliberationsTable; deliberation_participants: DeliberationParticipantsTable;
  deliberation_statements: DeliberationStatementsTable; deliberation_votes: DeliberationVotesTable; deliberation_vote_log: DeliberationVoteLogTable;
  deliberation_results: DeliberationResultsTable;
}

export interface DB extends ConsultationTables {
  settings: SettingsTable; regions: RegionsTable; bodies: BodiesTable; sectors: SectorsTable; terms: TermsTable;
  users: UsersTable; user_pii: UserPiiTable; memberships: MembershipsTable; member_profiles: MemberProfilesTable;
  sessions: SessionsTable; login_codes: LoginCodesTable; api_tokens: ApiTokensTable; pages: PagesTable;
  news: NewsTable; attachments: AttachmentsTable; audit_events: AuditEventsTable; jobs: JobsTable;
  notifications: NotificationsTable; sms_messages: SmsMessagesTable; data_requests: DataRequestsTable;
  search_docs: SearchDocsTable;
  opinion_categories: OpinionCategoriesTable; opinions: OpinionsTable; opinion_entries: OpinionEntriesTable;
  opinion_ratings: OpinionRatingsTable; action_items: ActionItemsTable; action_item_updates: ActionItemUpdatesTable;
  idempotency_keys: IdempotencyKeysTable; pow_spent: PowSpentTable; hotspot_snapshots: HotspotSnapshotsTable;
  sentiment_reports: SentimentReportsTable; sentiment_report_sources: SentimentReportSourcesTable;
}
