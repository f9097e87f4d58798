/** Pieces shared by the dashboards of a procedure, an administration and a ministry. */
import { html, type SafeHtml } from '../../../kernel/web/html.ts';
import { columnChart } from '../../../kernel/web/charts.ts';
import { formatDate, formatInteger } from '../../../kernel/web/format.ts';
import type { Evaluation } from '../../../observatoire/index.ts';
import type { FeedbackIndicatorKey, FeedbackIndicators, Window } from '../../analytics/indicators.ts';
import { SHARE_INDICATORS } from '../../analytics/indicators.ts';
import {
  changeBadge,
  flagChanges,
  momentsDifference,
  pValueText,
  straddles,
  uncertainBadge,
  type ChangeFlag,
  type Estimate,
} from '../../../kernel/stats/index.ts';
import type { Granularity, SeriesPoint } from '../../analytics/series.ts';

export const one = (v: number | null, unit: string) => (v === null ? '–' : `${v.toFixed(1).replace('.', ',')}${unit}`);

export interface IndicatorLine {
  label: string;
  value: number | null;
  previous: number | null;
  unit: string;
  answers: number;
  level: Evaluation | null;
  /** 95 % interval and n (docs/statistics.md). */
  estimate: Estimate | null;
  /** The interval straddles a threshold of the level: « incertain ». */
  uncertain: boolean;
  /** Against the previous window: the test's p-value, adjusted (Benjamini–Hochberg over the five indicators), and the flag. */
  change: {
    difference: number;
    lower: number;
    upper: number;
    pValue: number | null;
    adjusted: number | null;
    significant: boolean;
    flag: ChangeFlag;
  } | null;
}

const LINES: { key: FeedbackIndicatorKey; label: string; slug: string; unit: string }[] = [
  { key: 'satisfaction', label: 'Satisfaction', slug: 'satisfaction', unit: ' / 10' },
  { key: 'clarity', label: 'Clarté du langage', slug: 'simplicity', unit: ' / 10' },
  { key: 'helpReachable', label: 'Aide joignable', slug: 'help_reachable', unit: ' %' },
  { key: 'helpEfficient', label: 'Aide efficace', slug: 'help_efficient', unit: ' / 10' },
  { key: 'autonomy', label: 'Niveau d’autonomie', slug: 'help_used', unit: ' %' },
];

export function indicatorLines(
  current: FeedbackIndicators,
  previous: FeedbackIndicators,
  levels: (indicator: string, value: number | null) => Evaluation | null,
  thresholds: (indicator: string) => number[] = () => [],
): IndicatorLine[] {
  const differences = LINES.map((l) => {
    const share = SHARE_INDICATORS.includes(l.key);
    return momentsDifference(share ? 'share' : 'mean', previous.moments[l.key], current.moments[l.key], share ? 100 : 1);
  });
  const flags = flagChanges(differences);
  return LINES.map((l, i) => {
    const value = current[l.key];
    const level = levels(l.slug, value);
    const estimate = current.estimates[l.key];
    const d = differences[i];
    const f = flags[i];
    return {
      label: l.label,
      value,
      previous: previous[l.key],
      unit: l.unit,
      answers: current.answers[l.key],
      level,
      estimate,
      uncertain: !!estimate && !!level && level.colour !== 'gray' && straddles(estimate, thresholds(l.slug)),
      change: d && f ? { ...d, ...f } : null,
    };
  });
}

const GRANULARITY_LABELS: Record<Granularity, string> = { day: 'par jour', week: 'par semaine', month: 'par mois' };
const COLOUR_BADGE: Record<string, string> = { green: 'success', yellow: 'warning', red: 'error', blue: 'info', gray: 'new' };

/** The window filter (GET, works without JavaScript); `extra` adds fields before the submit button. */
export function windowFilter(action: string, window: Window, extra: SafeHtml = html``): SafeHtml {
  return html`<form method="get" action="${action}" class="fr-mb-4w">
  <fieldset class="fr-fieldset"><legend class="fr-fieldset__legend">Filtres</legend>
    <div class="fr-fieldset__element fr-fieldset__element--inline"><div class="fr-input-group">
      <label class="fr-label" for="champ-debut">Du</label><input class="fr-input" type="date" id="champ-debut" name="debut" value="${window.start}">
    </div></div>
    <div class="fr-fieldset__element fr-fieldset__element--inline"><div class="fr-input-group">
      <label class="fr-label" for="champ-fin">Au</label><input class="fr-input" type="date" id="champ-fin" name="fin" value="${window.end}">
    </div></div>
    ${extra}
    <div class="fr-fieldset__element fr-fieldset__element--inline"><button type="submit" class="fr-btn">Filtrer</button></div>
  </fieldset>
</form>`;
}

/** « Du … au … : N avis », and the notice when there are fewer reviews than the observatoire's minimum. */
export function periodSummary(window: Window, indicators: FeedbackIndicators, minimum: number): SafeHtml {
  return html`<p>Du ${formatDate(window.start)} au ${formatDate(window.end)} : <strong>${formatInteger(indicators.reviews)} avis</strong>, dont ${formatInteger(indicators.verbatims)} avec un commentaire.
Les agrégats sont mis à jour dans la même transaction que chaque réponse (aucun retard).</p>
${indicators.reviews < minimum ? html`<div class="fr-alert fr-alert--info fr-alert--sm fr-mb-3w"><p>Moins de ${formatInteger(minimum)} avis sur la période : les indicateurs ne seraient pas publiés dans l’observatoire (« Nombre d’avis insuffisant »).</p></div>` : ''}`;
}

/** The indicators with their level (observatoire rules) and their change against the previous window. */
export function indicatorsTable(lines: IndicatorLine[]): SafeHtml {
  return html`<div class="fr-table"><table>
  <caption>Indicateurs de la période et évolution par rapport à la période précédente de même durée</caption>
  <thead><tr><th scope="col">Indicateur</th><th scope="col">Valeur</th><th scope="col">Niveau</th><th scope="col">Intervalle de confiance à 95 %</th><th scope="col">Réponses</th><th scope="col">Test de l’évolution</th><th scope="col">Évolution</th></tr></thead>
  <tbody>${lines.map((l) => {
    const delta = l.value !== null && l.previous !== null ? l.value - l.previous : null;
    return html`<tr><th scope="row">${l.label}</th><td>${one(l.value, l.unit)}</td>
      <td>${l.level ? html`<span class="fr-badge fr-badge--sm fr-badge--no-icon fr-badge--${COLOUR_BADGE[l.level.colour] ?? 'new'}">${l.level.label}</span>${uncertainBadge(l.uncertain)}` : '–'}</td>
      <td>${l.estimate ? `${one(l.estimate.lower, '')} à ${one(l.estimate.upper, l.unit)}` : '–'}</td>
      <td>${formatInteger(l.answers)}</td>
      <td>${l.change ? html`${changeBadge(l.change.flag)} <span class="fr-text--xs">(${pValueText(l.change.pValue)})</span>` : '–'}</td>
      <td>${delta === null ? '–' : `${delta >= 0 ? '+' : '−'}${one(Math.abs(delta), l.unit === ' %' ? ' points' : '')}`}</td></tr>`;
  })}</tbody>
</table></div>
<p class="fr-text--sm">Intervalle de confiance à 95 % : la plage où se trouve vraisemblablement la valeur, compte tenu du nombre de réponses. « incertain » : l’intervalle chevauche un seuil de niveau. « hausse significative » ou « baisse significative » : le test (deux proportions ou Welch) le confirme après correction de Benjamini–Hochberg sur les cinq indicateurs ; sinon « stable ». <a href="/aide/statistiques">Comprendre les intervalles et les tests</a></p>`;
}

function chart(points: SeriesPoint[]): SafeHtml {
  if (points.length === 0) return html``;
  return columnChart(
    'graphique',
    'Nombre d’avis par période (le tableau qui suit donne les valeurs)',
    points.map((p) => ({ value: p.reviews })),
    {
      max: Math.max(...points.map((p) => p.reviews), 1),
      plotHeight: 150,
      top: 10,
      bottom: 10,
      baseline: true,
      width: 640,
      columnWidth: Math.max(2, Math.floor(640 / points.length) - 2),
      className: 'vigie-feedback-chart',
    },
  );
}

/** The time series: a bar chart of the reviews and the table that gives its values (and the satisfaction). */
export function seriesSection(series: SeriesPoint[], granularity: Granularity): SafeHtml {
  return html`<h2>Évolution du nombre d’avis (${GRANULARITY_LABELS[granularity]})</h2>
${series.length ? chart(series) : html`<p>Aucun avis sur la période.</p>`}
${
  series.length
    ? html`<div class="fr-table"><table>
  <caption>Avis et satisfaction ${GRANULARITY_LABELS[granularity]}</caption>
  <thead><tr><th scope="col">Période commençant le</th><th scope="col">Avis</th><th scope="col">Satisfaction</th></tr></thead>
  <tbody>${series.map((p) => html`<tr><th scope="row">${formatDate(p.bucket)}</th><td>${formatInteger(p.reviews)}</td><td>${one(p.satisfaction, ' / 10')}</td></tr>`)}</tbody>
</table></div>`
    : ''
}`;
}
