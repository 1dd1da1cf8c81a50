import type { RouteLabel } from '../opinions/analysis/demo-corpus.js';

// The demo opinions' fixed material: where each corpus label and category is sent, and the
// texts staff, departments and citizens write in the simulated lives.

/** Corpus routing labels → the demo's special committees, by name (the first that exists). */
export const LABEL_BODIES: Record<Exclude<RouteLabel, 'township'>, string[]> = {
  social: ['社会和法制委员会'],
  economy: ['经济委员会'],
  agri: ['农业农村委员会', '农业和农村委员会'],
  edu: ['教科卫体委员会'],
  env: ['人口资源环境委员会', '农业和农村委员会'],
  urban: ['城建委员会', '城乡建设委员会', '经济委员会'],
};

/** Category → the department an opinion of it is forwarded to (index into DEPARTMENTS). */
export const CATEGORY_DEPARTMENT: Record<string, number> = {
  livelihood: 0, elderly: 0, safety: 0, employment: 0, other: 0, urban: 1, environment: 1, traffic: 2, health: 3, education: 4, agriculture: 5,
};

/** Category → the special committee suggested when the model is unsure (set as the category default). */
export const CATEGORY_DEFAULT: Record<string, string[]> = {
  livelihood: ['社会和法制委员会'], elderly: ['社会和法制委员会'], safety: ['社会和法制委员会'], employment: ['经济委员会'],
  education: ['教科卫体委员会'], health: ['教科卫体委员会'], agriculture: ['农业和农村委员会', '农业农村委员会'],
  environment: ['人口资源环境委员会', '农业和农村委员会'], urban: ['城建委员会', '经济委员会'], traffic: ['经济委员会'],
};

export const REPLIES = [
  '您反映的“{t}”问题已收悉。经与{d}沟通核实，{a}。感谢您对政协工作的关心和支持。',
  '关于“{t}”，我们会同{d}进行了实地调研。{a}。后续进展将在本平台更新。',
  '您好！您提出的意见很有价值。经协调{d}，{a}。如有新的情况，欢迎继续反映。',
  '收到您的意见后，委员到现场进行了察看，并与{d}座谈。{a}。我们将持续跟踪办理情况。',
];
export const ACTIONS = [
  '相关部门已制定整改方案，计划在两个月内完成', '已纳入今年的民生实事项目，资金已落实', '已责成属地乡镇（街道）限期整改，目前已初步解决',
  '已将该问题列入明年的重点工作计划', '相关部门已安排专人负责，整改工作正在推进', '经核实情况属实，已完成整改并建立长效机制',
];
export const DECLINES = [
  '该事项属于司法程序处理范围，请通过法律途径依法解决。',
  '您反映的内容已有生效的处理决定，不属于本平台受理范围。请拨打 12345 政务服务热线咨询。',
  '意见内容不够具体，无法核实。欢迎补充具体地点和情况后重新提交。',
  '该事项属于单位内部管理事务，建议向所在单位反映。',
];
export const QUESTIONS = ['请问具体是在哪个位置？方便的话请补充门牌号或附近的标志性建筑。', '这个情况持续多长时间了？之前是否向社区反映过？', '请问涉及的住户大约有多少户？'];
export const ANSWERS = ['在小区东门进去第二栋楼旁边。', '已经有大半年了，向社区反映过两次，没有结果。', '大约有六七十户。'];
export const PROGRESS = ['已到现场查看，正在制定方案。', '已召开专题会议研究，正在测算所需资金。', '已与属地乡镇对接，近期将开工。'];
export const INSTRUCTIONS = ['请核实情况，提出解决方案并答复群众。', '请于期限内研究办理并书面答复。', '请会同属地乡镇（街道）研究解决。'];

/** Demo citizens' phone numbers: 176 + eight digits (no demo member has a 176 number). */
export const citizenPhone = (i: number): string => `176${String(10_000_000 + i).slice(-8)}`;
