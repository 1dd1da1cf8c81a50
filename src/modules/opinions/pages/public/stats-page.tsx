import { Fragment } from 'preact';
import { ChartFigure } from '../../../../web/charts/chart-figure.js';
import { barChartSvg, lineChartSvg } from '../../../../web/charts/charts.js';
import { TableScroll } from '../../../../web/components/table-scroll.js';
import { Layout } from '../../../../web/layout.js';
import { usePage } from '../../../../web/page-context.js';
import { showDateTime } from '../../../content/shared/dates.js';
import { type BodyStats, type Counts, type OpinionStats, percent } from '../../stats.js';

/** Bodies drawn in the charts (all are in the table). */
export const CHART_BODIES = 12;

export function StatsPage({ stats }: { stats: OpinionStats }) {
  const { t, locale } = usePage();
  const m = t.opinionsPublic;
  const name = (b: BodyStats) => (locale === 'en' && b.nameEn ? b.nameEn : b.name);
  const pct = (n: number, of: number) => { const p = percent(n, of); return p === null ? '—' : `${p}%`; };
  const rate = (n: number, of: number) => (of > 0 ? m.statsRate(n, of, pct(n, of)) : '—');
  const top = stats.bodies.slice(0, CHART_BODIES);
  const n = top.length;
  const names = top.map(name);
  const label = (title: string) => `${title}（${m.chartDataBelow}）`;
  const toggle = m.chartShowTable;
  return (
    <Layout title={m.statsTitle}>
      <h1>{m.statsTitle}</h1>
      <p class="xs-lead">{m.statsIntro}</p>
      <form method="get" action="/opinions/stats" class="xs-filters">
        <div class="xs-field">
          <label class="xs-label" for="f-year">{m.statsPeriod}</label>
          <select class="xs-select" id="f-year" name="year">
            <option value="">{m.statsLast12}</option>
            {stats.years.map((y) => <option key={y} value={String(y)} selected={stats.year === y}>{m.statsYear(y)}</option>)}
          </select>
        </div>
        <div class="xs-field"><button type="submit" class="xs-button">{m.statsShow}</button></div>
      </form>
      <p><strong>{m.statsRange(stats.from, stats.to)}</strong></p>
      {stats.total.received === 0 ? <p>{m.statsNone}</p> : (
        <>
          <Totals c={stats.total} rate={rate} />
          <h2>{m.statsTableTitle}</h2>
          <ChartFigure
            title={m.chartReceivedTitle(n)} tableToggle={toggle}
            svg={barChartSvg({ label: label(m.chartReceivedTitle(n)), horizontal: true, categories: names, series: [{ name: m.seriesReceived, values: top.map((b) => b.received) }] })}
            table={{ caption: m.chartReceivedTitle(n), head: [m.statsBody, m.statsReceived], rows: top.map((b) => [name(b), b.received]) }}
          />
          <ChartFigure
            title={m.chartOnTimeTitle(n)} tableToggle={toggle}
            svg={barChartSvg({
              label: label(m.chartOnTimeTitle(n)), horizontal: true, percent: true, categories: names,
              series: [
                { name: m.seriesAcceptOnTime, values: top.map((b) => percent(b.acceptedOnTime, b.accepted)) },
                { name: m.seriesReplyOnTime, values: top.map((b) => percent(b.repliedOnTime, b.replied)) },
              ],
            })}
            table={{ caption: m.chartOnTimeTitle(n), head: [m.statsBody, m.statsAcceptedOnTime, m.statsRepliedOnTime], rows: top.map((b) => [name(b), rate(b.acceptedOnTime, b.accepted), rate(b.repliedOnTime, b.replied)]) }}
          />
          <ChartFigure
            title={m.chartSatisfactionTitle(n)} tableToggle={toggle}
            svg={barChartSvg({
              label: label(m.chartSatisfactionTitle(n)), horizontal: true, percent: true, categories: names,
              series: [
                { name: m.seriesSatHandling, values: top.map((b) => percent(b.satHandling, b.rated)) },
                { name: m.seriesSatResult, values: top.map((b) => percent(b.satResult, b.rated)) },
              ],
            })}
            table={{ caption: m.chartSatisfactionTitle(n), head: [m.statsBody, m.statsSatHandling, m.statsSatResult], rows: top.map((b) => [name(b), rate(b.satHandling, b.rated), rate(b.satResult, b.rated)]) }}
          />
          <TableScroll>
            <table class="xs-table xs-table--wide" id="stats-bodies">
              <caption class="xs-visually-hidden">{m.statsTableTitle}</caption>
              <thead>
                <tr>
                  <th scope="col">{m.statsBody}</th><th scope="col">{m.statsReceived}</th><th scope="col">{m.statsAcceptedOnTime}</th>
                  <th scope="col">{m.statsRepliedOnTime}</th><th scope="col">{m.statsSatHandling}</th><th scope="col">{m.statsSatResult}</th>
                  <th scope="col">{m.statsOverdue}</th>
                </tr>
              </thead>
              <tbody>
                {stats.bodies.map((b) => <BodyRow key={b.bodyId} label={name(b)} c={b} rate={rate} />)}
                <BodyRow label={m.statsTotal} c={stats.total} rate={rate} />
              </tbody>
            </table>
          </TableScroll>
          <h2>{m.statsTrendTitle}</h2>
          <ChartFigure
            title={m.statsTrendTitle} tableToggle={toggle}
            svg={lineChartSvg({
              label: label(m.statsTrendTitle), categories: stats.trend.map((x) => x.month),
              series: [
                { name: m.seriesReceived, values: stats.trend.map((x) => x.received) },
                { name: m.seriesAccepted, values: stats.trend.map((x) => x.accepted) },
                { name: m.seriesReplied, values: stats.trend.map((x) => x.replied) },
              ],
            })}
            table={{ caption: m.statsTrendTitle, head: [m.statsMonth, m.statsReceived, m.statsAccepted, m.statsReplied], rows: stats.trend.map((x) => [x.month, x.received, x.accepted, x.replied]) }}
          />
        </>
      )}
      <h2>{m.statsMethodTitle}</h2>
      <ul>
        <li>{m.statsMethod1}</li><li>{m.statsMethod2}</li><li>{m.statsMethod3}</li><li>{m.statsMethod4}</li>
      </ul>
      <p class="xs-muted">{m.statsComputedAt(showDateTime(stats.computedAt))}</p>
    </Layout>
  );
}

function BodyRow({ label, c, rate }: { label: string; c: Counts; rate: (n: number, of: number) => string }) {
  return (
    <tr>
      <th scope="row">{label}</th><td>{c.received}</td><td>{rate(c.acceptedOnTime, c.accepted)}</td><td>{rate(c.repliedOnTime, c.replied)}</td>
      <td>{rate(c.satHandling, c.rated)}</td><td>{rate(c.satResult, c.rated)}</td><td>{c.overdue}</td>
    </tr>
  );
}

/** The committee's totals in one line each. */
function Totals({ c, rate }: { c: Counts; rate: (n: number, of: number) => string }) {
  const { t } = usePage();
  const m = t.opinionsPublic;
  const rows: [string, string | number][] = [
    [m.statsReceived, c.received], [m.statsAccepted, c.accepted], [m.statsAcceptedOnTime, rate(c.acceptedOnTime, c.accepted)],
    [m.statsReplied, c.replied], [m.statsRepliedOnTime, rate(c.repliedOnTime, c.replied)], [m.statsRated, c.rated],
    [m.statsSatHandling, rate(c.satHandling, c.rated)], [m.statsSatResult, rate(c.satResult, c.rated)], [m.statsOverdue, c.overdue],
  ];
  return (
    <dl class="xs-summary" id="stats-total">
      {rows.map(([k, v]) => <Fragment key={k}><dt>{k}</dt><dd>{v}</dd></Fragment>)}
    </dl>
  );
}

