import type { AppContext } from '../src/context.js';
import { sql } from '../src/db/database.js';
import type { ConsultationForm, ConsultationStage } from '../src/db/schema.js';
import { renderMarkdown } from '../src/modules/content/shared/markdown.js';
import { TOWNSHIPS } from '../src/modules/demo/data/places.js';
import { Rng } from '../src/modules/demo/prng.js';
import { STREAM } from '../src/modules/consultations/access.js';
import { stagesOf, trackOf } from '../src/modules/consultations/model.js';
import { statementHash } from '../src/modules/deliberation/model.js';
import { recomputeNow } from '../src/modules/deliberation/recompute.js';
import { AUDIT_ANCHOR_KEY, readAnchor } from '../src/platform/timeline/audit.js';
import { GENESIS_HASH, canonicalJson, eventHash } from '../src/platform/timeline/canonical.js';
import { maskPhone } from '../src/platform/validation.js';
import { type Cols, openBulk } from './opinions-bulk.js';

// Consultation volume for `npm run bench` (issue 4): several years of a county committee's
// consultations (2,000 by default) across its bodies, all seven forms and every stage, with
// what the service would have written for them — holding bodies, invited participants,
// registrations, field research, outcomes with numbered recommendations followed as action
// items, annual plans (with the current year's items) and topic calls, and the audit trail
// of every creation and stage move (hash-chained, so `verify-audit` still passes). Plus:
//   - one consultation in its meeting stage with a live question session of 500 questions
//     (most answered by the attending departments, each an audit event as live.question /
//     live.answer, one marked as being asked);
//   - one in its deliberation stage with an online deliberation of 1,000 statements, a few
//     thousand participants and their votes (with the vote log), and its result computed
//     through the platform's own recomputation (worker thread), so the results page is real.
// Rows are written in bulk through the raw driver (opinions-bulk.ts) with ids given here.

export interface ConsultationSeedOptions {
  consultations: number;
  /** Years of history, the current one included. */
  years: number;
  questions: number;
  statements: number;
  /** Deliberation participants and their mean number of votes. */
  voters: number;
  votesEach: number;
  now?: Date;
  seed?: number;
  log?: (line: string) => void;
}

export interface ConsultationSeedResult {
  seconds: number; consultations: number; publicConsultations: number; plans: number; planItems: number; participants: number;
  registrations: number; recommendations: number; questions: number; answers: number; statements: number; votes: number;
  auditEvents: number; recomputeMs: number; groups: number;
  /** The consultation with the live session, the deliberation and the current year. */
  liveId: number; deliberationId: number; deliberationConsultationId: number; year: number;
}

const DAY = 86_400_000;
const INT = /(^id$|_id$|^year$|^plan_year$|^quarter$|^sort$|^published$|^is_|^capacity$|^seats_taken$|^registration_open$|_count$|^number$|^due_days$|^size$|^value$|^votes_version$|^max_groups$|_by$)/;
const TEXT = new Set(['external_id', 'stream_id']);
const cols = (names: string): Cols => names.split(',').map((c) => [c, INT.test(c) && !TEXT.has(c) ? 'int' : 'text'] as const);

const C = {
  users: cols('id,display_name,is_admin,status,created_at'),
  pii: cols('user_id,phone,updated_at'),
  calls: cols('id,body_id,title,description,opens_on,closes_on,plan_year,published,closed_at,created_by,created_at,updated_at'),
  topics: cols('id,call_id,body_id,title,reason,proposer_id,proposer_kind,status,staff_note,support_count,comment_count,content_hash,created_at,updated_at'),
  plans: cols('id,body_id,year,title,intro,status,published_at,created_by,created_at,updated_at'),
  items: cols('id,plan_id,topic_id,title,description,form,lead_body_id,quarter,sort,created_at,updated_at'),
  consultations: cols('id,title,summary,form,mode,track,stage,lead_body_id,plan_item_id,topic_id,year,starts_at,ends_at,place,online_url,agenda,is_public,registration_open,capacity,seats_taken,sort_at,stage_changed_at,created_by,created_at,updated_at'),
  bodies: cols('consultation_id,body_id,role'),
  participants: cols('id,consultation_id,kind,user_id,body_id,name,title,attended_at,created_at'),
  registrations: cols('id,consultation_id,user_id,status,note,queued_at,confirmed_at,cancelled_at,checkin_code,checked_in_at,created_at,updated_at'),
  research: cols('id,body_id,title,summary,place,visited_on,topic_id,consultation_id,created_by,created_at,updated_at'),
  outcomes: cols('consultation_id,minutes_md,minutes_html,report_md,report_html,status,published_at,published_by,updated_by,updated_at'),
  actions: cols('id,source_type,source_id,title,instructions,owner_body_id,assigned_by,assigned_by_body_id,due_on,status,answer,answered_at,answered_by,done_at,created_at,updated_at'),
  actionUpdates: cols('action_item_id,kind,body,author_id,created_at'),
  recommendations: cols('id,consultation_id,number,text,department_id,due_days,due_on,action_item_id,created_at,updated_at'),
  questions: cols('id,consultation_id,author_id,author_kind,addressed_body_id,body,status,hidden_reason,answered_at,created_at,updated_at'),
  answers: cols('id,question_id,consultation_id,body_id,author_id,body,created_at'),
  deliberations: cols('id,consultation_id,body_id,title,description,moderation,status,max_groups,source,external_id,votes_version,created_by,created_at,updated_at,closed_at'),
  dParticipants: cols('id,deliberation_id,user_id,external_id,created_at'),
  statements: cols('id,deliberation_id,author_participant_id,body,body_hash,status,is_meta,is_seed,external_id,moderated_by,moderated_at,created_at'),
  votes: cols('deliberation_id,participant_id,statement_id,value,voted_at'),
  audit: cols('id,stream_type,stream_id,action,actor_id,data,created_at,prev_hash,hash'),
};

// What a county committee consults on, and what it recommends.
const SUBJECTS = [
  '城区停车难', '老旧小区加装电梯', '农村生活污水治理', '义务教育优质均衡', '县域医共体建设', '居家养老服务', '农产品品牌建设', '中小企业融资',
  '营商环境优化', '背街小巷改造', '乡村旅游发展', '学前教育普惠', '农村客运公交化', '河道综合治理', '社区食堂建设', '职业教育产教融合',
  '文物保护利用', '全民健身设施', '农田水利设施', '电动自行车充电安全', '校园周边交通安全', '垃圾分类', '农村宅基地管理', '茶产业提质增效',
];
const ACTIONS = ['调研', '专题协商', '对口协商', '界别协商', '提案办理协商', '网络议政', '远程协商', '议事协商'];
const RECOMMEND = [
  '建立部门联席会议制度，每季度通报进展', '将相关项目列入下一年度民生实事', '编制专项规划并向社会公开征求意见', '设立专项资金并明确使用范围',
  '完善考核办法，把群众满意度作为重要指标', '开展试点，总结经验后全县推广', '加强信息公开，按月公布办理情况', '引入社会资本参与建设和运营',
  '加大基层人员培训力度', '建立群众意见常态化收集渠道',
];
const QUESTION_TEXT = [
  '请问{s}今年的具体时间表是什么？', '我们小区反映多年的{s}问题，什么时候能解决？', '{s}的资金从哪里来，群众需要承担多少？', '能否在{t}先行试点{s}？',
  '{s}完成后由哪个部门负责日常管理？', '对于{s}，老年人和残疾人的需求有没有专门考虑？', '{s}涉及的补助标准能不能公开？', '{t}的群众很关心{s}，有没有征求居民意见的安排？',
];
const ANSWER_TEXT = [
  '感谢提问。{s}已列入今年重点工作，计划分三批实施，第一批将于下季度启动，具体名单会在县政府网站公示。',
  '这个问题我们已经掌握。{t}的情况比较特殊，我们将会同街道在一个月内实地查看，提出解决方案后答复您。',
  '资金以县级财政为主，并积极争取上级补助，群众不需要额外承担费用；涉及自愿提升的部分，会事先征求意见。',
  '建成后由属地乡镇（街道）负责日常管理，我局负责业务指导和监督检查，并公布投诉电话。',
];
const STATEMENT_SUBJECT = ['公共停车位', '社区养老服务', '农村公交', '学校课后服务', '基层医疗', '老旧小区改造', '垃圾分类', '河道治理', '乡村旅游', '营商环境'];
const STATEMENT_STANCE = ['应当优先保障', '应当引入社会资本', '应当由政府全额投入', '应当先试点再推广', '应当公开征求意见', '应当纳入考核', '应当按需收费', '应当向农村倾斜', '应当简化审批', '应当加强监督'];
const STATEMENT_WHERE = ['在城区', '在乡镇', '在老旧小区', '在新建小区', '在学校周边', '在医院周边', '在景区周边', '在工业园区', '在村一级', '在全县'];

const FORM_WEIGHTS: [ConsultationForm, number][] = [['thematic', 14], ['counterpart', 18], ['sector', 14], ['proposal', 16], ['online', 10], ['remote', 6], ['community', 22]];

export async function seedConsultations(ctx: AppContext, o: ConsultationSeedOptions): Promise<ConsultationSeedResult> {
  const started = Date.now();
  const log = o.log ?? (() => {});
  const db = ctx.database.db;
  const rng = new Rng(o.seed ?? 2024_04);
  const now = (o.now ?? new Date()).getTime();
  const iso = (t: number) => new Date(t).toISOString();
  const nowIso = iso(now);
  const year = new Date(now).getUTCFullYear();
  const firstYear = year - o.years + 1;

  // ---- The county's bodies and members.
  const bodies = await db.selectFrom('bodies').select(['id', 'kind', 'name', 'region_id']).orderBy('sort').orderBy('id').execute();
  const ofKind = (k: string) => bodies.filter((b) => b.kind === k);
  const committee = ofKind('committee')[0];
  if (!committee) throw new Error('seedConsultations needs the demo county (seedDemo first)');
  const specials = ofKind('special_committee');
  const liaison = ofKind('liaison_group');
  const councils = ofKind('community_council');
  const departments = ofKind('department');
  const members = await db.selectFrom('memberships').innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id', 'users.display_name']).distinct().where('memberships.role', 'in', ['member', 'standing_member'])
    .where('users.status', '=', 'active').orderBy('users.id').execute();
  if (members.length < 20) throw new Error('seedConsultations needs the demo members');
  const staff = (await db.selectFrom('users').select('id').where('username', '=', 'staff').executeTakeFirst())?.id ?? null;

  const bulk = await openBulk(ctx.database);
  const count: Record<string, number> = {};
  let prev: { id: number; hash: string } = { id: 0, hash: GENESIS_HASH };
  const rows: Record<keyof typeof C, unknown[][]> = Object.fromEntries(Object.keys(C).map((k) => [k, []])) as never;
  const put = (k: keyof typeof C, r: unknown[]) => { rows[k].push(r); count[k] = (count[k] ?? 0) + 1; };
  const flush = async () => {
    await bulk.tx(async () => {
      for (const k of Object.keys(C) as (keyof typeof C)[]) {
        if (!rows[k].length) continue;
        const table = { users: 'users', pii: 'user_pii', calls: 'topic_calls', topics: 'consultation_topics', plans: 'consultation_plans', items: 'plan_items',
          consultations: 'consultations', bodies: 'consultation_bodies', participants: 'consultation_participants', registrations: 'consultation_registrations',
          research: 'field_research', outcomes: 'consultation_outcomes', recommendations: 'consultation_recommendations', actions: 'action_items',
          actionUpdates: 'action_item_updates', questions: 'consultation_questions', answers: 'consultation_answers', deliberations: 'deliberations',
          dParticipants: 'deliberation_participants', statements: 'deliberation_statements', votes: 'deliberation_votes', audit: 'audit_events' }[k];
        await bulk.insert(table, C[k], rows[k]);
        if (k === 'votes') await bulk.insert('deliberation_vote_log', C.votes, rows[k]);
        rows[k] = [];
      }
      await bulk.exec(`INSERT INTO settings (key, value) VALUES ('${AUDIT_ANCHOR_KEY}', '${JSON.stringify(prev)}') ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
    });
  };

  try {
    const ids: Record<string, number> = {};
    const tables = ['users', 'topic_calls', 'consultation_topics', 'consultation_plans', 'plan_items', 'consultations', 'consultation_participants',
      'consultation_registrations', 'field_research', 'consultation_recommendations', 'action_items', 'consultation_questions', 'consultation_answers',
      'deliberations', 'deliberation_participants', 'deliberation_statements'] as const;
    for (const t of tables) ids[t] = Number((await db.selectFrom(t).select((eb) => eb.fn.max('id').as('m')).executeTakeFirst())?.m ?? 0);
    const next = (t: (typeof tables)[number]) => ++ids[t]!;

    // ---- The audit chain continues from its anchor.
    const anchor = await readAnchor(db);
    if (anchor && anchor !== 'invalid') prev = anchor;
    else {
      const last = await db.selectFrom('audit_events').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
      prev = last ? { id: Number(last.id), hash: last.hash } : { id: 0, hash: GENESIS_HASH };
    }
    const audit = (streamId: number, action: string, actorId: number | null, data: Record<string, unknown>, at: number) => {
      const row = { id: prev.id + 1, stream_type: STREAM, stream_id: String(streamId), action, actor_id: actorId, data: canonicalJson(data), created_at: iso(at) };
      const hash = eventHash(prev.hash, row);
      put('audit', [row.id, row.stream_type, row.stream_id, row.action, row.actor_id, row.data, row.created_at, prev.hash, hash]);
      prev = { id: row.id, hash };
      return row.id;
    };

    // ---- Citizens who propose topics, register, ask and deliberate.
    const citizens: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const id = next('users');
      const phone = `171${String(i).padStart(8, '0')}`;
      put('users', [id, maskPhone(phone), 0, 'active', iso(now - o.years * 365 * DAY)]);
      put('pii', [id, phone, iso(now - o.years * 365 * DAY)]);
      citizens.push(id);
    }

    const town = () => rng.pick(TOWNSHIPS).name;
    const subjectText = (s: string, t: string, list: string[]) => rng.pick(list).replaceAll('{s}', s).replaceAll('{t}', t);
    const dayIn = (y: number, from = 0, to = 364) => Date.UTC(y, 0, 1) + rng.int(from, to) * DAY + rng.int(8, 16) * 3_600_000;

    // ---- Topic calls and annual plans, one of each a year; the plan's items come from the call.
    const plannedItems = new Map<number, { id: number; form: ConsultationForm; lead: number; quarter: number; title: string }[]>();
    const selectedTopics = new Map<number, { id: number; title: string; at: number }[]>();
    for (let y = firstYear; y <= year; y++) {
      const callAt = Date.UTC(y - 1, 9, 10);
      const callId = next('topic_calls');
      put('calls', [callId, committee.id, `${y}年度协商议题征集`, `面向委员、各界群众征集${y}年度协商议题。`, iso(callAt).slice(0, 10), iso(callAt + 40 * DAY).slice(0, 10),
        y, 1, iso(callAt + 41 * DAY), staff, iso(callAt), iso(callAt + 41 * DAY)]);
      const topics: { id: number; title: string; at: number }[] = [];
      for (let k = 0; k < 40; k++) {
        const id = next('consultation_topics');
        const s = SUBJECTS[(k + y) % SUBJECTS.length]!;
        const at = callAt + rng.int(0, 39) * DAY;
        const selected = k < 16;
        const title = `关于${k % 2 ? town() : ''}${s}问题的协商建议（${k + 1}）`;
        put('topics', [id, callId, committee.id, title, `${s}是群众反映集中的问题，建议列入年度协商计划。`, rng.pick(citizens), 'citizen', selected ? 'selected' : rng.chance(0.1) ? 'declined' : 'proposed',
          null, rng.int(0, 120), rng.int(0, 15), statementHash(`${callId}|${title}`), iso(at), iso(at)]);
        if (selected) topics.push({ id, title, at });
      }
      selectedTopics.set(y, topics);
      const items: { id: number; form: ConsultationForm; lead: number; quarter: number; title: string }[] = [];
      const publishedAt = Date.UTC(y, 0, 20);
      for (const [body, n] of [[committee.id, 24], ...specials.map((b) => [b.id, 5] as const)] as const) {
        const planId = next('consultation_plans');
        const name = bodies.find((b) => b.id === body)!.name;
        put('plans', [planId, body, y, `${name}${y}年度协商工作计划`, `经${name}主席会议研究，确定${y}年度协商议题如下。`, 'published', iso(publishedAt), staff, iso(publishedAt - 20 * DAY), iso(publishedAt)]);
        for (let k = 0; k < n; k++) {
          const id = next('plan_items');
          const form = (['thematic', 'counterpart', 'sector', 'proposal', 'online', 'remote'] as const)[k % 6]!;
          const topic = body === committee.id && k < topics.length ? topics[k]! : null;
          const s = SUBJECTS[(k * 5 + body + y) % SUBJECTS.length]!;
          const title = topic ? topic.title.replace(/^关于/, '').replace(/的协商建议.*$/, '') : `${s}${ACTIONS[k % ACTIONS.length]}`;
          const lead = body === committee.id ? rng.pick([committee.id, ...specials.map((b) => b.id)]) : body;
          const quarter = (k % 4) + 1;
          put('items', [id, planId, topic?.id ?? null, title, `围绕${s}，组织委员深入调研，与有关部门面对面协商。`, form, lead, quarter, k, iso(publishedAt - 20 * DAY), iso(publishedAt)]);
          items.push({ id, form, lead, quarter, title });
        }
      }
      plannedItems.set(y, items);
    }
    await flush();
    log(`  ${count.plans} plans with ${count.items} items, ${count.calls} topic calls with ${count.topics} topics, ${citizens.length} citizens`);

    // ---- The consultations.
    const formTotal = FORM_WEIGHTS.reduce((a, [, w]) => a + w, 0);
    const pickForm = (): ConsultationForm => {
      let r = rng.next() * formTotal;
      for (const [f, w] of FORM_WEIGHTS) if ((r -= w) < 0) return f;
      return 'thematic';
    };
    let publicCount = 0;
    const make = (spec: { form: ConsultationForm; y: number; startsAt: number; stage?: ConsultationStage; lead?: number; title?: string; isPublic?: boolean; mode?: 'in_person' | 'online' | 'hybrid' }): number => {
      const { form, y, startsAt } = spec;
      const track = trackOf(form);
      const stages = stagesOf(track);
      const age = now - startsAt;
      const stage: ConsultationStage = spec.stage ?? (track === 'community'
        ? (age < -20 * DAY ? 'topic' : age < 0 ? 'proposal' : age < 10 * DAY ? 'deliberation' : age < 30 * DAY ? 'decision' : age < 60 * DAY ? 'decision_notice' : age < 150 * DAY ? 'result_notice' : 'closed')
        : (age < -2 * DAY ? 'preparation' : age < DAY ? 'meeting' : age < 20 * DAY ? rng.pick(['meeting', 'deliberation', 'outcome'] as const) : age < 120 * DAY ? rng.pick(['outcome', 'evaluation'] as const)
          : rng.chance(0.8) ? 'closed' : 'evaluation'));
      const reached = stages.indexOf(stage);
      const lead = spec.lead ?? (track === 'community' ? rng.pick(councils).id : form === 'sector' || form === 'counterpart' ? rng.pick(specials).id : rng.pick([committee.id, committee.id, ...specials.map((b) => b.id), ...liaison.map((b) => b.id)]));
      const items = (plannedItems.get(y) ?? []).filter((i) => i.form === form);
      const item = track === 'standard' && items.length && rng.chance(0.45) ? rng.pick(items) : null;
      const topic = !item && track === 'standard' && rng.chance(0.2) ? rng.pick(selectedTopics.get(y) ?? [null]) : null;
      const s = rng.pick(SUBJECTS);
      const t = town();
      const title = spec.title ?? item?.title ?? (track === 'community' ? `${t}${s}议事协商` : `${form === 'counterpart' ? `与${rng.pick(departments).name}就` : ''}${s}${ACTIONS[FORM_WEIGHTS.findIndex(([f]) => f === form)]}`);
      const mode = spec.mode ?? (form === 'online' ? 'online' : form === 'remote' ? 'hybrid' : rng.chance(0.15) ? 'hybrid' : 'in_person');
      const createdAt = startsAt - rng.int(20, 60) * DAY;
      const isPublic = spec.isPublic ?? rng.chance(0.92);
      if (isPublic) publicCount++;
      const id = next('consultations');
      const capacity = rng.chance(0.35) ? rng.int(20, 80) : null;
      const regs = capacity ? rng.int(5, Math.min(60, capacity + 10)) : 0;
      const confirmed = Math.min(regs, capacity ?? 0);
      const heldAt = stages.indexOf(track === 'community' ? 'deliberation' : 'meeting');
      const stageAt = (k: number) => Math.min(now - 1000, k <= heldAt ? createdAt + ((startsAt - createdAt) * k) / heldAt : startsAt + (k - heldAt) * 12 * DAY);
      const changed = reached > 0 ? stageAt(reached) : createdAt;
      put('consultations', [id, title, `${y}年${ACTIONS[FORM_WEIGHTS.findIndex(([f]) => f === form)]}：${s}。`, form, mode, track, stage, lead, item?.id ?? null, topic?.id ?? null, y,
        iso(startsAt), iso(startsAt + 3 * 3_600_000), mode === 'online' ? null : `${t}便民服务中心会议室`, mode === 'in_person' ? null : 'https://meeting.example.cn/room',
        `一、通报${s}情况\n二、委员和群众代表发言\n三、部门回应\n四、协商交流`, isPublic ? 1 : 0, capacity && age < 0 ? 1 : 0, capacity, confirmed, iso(startsAt), iso(changed), staff, iso(createdAt), iso(changed)]);
      put('bodies', [id, lead, 'lead']);
      for (const j of rng.chance(0.25) ? rng.sample([...specials, ...liaison].filter((b) => b.id !== lead), rng.int(1, 2)) : []) put('bodies', [id, j.id, 'joint']);
      const held = age > 0 && reached >= stages.indexOf(track === 'community' ? 'deliberation' : 'meeting');
      const depts = rng.sample(departments, rng.int(1, 3));
      for (const m of rng.sample(members, rng.int(5, 14))) put('participants', [next('consultation_participants'), id, 'member', m.id, null, m.display_name, '县政协委员', held && rng.chance(0.9) ? iso(startsAt) : null, iso(createdAt)]);
      for (const d of depts) put('participants', [next('consultation_participants'), id, 'department', null, d.id, `${d.name}负责同志`, '副局长', held ? iso(startsAt) : null, iso(createdAt)]);
      for (let k = rng.int(0, 3); k > 0; k--) put('participants', [next('consultation_participants'), id, 'citizen', null, null, `群众代表${rng.int(1, 99)}号`, null, held ? iso(startsAt) : null, iso(createdAt)]);
      if (rng.chance(0.3)) put('participants', [next('consultation_participants'), id, 'expert', null, null, '特邀专家', '高级工程师', held ? iso(startsAt) : null, iso(createdAt)]);
      rng.sample(citizens, regs).forEach((u, k) => {
        const at = createdAt + rng.int(1, 15) * DAY;
        const ok = k < confirmed;
        put('registrations', [next('consultation_registrations'), id, u, ok ? 'confirmed' : 'waitlisted', null, iso(at), ok ? iso(at) : null, null, ok ? String(100000 + k) : null,
          ok && held && rng.chance(0.8) ? iso(startsAt) : null, iso(at), iso(at)]);
      });
      if (rng.chance(0.5)) {
        for (let k = rng.int(1, 2); k > 0; k--) {
          const at = createdAt + rng.int(1, 20) * DAY;
          put('research', [next('field_research'), lead, `${t}${s}实地调研`, `调研组走访${t}，召开座谈会，听取基层干部和群众意见。`, t, iso(at).slice(0, 10), topic?.id ?? null, id, staff, iso(at), iso(at)]);
        }
      }
      // Outcome and recommendations once it has reached the outcome (the council's decision).
      const outcomeAt = stages.indexOf(track === 'community' ? 'decision' : 'outcome');
      if (reached >= outcomeAt) {
        const published = track === 'community' || reached > outcomeAt;
        const at = stageAt(outcomeAt);
        const recs = Array.from({ length: rng.int(3, 6) }, (_, k) => ({ n: k + 1, text: RECOMMEND[(k + id) % RECOMMEND.length]!, dept: depts[k % depts.length]! }));
        const minutes = `## 会议纪要\n\n${iso(startsAt).slice(0, 10)}，${bodies.find((b) => b.id === lead)!.name}就${s}召开协商会。\n\n- 委员发言 ${rng.int(4, 12)} 人次\n- 部门回应 ${depts.length} 家`;
        const report = `## 协商报告\n\n${recs.map((r) => `${r.n}. ${r.text}（${r.dept.name}）`).join('\n')}`;
        put('outcomes', [id, minutes, renderMarkdown(minutes), report, renderMarkdown(report), published ? 'published' : 'draft', published ? iso(at) : null, published ? staff : null, staff, iso(at)]);
        for (const r of recs) {
          const recId = next('consultation_recommendations');
          const due = iso(at + 90 * DAY).slice(0, 10);
          let itemId: number | null = null;
          if (published && track === 'standard') {
            itemId = next('action_items');
            const old = now - at;
            const status = old > 120 * DAY ? (rng.chance(0.85) ? 'done' : 'answered') : old > 45 * DAY ? rng.pick(['answered', 'open', 'done'] as const) : 'open';
            const answeredAt = status === 'open' ? null : at + rng.int(20, Math.max(21, Math.min(100, Math.floor(old / DAY)))) * DAY;
            put('actions', [itemId, 'recommendation', recId, `${title}（${r.n}）`, r.text, r.dept.id, staff, lead, due, status, answeredAt ? `${r.dept.name}已研究落实：${r.text}。` : null,
              answeredAt ? iso(answeredAt) : null, null, status === 'done' ? iso(answeredAt! + 10 * DAY) : null, iso(at), iso(answeredAt ?? at)]);
            if (answeredAt) put('actionUpdates', [itemId, 'answer', `${r.dept.name}已研究落实。`, null, iso(answeredAt)]);
            if (status === 'done') put('actionUpdates', [itemId, 'done', '已办结。', null, iso(answeredAt! + 10 * DAY)]);
          }
          put('recommendations', [recId, id, r.n, r.text, r.dept.id, 90, due, itemId, iso(at), iso(at)]);
        }
      }
      audit(id, 'created', staff, { form, leadBodyId: lead, jointBodyIds: [], isPublic: isPublic ? 1 : 0, planItemId: item?.id ?? null }, createdAt);
      for (let k = 1; k <= reached; k++) audit(id, 'stage', staff, { from: stages[k - 1], to: stages[k] }, stageAt(k));
      return id;
    };

    // History: spread over the years, a little denser lately; the current year's stop two months ahead.
    for (let i = 0; i < o.consultations - 2; i++) {
      const y = firstYear + Math.min(o.years - 1, Math.floor(Math.sqrt(rng.next()) * o.years));
      const last = y === year ? Math.min(364, Math.floor((now - Date.UTC(y, 0, 1)) / DAY) + 60) : 364;
      make({ form: pickForm(), y, startsAt: dayIn(y, 0, last) });
      if (rows.audit.length > 20_000) await flush();
    }

    // ---- The live session: a thematic consultation meeting now, 500 questions, most answered.
    const liveDepts = departments.slice(0, 4);
    const liveId = make({ form: 'thematic', y: year, startsAt: now - 3_600_000, stage: 'meeting', lead: committee.id, title: '“请你来协商”：城区停车难与老旧小区改造', isPublic: true, mode: 'hybrid' });
    for (const d of liveDepts) put('participants', [next('consultation_participants'), liveId, 'department', null, d.id, `${d.name}局长`, '局长', iso(now - 3_600_000), iso(now - 30 * DAY)]);
    const t0 = now - 3_500_000;
    let asking = 0;
    for (let k = 0; k < o.questions; k++) {
      const qid = next('consultation_questions');
      const at = t0 + Math.floor((k * 3_000_000) / o.questions);
      const member = rng.chance(0.4);
      const author = member ? rng.pick(members).id : rng.pick(citizens);
      const dept = rng.chance(0.7) ? rng.pick(liveDepts) : null;
      const s = rng.pick(SUBJECTS);
      const t = town();
      const queued = k >= o.questions - Math.round(o.questions / 12);
      const answerAt = at + rng.int(60, 600) * 1000;
      put('questions', [qid, liveId, author, member ? 'member' : 'citizen', dept?.id ?? null, subjectText(s, t, QUESTION_TEXT), queued ? 'queued' : 'answered', null, queued ? null : iso(answerAt), iso(at), iso(queued ? at : answerAt)]);
      audit(liveId, 'live.question', author, { questionId: qid }, at);
      if (!queued) {
        for (let a = rng.chance(0.15) ? 2 : 1; a > 0; a--) {
          const by = dept ?? rng.pick(liveDepts);
          const aid = next('consultation_answers');
          put('answers', [aid, qid, liveId, by.id, null, subjectText(s, t, ANSWER_TEXT), iso(answerAt)]);
          audit(liveId, 'live.answer', null, { questionId: qid, answerId: aid, bodyId: by.id }, answerAt);
        }
      } else if (!asking) asking = qid;
    }
    if (asking) audit(liveId, 'live.asking', staff, { questionId: asking }, now - 60_000);

    // ---- The online deliberation of a consultation in its deliberation stage.
    const dcId = make({ form: 'online', y: year, startsAt: now - 5 * DAY, stage: 'deliberation', lead: specials[4]?.id ?? committee.id, title: '网络议政：城乡公共服务怎么补短板', isPublic: true, mode: 'online' });
    const did = next('deliberations');
    const opened = now - 5 * DAY;
    put('deliberations', [did, dcId, null, '城乡公共服务怎么补短板', '请就下列观点表明赞成、反对或跳过，也可以提出新的观点。', 'open', 'open', 5, 'native', null, 0, staff, iso(opened), iso(opened), null]);
    const stmtIds: number[] = [];
    const pIds: number[] = [];
    for (let i = 0; i < o.voters; i++) {
      const id = next('deliberation_participants');
      put('dParticipants', [id, did, i < citizens.length ? citizens[i] : null, i < citizens.length ? null : `voter-${i}`, iso(opened + (i % 1000) * 400_000)]);
      pIds.push(id);
    }
    for (let j = 0; j < o.statements; j++) {
      const id = next('deliberation_statements');
      const text = `${STATEMENT_WHERE[Math.floor(j / 100) % 10]}，${STATEMENT_SUBJECT[j % 10]}${STATEMENT_STANCE[Math.floor(j / 10) % 10]}${j >= 1000 ? `（${Math.floor(j / 1000)}）` : ''}。`;
      const seedStmt = j < 30;
      put('statements', [id, did, seedStmt ? null : pIds[j % pIds.length], text, statementHash(text), 'accepted', 0, seedStmt ? 1 : 0, null, seedStmt ? null : staff, seedStmt ? null : iso(opened + j * 300_000), iso(opened + j * 300_000)]);
      stmtIds.push(id);
    }
    // Four camps with their own leanings; a third of the statements near-consensual.
    const camps = 4;
    const lean = Array.from({ length: camps * o.statements }, (_, x) => {
      const j = x % o.statements;
      return (j * 7919) % 3 === 0 ? 0.85 : rng.chance(0.5) ? 0.15 + 0.2 * rng.next() : 0.65 + 0.2 * rng.next();
    });
    let votes = 0;
    const order = stmtIds.map((_, j) => j);
    for (let i = 0; i < pIds.length; i++) {
      const camp = i % camps;
      const n = Math.max(3, Math.min(o.statements, Math.round(o.votesEach * (0.3 + 1.4 * rng.next()))));
      for (let k = 0; k < n; k++) { const r = k + Math.floor(rng.next() * (order.length - k)); [order[k], order[r]] = [order[r]!, order[k]!]; }
      for (let k = 0; k < n; k++) {
        const j = order[k]!;
        const u = rng.next();
        put('votes', [did, pIds[i], stmtIds[j], u < 0.12 ? 0 : u < 0.12 + 0.88 * lean[camp * o.statements + j]! ? 1 : -1, iso(opened + ((i * 97 + k) % 400_000) * 1000)]);
        votes++;
      }
      if (rows.votes.length > 100_000) await flush();
    }
    await flush();
    await db.updateTable('deliberations').set({ votes_version: votes, updated_at: nowIso }).where('id', '=', did).execute();

    if (ctx.database.dialect === 'postgres') {
      for (const t of [...tables, 'action_items', 'audit_events']) await bulk.exec(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), (SELECT max(id) FROM ${t}))`);
      await bulk.exec(`SELECT setval(pg_get_serial_sequence('deliberation_vote_log', 'id'), (SELECT max(id) FROM deliberation_vote_log))`);
      await bulk.exec(`SELECT setval(pg_get_serial_sequence('action_item_updates', 'id'), (SELECT max(id) FROM action_item_updates))`);
      await sql`ANALYZE`.execute(db);
    }
    log(`  ${count.consultations} consultations (${publicCount} public), ${count.participants} participants, ${count.registrations ?? 0} registrations, ${count.recommendations ?? 0} recommendations, ${count.audit} audit events`);
    log(`  live session: consultation ${liveId} with ${count.questions} questions and ${count.answers} answers; deliberation ${did}: ${o.statements} statements, ${pIds.length} participants, ${votes} votes`);
    const r0 = Date.now();
    const p = await recomputeNow(ctx, did, { thread: true });
    const recomputeMs = Date.now() - r0;
    const stored = await db.selectFrom('deliberation_results').select('data').where('deliberation_id', '=', did).orderBy('id', 'desc').limit(1).executeTakeFirst();
    if (!stored) throw new Error(`the deliberation's result was not stored (${p.kind})`);
    const groups = ((JSON.parse(stored.data) as { groups?: unknown[] }).groups ?? []).length;
    log(`  result computed and stored in ${recomputeMs} ms (${p.kind}, ${groups} groups)`);
    return {
      seconds: (Date.now() - started) / 1000, consultations: count.consultations ?? 0, publicConsultations: publicCount, plans: count.plans ?? 0, planItems: count.items ?? 0,
      participants: count.participants ?? 0, registrations: count.registrations ?? 0, recommendations: count.recommendations ?? 0, questions: count.questions ?? 0,
      answers: count.answers ?? 0, statements: o.statements, votes, auditEvents: count.audit ?? 0, recomputeMs, groups, liveId, deliberationId: did, deliberationConsultationId: dcId, year,
    };
  } finally {
    await bulk.release();
  }
}
