import type { ComponentChildren } from 'preact';
import type { FormState } from '../../../../web/components/fields.js';
import { usePage } from '../../../../web/page-context.js';
import { showDateTime } from '../../../content/shared/dates.js';

// Small pieces the citizen pages share: radio groups and grouped selects in the house
// field style (label, hint, own error message, the id the error summary links to).

const valueOf = (form: FormState | undefined, name: string): string => {
  const v = form?.values?.[name];
  return v === undefined || v === null ? '' : String(v);
};

function FieldIssue({ name, form }: { name: string; form?: FormState }) {
  const { t } = usePage();
  const issue = form?.issues?.find((i) => i.field === name);
  if (!issue) return null;
  return <p class="xs-error" id={`e-${name}`}><span class="xs-visually-hidden">{t.common.errorPrefix}</span>{issue.message(t)}</p>;
}

const hasIssue = (form: FormState | undefined, name: string) => Boolean(form?.issues?.some((i) => i.field === name));

export interface RadioOption { value: string; label: string; hint?: string; children?: ComponentChildren }

/** A fieldset of radios; the first radio carries the id `f-<name>` so the error summary can link to it. */
export function Radios({ name, legend, hint, options, form }: { name: string; legend: string; hint?: string; options: RadioOption[]; form?: FormState }) {
  const current = valueOf(form, name);
  const described = [hint ? `h-${name}` : '', hasIssue(form, name) ? `e-${name}` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset class={`xs-field${hasIssue(form, name) ? ' xs-field--error' : ''}`} aria-describedby={described}>
      <legend class="xs-label">{legend}</legend>
      {hint && <div class="xs-hint" id={`h-${name}`}>{hint}</div>}
      <FieldIssue name={name} form={form} />
      {options.map((o, i) => {
        const id = i === 0 ? `f-${name}` : `f-${name}-${o.value}`;
        return (
          <div key={o.value}>
            <div class="xs-checkbox">
              <input type="radio" id={id} name={name} value={o.value} checked={current === o.value}
                aria-describedby={o.hint ? `${id}-hint` : undefined} />
              <label for={id}>{o.label}</label>
            </div>
            {o.hint && <div class="xs-hint" id={`${id}-hint`}>{o.hint}</div>}
            {o.children}
          </div>
        );
      })}
    </fieldset>
  );
}

export interface Group { label: string; options: { id: number | string; name: string }[] }

/** A <select> with <optgroup>s (places by township, bodies by kind). */
export function GroupedSelect({ name, label, hint, form, top = [], groups, blank }: {
  name: string; label: string; hint?: string; form?: FormState; top?: { id: number | string; name: string }[]; groups: Group[]; blank: string;
}) {
  const current = valueOf(form, name);
  const described = [hint ? `h-${name}` : '', hasIssue(form, name) ? `e-${name}` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`xs-field${hasIssue(form, name) ? ' xs-field--error' : ''}`}>
      <label class="xs-label" for={`f-${name}`}>{label}</label>
      {hint && <div class="xs-hint" id={`h-${name}`}>{hint}</div>}
      <FieldIssue name={name} form={form} />
      <select class="xs-select" id={`f-${name}`} name={name} aria-describedby={described}>
        <option value="">{blank}</option>
        {top.map((o) => <option key={o.id} value={String(o.id)} selected={String(o.id) === current}>{o.name}</option>)}
        {groups.map((g) => (
          <optgroup key={g.label} label={g.label}>
            {g.options.map((o) => <option key={o.id} value={String(o.id)} selected={String(o.id) === current}>{o.name}</option>)}
          </optgroup>
        ))}
      </select>
    </div>
  );
}

/** A date-only deadline, with "overdue" when it has passed and the clock still runs. */
export function Due({ date, overdue }: { date: string; overdue: boolean }) {
  const { t } = usePage();
  return <>{date}{overdue && <> <strong class="xs-tag">{t.opinionsCitizen.overdue}</strong></>}</>;
}

export const when = (iso: string): string => showDateTime(iso);

/** Text as paragraphs (the sender's line breaks kept, everything escaped). */
export function Paragraphs({ text }: { text: string }) {
  return <>{text.split(/\n+/).map((p, i) => <p key={i} class="xs-prose">{p}</p>)}</>;
}
