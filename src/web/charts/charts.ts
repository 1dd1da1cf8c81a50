import { CHART_TEXT, type ChartOption, renderSvg } from './svg.js';

// The few chart shapes the portal draws. Each returns inline SVG markup named by `label`
// (the chart's title and where its data table is); the caller shows that table too.

export interface Series { name: string; values: (number | null)[] }

export interface BarSpec {
  label: string;
  categories: string[];
  series: Series[];
  /** Bars grow to the right with category names on the left: best for long Chinese names. */
  horizontal?: boolean;
  /** One bar per category with the series stacked in it (otherwise grouped side by side). */
  stacked?: boolean;
  /** Values are percentages: the axis runs to 100 and labels end in %. */
  percent?: boolean;
  /** Writes each bar's value beside it. */
  valueLabels?: boolean;
}

export interface LineSpec { label: string; categories: string[]; series: Series[]; percent?: boolean }

// Drawn for a phone's column; the page's CSS lets it grow a third wider on larger screens.
const WIDTH = 420;
const axisText = { color: CHART_TEXT.color, fontSize: 12 };
const legend = { top: 0, left: 0, textStyle: { color: CHART_TEXT.color }, itemGap: 16 } as const;
const grid = (top: number) => ({ left: 4, right: 36, top, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' } as const);

/** A (grouped or stacked) bar chart. */
export function barChartSvg(spec: BarSpec): string {
  const { categories, series, horizontal = false, stacked = false, percent = false, valueLabels = true } = spec;
  const perCategory = horizontal ? (stacked ? 1 : series.length) * 16 + 14 : 0;
  const height = horizontal ? 44 + Math.max(categories.length, 1) * perCategory : 280;
  const categoryAxis = {
    type: 'category' as const, data: categories, inverse: horizontal,
    axisLabel: horizontal ? { ...axisText, width: 130, overflow: 'truncate' as const } : { ...axisText, interval: 0, rotate: categories.length > 6 ? 40 : 0 },
    axisTick: { show: false }, axisLine: { lineStyle: { color: '#505a5f' } },
  };
  const valueAxis = {
    type: 'value' as const, max: percent ? 100 : undefined, minInterval: percent ? undefined : 1,
    axisLabel: { ...axisText, formatter: percent ? '{value}%' : '{value}' }, splitLine: { lineStyle: { color: '#dcdcdc' } },
  };
  const option: ChartOption = {
    legend: series.length > 1 ? legend : { show: false },
    grid: grid(series.length > 1 ? 34 : 8),
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series: series.map((s) => ({
      type: 'bar' as const, name: s.name, data: s.values.map((v) => v ?? '-'), stack: stacked ? 'all' : undefined,
      barMaxWidth: 28, silent: true, emphasis: { disabled: true },
      label: { show: valueLabels, position: stacked ? 'inside' : horizontal ? 'right' : 'top', color: stacked ? '#ffffff' : CHART_TEXT.color, fontSize: 12, formatter: percent ? '{c}%' : '{c}' },
    })),
  };
  return renderSvg(option, { width: WIDTH, height }, spec.label);
}

const SYMBOLS = ['circle', 'rect', 'triangle', 'diamond'];
const DASHES = ['solid', 'dashed', 'dotted', 'solid'] as const;

/** A line chart over ordered categories (months); series differ in colour, marker and dash. */
export function lineChartSvg(spec: LineSpec): string {
  const { categories, series, percent = false } = spec;
  const option: ChartOption = {
    legend: legend,
    grid: grid(34),
    xAxis: { type: 'category', data: categories, boundaryGap: false, axisLabel: { ...axisText, rotate: categories.length > 8 ? 40 : 0 }, axisLine: { lineStyle: { color: '#505a5f' } } },
    yAxis: { type: 'value', max: percent ? 100 : undefined, minInterval: 1, axisLabel: { ...axisText, formatter: percent ? '{value}%' : '{value}' }, splitLine: { lineStyle: { color: '#dcdcdc' } } },
    series: series.map((s, i) => ({
      type: 'line' as const, name: s.name, data: s.values.map((v) => v ?? '-'), silent: true, emphasis: { disabled: true },
      symbol: SYMBOLS[i % SYMBOLS.length], symbolSize: 7, lineStyle: { width: 2, type: DASHES[i % DASHES.length] },
    })),
  };
  return renderSvg(option, { width: WIDTH, height: 280 }, spec.label);
}
