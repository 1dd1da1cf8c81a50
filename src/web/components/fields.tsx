import type { ComponentChildren } from 'preact';
import type { FieldIssue } from '../../platform/errors.js';
import { usePage } from '../page-context.js';

// Form fields with a label, optional hint and their own error message. `values` keeps
// what the user typed when a form comes back with errors.

export interface FormState {
  values?: Record<string, unknown>;
  issues?: FieldIssue[];
}

interface FieldProps {
  name: string;
  label: string;
  hint?: string;
  form?: FormState;
  required?: boolean;
}

function valueOf(form: FormState | undefined, name: string): string {
  const v = form?.values?.[name];
  return v === undefined || v === null ? '' : String(v);
}

function Wrapper({ name, label, hint, form, children }: FieldProps & { children: ComponentChildren }) {
  const { t } = usePage();
  const issue = form?.issues?.find((i) => i.field === name);
  return (
    <div class={`xs-field${issue ? ' xs-field--error' : ''}`}>
      <label class="xs-label" for={`f-${name}`}>{label}</label>
      {hint && <div class="xs-hint" id={`h-${name}`}>{hint}</div>}
      {issue && <p class="xs-error" id={`e-${name}`}><span class="xs-visually-hidden">{t.common.errorPrefix}</span>{issue.message(t)}</p>}
      {children}
    </div>
  );
}

function describedBy(p: FieldProps): string | undefined {
  const ids = [p.hint ? `h-${p.name}` : '', p.form?.issues?.some((i) => i.field === p.name) ? `e-${p.name}` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

export function TextInput(p: FieldProps & { type?: string; autocomplete?: string; inputmode?: string; maxLength?: number }) {
  return (
    <Wrapper {...p}>
      <input class="xs-input" id={`f-${p.name}`} name={p.name} type={p.type ?? 'text'} value={p.type === 'password' ? '' : valueOf(p.form, p.name)}
        autocomplete={p.autocomplete} inputMode={p.inputmode as 'text'} maxLength={p.maxLength} required={p.required}
        aria-describedby={describedBy(p)} aria-invalid={p.form?.issues?.some((i) => i.field === p.name) ? 'true' : undefined} />
    </Wrapper>
  );
}

export function TextArea(p: FieldProps & { rows?: number; maxLength?: number }) {
  return (
    <Wrapper {...p}>
      <textarea class="xs-textarea" id={`f-${p.name}`} name={p.name} rows={p.rows ?? 6} maxLength={p.maxLength} required={p.required}
        aria-describedby={describedBy(p)} aria-invalid={p.form?.issues?.some((i) => i.field === p.name) ? 'true' : undefined}>
        {valueOf(p.form, p.name)}
      </textarea>
    </Wrapper>
  );
}

export function Select(p: FieldProps & { options: { value: string | number; label: string }[]; blank?: string }) {
  const current = valueOf(p.form, p.name);
  return (
    <Wrapper {...p}>
      <select class="xs-select" id={`f-${p.name}`} name={p.name} required={p.required} aria-describedby={describedBy(p)}>
        {p.blank !== undefined && <option value="">{p.blank}</option>}
        {p.options.map((o) => (
          <option key={o.value} value={String(o.value)} selected={String(o.value) === current}>{o.label}</option>
        ))}
      </select>
    </Wrapper>
  );
}

export function Checkbox({ name, label, form }: { name: string; label: string; form?: FormState }) {
  const v = form?.values?.[name];
  const checked = v === true || v === 'on' || v === '1' || v === 1;
  return (
    <div class="xs-field xs-checkbox">
      <input type="checkbox" id={`f-${name}`} name={name} checked={checked} />
      <label for={`f-${name}`}>{label}</label>
    </div>
  );
}

export function CsrfField() {
  const { csrf } = usePage();
  return <input type="hidden" name="_csrf" value={csrf} />;
}

/** A POST form with its CSRF token; `multipart` for uploads. */
export function PostForm({ action, multipart, children, class: cls }: { action: string; multipart?: boolean; children: ComponentChildren; class?: string }) {
  return (
    <form method="post" action={action} class={cls} enctype={multipart ? 'multipart/form-data' : undefined} novalidate>
      <CsrfField />
      {children}
    </form>
  );
}
