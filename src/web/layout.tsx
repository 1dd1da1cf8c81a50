import type { ComponentChildren } from 'preact';
import { usePage } from './page-context.js';

export interface LayoutProps {
  title: string;
  /** Set when the page shows form errors: the title gets the "错误：" prefix. */
  hasErrors?: boolean;
  description?: string;
  children: ComponentChildren;
}

function prefsHref(url: string, key: 'lang' | 'care', value: string): string {
  return `/prefs?${key}=${encodeURIComponent(value)}&next=${encodeURIComponent(url)}`;
}

export function Layout({ title, hasErrors, description, children }: LayoutProps) {
  const { t, locale, care, url, signedIn, orgName } = usePage();
  const fullTitle = `${hasErrors ? t.common.errorPrefix : ''}${title} - ${orgName || t.common.siteSuffix}`;
  const nav: [string, string][] = [
    ['/', t.common.home], ['/about', t.common.about], ['/members', t.common.members], ['/news', t.common.news],
    ['/opinions', t.opinionsPublic.navLabel], ['/consultations', t.consultations.navLabel],
  ];
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        {description && <meta name="description" content={description} />}
        <link rel="stylesheet" href="/assets/app.css" />
        <script src="/assets/app.js" defer />
      </head>
      <body class={care ? 'xs-care' : undefined}>
        <a class="xs-skip-link" href="#main">{t.common.skipToContent}</a>
        <header class="xs-header">
          <div class="xs-width xs-header__inner">
            <a class="xs-header__brand" href="/">{orgName || t.common.siteSuffix}</a>
            <div class="xs-header__tools">
              <a href={prefsHref(url, 'lang', locale === 'en' ? 'zh-CN' : 'en')} lang={locale === 'en' ? 'zh-CN' : 'en'}>{t.common.switchToOther}</a>
              <a href={prefsHref(url, 'care', care ? '0' : '1')} title={t.common.careModeLabel}>{care ? t.common.careModeOff : t.common.careModeOn}</a>
              {signedIn ? <a href="/account">{t.common.myAccount}</a> : <a href="/sign-in">{t.common.signIn}</a>}
            </div>
          </div>
          <nav class="xs-nav" aria-label={t.common.mainNav}>
            <ul class="xs-width xs-nav__list">
              {nav.map(([href, label]) => (
                <li key={href}><a href={href} aria-current={isCurrent(url, href) ? 'page' : undefined}>{label}</a></li>
              ))}
            </ul>
          </nav>
          <form class="xs-width xs-search" role="search" aria-label={t.common.siteSearch} method="get" action="/search">
            <label class="xs-visually-hidden" for="site-q">{t.common.search}</label>
            <input id="site-q" name="q" type="search" class="xs-input" placeholder={t.common.searchPlaceholder} maxLength={100} />
            <button type="submit" class="xs-button">{t.common.search}</button>
          </form>
        </header>
        <main id="main" class="xs-width xs-main" tabIndex={-1}>{children}</main>
        <footer class="xs-footer">
          <div class="xs-width">
            <p>{t.common.footerNote}</p>
            <p><a href="/privacy">{t.common.privacy}</a> · <a href="/api/docs">{t.common.apiDocs}</a></p>
          </div>
        </footer>
      </body>
    </html>
  );
}

function isCurrent(url: string, href: string): boolean {
  const path = url.split('?')[0] ?? '/';
  return href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
}
