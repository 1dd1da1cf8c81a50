import type { ComponentChildren, VNode } from 'preact';
import { Layout } from '../../../web/layout.js';
import { usePage } from '../../../web/page-context.js';
import type { PersonalData } from '../export.js';
import { statusLabel } from '../../opinions/timeline.js';
import { TableScroll } from '../../../web/components/table-scroll.js';

const SHOWN = 100;

function Table({ caption, head, rows }: { caption: string; head: string[]; rows: ComponentChildren[][] }) {
  const { t } = usePage();
  return (
    <section>
      <h2>{caption}</h2>
      {rows.length === 0 ? <p class="xs-muted">{t.privacy.none}</p> : (
        <TableScroll>
          <table class="xs-table">
            <thead><tr>{head.map((h) => <th key={h} scope="col">{h}</th>)}</tr></thead>
            <tbody>{rows.slice(0, SHOWN).map((r, i) => <tr key={i}>{r.map((c, j) => <td key={j}>{c}</td>)}</tr>)}</tbody>
          </table>
          {rows.length > SHOWN && <p class="xs-muted">{t.privacy.latestNote(SHOWN)}</p>}
        </TableScroll>
      )}
    </section>
  );
}

function DataPage({ data }: { data: PersonalData }) {
  const { t } = usePage();
  const p = t.privacy;
  const yn = (b: boolean) => (b ? p.yes : p.no);
  const a = data.account;
  const pii = data.personalData;
  const kv = (rows: [string, ComponentChildren][]) => rows.map(([k, v]) => [k, v ?? '—']);
  return (
    <Layout title={p.dataTitle}>
      <h1>{p.dataTitle}</h1>
      <p class="xs-lead">{p.dataIntro}</p>
      <p><a class="xs-button" href="/account/data.json" download>{p.download}</a></p>
      <Table caption={p.account} head={[p.field, p.value]} rows={kv([
        [p.id, a.id], [p.displayName, a.displayName], [p.username, a.username], [p.status, a.status],
        [p.hasPassword, yn(a.hasPassword)], [p.totpEnabled, yn(a.totpEnabled)], [p.createdAt, a.createdAt],
      ])} />
      <Table caption={p.personal} head={[p.field, p.value]} rows={pii ? kv([
        [p.phone, pii.phone], [p.realName, pii.realName], [p.idNumber, pii.idNumber], [p.email, pii.email],
      ]) : []} />
      <Table caption={p.memberships} head={[p.body, p.role, p.period]}
        rows={data.memberships.map((m) => [m.body, t.account.roleNames(m.role), `${m.startsOn ?? ''} – ${m.endsOn ?? ''}`])} />
      <Table caption={p.memberProfile} head={[p.field, p.value]}
        rows={data.memberProfile ? Object.entries(data.memberProfile).map(([k, v]) => [k, v === null ? '—' : String(v)]) : []} />
      <Table caption={p.notifications} head={[p.time, p.title, p.text]} rows={data.notifications.map((n) => [n.createdAt, n.title, n.body])} />
      <Table caption={p.smsMessages} head={[p.time, p.phone, p.text]} rows={data.smsMessages.map((m) => [m.createdAt, m.phone, m.text])} />
      <Table caption={t.opinionsCitizen.myTitle} head={[t.opinions.fTitle, t.opinions.fTrackingCode, t.opinionsCitizen.status, t.opinionsCitizen.sentAt]} rows={data.opinions.map((o) => [o.title, o.trackingCode, statusLabel(t, o.status), o.createdAt])} />
      <Table caption={p.auditEvents} head={[p.time, p.action, p.id]} rows={data.auditEvents.map((e) => [e.createdAt, e.action, `${e.streamType} ${e.streamId}`])} />
      <p><a href="/account">{t.account.backToAccount}</a></p>
    </Layout>
  );
}

export const dataPage = (data: PersonalData): VNode => <DataPage data={data} />;
