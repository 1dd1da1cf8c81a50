import { Layout } from './layout.js';
import { usePage } from './page-context.js';

export function ErrorPage({ title, message, fields }: { title: string; message: string; fields?: { field: string; message: string }[] }) {
  const { t } = usePage();
  return (
    <Layout title={title}>
      <h1>{title}</h1>
      <p class="xs-lead">{message}</p>
      {fields && fields.length > 0 && <ul>{fields.map((f) => <li key={f.field}>{f.message}</li>)}</ul>}
      <p><a href="/">{t.common.home}</a></p>
    </Layout>
  );
}
