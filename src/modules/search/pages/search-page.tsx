import type { FieldIssue } from '../../../platform/errors.js';
import { ErrorSummary } from '../../../web/components/error-summary.js';
import { Select, TextInput } from '../../../web/components/fields.js';
import { Pagination } from '../../../web/components/pagination.js';
import type { Catalog } from '../../../web/i18n/index.js';
import { Layout } from '../../../web/layout.js';
import { usePage } from '../../../web/page-context.js';
import { QUERY_MAX, SEARCH_TYPES, type SearchView } from '../service.js';
import { Highlight } from './highlight.js';

export function typeLabel(t: Catalog, type: string): string {
  const s = t.search;
  return type === 'member' ? s.typeMember : type === 'news' ? s.typeNews : type === 'page' ? s.typePage : s.typeOther;
}

// Building an Intl formatter is far slower than using one: one per language, made once.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function formatDate(iso: string, locale: string): string {
  let f = dateFormats.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric' });
    dateFormats.set(locale, f);
  }
  return f.format(new Date(iso));
}

/** Only this site's own paths become links. */
const localHref = (url: string): string => (url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/\\') ? url : '/');

export interface SearchPageProps {
  view?: SearchView;
  /** Set when the query string was refused: the form comes back with what was typed. */
  issues?: FieldIssue[];
  values?: Record<string, unknown>;
}

export function SearchPage({ view, issues, values }: SearchPageProps) {
  const { t, locale } = usePage();
  const s = t.search;
  const formValues = view ? { q: view.q, type: view.type } : { q: typeof values?.q === 'string' ? values.q : '', type: typeof values?.type === 'string' ? values.type : 'all' };
  const title = view?.q ? s.resultsTitle(view.q) : s.title;
  const typeOptions = [{ value: 'all', label: s.typeAll }, ...SEARCH_TYPES.map((ty) => ({ value: ty, label: typeLabel(t, ty) }))];
  const date = (iso: string) => formatDate(iso, locale);
  return (
    <Layout title={title} hasErrors={!!issues?.length}>
      <h1>{title}</h1>
      <ErrorSummary issues={issues} />
      <form method="get" action="/search" class="xs-panel" role="search" aria-label={s.title}>
        <TextInput name="q" type="search" label={s.query} hint={s.queryHint} maxLength={QUERY_MAX} form={{ values: formValues, issues }} />
        <Select name="type" label={s.type} options={typeOptions} form={{ values: formValues, issues }} />
        <button type="submit" class="xs-button">{s.submit}</button>
      </form>
      {view && (view.notice ? <p>{view.notice === 'enter-query' ? s.enterQuery : s.noTerms}</p> : (
        <>
          <p role="status">{s.count(view.total, view.more)}</p>
          {view.items.length === 0 ? <p>{s.noResults}</p> : (
            <ol class="xs-list" start={(view.page - 1) * 20 + 1}>
              {view.items.map((i) => (
                <li key={`${i.docType}:${i.docId}`}>
                  <span class="xs-tag">{typeLabel(t, i.docType)}</span>
                  <a class="xs-list__title" href={localHref(i.url)}><Highlight text={i.title || i.url} terms={view.terms} /></a>
                  {i.excerpt && <p class="xs-list__meta"><Highlight text={i.excerpt} terms={view.terms} /></p>}
                  {i.publishedAt && <div class="xs-list__meta">{s.published} <time dateTime={i.publishedAt}>{date(i.publishedAt)}</time></div>}
                </li>
              ))}
            </ol>
          )}
          <Pagination page={view.page} pages={view.pages} baseUrl="/search" query={{ q: view.q, type: view.type === 'all' ? undefined : view.type }} />
        </>
      ))}
      {!view && !issues?.length && <p>{s.lead}</p>}
    </Layout>
  );
}
