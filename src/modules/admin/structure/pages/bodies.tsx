import { BODY_KINDS } from '../../../../db/schema.js';
import { ErrorSummary } from '../../../../web/components/error-summary.js';
import { type FormState, PostForm, Select, TextArea, TextInput } from '../../../../web/components/fields.js';
import { usePage } from '../../../../web/page-context.js';
import { AdminLayout } from '../../components.js';
import type { BodyRow } from '../bodies-service.js';
import type { RegionRow } from '../regions-service.js';
import { TableScroll } from '../../../../web/components/table-scroll.js';

export function BodiesPage({ bodies, done }: { bodies: BodyRow[]; done: string | null }) {
  const { t, locale } = usePage();
  const m = t.adminStructure;
  return (
    <AdminLayout title={m.bodiesTitle} done={done}>
      <p><a class="xs-button" href="/admin/bodies/new">{m.newBody}</a></p>
      {bodies.length === 0 ? <p>{t.common.none}</p> : (
        <TableScroll><table class="xs-table">
          <caption class="xs-visually-hidden">{m.bodiesTitle}</caption>
          <thead><tr><th scope="col">{m.name}</th><th scope="col">{m.bodyKind}</th><th scope="col">{m.actions}</th></tr></thead>
          <tbody>{bodies.map((b) => (
            <tr key={b.id}>
              <td><span aria-hidden="true">{'— '.repeat(b.depth)}</span>{locale === 'en' && b.nameEn ? b.nameEn : b.name}</td>
              <td>{m.kinds(b.kind)}</td>
              <td><a href={`/admin/bodies/${b.id}`}>{t.common.edit}<span class="xs-visually-hidden"> {b.name}</span></a></td>
            </tr>
          ))}</tbody>
        </table></TableScroll>
      )}
    </AdminLayout>
  );
}

export function BodyFormPage({ id, form, bodies, regions }: { id: number | null; form: FormState; bodies: BodyRow[]; regions: RegionRow[] }) {
  const { t } = usePage();
  const m = t.adminStructure;
  return (
    <AdminLayout title={id ? m.editBody : m.newBody} hasErrors={Boolean(form.issues?.length)} parent={{ href: '/admin/bodies', label: m.bodiesTitle }}>
      <ErrorSummary issues={form.issues} />
      <PostForm action={id ? `/admin/bodies/${id}` : '/admin/bodies/new'}>
        <Select name="kind" label={m.bodyKind} form={form} required options={BODY_KINDS.map((k) => ({ value: k, label: m.kinds(k) }))} blank="" />
        <TextInput name="name" label={m.name} form={form} required maxLength={100} />
        <TextInput name="nameEn" label={`${m.nameEn}（${t.common.optional}）`} form={form} maxLength={200} />
        <Select name="parentId" label={m.parentBody} form={form} blank={m.noParentBody}
          options={bodies.filter((b) => b.id !== id).map((b) => ({ value: b.id, label: `${'— '.repeat(b.depth)}${b.name}` }))} />
        <Select name="regionId" label={m.region} form={form} blank={m.noRegion}
          options={regions.map((r) => ({ value: r.id, label: `${'— '.repeat(r.depth)}${r.name}` }))} />
        <TextArea name="description" label={`${m.description}（${t.common.optional}）`} form={form} maxLength={2000} />
        <TextInput name="sort" label={`${m.sort}（${t.common.optional}）`} hint={m.sortHint} form={form} inputmode="numeric" maxLength={4} />
        <button type="submit" class="xs-button">{t.common.save}</button>
      </PostForm>
    </AdminLayout>
  );
}
