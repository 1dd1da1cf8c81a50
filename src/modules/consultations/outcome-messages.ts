import { defineMessages } from '../../web/i18n/types.js';

// The outcome report's export (.docx), the deliberation section in it, what was done per
// recommendation, and participants' evaluation of the consultation and its results.

const CN_DIGITS = '〇一二三四五六七八九';
/** 1–999 in Chinese numerals as in document numbering: 一, 十, 十一, 二十, 一百零五. */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 999) return String(n);
  const h = Math.floor(n / 100);
  const t = Math.floor((n % 100) / 10);
  const u = n % 10;
  let out = h ? `${CN_DIGITS[h]}百` : '';
  if (t) out += `${t === 1 && !h ? '' : CN_DIGITS[t]}十`;
  else if (h && u) out += '零';
  if (u) out += CN_DIGITS[u];
  return out;
}
const alpha = (n: number): string => (n >= 1 && n <= 26 ? String.fromCharCode(96 + n) : String(n));
const roman = (n: number): string => {
  let out = '';
  let x = n;
  for (const [v, r] of [[10, 'x'], [9, 'ix'], [5, 'v'], [4, 'iv'], [1, 'i']] as const) while (x >= v) { out += r; x -= v; }
  return out || String(n);
};

const zh = {
  // .docx export
  docxLink: '下载协商成果报告（Word 文档）',
  docxDraftLink: '下载成果报告草稿（Word 文档）',
  docxTitle: (title: string) => `关于“${title}”的协商成果报告`,
  docxDraftMark: '（草稿）',
  docxRecommendations: '协商建议',
  docxRecLine: (n: number, text: string) => `（${chineseNumber(n)}）${text}`,
  docxRecMeta: (dept: string, due: string) => `责任部门：${dept}；办理时限：${due}`,
  /** 一、 （一） 1. （1） */
  docxNumber: (level: 1 | 2 | 3 | 4, n: number, _parents: number[]): string =>
    (level === 1 ? `${chineseNumber(n)}、` : level === 2 ? `（${chineseNumber(n)}）` : level === 3 ? `${n}.` : `（${n}）`),
  docxDueOn: (date: string) => `${date}前`,
  docxDueDays: (n: number) => `成果发布后${n}个工作日内`,
  docxMinutes: '附件：会议纪要',
  docxDate: (y: number, m: number, d: number) => `${y}年${m}月${d}日`,
  // A recommendation's action item: where it comes from (stored with its instructions)
  actionFrom: (title: string, n: number, link: string) => `来源：协商“${title}”的成果报告，建议${n}（${link}）`,
  // Deliberation section
  deliberationTitle: '网络议政情况',
  deliberationResults: '查看网络议政结果',
  // What was done
  evidence: '办结佐证材料',
  noAnswerYet: '责任部门尚未答复。',
  // Evaluation: public summary
  evalTitle: '参与者评价',
  evalLead: '评价由参加协商的委员、部门代表和已确认报名的群众直接提交，按满意程度统计人数，不显示评价人。',
  evalNone: '还没有人评价。',
  evalCount: (n: number) => `共 ${n} 人评价`,
  evalRecCount: (n: number) => `办理结果评价：${n} 人`,
  evalRecNone: '办理结果还没有人评价。',
  evalLink: '参与评价',
  evalOpenNote: '协商成果已经发布，参加协商的人可以评价本次协商和各项建议的办理结果。',
  evalClosedNote: '评价已结束。',
  level3: '满意', level2: '基本满意', level1: '不满意',
  levelCount: (label: string, n: number) => `${label} ${n} 人`,
  aspectOverall: '总体评价', aspectProcess: '协商过程', aspectOutcome: '协商成果',
  summaryTableCaption: '各方面评价人数',
  aspect: '方面',
  // Evaluation: the form
  formTitle: (title: string) => `评价：${title}`,
  formLead: '请根据您参加本次协商的感受作出评价。评价直接提交给平台，不经过被评价的部门；公开页面只显示各等级的人数，不显示您的姓名和意见。',
  formEditNote: '您已经评价过，可以修改，评价结束前以最后一次为准。',
  consultationPart: '对本次协商的评价',
  recsPart: '对建议办理结果的评价',
  recsPartHint: '责任部门答复或办结之后，才能评价该项建议的办理结果。',
  recNotRatable: '尚未答复，暂不能评价。',
  recOwnDept: '这项建议由您所在的部门办理，您不能评价。',
  recNoRating: '暂不评价',
  fOverall: '总体评价', fProcess: '对协商过程的评价', fOutcome: '对协商成果的评价',
  fComment: '意见和建议', fRecRating: (n: number) => `建议${n}的办理结果`, fRecComment: (n: number) => `对建议${n}办理结果的意见`,
  optional: '选填',
  submit: '提交评价',
  saved: '评价已保存，谢谢。',
  backToConsultation: '返回协商页面',
  // Errors
  errNotOpen: '这次协商现在不接受评价（成果发布后才能评价，协商结束后不能再修改）。',
  errNotEligible: '只有参加协商的委员、部门代表、已确认报名或已签到的群众可以评价。',
  errRecNotRatable: (n: number) => `建议${n}还不能由您评价。`,
  errCommunityTrack: '社区协商按公示程序进行，不在这里评价。',
  errItemsOpen: (open: number, total: number) => `还有 ${open} 项建议（共 ${total} 项）的责任部门尚未办结，全部办结后才能将协商标为已办结。`,
  // The timeline's last step
  itemsOpen: (open: number, total: number) => `${total} 项建议中还有 ${open} 项未办结`,
  itemsAllDone: (total: number) => `${total} 项建议均已办结`,
  // Organisers' view
  adminTitle: '参与者评价和意见',
  adminLead: '评价人的意见只供组织者改进工作参考，不公开显示，也不显示评价人姓名。',
  adminGeneral: '对本次协商的意见',
  adminRecs: '对建议办理结果的意见',
  adminNoComments: '没有意见。',
  adminRating: (label: string) => `评价：${label}`,
  role_participant: '参加人', role_registrant: '报名群众',
  adminRecLabel: (n: number) => `建议${n}`,
  adminMore: '下一页',
  adminPrev: '上一页',
};

const en: typeof zh = {
  docxLink: 'Download the outcome report (Word document)',
  docxDraftLink: 'Download the draft outcome report (Word document)',
  docxTitle: (title: string) => `Outcome report of the consultation “${title}”`,
  docxDraftMark: '(draft)',
  docxRecommendations: 'Recommendations',
  docxRecLine: (n: number, text: string) => `${n}. ${text}`,
  docxRecMeta: (dept: string, due: string) => `Responsible department: ${dept}; due: ${due}`,
  /** 1. 1.1 (a) (i) */
  docxNumber: (level: 1 | 2 | 3 | 4, n: number, parents: number[]): string =>
    (level === 1 ? `${n}. ` : level === 2 ? `${parents[0] ? `${parents[0]}.` : ''}${n} ` : level === 3 ? `(${alpha(n)}) ` : `(${roman(n)}) `),
  docxDueOn: (date: string) => `by ${date}`,
  docxDueDays: (n: number) => `within ${n} working days of publication`,
  docxMinutes: 'Annex: minutes',
  docxDate: (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
  actionFrom: (title: string, n: number, link: string) => `From: the outcome report of the consultation “${title}”, recommendation ${n} (${link})`,
  deliberationTitle: 'Online deliberation',
  deliberationResults: 'See the online deliberation’s results',
  evidence: 'Evidence of completion',
  noAnswerYet: 'The responsible department has not answered yet.',
  evalTitle: 'Participants’ evaluation',
  evalLead: 'Evaluations are submitted directly by the members, department representatives and confirmed registrants who took part; only the number of people per level is shown, never who they are.',
  evalNone: 'Nobody has evaluated it yet.',
  evalCount: (n: number) => `${n} ${n === 1 ? 'person' : 'people'} evaluated`,
  evalRecCount: (n: number) => `Evaluation of the result: ${n} ${n === 1 ? 'person' : 'people'}`,
  evalRecNone: 'Nobody has evaluated the result yet.',
  evalLink: 'Evaluate',
  evalOpenNote: 'The outcome is published: those who took part can evaluate the consultation and the result of each recommendation.',
  evalClosedNote: 'Evaluation has ended.',
  level3: 'Satisfied', level2: 'Basically satisfied', level1: 'Not satisfied',
  levelCount: (label: string, n: number) => `${label}: ${n}`,
  aspectOverall: 'Overall', aspectProcess: 'The process', aspectOutcome: 'The outcome',
  summaryTableCaption: 'Number of people per level',
  aspect: 'Aspect',
  formTitle: (title: string) => `Evaluate: ${title}`,
  formLead: 'Please rate the consultation you took part in. Your evaluation goes straight to the platform, never through the departments being rated; public pages show only the number of people per level, never your name or comments.',
  formEditNote: 'You have already evaluated; you may change it until evaluation ends. The last version counts.',
  consultationPart: 'The consultation',
  recsPart: 'The results of the recommendations',
  recsPartHint: 'A recommendation’s result can be rated once its department has answered or completed it.',
  recNotRatable: 'Not answered yet; cannot be rated yet.',
  recOwnDept: 'Your department handles this recommendation, so you cannot rate it.',
  recNoRating: 'No rating',
  fOverall: 'Overall', fProcess: 'The process', fOutcome: 'The outcome',
  fComment: 'Comments and suggestions', fRecRating: (n: number) => `Result of recommendation ${n}`, fRecComment: (n: number) => `Comment on the result of recommendation ${n}`,
  optional: 'optional',
  submit: 'Send evaluation',
  saved: 'Your evaluation is saved. Thank you.',
  backToConsultation: 'Back to the consultation',
  errNotOpen: 'This consultation does not take evaluations now (they open when the outcome is published and end when it closes).',
  errNotEligible: 'Only members, department representatives and confirmed or signed-in registrants who took part can evaluate.',
  errRecNotRatable: (n: number) => `You cannot rate recommendation ${n} yet.`,
  errCommunityTrack: 'Community consultations follow their public notices and are not evaluated here.',
  errItemsOpen: (open: number, total: number) => `${open} of the ${total} recommendations ${open === 1 ? 'is' : 'are'} not done yet by the responsible department; the consultation can be marked closed once every one is done.`,
  itemsOpen: (open: number, total: number) => `${open} of ${total} recommendations not done yet`,
  itemsAllDone: (total: number) => (total === 1 ? 'The recommendation is done' : `All ${total} recommendations are done`),
  adminTitle: 'Participants’ evaluation and comments',
  adminLead: 'Comments are for the organisers to improve their work; they are never public and never show who wrote them.',
  adminGeneral: 'Comments on the consultation',
  adminRecs: 'Comments on the results of recommendations',
  adminNoComments: 'No comments.',
  adminRating: (label: string) => `Rating: ${label}`,
  role_participant: 'Participant', role_registrant: 'Registrant',
  adminRecLabel: (n: number) => `Recommendation ${n}`,
  adminMore: 'Next page',
  adminPrev: 'Previous page',
};

export const consultationsOutcomeMessages = defineMessages(zh, en);
