import type { Kysely } from 'kysely';
import { type Dialect, table } from './helpers.js';

// Frozen in time: never import application code here.
// Consultation (协商) from topic to result: topic calls and proposed topics, the annual plan,
// the consultation itself (holding bodies, participants, registration and sign-in,
// materials, field research, live questions), its outcome with numbered recommendations
// (each followed as an action item), evaluations, community councils' notices and
// escalations, member liaison points, and online deliberation (statements, votes, results).

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const index = (name: string, on: string, cols: string[], unique = false) => {
    const b = db.schema.createIndex(name).on(on).columns(cols);
    return (unique ? b.unique() : b).execute();
  };

  // 议题征集: a call a body opens for a period; anyone signed in proposes topics to it.
  await table(db, dialect, 'topic_calls', (t) => t
    .addColumn('body_id', 'integer', (c) => c.notNull().references('bodies.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('opens_on', 'text', (c) => c.notNull())
    .addColumn('closes_on', 'text', (c) => c.notNull())
    .addColumn('plan_year', 'integer')
    .addColumn('published', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('closed_at', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull()));
  await index('topic_calls_public', 'topic_calls', ['published', 'opens_on']);
  await index('topic_calls_body', 'topic_calls', ['body_id', 'opens_on']);

  // A proposed topic. Support and comment counts are kept on the row (updated in the same
  // transaction as the support or comment) so a call's page needs no aggregate per topic.
  await table(db, dialect, 'consultation_topics', (t) => t
    .addColumn('call_id', 'integer', (c) => c.references('topic_calls.id'))
    .addColumn('body_id', 'integer', (c) => c.notNull().references('bodies.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('proposer_id', 'integer', (c) => c.references('users.id'))
    .addColumn('proposer_kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('staff_note', 'text')
    .addColumn('support_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('comment_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull()));
  await index('consultation_topics_call', 'consultation_topics', ['call_id', 'status', 'id']);
  await index('consultation_topics_body', 'consultation_topics', ['body_id', 'status', 'id']);
  await index('consultation_topics_proposer', 'consultation_topics', ['proposer_id', 'created_at']);
  await index('consultation_topics_hash', 'consultation_topics', ['call_id', 'content_hash'], true);

  await db.schema.createTable('topic_supports')
    .addColumn('topic_id', 'integer', (c) => c.notNull().references('consultation_topics.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('topic_supports_pk', ['topic_id', 'user_id'])
    .execute();
  await index('topic_supports_user', 'topic_supports', ['user_id']);

  await table(db, dialect, 'topic_comments', (t) => t
    .addColumn('topic_id', 'integer', (c) => c.notNull().references('consultation_topics.id'))
    .addColumn('author_id', 'integer', (c) => c.references('users.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull()));
  await index('topic_comments_topic', 'topic_comments', ['topic_id', 'status', 'id']);
  await index('topic_comments_author', 'topic_comments', ['author_id']);

  // 年度协商计划: one plan per body and year; its items carry form, lead body and quarter.
  await table(db, dialect, 'consultation_plans', (t) => t
    .addColumn('body_id', 'integer', (c) => c.notNull().references('bodies.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('intro', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull()));
  await index('consultation_plans_body_year', 'consultation_plans', ['body_id', 'year'], true);
  await index('consultation_plans_year', 'consultation_plans', ['year', 'status']);

  await table(db, dialect, 'plan_items', (t) => t
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('consultation_plans.id'))
    .addColumn('topic_id', 'integer', (c) => c.references('consultation_topics.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('form', 'text', (c) => c.notNull())
    .addColumn('lead_body_id', 'integer', (c) => c.notNull().references('bodies.id'))
    .addColumn('quarter', 'integer', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull()));
  await index('plan_items_plan', 'plan_items', ['plan_id', 'quarter', 'sort']);
  await index('plan_items_topic', 'plan_items', ['topic_id']);
  await index('plan_items_lead', 'plan_items', ['lead_body_id']);

  // The consultation. `track` chooses the stage list: the committee's (preparation →
  // evaluation) or a community council's (topic → public notice of the result).
  // `sort_at` is the meeting time, or the creation time until one is set (list order).
  // `seats_taken` counts confirmed registrations, kept in the registration's transaction.
  await table(db, dialect, 'consultations', (t) => t
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('form', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('track', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('lead_body_id', 'integer', (c) => c.notNull().references('bodies.id'))
    .addColumn('plan_item_id', 'integer', (c) => c.references('plan_items.id'))
    .addColumn('topic_id', 'integer', (c) => c.references('consultation_topics.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('starts_at', 'text')
    .addColumn('ends_at', 'text')
    .addColumn('place', 'text')
    .addColumn('online_url', 'text')
    .addColumn('agenda', 'text', (c) => c.notNull())
    .addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('registration_open', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('capacity', 'integer')
    .addColumn('seats_taken', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sort_at', 'text', (c) => c.notNull())
    .addColumn('stage_changed_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull()));
  await index('consultations_public', 'consultations', ['is_public', 'sort_at']);
  await index('consultations_public_form', 'consultations', ['is_public', 'form', 'sort_at']);
  await index('consultations_public_year', 'consultations', ['is_public', 'year', 'sort_at']);
  await index('consultations_public_stage', 'consultations', ['is_public', 'stage', 'sort_at']);
  await index('consultations_lead', 'consultations', ['lead_body_id', 'sort_at']);
  await index('consultations_plan_item', 'consultations', ['plan_item_id']);
  await index('consultations_topic', 'consultations', ['topic_id']);
  await index('consultations_year_start', 'consultations', ['year', 'starts_at']);

  // The holding bodies: the lead and any joint holders (several bodies together).
  await db.schema.createTable('consultation_bodies')
    .addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultations.id'))
    .addColumn('body_id', 'integer', (c) => c.notNull().references('bodies.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('consultation_bodies_pk', ['consultation_id', 'body_id'])
    .execute();
  await index('consultation_bodies_body', 'consultation_bodies', ['body_id', 'consultation_id']);

  // Invited participants: members, department representatives, citizen representatives,
  // experts. A representative without an account has a name and the body they speak for.
  await table(db, dialect, 'consultation_participants', (t) => t
    .addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultations.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('body_id', 'integer', (c) => c.references('bodies.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('attended_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull()));
  await index('consultation_participants_c', 'consultation_participants', ['consultation_id', 'kind', 'id']);
  await index('consultation_participants_user', 'consultation_participants', ['user_id']);
  await index('consultation_participants_body', 'consultation_participants', ['body_id']);

  // Citizens' registrations: confirmed up to capacity, then a waiting list in `queued_at`
  // order. A confirmed registration holds a sign-in code, usable once.
  await table(db, dialect, 'consultation_registrations', (t) => t
    .addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultations.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('queued_at', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('checkin_code', 'text')
    .addColumn('checked_in_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull()));
  await index('consultation_registrations_user_c', 'consultation_registrations', ['consultation_id', 'user_id'], true);
  await index('consultation_registrations_code', 'consultation_registrations', ['consultation_id', 'checkin_code'], true);
  await index('consultation_registrations_queue', 'consultation_registrations', ['consultation_id', 'status', 'queued_at', 'id']);
  await index('consultation_registrations_user', 'consultation_registrations', ['user_id', 'created_at']);

  // Background materials: files stored like attachments, owned by the consultation.
  await table(db, dialect, 'consultation_materials', (t) => t
    .addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultations.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull()));
  await index('consultation_materials_c', 'consultation_materials', ['consultation_id', 'id']);

  // 调研: field research, linked to the topic and/or the consultation it prepares.
  await table(db, dialect, 'field_research', (t) => t
    .addColumn('body_id', 'integer', (c) => c.notNull().references('bodies.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('place', 'text')
    .addColumn('visited_on', 'text')
    .addColumn('topic_id', 'integer', (c) => c.references('consultation_topics.id'))
    .addColumn('consultation_id', 'integer', (c) => c.references('consultations.id'))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull()));
  await index('field_research_consultation', 'field_research', ['consultation_id', 'visited_on']);
  await index('field_research_topic', 'field_research', ['topic_id']);
  await index('field_research_body', 'field_research', ['body_id', 'visited_on']);

  // "请你来协商": questions queued by members and registered citizens, answered by
  // department representatives; they stay on the record.
  await table(db, dialect, 'consultation_questions', (t) => t
    .addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultations.id'))
    .addColumn('author_id', 'integer', (c) => c.references('users.id'))
    .addColumn('author_kind', 'text', (c) => c.notNull())
    .addColumn('addressed_body_id', 'integer', (c) => c.references('bodies.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('hidden_reason', 'text')
    .addColumn('answered_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull()));
  await index('consultation_questions_c', 'consultation_questions', ['consultation_id', 'status', 'id']);
  await index('consultation_questions_author', 'consultation_questions', ['author_id']);
  await table(db, dialect, 'consultation_answers', (t) => t
    .addColumn('question_id', 'integer', (c) => c.notNull().references('consultation_questions.id'))
    .addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultations.id'))
    .addColumn('body_id', 'integer', (c) => c.references('bodies.id'))
    .addColumn('author_id', 'integer', (c) => c.references('users.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull()));
  await index('consultation_answers_q', 'consultation_answers', ['question_id', 'id']);
  await index('consultation_answers_c', 'consultation_answers', ['consultation_id', 'id']);

  // 协商成果: minutes and report (Markdown, rendered once on save), then the numbered
  // recommendations, each an action item once the outcome is published.
  await db.schema.createTable('consultation_outcomes')
    .addColumn('consultation_id', 'integer', (c) => c.primaryKey().references('consultations.id'))
    .addColumn('minutes_md', 'text', (c) => c.notNull())
    .addColumn('minutes_html', 'text', (c) => c.notNull())
    .addColumn('report_md', 'text', (c) => c.notNull())
    .addColumn('report_html', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addColumn('published_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await table(db, dialect, 'consultation_recommendations', (t) => t
    .addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultations.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('department_id', 'integer', (c) => c.notNull().references('bodies.id'))
    .addColumn('due_days', 'integer', (c) => c.notNull())
    .addColumn('due_on', 'text')
    .addColumn('action_item_id', 'integer', (c) => c.references('action_items.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull()));
  await index('consultation_recommendations_number', 'consultation_recommendations', ['consultation_id', 'number'], true);
  await index('consultation_recommendations_item', 'consultation_recommendations', ['action_item_id']);

  // Evaluation, collected from participants and registrants directly: of the consultation
  // as a whole, and of what was done on each recommendation.
  await table(db, dialect, 'consultation_evaluations', (t) => t
    .addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultations.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('overall', 'integer', (c) => c.notNull())
    .addColumn('process', 'integer')
    .addColumn('outcome', 'integer')
    .addColumn('comment', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull()));
  await index('consultation_evaluations_user', 'consultation_evaluations', ['consultation_id', 'user_id'], true);
  await db.schema.createTable('recommendation_evaluations')
    .addColumn('recommendation_id', 'integer', (c) => c.notNull().references('consultation_recommendations.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('rating', 'integer', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('recommendation_evaluations_pk', ['recommendation_id', 'user_id'])
    .execute();

  // A community council's public notices (公示) of its decision and of the result.
  await table(db, dialect, 'consultation_notices', (t) => t
    .addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultations.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('body_md', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('notice_until', 'text')
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addColumn('published_by', 'integer', (c) => c.references('users.id')));
  await index('consultation_notices_c', 'consultation_notices', ['consultation_id', 'kind']);

  // A council escalates a topic or an unsettled matter to its liaison group or the
  // committee; the receiver answers and records what it became (a topic, a plan item, a
  // consultation, an action item).
  await table(db, dialect, 'escalations', (t) => t
    .addColumn('from_body_id', 'integer', (c) => c.notNull().references('bodies.id'))
    .addColumn('to_body_id', 'integer', (c) => c.notNull().references('bodies.id'))
    .addColumn('consultation_id', 'integer', (c) => c.references('consultations.id'))
    .addColumn('topic_id', 'integer', (c) => c.references('consultation_topics.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('response', 'text')
    .addColumn('result_type', 'text')
    .addColumn('result_id', 'integer')
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('responded_by', 'integer', (c) => c.references('users.id'))
    .addColumn('responded_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull()));
  await index('escalations_to', 'escalations', ['to_body_id', 'status', 'created_at']);
  await index('escalations_from', 'escalations', ['from_body_id', 'created_at']);
  await index('escalations_consultation', 'escalations', ['consultation_id']);

  // 委员联系点: a member is the liaison of a community (its council and/or its region).
  await table(db, dialect, 'member_liaisons', (t) => t
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('body_id', 'integer', (c) => c.references('bodies.id'))
    .addColumn('region_id', 'integer', (c) => c.references('regions.id'))
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull()));
  await index('member_liaisons_user', 'member_liaisons', ['user_id']);
  await index('member_liaisons_body', 'member_liaisons', ['body_id']);
  await index('member_liaisons_region', 'member_liaisons', ['region_id']);

  // 网络议政: a deliberation (of a consultation, or imported from Polis open data).
  // Participants are accounts, or imported Polis participants (external_id = pid).
  // Votes: the current vote per participant and statement, and every vote in the log.
  // `votes_version` counts votes so a stale result is recognised.
  await table(db, dialect, 'deliberations', (t) => t
    .addColumn('consultation_id', 'integer', (c) => c.references('consultations.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('moderation', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('max_groups', 'integer', (c) => c.notNull().defaultTo(5))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('votes_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text'));
  await index('deliberations_consultation', 'deliberations', ['consultation_id']);
  await table(db, dialect, 'deliberation_participants', (t) => t
    .addColumn('deliberation_id', 'integer', (c) => c.notNull().references('deliberations.id'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('external_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull()));
  await index('deliberation_participants_user', 'deliberation_participants', ['deliberation_id', 'user_id'], true);
  await index('deliberation_participants_ext', 'deliberation_participants', ['deliberation_id', 'external_id'], true);
  await table(db, dialect, 'deliberation_statements', (t) => t
    .addColumn('deliberation_id', 'integer', (c) => c.notNull().references('deliberations.id'))
    .addColumn('author_participant_id', 'integer', (c) => c.references('deliberation_participants.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('body_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('is_meta', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_seed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('external_id', 'text')
    .addColumn('moderated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('moderated_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull()));
  await index('deliberation_statements_hash', 'deliberation_statements', ['deliberation_id', 'body_hash'], true);
  await index('deliberation_statements_status', 'deliberation_statements', ['deliberation_id', 'status', 'id']);
  await db.schema.createTable('deliberation_votes')
    .addColumn('deliberation_id', 'integer', (c) => c.notNull().references('deliberations.id'))
    .addColumn('participant_id', 'integer', (c) => c.notNull().references('deliberation_participants.id'))
    .addColumn('statement_id', 'integer', (c) => c.notNull().references('deliberation_statements.id'))
    .addColumn('value', 'integer', (c) => c.notNull())
    .addColumn('voted_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('deliberation_votes_pk', ['participant_id', 'statement_id'])
    .execute();
  await index('deliberation_votes_d', 'deliberation_votes', ['deliberation_id', 'statement_id']);
  await table(db, dialect, 'deliberation_vote_log', (t) => t
    .addColumn('deliberation_id', 'integer', (c) => c.notNull().references('deliberations.id'))
    .addColumn('participant_id', 'integer', (c) => c.notNull().references('deliberation_participants.id'))
    .addColumn('statement_id', 'integer', (c) => c.notNull().references('deliberation_statements.id'))
    .addColumn('value', 'integer', (c) => c.notNull())
    .addColumn('voted_at', 'text', (c) => c.notNull()));
  await index('deliberation_vote_log_d', 'deliberation_vote_log', ['deliberation_id', 'id']);
  await table(db, dialect, 'deliberation_results', (t) => t
    .addColumn('deliberation_id', 'integer', (c) => c.notNull().references('deliberations.id'))
    .addColumn('votes_version', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'text', (c) => c.notNull()));
  await index('deliberation_results_d', 'deliberation_results', ['deliberation_id', 'id']);
}
