import { BarChart, LineChart } from 'echarts/charts';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import type { GridComponentOption, LegendComponentOption } from 'echarts/components';
import { type ComposeOption, init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

// Charts drawn on the server with Apache ECharts' SVG renderer and inlined in the page:
// no client script, so they show without JavaScript. Only the chart types we draw are
// loaded. The markup is tidied for our Content-Security-Policy (no <style> element or
// style attributes, which the CSP would block) and named for assistive technology.

use([BarChart, LineChart, GridComponent, LegendComponent, SVGRenderer]);

export type ChartOption = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption>;

/** Text in charts: the page's font stack (no quotes: ECharts does not escape its style attribute) and its text colour. */
export const CHART_TEXT = { fontFamily: 'system-ui, PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif', fontSize: 13, color: '#1b1b1b' };
/**
 * Series colours with at least 3:1 contrast against white (WCAG 1.4.11), distinct in
 * lightness as well as hue; series are also told apart by the legend and the data table.
 */
export const CHART_COLOURS = ['#1d4f91', '#b35900', '#00703c', '#6f2da8'];

export interface ChartSize { width: number; height: number }

/** Renders an option to an SVG string with `role="img"` and the accessible name `label`. */
export function renderSvg(option: ChartOption, size: ChartSize, label: string): string {
  const chart = init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption({ animation: false, color: CHART_COLOURS, textStyle: CHART_TEXT, ...option });
    return tidy(chart.renderToSVGString(), label);
  } finally {
    chart.dispose();
  }
}

const escapeAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** CSS declarations of a style attribute as SVG presentation attributes (font only: what ECharts writes there). */
function styleToAttributes(style: string): string {
  const out: string[] = [];
  for (const decl of style.split(';')) {
    const i = decl.indexOf(':');
    if (i < 0) continue;
    const prop = decl.slice(0, i).trim();
    const value = decl.slice(i + 1).trim();
    if (/^(font-size|font-family|font-weight|font-style)$/.test(prop) && value) out.push(`${prop}="${escapeAttr(value)}"`);
  }
  return out.length ? ` ${out.join(' ')}` : '';
}

/** Exported for tests: what the browser receives. */
export function tidy(svg: string, label: string): string {
  const out = svg
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/ class="zr\d+-cls-\d+"/g, '')
    .replace(/ ecmeta_[a-z_]+="[^"]*"/g, '')
    .replace(/ pointer-events="visible"/g, '')
    .replace(/ style="([^"]*)"/g, (_m, s: string) => styleToAttributes(s))
    // The root keeps only its viewBox: the page's CSS sizes it to the column.
    .replace(/^\s*<svg[^>]*?( viewBox="[^"]*")[^>]*>/, (_m, viewBox: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg"${viewBox} role="img" aria-label="${escapeAttr(label)}" focusable="false">`)
    .replace(/\n/g, '');
  // An ECharts upgrade that changed the root element must not silently drop the chart's name.
  if (!out.startsWith('<svg xmlns="http://www.w3.org/2000/svg" viewBox=')) throw new Error('unexpected SVG root from ECharts');
  return out;
}
