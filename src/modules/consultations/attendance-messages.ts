import { defineMessages } from '../../web/i18n/types.js';

// Attendance of invited participants: the staff's attendance list and a participant's own code.

const zh = {
  sheetTitle: '参会人员签到',
  sheetLead: '勾选已到会的受邀人员（委员、部门代表、群众代表等），保存后记录在案。在签到台凭签到码签到的人员会自动显示为已到会。',
  sheetLink: '参会人员签到',
  sheetLegend: '已到会的人员',
  attendedSince: (at: string) => `${at} 签到`,
  noAccount: '无账号，只能在此勾选',
  noParticipants: '还没有邀请参会人员。',
  save: '保存签到情况',
  saved: '签到情况已保存。',
  nothingChanged: '签到情况没有变化。',
  countLine: (n: number, total: number) => `已到会 ${n} 人（受邀 ${total} 人）。`,
  truncated: (n: number) => `只列出前 ${n} 位参会人员。`,
  deskLink: '签到台（输入签到码）',
  myTitle: (title: string) => `${title}：我的签到码`,
  myLead: '您受邀参加本次协商。到会时请向签到台工作人员出示下面的签到码，由工作人员输入签到。签到码仅供本人使用，请勿转给他人。',
  myCode: '您的签到码：',
  myAttended: (at: string) => `您已于 ${at} 签到。`,
  backToConsultation: '返回协商页面',
  errList: '签到名单有误，请刷新页面后重新勾选',
};

export const consultationsAttendanceMessages = defineMessages(zh, {
  sheetTitle: 'Participants’ attendance',
  sheetLead: 'Tick the invited participants (members, department representatives, citizen representatives and others) who came, and save: it goes on the record. Those signed in at the desk with their code already show as present.',
  sheetLink: 'Participants’ attendance',
  sheetLegend: 'Present',
  attendedSince: (at: string) => `signed in ${at}`,
  noAccount: 'no account: attendance is recorded here only',
  noParticipants: 'No participants have been invited yet.',
  save: 'Save attendance',
  saved: 'Attendance saved.',
  nothingChanged: 'Attendance is unchanged.',
  countLine: (n: number, total: number) => `${n} present (of ${total} invited).`,
  truncated: (n: number) => `Only the first ${n} participants are listed.`,
  deskLink: 'Sign-in desk (enter a code)',
  myTitle: (title: string) => `${title}: my sign-in code`,
  myLead: 'You are invited to this consultation. When you arrive, show this code to the staff at the sign-in desk, who will enter it. The code is yours alone: do not pass it on.',
  myCode: 'Your sign-in code:',
  myAttended: (at: string) => `You signed in at ${at}.`,
  backToConsultation: 'Back to the consultation',
  errList: 'The attendance list is not valid: reload the page and tick again',
});
