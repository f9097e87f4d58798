import { html, type SafeHtml } from './html.ts';

/**
 * Charts drawn on the server as SVG (readable without JavaScript), first written for the observatoire and shared by the
 * modules since the support module (issue 14) draws its contact-centre volumes with them. The caller always puts the same
 * figures in a table beside the chart.
 */

const one = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
const BLUE = '#000091';
const GRAY = '#666666';
const RED = '#ce0500';

export interface Bar {
  label: string;
  /** 0–100, null when not measured. */
  value: number | null;
  /** National goal, 0–100. */
  goal: number | null;
}

/**
 * Horizontal bars drawn on the server (readable without JavaScript); the caller puts the same figures in a table.
 * Colours are never the only carrier: every bar has its value written next to it.
 */
export function barChart(id: string, title: string, bars: Bar[]): SafeHtml {
  const rowH = 28;
  const labelW = 220;
  const barW = 360;
  const height = bars.length * rowH + 30;
  const x = (v: number) => labelW + (v / 100) * barW;
  return html`<figure class="fr-my-3w">
<svg class="obs-chart obs-chart--wide" xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${id}-titre" viewBox="0 0 ${labelW + barW + 80} ${height}" width="100%" focusable="false">
  <title id="${id}-titre">${title}</title>
  ${bars.map((b, i) => {
    const y = 10 + i * rowH;
    return html`<g>
    <text x="${labelW - 8}" y="${y + 15}" text-anchor="end" font-size="13" fill="#161616">${b.label}</text>
    <rect x="${labelW}" y="${y}" width="${barW}" height="20" fill="#eeeeee"></rect>
    ${b.value === null ? '' : html`<rect x="${labelW}" y="${y}" width="${(Math.max(0, Math.min(100, b.value)) / 100) * barW}" height="20" fill="${BLUE}"></rect>`}
    ${b.goal === null ? '' : html`<line x1="${x(b.goal)}" x2="${x(b.goal)}" y1="${y - 3}" y2="${y + 23}" stroke="${RED}" stroke-width="2" stroke-dasharray="4 2"></line>`}
    <text x="${labelW + barW + 6}" y="${y + 15}" font-size="13" fill="#161616">${b.value === null ? 'non mesuré' : `${one.format(b.value)} %`}</text>
  </g>`;
  })}
  <text x="${labelW}" y="${height - 4}" font-size="12" fill="${GRAY}">Trait rouge pointillé : objectif national</text>
</svg>
<figcaption class="fr-text--sm">${title} (les chiffres sont repris dans le tableau qui suit).</figcaption>
</figure>`;
}

export interface Point {
  label: string;
  value: number | null;
}

/** A line chart of one indicator across editions; gaps where the value is not a number. */
export function lineChart(
  id: string,
  title: string,
  points: Point[],
  range: { min: number; max: number },
  format: (v: number) => string,
): SafeHtml {
  const w = 560;
  const h = 200;
  const pad = { left: 60, right: 80, top: 15, bottom: 40 };
  const span = range.max - range.min || 1;
  const px = (i: number) =>
    pad.left + (points.length === 1 ? (w - pad.left - pad.right) / 2 : (i * (w - pad.left - pad.right)) / (points.length - 1));
  const py = (v: number) => pad.top + (1 - (Math.max(range.min, Math.min(range.max, v)) - range.min) / span) * (h - pad.top - pad.bottom);
  const segments: string[] = [];
  let current = '';
  points.forEach((p, i) => {
    if (p.value === null) {
      if (current) segments.push(current);
      current = '';
    } else current += `${current ? ' L' : 'M'}${px(i).toFixed(1)} ${py(p.value).toFixed(1)}`;
  });
  if (current) segments.push(current);
  return html`<svg class="obs-chart" xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${id}-titre" viewBox="0 0 ${w} ${h}" width="100%" focusable="false">
  <title id="${id}-titre">${title}</title>
  <line x1="${pad.left}" x2="${w - pad.right}" y1="${h - pad.bottom}" y2="${h - pad.bottom}" stroke="${GRAY}"></line>
  <text x="${pad.left - 6}" y="${py(range.max) + 4}" text-anchor="end" font-size="12" fill="#161616">${format(range.max)}</text>
  <text x="${pad.left - 6}" y="${py(range.min) + 4}" text-anchor="end" font-size="12" fill="#161616">${format(range.min)}</text>
  ${segments.map((d) => html`<path d="${d}" fill="none" stroke="${BLUE}" stroke-width="2"></path>`)}
  ${points.map(
    (p, i) => html`${p.value === null ? '' : html`<circle cx="${px(i)}" cy="${py(p.value)}" r="4" fill="${BLUE}"></circle>`}
  <text x="${px(i)}" y="${h - pad.bottom + (i % 2 ? 30 : 16)}" text-anchor="middle" font-size="11" fill="#161616">${p.label}</text>`,
  )}
</svg>`;
}

export interface Column {
  /** From 0 to the chart's `max`; drawn at least `minHeight` high. */
  value: number;
  /** Fill colour (default the DSFR blue); when colour carries a meaning, the caption says it and the table gives it in words. */
  colour?: string;
}

/**
 * Vertical columns, one per period (reviews per week, availability per day), drawn on the server; the caller puts the
 * same figures in a table after it. `width` fixes the drawing's size in pixels instead of filling its container.
 */
export function columnChart(
  id: string,
  title: string,
  columns: Column[],
  o: {
    max: number;
    plotHeight: number;
    columnWidth: number;
    gap?: number;
    minHeight?: number;
    top?: number;
    bottom?: number;
    baseline?: boolean;
    width?: number;
    fixedSize?: boolean;
    className?: string;
  },
): SafeHtml {
  const gap = o.gap ?? 2;
  const top = o.top ?? 0;
  const width = o.width ?? columns.length * (o.columnWidth + gap);
  const height = top + o.plotHeight + (o.bottom ?? 0);
  const floor = top + o.plotHeight;
  const max = o.max || 1;
  return html`<svg${o.className ? html` class="${o.className}"` : ''} viewBox="0 0 ${width} ${height}" width="${o.fixedSize ? width : '100%'}" height="${height}" role="img" aria-labelledby="${id}-titre" focusable="false">
  <title id="${id}-titre">${title}</title>
  ${columns.map((c, i) => {
    const h = Math.max(o.minHeight ?? 0, Math.round((Math.max(0, Math.min(max, c.value)) / max) * o.plotHeight));
    return html`<rect x="${i * (o.columnWidth + gap)}" y="${floor - h}" width="${o.columnWidth}" height="${h}" fill="${c.colour ?? BLUE}"></rect>`;
  })}
  ${o.baseline ? html`<line x1="0" y1="${floor}" x2="${width}" y2="${floor}" stroke="#3a3a3a"></line>` : ''}
</svg>`;
}

export interface TimePoint {
  /** Position on the time axis (e.g. weeks from a launch, negative before it). */
  t: number;
  value: number;
}

/**
 * A series over time as a line from 0 to `max`, with a dashed vertical marker (a launch) at `marker.t`; the caller
 * puts the same values in a table after it.
 */
export function timeLineChart(
  id: string,
  title: string,
  points: TimePoint[],
  o: { max: number; marker?: { t: number; label: string } },
): SafeHtml {
  const w = 600;
  const h = 180;
  const ts = points.map((p) => p.t);
  const tMin = Math.min(...ts, o.marker ? o.marker.t - 1 : Number.POSITIVE_INFINITY);
  const tMax = Math.max(...ts, o.marker ? o.marker.t + 1 : Number.NEGATIVE_INFINITY);
  const x = (t: number) => 40 + ((t - tMin) / (tMax - tMin || 1)) * (w - 60);
  const y = (v: number) => 10 + (1 - v / o.max) * (h - 40);
  const line = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  return html`<svg viewBox="0 0 ${w} ${h}" width="100%" height="${h}" role="img" aria-labelledby="${id}-titre" focusable="false">
  <title id="${id}-titre">${title}</title>
  <line x1="40" y1="${y(0)}" x2="${w - 20}" y2="${y(0)}" stroke="#3a3a3a"></line>
  ${
    o.marker
      ? html`<line x1="${x(o.marker.t)}" y1="10" x2="${x(o.marker.t)}" y2="${y(0)}" stroke="${RED}" stroke-dasharray="4 3"></line>
  <text x="${x(o.marker.t) + 4}" y="22" font-size="12" fill="#3a3a3a">${o.marker.label}</text>`
      : ''
  }
  <text x="4" y="${y(o.max) + 4}" font-size="12" fill="#3a3a3a">${o.max}</text>
  <text x="4" y="${y(0)}" font-size="12" fill="#3a3a3a">0</text>
  <path d="${line}" fill="none" stroke="${BLUE}" stroke-width="2"></path>
</svg>`;
}

export interface TimelineMark {
  /** Its date, YYYY-MM-DD. */
  on: string;
  /** When colour carries a meaning, the caption says it and the table gives it in words. */
  colour: string;
  /** A dot (default) or a diamond (a goal, a deadline). */
  shape?: 'dot' | 'diamond';
}

export interface TimelineRow {
  /** Cut to 38 characters in the drawing (the table beside it gives it whole). */
  label: string;
  /** Drawn in this order; with two or more, a gray line joins the first date to the last. */
  marks: TimelineMark[];
}

const DAY = 86_400_000;
const dayOf = (d: string) => Date.parse(`${d}T00:00:00Z`);

/**
 * Dated marks on a time axis, one row per item (a procedure's milestones and target date), drawn on the server: the
 * axis spans every date and `today` with 15 days either side, a gridline at each 1 January, today as a red dashed line.
 * A figure captioned `caption`; the caller puts the same dates in a table after it.
 */
export function timelineChart(id: string, title: string, rows: TimelineRow[], o: { today: string; caption: string }): SafeHtml {
  const dates = [o.today, ...rows.flatMap((r) => r.marks.map((m) => m.on))];
  const min = Math.min(...dates.map(dayOf)) - 15 * DAY;
  const max = Math.max(...dates.map(dayOf)) + 15 * DAY;
  const left = 260;
  const width = 900;
  const rowH = 22;
  const top = 30;
  const x = (d: string) => left + ((dayOf(d) - min) / (max - min)) * (width - left - 10);
  const height = top + rows.length * rowH + 10;
  const years: number[] = [];
  for (let y = new Date(min).getUTCFullYear() + 1; y <= new Date(max).getUTCFullYear(); y++) years.push(y);
  const xToday = x(o.today);
  return html`<figure class="fr-my-3w"><svg role="img" aria-labelledby="${id}-titre" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px">
<title id="${id}-titre">${title}</title>
${years.map((year) => {
  const xi = x(`${year}-01-01`);
  return html`<line x1="${xi}" y1="${top - 10}" x2="${xi}" y2="${height}" stroke="#ddd"/><text x="${xi + 2}" y="${top - 14}" font-size="12" fill="#3a3a3a">${year}</text>`;
})}${rows.map((r, i) => {
  const y = top + i * rowH + rowH / 2;
  const label = r.label.length > 38 ? `${r.label.slice(0, 37)}…` : r.label;
  const ds = r.marks.map((m) => m.on);
  const first = ds.reduce((a, b) => (a < b ? a : b), ds[0]);
  const last = ds.reduce((a, b) => (a > b ? a : b), ds[0]);
  return html`<text x="4" y="${y + 4}" font-size="12" fill="#161616">${label}</text>${
    ds.length > 1 ? html`<line x1="${x(first)}" y1="${y}" x2="${x(last)}" y2="${y}" stroke="#929292"/>` : ''
  }${r.marks.map((m) => {
    const xm = x(m.on);
    return m.shape === 'diamond'
      ? html`<path d="M${xm} ${y - 7} L${xm + 7} ${y} L${xm} ${y + 7} L${xm - 7} ${y} Z" fill="${m.colour}"/>`
      : html`<circle cx="${xm}" cy="${y}" r="5" fill="${m.colour}"/>`;
  })}`;
})}<line x1="${xToday}" y1="${top - 10}" x2="${xToday}" y2="${height}" stroke="${RED}" stroke-dasharray="4 3"/><text x="${xToday + 3}" y="${height - 2}" font-size="11" fill="${RED}">aujourd’hui</text></svg>
<figcaption>${o.caption}</figcaption></figure>`;
}
