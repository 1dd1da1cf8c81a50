import { Layout } from '../../web/layout.js';
import { usePage } from '../../web/page-context.js';
import { TableScroll } from '../../web/components/table-scroll.js';

export interface Endpoint {
  method: string;
  path: string;
  summary: string;
  tag: string;
  secured: boolean;
  params: { name: string; in: string; type: string; required: boolean; description: string }[];
  body: string | null;
  responses: { status: string; description: string }[];
}

const anchor = (e: Endpoint) => `${e.method}-${e.path}`.replace(/[^a-zA-Z0-9-]+/g, '-');

export function ApiDocsPage({ endpoints }: { endpoints: Endpoint[] }) {
  const { t } = usePage();
  const m = t.apiDocs;
  const tags = [...new Set(endpoints.map((e) => e.tag))].sort();
  return (
    <Layout title={m.title}>
      <h1>{m.title}</h1>
      <p class="xs-lead">{m.intro}</p>
      <p>{m.auth}</p>
      <p>{m.errors}</p>
      <p><a href="/api/openapi.json">{m.machineReadable}</a></p>
      {endpoints.length === 0 && <p>{m.noEndpoints}</p>}
      <nav aria-labelledby="api-contents"><h2 id="api-contents">{m.contents}</h2>
        <ul>{tags.map((tag) => <li key={tag}><a href={`#tag-${tag}`}>{tag}</a></li>)}</ul>
      </nav>
      {tags.map((tag) => (
        <section key={tag} aria-labelledby={`tag-${tag}`}>
          <h2 id={`tag-${tag}`}>{tag}</h2>
          {endpoints.filter((e) => e.tag === tag).map((e) => (
            <article key={anchor(e)} id={anchor(e)} class="xs-panel">
              <h3><code>{e.method} {e.path}</code>{e.secured ? ' 🔒' : ''}</h3>
              {e.summary && <p>{e.summary}</p>}
              {e.params.length > 0 && (
                <TableScroll><table class="xs-table">
                  <caption class="xs-visually-hidden">{m.parameters}</caption>
                  <thead><tr><th scope="col">{m.name}</th><th scope="col">{m.in}</th><th scope="col">{m.type}</th><th scope="col">{m.required}</th></tr></thead>
                  <tbody>{e.params.map((p) => (
                    <tr key={`${p.in}-${p.name}`}><td><code>{p.name}</code>{p.description ? ` — ${p.description}` : ''}</td><td>{p.in}</td><td>{p.type}</td><td>{p.required ? m.yes : m.no}</td></tr>
                  ))}</tbody>
                </table></TableScroll>
              )}
              {e.body && <><h4>{m.body}</h4><pre class="xs-code" tabIndex={0}>{e.body}</pre></>}
              <h4>{m.responses}</h4>
              <ul>{e.responses.map((r) => <li key={r.status}><code>{r.status}</code> {r.description}</li>)}</ul>
            </article>
          ))}
        </section>
      ))}
    </Layout>
  );
}
