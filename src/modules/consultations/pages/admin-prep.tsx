import type { FieldIssue } from '../../../platform/errors.js';
import { Checkbox, PostForm, TextArea, TextInput } from '../../../web/components/fields.js';
import { usePage } from '../../../web/page-context.js';
import type { ConsultationRow } from '../access.js';
import type { ConsultationDetail } from '../queries.js';

// The editor's preparation part: background materials and field research.

export function Preparation({ c, materials, research, form }: {
  c: ConsultationRow; materials: ConsultationDetail['materials']; research: ConsultationDetail['research']; form?: { values: Record<string, unknown>; issues?: FieldIssue[] };
}) {
  const { t } = usePage();
  const m = t.consultations;
  const fileIssue = form?.issues?.find((i) => i.field === 'file');
  return (
    <>
      <section aria-labelledby="materials-title">
        <h2 id="materials-title">{m.materialsTitle}</h2>
        {materials.length === 0 ? <p>{m.noMaterials}</p> : (
          <ul class="xs-list">{materials.map((x) => (
            <li key={x.id}>
              <a href={`/consultations/${c.id}/materials/${x.id}/${encodeURIComponent(x.filename)}`}>{x.title}</a> <span class="xs-muted">（{x.filename}{x.isPublic ? '' : ` · ${m.notPublic}`}）</span>
              <PostForm action={`/admin/consultations/${c.id}/materials/${x.id}/delete`}>
                <button type="submit" class="xs-button xs-button--secondary">{m.removeItem(x.title)}</button>
              </PostForm>
            </li>
          ))}</ul>
        )}
        <PostForm action={`/admin/consultations/${c.id}/materials`} multipart>
          <TextInput name="materialTitle" label={m.fMaterialTitle} hint={m.materialTitleHint} maxLength={100} form={form} />
          <div class={`xs-field${fileIssue ? ' xs-field--error' : ''}`}>
            <label class="xs-label" for="f-file">{m.fFile}</label>
            <div class="xs-hint" id="h-file">{m.fileHint}</div>
            {fileIssue && <p class="xs-error" id="e-file">{fileIssue.message(t)}</p>}
            <input class="xs-input" type="file" id="f-file" name="file" accept=".pdf,.docx,.xlsx,.jpg,.jpeg,.png" aria-describedby={fileIssue ? 'h-file e-file' : 'h-file'} />
          </div>
          <Checkbox name="materialPublic" label={m.fMaterialPublic} form={form ?? { values: { materialPublic: true } }} />
          <button type="submit" class="xs-button">{m.uploadMaterial}</button>
        </PostForm>
      </section>
      <section aria-labelledby="research-title">
        <h2 id="research-title">{m.researchTitle}</h2>
        {research.length === 0 ? <p>{m.noResearch}</p> : (
          <ul class="xs-list">{research.map((r) => (
            <li key={r.id}>
              <span class="xs-list__title">{r.title}</span> <span class="xs-list__meta">{[r.visitedOn, r.place].filter(Boolean).join(' · ')}</span>
              <PostForm action={`/admin/consultations/${c.id}/research/${r.id}/delete`}>
                <button type="submit" class="xs-button xs-button--secondary">{m.removeItem(r.title)}</button>
              </PostForm>
            </li>
          ))}</ul>
        )}
        <PostForm action={`/admin/consultations/${c.id}/research`}>
          <TextInput name="researchTitle" label={m.fResearchTitle} maxLength={100} form={form} />
          <TextInput name="researchOn" type="date" label={m.fResearchOn} form={form} />
          <TextInput name="researchPlace" label={m.fResearchPlace} maxLength={100} form={form} />
          <TextArea name="researchSummary" label={m.fResearchSummary} rows={4} maxLength={5000} form={form} />
          <button type="submit" class="xs-button">{m.addResearch}</button>
        </PostForm>
      </section>
    </>
  );
}
