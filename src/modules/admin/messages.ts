import { defineMessages } from '../../web/i18n/types.js';
import { adminImport } from './import/messages.js';
import { adminOps } from './outbox/messages.js';
import { adminPeople } from './people/messages.js';
import { adminStructure } from './structure/messages.js';

export const admin = defineMessages(
  {
    dashboardTitle: '管理',
    dashboardLead: '您有权使用以下管理功能。',
    nothingToManage: '您没有可用的管理功能。',
    countOf: (n: number) => `${n} 项`,
    doneSaved: '已保存。',
    doneCreated: '已创建。',
    doneDeleted: '已删除。',
    doneEnded: '已结束。',
    doneRevoked: '已吊销。',
    doneImported: '已导入。',
    areaStructure: '组织架构',
    areaPeople: '人员',
    areaOperations: '运行',
    areaContent: '内容',
    content: '页面和新闻',
    privacy: '个人信息请求',
    users: '用户',
    importMembers: '导入委员',
    tokens: '接口令牌',
    outbox: '短信和任务',
    pendingJobs: (n: number) => `${n} 个待办任务`,
    failedJobs: (n: number) => `${n} 个失败任务`,
    activeTokens: (n: number) => `${n} 个有效令牌`,
  },
  {
    dashboardTitle: 'Administration',
    dashboardLead: 'You may use these administration areas.',
    nothingToManage: 'There is nothing you can administer.',
    countOf: (n: number) => `${n} ${n === 1 ? 'item' : 'items'}`,
    doneSaved: 'Saved.',
    doneCreated: 'Created.',
    doneDeleted: 'Deleted.',
    doneEnded: 'Ended.',
    doneRevoked: 'Revoked.',
    doneImported: 'Imported.',
    areaStructure: 'Structure',
    areaPeople: 'People',
    areaOperations: 'Operations',
    areaContent: 'Content',
    content: 'Pages and news',
    privacy: 'Personal data requests',
    users: 'Users',
    importMembers: 'Import members',
    tokens: 'API tokens',
    outbox: 'Messages and jobs',
    pendingJobs: (n: number) => `${n} pending ${n === 1 ? 'job' : 'jobs'}`,
    failedJobs: (n: number) => `${n} failed ${n === 1 ? 'job' : 'jobs'}`,
    activeTokens: (n: number) => `${n} active ${n === 1 ? 'token' : 'tokens'}`,
  },
);

/** Every administration namespace, registered in the i18n index with one spread. */
export const adminNamespaces = { admin, adminStructure, adminPeople, adminImport, adminOps };
