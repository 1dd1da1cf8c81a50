import { TOWNSHIPS } from '../../demo/data/places.js';
import { Rng } from '../../demo/prng.js';
import {
  CATEGORIES, CLOSERS, FILLERS, GENERIC_TITLES, OPENERS, SENDERS, SYNONYMS, TOPIC_SEEDS, VAGUE_ASKS,
  type CategoryKey, type RouteLabel,
} from './demo-topics.js';

// A deterministic generator of citizen opinions for the demo county. Templates are compiled
// once into literal pieces and slot numbers, so an opinion is a few dozen string
// concatenations and random draws: a million take a few seconds.
//
// Routing labels are honest rather than clean: about one opinion in nine is ambiguous —
// it mixes two topics (and staff route it by either one), or it is routed to the topic's
// other plausible committee, or it is left to the township as a very local matter.

export { CATEGORIES, ROUTE_LABELS, type CategoryKey, type RouteLabel } from './demo-topics.js';

/** The kind of body a citizen addressed, or `auto` when the committee is to route it. */
export type TargetKind = 'auto' | 'special_committee' | 'liaison_group' | 'member_studio' | 'community_council';

export interface DemoOpinion {
  title: string;
  text: string;
  /** The category the citizen picked (mostly the topic's; sometimes 其他 or another). */
  category: CategoryKey;
  topicKey: string;
  /** Township + village/community (青山县 omitted), the township alone, or absent. */
  regionName?: string;
  targetKind: TargetKind;
  /** Where staff routed it: a RouteLabel, the ground truth for the router. */
  label: RouteLabel;
  /** True when staff could reasonably have routed it elsewhere. */
  ambiguous: boolean;
  /** The second topic of a mixed opinion. */
  secondaryTopicKey?: string;
}

const SLOTS = ['村', '镇', '小区', '路', '校', '院', '河', '场', 'n', 'nn', '年', '天', '时', '人'] as const;
const POOLS: Record<string, string[]> = {
  小区: '锦绣花园|阳光小区|桂花苑|滨河花园|文昌小区|幸福家园|金色家园|翠竹苑|供电局宿舍|老粮站小区|新华小区|城南名苑'.split('|'),
  路: '人民路|解放路|滨河路|文昌路|建设路|青山大道|南门街|东环路|新华街|桃源大道'.split('|'),
  校: '县第一小学|城南小学|县实验小学|县第二中学|龙泉镇中心小学|白沙镇中学|青山幼儿园'.split('|'),
  院: '县人民医院|县中医院|县妇幼保健院|城南社区卫生服务中心'.split('|'),
  河: '青溪河|白沙河|龙泉河|桃花溪|双河'.split('|'),
  场: '东门菜市场|城南农贸市场|白沙集贸市场|龙泉农贸市场|西门菜市场'.split('|'),
  n: '两|三|四|五|六|七|八'.split('|'),
  nn: '30|50|80|100|120|150|200|300|四十|六十'.split('|'),
  年: '两年|三年|一年多|好几年|大半年|五年'.split('|'),
  天: '一个多月|半个月|十来天|好几天|一个星期|两个月'.split('|'),
  时: '晚上十点以后|凌晨一两点|晚上八点多|下班以后|晚上九点'.split('|'),
  人: SENDERS.split('|'),
};
const POOL_LIST: string[][] = SLOTS.map((s) => POOLS[s] ?? []);

/** A template: literal text, slot numbers (indices into SLOTS) and choices of synonyms. */
type Template = (string | number | readonly string[])[];

const SYNONYM_RE = new RegExp(`(${Object.keys(SYNONYMS).sort((a, b) => b.length - a.length).join('|')})`, 'u');

function literal(out: Template, text: string): void {
  for (const [i, part] of text.split(SYNONYM_RE).entries()) {
    if (i % 2 === 1) out.push(SYNONYMS[part]!);
    else if (part) out.push(part);
  }
}

function compile(list: string): Template[] {
  return list.split('|').map((tpl) => {
    const out: Template = [];
    for (const [i, part] of tpl.split(/\{([^}]+)\}/u).entries()) {
      if (i % 2 === 0) { literal(out, part); continue; }
      const slot = (SLOTS as readonly string[]).indexOf(part);
      if (slot < 0) throw new Error(`unknown slot {${part}} in ${tpl}`);
      out.push(slot);
    }
    return out;
  });
}

interface Topic {
  key: string; name: string; category: CategoryKey; route: RouteLabel; alt: RouteLabel | undefined; local: number;
  titles: Template[]; problems: Template[]; details: Template[]; asks: Template[];
}

export const DEMO_TOPICS: readonly Topic[] = TOPIC_SEEDS.map((t) => ({
  key: t.key, name: t.name, category: t.category, route: t.route, alt: t.alt, local: t.local ?? 0,
  titles: compile(t.titles), problems: compile(t.problems), details: compile(t.details), asks: compile(t.asks),
}));
/** topicKey → category key. */
export const TOPIC_CATEGORY: Readonly<Record<string, CategoryKey>> = Object.fromEntries(TOPIC_SEEDS.map((t) => [t.key, t.category]));
/** topicKey → suggested routing label. */
export const TOPIC_ROUTE: Readonly<Record<string, RouteLabel>> = Object.fromEntries(TOPIC_SEEDS.map((t) => [t.key, t.route]));

const OPENER_T = compile(OPENERS);
const FILLER_T = compile(FILLERS);
const CLOSER_T = compile(CLOSERS);
const GENERIC_T = compile(GENERIC_TITLES);
const VAGUE_T = compile(VAGUE_ASKS);
const CATEGORY_KEYS = Object.keys(CATEGORIES) as CategoryKey[];
/** Earlier families are more frequent (weight 1/√(1+i)), as a few issues dominate any inbox. */
const CUMULATIVE = (() => {
  let sum = 0;
  const c = DEMO_TOPICS.map((_, i) => (sum += 1 / Math.sqrt(1 + i)));
  return c.map((x) => x / sum);
})();
/** Misspellings residents make: [correct, as typed]. */
const TYPOS: [string, string][] = [
  ['已经', '以经'], ['反映', '反应'], ['安装', '按装'], ['希望', '希旺'], ['建议', '建意'], ['厉害', '利害'],
  ['部门', '部们'], ['一直', '一至'], ['根本', '跟本'], ['严重', '严种'], ['尽快', '尽块'], ['停车', '停车子'],
];

/** Which sentence templates to draw from: all, all but one of each list, or only that one. */
export type TemplateSet = 'all' | 'seen' | 'unseen';

function view(t: Topic, set: TemplateSet): Topic {
  if (set === 'all') return t;
  const part = (l: Template[]): Template[] => (set === 'seen' ? l.slice(0, -1) : l.slice(-1));
  return { ...t, titles: part(t.titles), problems: part(t.problems), details: part(t.details), asks: part(t.asks) };
}

class Factory {
  private readonly rng: Rng;
  private readonly topics: readonly Topic[];
  private readonly vals: string[] = new Array<string>(SLOTS.length).fill('');
  private readonly recent: DemoOpinion[] = [];
  private count = 0;

  constructor(seed: number, templates: TemplateSet) {
    this.rng = new Rng(seed);
    this.topics = DEMO_TOPICS.map((t) => view(t, templates));
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.rng.next() * list.length)] as T;
  }

  private fill(t: Template): string {
    let s = '';
    for (const p of t) s += typeof p === 'string' ? p : typeof p === 'number' ? this.vals[p]! : this.pick(p);
    return s;
  }

  private topic(): Topic {
    const r = this.rng.next();
    let i = 0;
    while (i < CUMULATIVE.length - 1 && CUMULATIVE[i]! <= r) i++;
    return this.topics[i]!;
  }

  /** Two different sentences of a list, in either order. */
  private two(list: readonly Template[]): string {
    const i = Math.floor(this.rng.next() * list.length);
    if (list.length < 2) return this.fill(list[i]!);
    const j = (i + 1 + Math.floor(this.rng.next() * (list.length - 1))) % list.length;
    return this.fill(list[i]!) + this.fill(list[j]!);
  }

  next(): DemoOpinion {
    const rng = this.rng;
    this.count++;
    if (this.recent.length >= 8 && rng.chance(0.02)) return this.copyOfRecent();
    const topic = this.topic();
    const town = this.pick(TOWNSHIPS);
    const village = this.pick(town.villages)[0];
    const vals = this.vals;
    vals[0] = village;
    vals[1] = town.name;
    for (let s = 2; s < SLOTS.length; s++) vals[s] = this.pick(POOL_LIST[s]!);

    const mixedWith = rng.chance(0.07) ? this.otherTopic(topic) : undefined;
    const style = rng.next();
    // A vague letter names no topic words beyond one detail: the reader has to guess.
    const vague = !mixedWith && rng.chance(0.03);
    let title = vague || rng.chance(0.07) ? this.fill(this.pick(GENERIC_T))
      : this.fill(this.pick(mixedWith && rng.chance(0.3) ? mixedWith.titles : topic.titles));
    if (!title.startsWith('关于') && rng.chance(0.05)) title = `关于${title}`;

    let text = rng.chance(0.45) ? this.fill(this.pick(OPENER_T)) : '';
    if (vague) {
      text += this.fill(this.pick(FILLER_T)) + this.fill(this.pick(topic.details)) + this.fill(this.pick(VAGUE_T));
    } else if (style < 0.2) {
      text += this.fill(this.pick(topic.problems));
      if (rng.chance(0.6)) text += this.fill(this.pick(topic.asks));
    } else {
      text += style < 0.75 ? this.fill(this.pick(topic.problems)) : this.two(topic.problems);
      if (rng.chance(0.15)) text += this.fill(this.pick(FILLER_T));
      text += style < 0.75 ? this.fill(this.pick(topic.details)) : this.two(topic.details);
      if (mixedWith) text += `另外，${this.fill(this.pick(mixedWith.problems))}`;
      text += style < 0.75 ? this.fill(this.pick(topic.asks)) : this.two(topic.asks);
      if (mixedWith && rng.chance(0.5)) text += this.fill(this.pick(mixedWith.asks));
    }
    if (mixedWith && style < 0.2) text += `还有，${this.fill(this.pick(mixedWith.problems))}`;
    if (rng.chance(0.4)) text += this.fill(this.pick(CLOSER_T));
    if (rng.chance(0.06)) {
      const [right, wrong] = this.pick(TYPOS);
      text = text.replace(right, wrong);
    }
    if (rng.chance(0.04)) text = text.replaceAll('。', rng.chance(0.5) ? '！' : '，');

    let label: RouteLabel = topic.route;
    let ambiguous = vague;
    if (mixedWith) {
      ambiguous = mixedWith.route !== topic.route;
      if (rng.chance(0.45)) label = mixedWith.route;
    } else if (topic.local > 0 && rng.chance(topic.local)) {
      label = 'township';
      ambiguous = true;
    } else if (topic.alt && rng.chance(0.06)) {
      label = topic.alt;
      ambiguous = true;
    }
    const r = rng.next();
    const regionName = r < 0.75 ? `${town.name}${village}` : r < 0.9 ? town.name : undefined;
    const op: DemoOpinion = {
      title, text, category: this.category(topic, mixedWith), topicKey: topic.key, regionName,
      targetKind: this.targetKind(label), label, ambiguous, secondaryTopicKey: mixedWith?.key,
    };
    if (this.recent.length < 64) this.recent.push(op);
    else this.recent[this.count % 64] = op;
    return op;
  }

  private otherTopic(topic: Topic): Topic {
    const i = this.topics.indexOf(topic);
    return this.topics[(i + 1 + Math.floor(this.rng.next() * (this.topics.length - 1))) % this.topics.length]!;
  }

  private category(topic: Topic, mixedWith: Topic | undefined): CategoryKey {
    const r = this.rng.next();
    if (r < 0.88) return topic.category;
    if (r < 0.94) return 'other';
    return mixedWith ? mixedWith.category : this.pick(CATEGORY_KEYS);
  }

  private targetKind(label: RouteLabel): TargetKind {
    const r = this.rng.next();
    if (label === 'township' && r < 0.5) return 'liaison_group';
    if (r < 0.55) return 'auto';
    if (r < 0.75) return 'special_committee';
    if (r < 0.87) return 'liaison_group';
    return r < 0.94 ? 'member_studio' : 'community_council';
  }

  /** The same complaint sent again, or by a neighbour: a campaign or a repeat. */
  private copyOfRecent(): DemoOpinion {
    const prev = this.pick(this.recent);
    const again = this.rng.chance(0.5);
    return {
      ...prev,
      title: again ? `${prev.title}（再次反映）` : prev.title,
      text: again ? `上次反映的问题还没解决。${prev.text}` : `${this.fill(this.pick(OPENER_T))}${prev.text}`,
    };
  }
}

/**
 * `n` demo opinions, deterministic for a given seed. `templates: 'seen' | 'unseen'` splits
 * every topic's sentence templates in two (the last of each list is 'unseen'), to measure
 * how a model trained on one wording does on wording it never saw.
 */
export function* generateOpinions(n: number, seed: number, templates: TemplateSet = 'all'): Generator<DemoOpinion> {
  const f = new Factory(seed, templates);
  for (let i = 0; i < n; i++) yield f.next();
}

/** The same opinions as `generateOpinions`, in an array. */
export function demoOpinions(n: number, seed: number, templates: TemplateSet = 'all'): DemoOpinion[] {
  const f = new Factory(seed, templates);
  const out = new Array<DemoOpinion>(n);
  for (let i = 0; i < n; i++) out[i] = f.next();
  return out;
}
