// The committee's bodies and sectors. Sector names are those CPPCC committees use.

export const COMMITTEE = { name: '青山县政协', en: 'Qingshan County CPPCC Committee' };

export const SPECIAL_COMMITTEES: [string, string, string][] = [
  ['提案委员会', 'Proposals Committee', '负责提案的审查立案、交办督办和办理情况的跟踪评估。'],
  ['经济委员会', 'Economic Affairs Committee', '围绕县域经济发展、营商环境和重点项目建设开展调研协商。'],
  ['农业和农村委员会', 'Agriculture and Rural Affairs Committee', '聚焦乡村振兴、农村人居环境、农田水利和农民增收。'],
  ['教科卫体委员会', 'Education, Science, Health and Sports Committee', '关注教育均衡、医疗卫生服务、科技创新和全民健身。'],
  ['社会和法制委员会', 'Social and Legal Affairs Committee', '关注养老、社会保障、基层治理和法治建设。'],
  ['文化文史和学习委员会', 'Culture, History and Study Committee', '负责文史资料征集、委员学习培训和文化事业调研。'],
];

/** Member studios: [township index, name, English name]. */
export const STUDIOS: [number, string, string][] = [
  [1, '城南街道“民情驿站”委员工作室', 'Chengnan “Voices of the People” Members’ Studio'],
  [2, '龙泉镇“乡村振兴”委员工作室', 'Longquan Rural Revitalisation Members’ Studio'],
  [4, '桃源镇“茶乡议事”委员工作室', 'Taoyuan Tea Country Members’ Studio'],
];

/** Community councils: [township index, village index]. */
export const COUNCILS: [number, number][] = [[0, 0], [0, 2], [1, 1], [2, 1]];

export const DEPARTMENTS: [string, string][] = [
  ['县民政局', 'County Civil Affairs Bureau'],
  ['县住建局', 'County Housing and Urban-Rural Development Bureau'],
  ['县交通运输局', 'County Transport Bureau'],
  ['县卫健局', 'County Health Commission'],
  ['县教育局', 'County Education Bureau'],
  ['县农业农村局', 'County Agriculture and Rural Affairs Bureau'],
];

/** [name, English name, party affiliation shown on profiles (null: mixed)]. */
export const SECTORS: [string, string, string | null][] = [
  ['中国共产党', 'Communist Party of China', '中共党员'],
  ['民革', 'Revolutionary Committee of the Chinese Kuomintang', '民革党员'],
  ['民盟', 'China Democratic League', '民盟盟员'],
  ['民建', 'China National Democratic Construction Association', '民建会员'],
  ['民进', 'China Association for Promoting Democracy', '民进会员'],
  ['农工党', 'Chinese Peasants’ and Workers’ Democratic Party', '农工党党员'],
  ['致公党', 'China Zhi Gong Party', '致公党党员'],
  ['九三学社', 'Jiusan Society', '九三学社社员'],
  ['无党派人士', 'Non-party personages', '无党派人士'],
  ['共青团', 'Communist Youth League', null],
  ['妇联', 'Women’s Federation', null],
  ['工商联', 'Federation of Industry and Commerce', null],
  ['科技界', 'Science and technology', null],
  ['教育界', 'Education', null],
  ['文化艺术界', 'Culture and the arts', null],
  ['医药卫生界', 'Medicine and health', null],
  ['经济界', 'Economics', null],
  ['农业界', 'Agriculture', null],
  ['社会福利和社会保障界', 'Social welfare and social security', null],
  ['少数民族界', 'Ethnic minorities', null],
  ['特邀人士', 'Specially invited', null],
];

export const TERMS = [
  { number: 10, name: '第十届', starts_on: '2017-01-01', ends_on: '2021-12-31' },
  { number: 11, name: '第十一届', starts_on: '2022-01-01', ends_on: '2026-12-31' },
];
