import type { VNode } from 'preact';
import { ErrorSummary } from '../../../../web/components/error-summary.js';
import { type FormState, PostForm, Select, TextArea, TextInput } from '../../../../web/components/fields.js';
import { Layout } from '../../../../web/layout.js';
import { usePage } from '../../../../web/page-context.js';
import type { FormOptions } from './form-options.js';
import { GroupedSelect, Radios } from './parts.js';

// Step 1 of sending: what, where, to whom, public or not. "预览" posts it back and the
// server answers with step 2 (send-confirm.tsx): who will receive it and by when.

export const CARRIED = ['kind', 'title', 'body', 'category', 'regionId', 'target', 'targetBodyId', 'targetMemberId', 'public', 'email'] as const;

export interface SendPageProps {
  options: FormOptions;
  form: FormState;
  /** The signed-in sender's display name; null for a citizen without an account. */
  signedInAs: string | null;
}

export function KindRadios({ form }: { form: FormState }) {
  const { t } = usePage();
  const o = t.opinions;
  return (
    <Radios name="kind" legend={o.fKind} form={form} options={[
      { value: 'opinion', label: o.kindOpinion, hint: t.opinionsCitizen.kindOpinionHint },
      { value: 'request', label: o.kindRequest, hint: t.opinionsCitizen.kindRequestHint },
      { value: 'suggestion', label: o.kindSuggestion, hint: t.opinionsCitizen.kindSuggestionHint },
    ]} />
  );
}

function SendPage({ options, form, signedInAs }: SendPageProps) {
  const { t } = usePage();
  const o = t.opinions;
  const c = t.opinionsCitizen;
  const issues = form.issues ?? [];
  return (
    <Layout title={c.newTitle} hasErrors={issues.length > 0}>
      <h1>{c.newTitle}</h1>
      <ErrorSummary issues={issues} />
      <p class="xs-lead">{c.newLead}</p>
      {signedInAs ? <p>{c.sendingAs(signedInAs)}</p> : (
        <>
          <p>{c.anonymousIntro}</p>
          <noscript><p class="xs-panel">{c.noScriptAnonymous} <a href="/sign-in?next=%2Fopinions%2Fnew">{c.signInFirst}</a></p></noscript>
        </>
      )}
      <PostForm action="/opinions/new">
        <input type="hidden" name="step" value="preview" />
        <KindRadios form={form} />
        <TextInput name="title" label={o.fTitle} hint={c.titleHint} form={form} maxLength={60} required />
        <TextArea name="body" label={o.fBody} hint={c.bodyHint} form={form} rows={8} maxLength={3000} required />
        <Select name="category" label={o.fCategory} form={form} blank={c.choose} required
          options={options.categories.map((x) => ({ value: x.key, label: x.name }))} />
        <GroupedSelect name="regionId" label={o.fRegion} hint={c.regionHint} form={form} blank={c.choose}
          top={options.regionTop} groups={options.regionGroups} />
        <TargetChoice options={options} form={form} />
        <Radios name="public" legend={o.fPublic} hint={c.publicHint} form={form} options={[
          { value: '0', label: c.publicNo },
          { value: '1', label: c.publicYes },
        ]} />
        <TextInput name="email" type="email" label={`${o.fEmail}（${t.common.optional}）`} hint={c.emailHint} form={form} autocomplete="email" maxLength={120} />
        <button type="submit" class="xs-button">{c.previewButton}</button>
      </PostForm>
      <p><a href="/opinions/track">{c.trackLink}</a>{signedInAs && <> · <a href="/my/opinions">{c.myTitle}</a></>}</p>
    </Layout>
  );
}

/** Where it goes: a body (grouped by kind), a member, or the committee routes it. */
function TargetChoice({ options, form }: { options: FormOptions; form: FormState }) {
  const { t } = usePage();
  const o = t.opinions;
  const c = t.opinionsCitizen;
  return (
    <Radios name="target" legend={o.fTarget} hint={c.targetHint} form={form} options={[
      {
        value: 'body', label: c.targetBody,
        children: <GroupedSelect name="targetBodyId" label={o.fTargetBody} hint={c.targetBodyHint} form={form} blank={c.choose}
          groups={options.bodies.map((g) => ({ label: t.content.kindPlural(g.kind), options: g.items }))} />,
      },
      {
        value: 'member', label: c.targetMember,
        children: <GroupedSelect name="targetMemberId" label={o.fTargetMember} hint={c.targetMemberHint} form={form} blank={c.choose}
          top={options.members} groups={[]} />,
      },
      { value: 'route', label: o.targetRoute, hint: c.targetRouteHint },
    ]} />
  );
}

export const sendPage = (p: SendPageProps): VNode => <SendPage {...p} />;
