import { Layout } from '../../../../web/layout.js';
import { usePage } from '../../../../web/page-context.js';
import { showDate, showDateTime } from '../../../content/shared/dates.js';
import type { PublicDetail, RegionNode } from '../../public-queries.js';
import { placePath } from '../../public-queries.js';
import { actionLabel, statusLabel } from '../../timeline.js';
import { Paragraphs, dueText, kindLabel, ratingLabel } from './shared.js';

export function PublicDetailPage({ detail, regions }: { detail: PublicDetail; regions: RegionNode[] }) {
  const { t, locale } = usePage();
  const m = t.opinionsPublic;
  const o = detail.item;
  const place = placePath(regions, o.regionId, locale);
  const handler = o.handlerMember ?? (locale === 'en' && o.handlerBodyEn ? o.handlerBodyEn : o.handlerBody);
  return (
    <Layout title={o.title} description={o.body.slice(0, 120)}>
      <p><a href="/opinions">{m.detailBack}</a></p>
      <h1>{o.title}</h1>
      <section aria-labelledby="op-facts">
        <h2 id="op-facts" class="xs-visually-hidden">{m.detailFacts}</h2>
        <dl class="xs-summary">
          <dt>{m.fStatus}</dt><dd><span class="xs-tag">{statusLabel(t, o.status)}</span></dd>
          <dt>{m.fKind}</dt><dd>{kindLabel(t, o.kind)}</dd>
          <dt>{m.fCategory}</dt><dd><a href={`/opinions?category=${encodeURIComponent(o.categoryKey)}`}>{locale === 'en' ? o.categoryNameEn : o.categoryName}</a></dd>
          <dt>{m.fPlace}</dt><dd>{place.length ? place.join(' › ') : m.placeNone}</dd>
          <dt>{m.fHandler}</dt><dd>{handler}</dd>
          <dt>{m.fReceived}</dt><dd>{showDate(o.createdAt)}</dd>
          <dt>{m.fAcceptDue}</dt><dd>{dueText(t, o.acceptDue, o.acceptedAt)}</dd>
          {o.acceptedAt && <><dt>{m.fAcceptedOn}</dt><dd>{showDate(o.acceptedAt)}</dd></>}
          <dt>{m.fReplyDue}</dt><dd>{o.status === 'closed' && !o.firstRepliedAt ? o.replyDue : dueText(t, o.replyDue, o.firstRepliedAt)}</dd>
          {o.firstRepliedAt && <><dt>{m.fRepliedOn}</dt><dd>{showDate(o.firstRepliedAt)}</dd></>}
        </dl>
      </section>
      <section aria-labelledby="op-text">
        <h2 id="op-text">{m.textTitle}</h2>
        <div class="xs-prose"><Paragraphs text={o.body} /></div>
        <p class="xs-muted">{m.identityNote}</p>
      </section>
      <section aria-labelledby="op-reply">
        <h2 id="op-reply">{m.replyTitle}</h2>
        {o.replyText ? <div class="xs-prose"><Paragraphs text={o.replyText} /></div> : <p>{m.noReply}</p>}
      </section>
      <section aria-labelledby="op-rating">
        <h2 id="op-rating">{m.ratingTitle}</h2>
        {detail.rating ? (
          <dl class="xs-summary">
            <dt>{m.ratingHandling}</dt><dd>{ratingLabel(t, detail.rating.handling)}</dd>
            <dt>{m.ratingResult}</dt><dd>{ratingLabel(t, detail.rating.result)}</dd>
          </dl>
        ) : <p>{m.notRated}</p>}
      </section>
      <section aria-labelledby="op-timeline">
        <h2 id="op-timeline">{m.timelineTitle}</h2>
        <ol class="xs-list">
          {detail.timeline.map((e) => (
            <li key={e.id}>
              <p class="xs-list__meta"><time dateTime={e.at}>{showDateTime(e.at)}</time>{e.actor ? ` · ${e.actor}` : ''}</p>
              <p class="xs-list__title">{actionLabel(t, e.action)}</p>
              {e.detail.to && <p>{m.eventTo(e.detail.to)}</p>}
              {e.detail.department && <p>{m.eventDepartment(e.detail.department)}</p>}
              {e.detail.dueOn && <p>{m.eventDue(e.detail.dueOn)}</p>}
              {e.detail.rating && <p>{m.ratingHandling} {ratingLabel(t, e.detail.rating.handling)} · {m.ratingResult} {ratingLabel(t, e.detail.rating.result)}</p>}
              {e.text && <div class="xs-prose"><Paragraphs text={e.text} /></div>}
            </li>
          ))}
        </ol>
      </section>
    </Layout>
  );
}
