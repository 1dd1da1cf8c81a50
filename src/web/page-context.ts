import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { CurrentUser } from '../platform/auth/current-user.js';
import { type Catalog, type Locale, catalogFor } from './i18n/index.js';

/** What every template may know about the request it renders for. */
export interface PageCtx {
  locale: Locale;
  t: Catalog;
  /** The signed-in person; null on pages served from the shared cache (see cached-page.ts). */
  user: CurrentUser | null;
  /** Whether the visitor is signed in: what the layout shows (account link or sign-in). */
  signedIn: boolean;
  /** Elderly-friendly mode (适老化). */
  care: boolean;
  /** Path and query of this request, for links that come back here. */
  url: string;
  /** CSRF token for forms; empty on cached anonymous pages, which hold no POST forms. */
  csrf: string;
  orgName: string;
}

export const PageContext = createContext<PageCtx>({
  locale: 'zh-CN', t: catalogFor('zh-CN'), user: null, signedIn: false, care: false, url: '/', csrf: '', orgName: '',
});

export const usePage = (): PageCtx => useContext(PageContext);
