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
