import { ErrorSummary } from '../../../../web/components/error-summary.js';
import { type FormState, PostForm, Select, TextInput } from '../../../../web/components/fields.js';
import { usePage } from '../../../../web/page-context.js';
import { AdminLayout } from '../../../admin/components.js';
import { type CategoryRow, type Option, categoryFields } from '../../handler-service.js';

/** Per-category clocks and default routing body, one small form per category. */
export function CategoriesPage({ rows, bodies, done, failed }: { rows: CategoryRow[]; bodies: Option[]; done: string | null; failed?: { key: string; form: FormState } }) {
  const { t, locale } = usePage();
  const m = t.opinionsHandler;
  return (
    <AdminLayout title={m.categoriesTitle} hasErrors={Boolean(failed)} done={done}>
      <ErrorSummary issues={failed?.form.issues} />
      <p>{m.categoriesLead}</p>
      {rows.map((c) => {
        const f = categoryFields(c.key);
        const name = locale === 'en' ? c.nameEn : c.name;
        const form: FormState = failed?.key === c.key ? failed.form : { values: { [f.accept]: c.acceptDays, [f.reply]: c.replyDays, [f.body]: c.defaultBodyId ?? '' } };
        return (
          <section class="xs-panel" key={c.key} aria-labelledby={`cat-${c.key}`}>
            <h2 id={`cat-${c.key}`}>{name}</h2>
            <PostForm action="/admin/opinion-categories">
              <input type="hidden" name="key" value={c.key} />
              <div class="xs-filters">
                <TextInput name={f.accept} label={m.acceptDays} hint={m.daysHint} form={form} inputmode="numeric" maxLength={2} required />
                <TextInput name={f.reply} label={m.replyDays} hint={m.daysHint} form={form} inputmode="numeric" maxLength={2} required />
                <Select name={f.body} label={m.defaultBody} blank={m.noDefaultBody} form={form} options={bodies.map((b) => ({ value: b.id, label: `${'　'.repeat(b.depth ?? 0)}${b.label}` }))} />
              </div>
              <button type="submit" class="xs-button">{m.saveCategory(name)}</button>
            </PostForm>
          </section>
        );
      })}
    </AdminLayout>
  );
}
