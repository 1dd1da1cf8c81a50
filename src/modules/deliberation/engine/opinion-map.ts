/**
 * The opinion map: a small, server-rendered SVG (no script) of participants on the two axes, and a
 * text alternative carrying the same information.
 *
 * Readable without colour: every group has its own mark shape, its own hatch pattern on the group's
 * region (a 2-σ ellipse) and a letter label with its size. Points are bucketed on a grid per group
 * (a mark's area grows with the number of participants in the cell), so the SVG stays small however
 * many people took part (≈ 15–25 KB at 33k participants).
 */
import type { DeliberationResult } from './types.js';
import { describeOpinionMap, mapText, type MapTextOptions } from './opinion-map-text.js';

export interface OpinionMapOptions extends MapTextOptions {
  width?: number;
  height?: number;
  /** Prefix of the ids inside the SVG; use distinct prefixes for several maps on one page. */
  idPrefix?: string;
  /** Also draw participants that are not in any group (grey, small). Default false. */
  includeUnplaced?: boolean;
  /** Upper bound on drawn marks; the grid is coarsened until it fits. Default 600. */
  maxMarks?: number;
}

/** Okabe–Ito colours, distinguishable with the common colour-vision deficiencies. */
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'];
const UNPLACED = '#8a8a8a';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const num = (x: number) => String(Math.round(x * 10) / 10);

function markPath(shape: number, x: number, y: number, r: number): string {
  const d = num(2 * r);
  switch (shape % 5) {
    case 0:
      return `M${num(x - r)} ${num(y)}a${num(r)} ${num(r)} 0 1 0 ${d} 0a${num(r)} ${num(r)} 0 1 0 -${d} 0`;
    case 1:
      return `M${num(x - r)} ${num(y - r)}h${d}v${d}h-${d}z`;
    case 2:
      return `M${num(x)} ${num(y - r)}l${num(r)} ${num(1.7 * r)}h-${d}z`;
    case 3:
      return `M${num(x)} ${num(y - r)}l${num(r)} ${num(r)}l-${num(r)} ${num(r)}l-${num(r)} -${num(r)}z`;
    default:
      return `M${num(x)} ${num(y + r)}l${num(r)} -${num(1.7 * r)}h-${d}z`;
  }
}

/** Hatch pattern per group: different angle / style so regions differ without colour. */
function pattern(id: string, g: number, colour: string): string {
  const angle = [45, -45, 0, 90, 30][g % 5]!;
  const dots = g % 5 === 4;
  const body = dots ? `<circle cx="3" cy="3" r="1.2" fill="${colour}"/>` : `<path d="M0 3h6" stroke="${colour}" stroke-width="1.4"/>`;
  return `<pattern id="${id}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(${angle})">${body}</pattern>`;
}

/** Half-extent of the frame: the largest |value|, but at most 2.5 × the 90th percentile (far outliers are clamped to the frame). */
function extent(values: number[]): number {
  if (values.length === 0) return 1;
  const a = values.map(Math.abs).sort((x, y) => x - y);
  const v = Math.min(a[a.length - 1]!, 2.5 * a[Math.floor(a.length * 0.9)]!);
  return v > 0 ? v * 1.08 : 1;
}

export function renderOpinionMapSvg(result: DeliberationResult, opts: OpinionMapOptions = {}): string {
  const W = opts.width ?? 640;
  const H = opts.height ?? 480;
  const id = (opts.idPrefix ?? 'xs-om').replace(/[^A-Za-z0-9_-]/g, '');
  const text = mapText(opts);
  const summary = describeOpinionMap(result, opts);
  const legendH = 28 + 20 * Math.ceil(Math.max(1, result.groups.length) / 3);
  const plot = { x0: 16, y0: 16, x1: W - 16, y1: H - legendH - 8 };
  const P = result.participants;
  const rows: number[] = [];
  for (let r = 0; r < P.ids.length; r++) if (P.voteCount[r]! > 0 && (P.groupId[r]! >= 0 || opts.includeUnplaced)) rows.push(r);
  const ex = extent(rows.map((r) => P.x[r]!));
  const ey = extent(rows.map((r) => P.y[r]!));
  const cx = (plot.x0 + plot.x1) / 2;
  const cy = (plot.y0 + plot.y1) / 2;
  const sx = (plot.x1 - plot.x0) / 2 / ex;
  const sy = (plot.y1 - plot.y0) / 2 / ey;
  const px = (x: number) => Math.min(plot.x1, Math.max(plot.x0, cx + x * sx));
  const py = (y: number) => Math.min(plot.y1, Math.max(plot.y0, cy - y * sy));

  // Bucket per (group, cell); coarsen the grid until the marks fit.
  const maxMarks = opts.maxMarks ?? 600;
  let cols = 48;
  let buckets = new Map<number, { g: number; n: number; x: number; y: number }>();
  for (;;) {
    const rowsN = Math.max(1, Math.round((cols * (plot.y1 - plot.y0)) / (plot.x1 - plot.x0)));
    buckets = new Map();
    const nG = result.groups.length + 1;
    for (const r of rows) {
      const x = px(P.x[r]!);
      const y = py(P.y[r]!);
      const i = Math.min(cols - 1, Math.floor(((x - plot.x0) / (plot.x1 - plot.x0)) * cols));
      const j = Math.min(rowsN - 1, Math.floor(((y - plot.y0) / (plot.y1 - plot.y0)) * rowsN));
      const g = P.groupId[r]!;
      const key = (j * cols + i) * nG + (g + 1);
      const b = buckets.get(key);
      if (b) {
        b.n++;
        b.x += x;
        b.y += y;
      } else buckets.set(key, { g, n: 1, x, y });
    }
    if (buckets.size <= maxMarks || cols <= 4) break;
    cols = Math.max(4, Math.floor(cols * 0.75));
  }
  const cell = (plot.x1 - plot.x0) / cols;
  let maxN = 1;
  for (const b of buckets.values()) maxN = Math.max(maxN, b.n);
  const paths = new Map<number, string[]>();
  for (const key of [...buckets.keys()].sort((a, b) => a - b)) {
    const b = buckets.get(key)!;
    const r = Math.max(1.8, Math.min(cell * 0.55, 1.8 + (cell * 0.55 - 1.8) * Math.sqrt(b.n / maxN)));
    const list = paths.get(b.g) ?? [];
    list.push(markPath(b.g < 0 ? 0 : b.g, b.x / b.n, b.y / b.n, b.g < 0 ? 1.5 : r));
    paths.set(b.g, list);
  }

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(summary.title)}" aria-labelledby="${id}-t ${id}-d" font-family="sans-serif" font-size="13">`,
    `<title id="${id}-t">${esc(summary.title)}</title>`,
    `<desc id="${id}-d">${esc(summary.description)}</desc>`,
    `<defs>${result.groups.map((g) => pattern(`${id}-p${g.id}`, g.id, COLOURS[g.id % COLOURS.length]!)).join('')}</defs>`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="#fff"/>`,
    `<g stroke="#bbb" stroke-width="1"><path d="M${plot.x0} ${num(cy)}H${plot.x1}M${num(cx)} ${plot.y0}V${plot.y1}"/></g>`,
    `<g fill="#555" font-size="11"><text x="${plot.x1}" y="${num(cy - 4)}" text-anchor="end">${esc(text.axis1)}</text><text x="${num(cx + 4)}" y="${plot.y0 + 10}">${esc(text.axis2)}</text></g>`,
  );
  // Group regions: 2-σ ellipses of the members' projections, hatched.
  for (const g of result.groups) {
    const e = ellipse(result, g.id, sx, -sy);
    if (!e) continue;
    const colour = COLOURS[g.id % COLOURS.length]!;
    const ex0 = num(Math.min(plot.x1, Math.max(plot.x0, cx + e.cx)));
    const ey0 = num(Math.min(plot.y1, Math.max(plot.y0, cy + e.cy)));
    out.push(
      `<ellipse cx="${ex0}" cy="${ey0}" rx="${num(Math.max(6, e.a))}" ry="${num(Math.max(6, e.b))}" transform="rotate(${num(e.angle)} ${ex0} ${ey0})" fill="url(#${id}-p${g.id})" fill-opacity="0.35" stroke="${colour}" stroke-dasharray="${g.id % 2 ? '6 3' : '2 2'}"/>`,
    );
  }
  if (paths.has(-1)) out.push(`<path fill="${UNPLACED}" fill-opacity="0.5" d="${paths.get(-1)!.join('')}"/>`);
  for (const g of result.groups) {
    const colour = COLOURS[g.id % COLOURS.length]!;
    const d = paths.get(g.id);
    if (d) out.push(`<path fill="${colour}" fill-opacity="0.7" stroke="#222" stroke-width="0.6" d="${d.join('')}"/>`);
  }
  // Labels at group centres, with a white halo.
  for (const g of summary.groups) {
    const grp = result.groups[g.id]!;
    out.push(
      `<text x="${num(px(grp.centre[0]))}" y="${num(py(grp.centre[1]) - 12)}" text-anchor="middle" font-weight="bold" stroke="#fff" stroke-width="4" paint-order="stroke" fill="#111">${esc(`${g.label} · ${g.size}`)}</text>`,
    );
  }
  // Legend: shape + pattern swatch + label.
  const ly = plot.y1 + 18;
  out.push(`<g font-size="12">`);
  summary.groups.forEach((g, i) => {
    const colour = COLOURS[g.id % COLOURS.length]!;
    const x = 20 + (i % 3) * ((W - 40) / 3);
    const y = ly + 20 * Math.floor(i / 3);
    out.push(
      `<rect x="${num(x)}" y="${num(y - 9)}" width="22" height="12" fill="url(#${id}-p${g.id})" stroke="${colour}"/>`,
      `<path fill="${colour}" stroke="#222" stroke-width="0.6" d="${markPath(g.id, x + 32, y - 3, 5)}"/>`,
      `<text x="${num(x + 42)}" y="${num(y + 1)}">${esc(g.legend)}</text>`,
    );
  });
  if (summary.groups.length === 0) out.push(`<text x="20" y="${ly}">${esc(text.noGroups)}</text>`);
  out.push(`</g></svg>`);
  return out.join('');
}

/**
 * 2-σ covariance ellipse of a group's projections in pixel offsets from the plot centre (x scaled by
 * kx, y by ky): semi-axes a ≥ b, rotation in degrees as SVG applies it.
 */
function ellipse(result: DeliberationResult, group: number, kx: number, ky: number): { cx: number; cy: number; a: number; b: number; angle: number } | null {
  const P = result.participants;
  let n = 0;
  let mx = 0;
  let my = 0;
  for (let r = 0; r < P.ids.length; r++) {
    if (P.groupId[r] !== group) continue;
    n++;
    mx += P.x[r]! * kx;
    my += P.y[r]! * ky;
  }
  if (n < 2) return null;
  mx /= n;
  my /= n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let r = 0; r < P.ids.length; r++) {
    if (P.groupId[r] !== group) continue;
    const dx = P.x[r]! * kx - mx;
    const dy = P.y[r]! * ky - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  sxx /= n;
  syy /= n;
  sxy /= n;
  const mean = (sxx + syy) / 2;
  const disc = Math.sqrt(((sxx - syy) / 2) ** 2 + sxy * sxy);
  const angle = (0.5 * Math.atan2(2 * sxy, sxx - syy) * 180) / Math.PI;
  return { cx: mx, cy: my, a: 2 * Math.sqrt(mean + disc), b: 2 * Math.sqrt(Math.max(0, mean - disc)), angle };
}
