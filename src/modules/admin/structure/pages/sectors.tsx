import { ErrorSummary } from '../../../../web/components/error-summary.js';
import { type FormState, PostForm, TextInput } from '../../../../web/components/fields.js';
import { usePage } from '../../../../web/page-context.js';
import { AdminLayout } from '../../components.js';
import type { SectorRow } from '../sectors-service.js';
import { TableScroll } from '../../../../web/components/table-scroll.js';

export function SectorsPage({ sectors, done }: { sectors: SectorRow[]; done: string | null }) {
  const { t } = usePage();
  const m = t.adminStructure;
  return (
    <AdminLayout title={m.sectorsTitle} done={done}>
      <p><a class="xs-button" href="/admin/sectors/new">{m.newSector}</a></p>
      {sectors.length === 0 ? <p>{t.common.none}</p> : (
        <TableScroll><table class="xs-table">
          <caption class="xs-visually-hidden">{m.sectorsTitle}</caption>
          <thead><tr><th scope="col">{m.name}</th><th scope="col">{m.nameEn}</th><th scope="col">{m.sort}</th><th scope="col">{m.actions}</th></tr></thead>
          <tbody>{sectors.map((s) => (
            <tr key={s.id}><td>{s.name}</td><td>{s.nameEn ?? ''}</td><td>{s.sort}</td>
              <td><a href={`/admin/sectors/${s.id}`}>{t.common.edit}<span class="xs-visually-hidden"> {s.name}</span></a></td></tr>
          ))}</tbody>
        </table></TableScroll>
      )}
    </AdminLayout>
  );
}

export function SectorFormPage({ id, form }: { id: number | null; form: FormState }) {
  const { t } = usePage();
  const m = t.adminStructure;
  return (
    <AdminLayout title={id ? m.editSector : m.newSector} hasErrors={Boolean(form.issues?.length)} parent={{ href: '/admin/sectors', label: m.sectorsTitle }}>
      <ErrorSummary issues={form.issues} />
      <PostForm action={id ? `/admin/sectors/${id}` : '/admin/sectors/new'}>
        <TextInput name="name" label={m.name} form={form} required maxLength={50} />
        <TextInput name="nameEn" label={`${m.nameEn}（${t.common.optional}）`} form={form} maxLength={100} />
        <TextInput name="sort" label={`${m.sort}（${t.common.optional}）`} hint={m.sortHint} form={form} inputmode="numeric" maxLength={4} />
        <button type="submit" class="xs-button">{t.common.save}</button>
      </PostForm>
    </AdminLayout>
  );
}
