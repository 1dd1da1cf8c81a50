import type { ConsultationStage } from '../../../db/schema.js';
import type { FieldIssue } from '../../../platform/errors.js';
import { type FormState, PostForm, Select, TextInput } from '../../../web/components/fields.js';
import { Pagination } from '../../../web/components/pagination.js';
import { TableScroll } from '../../../web/components/table-scroll.js';
import { Layout } from '../../../web/layout.js';
import { usePage } from '../../../web/page-context.js';
import type { EscalationItem } from '../escalation-queries.js';
import { AdminLayout } from './admin-home.js';
import { EscalationResult, escalationStatusLabel } from './grassroots-parts.js';
import { Notice, named, showDate, stageLabel } from './parts.js';

// 委员联系点: the staff page of assignments, and the member's own "my liaison communities".

type N = { name: string | null; name_en: string | null };
const nameOf = (n: { body_name: string | null; body_name_en: string | null; region_name: string | null; region_name_en: string | null }, locale: string, sep: string): string =>
  [[n.body_name, n.body_name_en], [n.region_name, n.region_name_en]].filter(([zh]) => zh)
    .map(([zh, en]) => named({ name: zh as string, nameEn: en ?? null }, locale)).join(sep);

export interface LiaisonRow {
  id: number; starts_on: string; ends_on: string | null; display_name: string; ended: boolean;
  body_name: string | null; body_name_en: string | null; region_name: string | null; region_name_en: string | null;
}
export interface LiaisonOptions {
  members: Array<{ id: number; display_name: string }>;
  councils: Array<{ id: number } & N>;
  regions: Array<{ id: number } & N>;
}

export function LiaisonAdminPage({ items, page, pages, all, options, form, notice }: {
  items: LiaisonRow[]; page: number; pages: number; all: boolean; options: LiaisonOptions; form?: FormState & { issues?: FieldIssue[] }; notice?: string | null;
}) {
  const { t, locale } = usePage();
  const g = t.grassroots;
  const opt = (r: { id: number } & N) => ({ value: r.id, label: named({ name: r.name ?? '', nameEn: r.name_en }, locale) });
  return (
    <AdminLayout title={g.liaisonsTitle} trail={[{ href: '/admin/consultations/grassroots', label: g.hubTitle }]} issues={form?.issues} notice={notice}>
      <p>{g.liaisonsLead}</p>
      <p>{all ? <a href="/admin/consultations/liaisons">{g.showActive}</a> : <a href="/admin/consultations/liaisons?all=1">{g.showAll}</a>}</p>
      {items.length === 0 ? <p>{g.noLiaisons}</p> : (
        <TableScroll>
          <table class="xs-table">
            <thead><tr><th scope="col">{g.colMember}</th><th scope="col">{g.colCommunity}</th><th scope="col">{g.colPeriod}</th><th scope="col">{g.endLiaison}</th></tr></thead>
            <tbody>{items.map((r) => (
              <tr key={r.id}>
                <td>{r.display_name}</td>
                <td>{nameOf(r, locale, g.listSep)}</td>
                <td>{g.period(r.starts_on, r.ends_on ?? g.untilOpen)}</td>
                <td>{r.ended ? g.none : (
                  <PostForm action={`/admin/consultations/liaisons/${r.id}/end`}>
                    <button type="submit" class="xs-button xs-button--secondary" aria-label={g.labelled(g.endLiaison, `${r.display_name} ${nameOf(r, locale, g.listSep)}`)}>{g.endLiaison}</button>
                  </PostForm>
                )}</td>
              </tr>
            ))}</tbody>
          </table>
        </TableScroll>
      )}
      <Pagination page={page} pages={pages} baseUrl="/admin/consultations/liaisons" query={{ all: all ? 1 : undefined }} />
      <section aria-labelledby="add-liaison-title" class="xs-panel">
        <h2 id="add-liaison-title">{g.addLiaison}</h2>
        <PostForm action="/admin/consultations/liaisons">
          <Select name="userId" label={g.fMember} form={form} blank="" required options={options.members.map((m) => ({ value: m.id, label: m.display_name }))} />
          <Select name="bodyId" label={g.fCouncil} hint={g.councilHint} form={form} blank={g.none} options={options.councils.map(opt)} />
          <Select name="regionId" label={g.fRegion} form={form} blank={g.none} options={options.regions.map(opt)} />
          <TextInput name="startsOn" type="date" label={g.fStartsOn} form={form} required />
          <TextInput name="endsOn" type="date" label={g.fEndsOn} hint={g.endsOnHint} form={form} />
          <button type="submit" class="xs-button">{g.addLiaison}</button>
        </PostForm>
      </section>
    </AdminLayout>
  );
}

export interface MyLiaisonView {
  assignments: Array<{ id: number; starts_on: string; ends_on: string | null; body_name: string | null; body_name_en: string | null; region_name: string | null; region_name_en: string | null }>;
  consultations: {
    total: number; page: number; pages: number;
    items: Array<{ id: number; title: string; stage: ConsultationStage; is_public: number; starts_at: string | null; body_name: string; body_name_en: string | null; participant_id: number | null }>;
  };
  escalations: EscalationItem[];
  moreEscalations: boolean;
  notice: string | null;
}

export function MyLiaisonPage({ v }: { v: MyLiaisonView }) {
  const { t, locale } = usePage();
  const g = t.grassroots;
  return (
    <Layout title={g.myLiaisonTitle}>
      <h1>{g.myLiaisonTitle}</h1>
      <Notice text={v.notice} />
      <p>{g.myLiaisonLead}</p>
      <h2>{g.myCommunities}</h2>
      <ul class="xs-list">{v.assignments.map((a) => (
        <li key={a.id}><span class="xs-list__title">{nameOf(a, locale, g.listSep)}</span> <span class="xs-list__meta">{g.period(a.starts_on, a.ends_on ?? g.untilOpen)}</span></li>
      ))}</ul>
      <h2 id="consultations-title">{g.myConsultations}</h2>
      {v.consultations.items.length === 0 ? <p>{g.noCommunityConsultations}</p> : (
        <ul class="xs-list">{v.consultations.items.map((c) => (
          <li key={c.id}>
            <span class="xs-list__title">{c.is_public ? <a href={`/consultations/${c.id}`}>{c.title}</a> : c.title}{c.is_public ? '' : g.notPublicMark}</span>
            <div class="xs-list__meta">{named({ name: c.body_name, nameEn: c.body_name_en }, locale)} · {stageLabel(t.consultations, c.stage)}{c.starts_at ? ` · ${showDate(c.starts_at)}` : ''}</div>
            {c.participant_id !== null ? <p><span class="xs-tag">{g.joined}</span></p> : c.stage !== 'closed' && (
              <PostForm action={`/my/liaison/consultations/${c.id}/join`}>
                <button type="submit" class="xs-button xs-button--secondary" aria-label={g.labelled(g.join, c.title)}>{g.join}</button>
              </PostForm>
            )}
          </li>
        ))}</ul>
      )}
      <Pagination page={v.consultations.page} pages={v.consultations.pages} baseUrl="/my/liaison" query={{}} />
      <h2>{g.myEscalations}</h2>
      <EscalationList items={v.escalations} />
      {v.moreEscalations && <p><a href="/my/liaison/escalations">{g.allEscalations}</a></p>}
    </Layout>
  );
}

function EscalationList({ items }: { items: EscalationItem[] }) {
  const { t, locale } = usePage();
  const g = t.grassroots;
  if (!items.length) return <p>{g.noEscalations}</p>;
  return (
    <ul class="xs-list">{items.map((e) => (
      <li key={e.id}>
        <span class="xs-list__title">{e.title}</span>
        <div class="xs-list__meta">{named(e.from, locale)} · {g.sentOn(showDate(e.createdAt))} · {g.escalationPublicStatus(named(e.to, locale), escalationStatusLabel(g, e.status))}</div>
        <EscalationResult result={e.result} />
      </li>
    ))}</ul>
  );
}

export function MyLiaisonEscalationsPage({ items, page, pages }: { items: EscalationItem[]; page: number; pages: number }) {
  const { t } = usePage();
  const g = t.grassroots;
  return (
    <Layout title={g.myEscalations}>
      <h1>{g.myEscalations}</h1>
      <p><a href="/my/liaison">{g.myLiaisonTitle}</a></p>
      <EscalationList items={items} />
      <Pagination page={page} pages={pages} baseUrl="/my/liaison/escalations" query={{}} />
    </Layout>
  );
}
