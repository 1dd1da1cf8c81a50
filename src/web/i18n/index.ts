import { apiDocsMessages } from '../../modules/api-docs/messages.js';
import { contentAdminMessages } from '../../modules/content/admin-messages.js';
import { contentMessages } from '../../modules/content/messages.js';
import { members } from '../../modules/members/messages.js';
import { searchMessages } from '../../modules/search/messages.js';
import { accountMessages } from '../../modules/account/messages.js';
import { privacyMessages } from '../../modules/privacy/messages.js';
import { setupMessages } from '../../modules/setup/messages.js';
import { adminNamespaces } from '../../modules/admin/messages.js';
import { opinionsMessages } from '../../modules/opinions/messages.js';
import { opinionsCitizenMessages } from '../../modules/opinions/citizen-messages.js';
import { opinionsHandlerMessages } from '../../modules/opinions/handler-messages.js';
import { opinionsHandlerDetailMessages } from '../../modules/opinions/handler-detail-messages.js';
import { opinionsDepartmentMessages } from '../../modules/opinions/department-messages.js';
import { opinionsPublicMessages } from '../../modules/opinions/public-messages.js';
import { consultationsMessages } from '../../modules/consultations/messages.js';
import { consultationsLiveMessages } from '../../modules/consultations/live-messages.js';
import { grassrootsMessages } from '../../modules/consultations/grassroots-messages.js';
import { consultationsOutcomeMessages } from '../../modules/consultations/outcome-messages.js';
import { consultationsAttendanceMessages } from '../../modules/consultations/attendance-messages.js';
import { deliberationMessages } from '../../modules/deliberation/messages.js';
import { common } from './common.js';
import { DEFAULT_LOCALE, type Locale, isLocale } from './types.js';

// Every namespace, each defined beside the capability that uses it.
// Add a module's catalogue here: `name: messagesOfThatModule`.
const namespaces = {
  common,
  ...adminNamespaces,
  setup: setupMessages, account: accountMessages, privacy: privacyMessages,
  content: contentMessages, contentAdmin: contentAdminMessages,
  apiDocs: apiDocsMessages,
  members,
  consultations: consultationsMessages,
  consultationsLive: consultationsLiveMessages,
  grassroots: grassrootsMessages,
  consultationsOutcome: consultationsOutcomeMessages,
  consultationsAttendance: consultationsAttendanceMessages,
  search: searchMessages,
  opinions: opinionsMessages,
  opinionsCitizen: opinionsCitizenMessages,
  opinionsHandler: opinionsHandlerMessages,
  opinionsHandlerDetail: opinionsHandlerDetailMessages,
  opinionsDepartment: opinionsDepartmentMessages,
  opinionsPublic: opinionsPublicMessages,
  deliberation: deliberationMessages,
};

type Namespaces = typeof namespaces;
export type Catalog = { [N in keyof Namespaces]: Namespaces[N]['zh-CN'] };
/** A text that is localised when it is shown: errors and notices carry these. */
export type LocalText = (t: Catalog) => string;

const catalogs = {} as Record<Locale, Catalog>;
for (const locale of ['zh-CN', 'en'] as const) {
  const c: Record<string, unknown> = {};
  for (const [ns, pair] of Object.entries(namespaces)) c[ns] = pair[locale];
  catalogs[locale] = c as Catalog;
}

export function catalogFor(locale: Locale): Catalog {
  return catalogs[locale];
}

/** Picks the locale: explicit choice (cookie) first, then Accept-Language, then Chinese. */
export function negotiateLocale(cookie: string | undefined, acceptLanguage: string | undefined): Locale {
  if (isLocale(cookie)) return cookie;
  if (acceptLanguage) {
    for (const part of acceptLanguage.split(',')) {
      const tag = part.split(';')[0]?.trim().toLowerCase() ?? '';
      if (tag.startsWith('zh')) return 'zh-CN';
      if (tag.startsWith('en')) return 'en';
    }
  }
  return DEFAULT_LOCALE;
}

export { DEFAULT_LOCALE, type Locale, isLocale, LOCALES } from './types.js';
