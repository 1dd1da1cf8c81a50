import { ErrorSummary } from '../../../../web/components/error-summary.js';
import { type FormState, PostForm, TextInput } from '../../../../web/components/fields.js';
import { usePage } from '../../../../web/page-context.js';
import { AdminLayout } from '../../components.js';
import type { TermRow } from '../terms-service.js';
import { TableScroll } from '../../../../web/components/table-scroll.js';

export function TermsPage({ terms, done }: { terms: TermRow[]; done: string | null }) {
  const { t } = usePage();
  const m = t.adminStructure;
  return (
    <AdminLayout title={m.termsTitle} done={done}>
      <p><a class="xs-button" href="/admin/terms/new">{m.newTerm}</a></p>
      {terms.length === 0 ? <p>{t.common.none}</p> : (
        <TableScroll><table class="xs-table">
          <caption class="xs-visually-hidden">{m.termsTitle}</caption>
          <thead><tr><th scope="col">{m.termNumber}</th><th scope="col">{m.name}</th><th scope="col">{m.startsOn}</th><th scope="col">{m.endsOn}</th><th scope="col">{m.actions}</th></tr></thead>
          <tbody>{terms.map((r) => (
            <tr key={r.id}><td>{r.number}</td><td>{r.name}</td><td>{r.startsOn}</td><td>{r.endsOn ?? '—'}</td>
              <td><a href={`/admin/terms/${r.id}`}>{t.common.edit}<span class="xs-visually-hidden"> {r.name}</span></a></td></tr>
          ))}</tbody>
        </table></TableScroll>
      )}
    </AdminLayout>
  );
}

export function TermFormPage({ id, form }: { id: number | null; form: FormState }) {
  const { t } = usePage();
  const m = t.adminStructure;
  return (
    <AdminLayout title={id ? m.editTerm : m.newTerm} hasErrors={Boolean(form.issues?.length)} parent={{ href: '/admin/terms', label: m.termsTitle }}>
      <ErrorSummary issues={form.issues} />
      <PostForm action={id ? `/admin/terms/${id}` : '/admin/terms/new'}>
        <TextInput name="number" label={m.termNumber} hint={m.termNumberHint} form={form} required inputmode="numeric" maxLength={3} />
        <TextInput name="name" label={m.name} hint={m.termNameHint} form={form} required maxLength={50} />
        <TextInput name="startsOn" label={m.startsOn} hint={m.dateHint} form={form} type="date" required />
        <TextInput name="endsOn" label={`${m.endsOn}（${t.common.optional}）`} hint={m.dateHint} form={form} type="date" />
        <button type="submit" class="xs-button">{t.common.save}</button>
      </PostForm>
    </AdminLayout>
  );
}
