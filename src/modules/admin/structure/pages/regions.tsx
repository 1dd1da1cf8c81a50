import { ErrorSummary } from '../../../../web/components/error-summary.js';
import { type FormState, PostForm, Select, TextInput } from '../../../../web/components/fields.js';
import { usePage } from '../../../../web/page-context.js';
import { AdminLayout } from '../../components.js';
import type { RegionRow } from '../regions-service.js';
import { TableScroll } from '../../../../web/components/table-scroll.js';

export function RegionsPage({ regions, done }: { regions: RegionRow[]; done: string | null }) {
  const { t, locale } = usePage();
  const m = t.adminStructure;
  return (
    <AdminLayout title={m.regionsTitle} done={done}>
      <p><a class="xs-button" href="/admin/regions/new">{m.newRegion}</a></p>
      {regions.length === 0 ? <p>{t.common.none}</p> : (
        <TableScroll><table class="xs-table">
          <caption class="xs-visually-hidden">{m.regionsTitle}</caption>
          <thead><tr><th scope="col">{m.name}</th><th scope="col">{m.level}</th><th scope="col">{m.regionCode}</th><th scope="col">{m.actions}</th></tr></thead>
          <tbody>{regions.map((r) => (
            <tr key={r.id}>
              <td><span aria-hidden="true">{'— '.repeat(r.depth)}</span>{locale === 'en' && r.nameEn ? r.nameEn : r.name}</td>
              <td>{m.levels(r.level)}</td>
              <td>{r.code ?? ''}</td>
              <td>
                <a href={`/admin/regions/${r.id}`}>{t.common.edit}<span class="xs-visually-hidden"> {r.name}</span></a>
                {r.level !== 'village' && <> · <a href={`/admin/regions/new?parent=${r.id}`}>{m.addChild}<span class="xs-visually-hidden"> {r.name}</span></a></>}
              </td>
            </tr>
          ))}</tbody>
        </table></TableScroll>
      )}
    </AdminLayout>
  );
}

export function RegionFormPage({ id, form, regions }: { id: number | null; form: FormState; regions: RegionRow[] }) {
  const { t } = usePage();
  const m = t.adminStructure;
  const parents = regions.filter((r) => r.level !== 'village' && r.id !== id)
    .map((r) => ({ value: r.id, label: `${'— '.repeat(r.depth)}${r.name}（${m.levels(r.level)}）` }));
  return (
    <AdminLayout title={id ? m.editRegion : m.newRegion} hasErrors={Boolean(form.issues?.length)} parent={{ href: '/admin/regions', label: m.regionsTitle }}>
      <ErrorSummary issues={form.issues} />
      <PostForm action={id ? `/admin/regions/${id}` : '/admin/regions/new'}>
        <TextInput name="name" label={m.name} form={form} required maxLength={100} />
        <TextInput name="nameEn" label={`${m.nameEn}（${t.common.optional}）`} form={form} maxLength={200} />
        <TextInput name="code" label={`${m.regionCode}（${t.common.optional}）`} hint={m.regionCodeHint} form={form} maxLength={20} />
        <Select name="parentId" label={m.parentRegion} hint={m.parentRegionHint} form={form} options={parents} blank={m.noParentCounty} />
        <button type="submit" class="xs-button">{t.common.save}</button>
      </PostForm>
      {id && (
        <PostForm action={`/admin/regions/${id}/delete`}>
          <h2>{m.deleteRegion}</h2>
          <p>{m.deleteRegionHint}</p>
          <button type="submit" class="xs-button xs-button--warning">{t.common.delete}</button>
        </PostForm>
      )}
    </AdminLayout>
  );
}
