import { html, type SafeHtml } from '../../../kernel/web/html.ts';
import { formatDate, formatDateTime, formatInteger } from '../../../kernel/web/format.ts';
import { csrfField } from '../../../kernel/web/forms.ts';
import type { Evaluation } from '../../../observatoire/rules/model.ts';
import type { FeedbackIndicators, OptionCount, Window } from '../../analytics/indicators.ts';
import type { Granularity, SeriesPoint } from '../../analytics/series.ts';
import { QUESTIONS, QUESTION_LABELS } from '../../questionnaire/template.ts';

const one = (v: number | null, unit: string) => (v === null ? '–' : `${v.toFixed(1).replace('.', ',')}${unit}`);

export interface IndicatorLine {
  label: string;
  value: number | null;
  previous: number | null;
  unit: string;
  answers: number;
  level: Evaluation | null;
}

export function indicatorLines(current: FeedbackIndicators, previous: FeedbackIndicators, levels: (indicator: string, value: number | null) => Evaluation | null): IndicatorLine[] {
  return [
    { label: 'Satisfaction', value: current.satisfaction, previous: previous.satisfaction, unit: ' / 10', answers: current.answers.satisfaction, level: levels('satisfaction', current.satisfaction) },
    { label: 'Clarté du langage', value: current.clarity, previous: previous.clarity, unit: ' / 10', answers: current.answers.clarity, level: levels('simplicity', current.clarity) },
    { label: 'Aide joignable', value: current.helpReachable, previous: previous.helpReachable, unit: ' %', answers: current.answers.helpReachable, level: levels('help_reachable', current.helpReachable) },
    { label: 'Aide efficace', value: current.helpEfficient, previous: previous.helpEfficient, unit: ' / 10', answers: current.answers.helpEfficient, level: levels('help_efficient', current.helpEfficient) },
    { label: 'Niveau d’autonomie', value: current.autonomy, previous: previous.autonomy, unit: ' %', answers: current.answers.autonomy, level: levels('help_used', current.autonomy) },
  ];
}

const GRANULARITY_LABELS: Record<Granularity, string> = { day: 'par jour', week: 'par semaine', month: 'par mois' };
const COLOUR_BADGE: Record<string, string> = { green: 'success', yellow: 'warning', red: 'error', blue: 'info', gray: 'new' };

function chart(points: SeriesPoint[]): SafeHtml {
  if (points.length === 0) return html``;
  const max = Math.max(...points.map((p) => p.reviews), 1);
  const width = 640;
  const barWidth = Math.max(2, Math.floor(width / points.length) - 2);
  return html`<svg class="vigie-feedback-chart" viewBox="0 0 ${width} 170" width="100%" height="170" role="img" aria-labelledby="graphique-titre">
  <title id="graphique-titre">Nombre d’avis par période (le tableau qui suit donne les valeurs)</title>
  ${points.map((p, i) => {
    const h = Math.round((p.reviews / max) * 150);
    return html`<rect x="${i * (barWidth + 2)}" y="${160 - h}" width="${barWidth}" height="${h}" fill="#000091"></rect>`;
  })}
  <line x1="0" y1="160" x2="${width}" y2="160" stroke="#3a3a3a"></line>
</svg>`;
}

export interface DashboardData {
  procedure: { id: number; title: string };
  window: Window;
  buttonId: number | null;
  buttons: { id: number; label: string }[];
  indicators: FeedbackIndicators;
  lines: IndicatorLine[];
  minimum: number;
  granularity: Granularity;
  series: SeriesPoint[];
  counts: OptionCount[];
  versions: { form: string; formId: number; version: number; publishedAt: Date | null; retiredAt: Date | null }[];
  isPublic: boolean;
  canEdit: boolean;
  csrf: string;
}

function distribution(counts: OptionCount[], question: string): SafeHtml {
  const options = QUESTIONS[question];
  const total = counts.filter((c) => c.question === question).reduce((s, c) => s + c.count, 0);
  if (!total) return html``;
  const id = `repartition-${question}`;
  return html`<div class="fr-table"><table id="${id}">
  <caption>${QUESTION_LABELS[question].fr} (${formatInteger(total)} réponses)</caption>
  <thead><tr><th scope="col">Réponse</th><th scope="col">Nombre</th><th scope="col">Part</th></tr></thead>
  <tbody>${options.map((o) => {
    const n = counts.find((c) => c.question === question && c.optionId === o.id)?.count ?? 0;
    return html`<tr><th scope="row">${o.label.fr}</th><td>${formatInteger(n)}</td><td>${one((100 * n) / total, ' %')}</td></tr>`;
  })}</tbody>
</table></div>`;
}

export function dashboardPage(d: DashboardData): SafeHtml {
  const insufficient = d.indicators.reviews < d.minimum;
  return html`<h1>Avis usagers : ${d.procedure.title}</h1>
<p>${d.isPublic ? html`Statistiques publiques : <a href="/statistiques/avis/${d.procedure.id}">page publique de la démarche</a>.` : 'Les statistiques de cette démarche ne sont pas publiques.'}</p>
${d.canEdit
  ? html`<form method="post" action="/avis/demarches/${d.procedure.id}/statistiques/${d.isPublic ? 'retirer' : 'publier'}" class="fr-mb-3w">${csrfField(d.csrf)}
  <button type="submit" class="fr-btn fr-btn--tertiary">${d.isPublic ? 'Retirer la page publique des statistiques' : 'Rendre les statistiques publiques'}</button></form>`
  : ''}
<form method="get" action="/avis/demarches/${d.procedure.id}" class="fr-mb-4w">
  <fieldset class="fr-fieldset"><legend class="fr-fieldset__legend">Filtres</legend>
    <div class="fr-fieldset__element fr-fieldset__element--inline"><div class="fr-input-group">
      <label class="fr-label" for="champ-debut">Du</label><input class="fr-input" type="date" id="champ-debut" name="debut" value="${d.window.start}">
    </div></div>
    <div class="fr-fieldset__element fr-fieldset__element--inline"><div class="fr-input-group">
      <label class="fr-label" for="champ-fin">Au</label><input class="fr-input" type="date" id="champ-fin" name="fin" value="${d.window.end}">
    </div></div>
    <div class="fr-fieldset__element fr-fieldset__element--inline"><div class="fr-select-group">
      <label class="fr-label" for="champ-bouton">Bouton</label>
      <select class="fr-select" id="champ-bouton" name="bouton"><option value="">Tous les boutons</option>
        ${d.buttons.map((b) => html`<option value="${b.id}"${b.id === d.buttonId ? html` selected` : ''}>${b.label}</option>`)}
      </select>
    </div></div>
    <div class="fr-fieldset__element fr-fieldset__element--inline"><button type="submit" class="fr-btn">Filtrer</button></div>
  </fieldset>
</form>
<p>Du ${formatDate(d.window.start)} au ${formatDate(d.window.end)} : <strong>${formatInteger(d.indicators.reviews)} avis</strong>, dont ${formatInteger(d.indicators.verbatims)} avec un commentaire.
Les agrégats sont mis à jour dans la même transaction que chaque réponse (aucun retard).</p>
${insufficient ? html`<div class="fr-alert fr-alert--info fr-alert--sm fr-mb-3w"><p>Moins de ${formatInteger(d.minimum)} avis sur la période : les indicateurs ne seraient pas publiés dans l’observatoire (« Nombre d’avis insuffisant »).</p></div>` : ''}
<div class="fr-table"><table>
  <caption>Indicateurs de la période et évolution par rapport à la période précédente de même durée</caption>
  <thead><tr><th scope="col">Indicateur</th><th scope="col">Valeur</th><th scope="col">Niveau</th><th scope="col">Réponses</th><th scope="col">Évolution</th></tr></thead>
  <tbody>${d.lines.map((l) => {
    const delta = l.value !== null && l.previous !== null ? l.value - l.previous : null;
    return html`<tr><th scope="row">${l.label}</th><td>${one(l.value, l.unit)}</td>
      <td>${l.level ? html`<span class="fr-badge fr-badge--sm fr-badge--no-icon fr-badge--${COLOUR_BADGE[l.level.colour] ?? 'new'}">${l.level.label}</span>` : '–'}</td>
      <td>${formatInteger(l.answers)}</td><td>${delta === null ? '–' : `${delta >= 0 ? '+' : '−'}${one(Math.abs(delta), l.unit === ' %' ? ' points' : '')}`}</td></tr>`;
  })}</tbody>
</table></div>
<h2>Évolution du nombre d’avis (${GRANULARITY_LABELS[d.granularity]})</h2>
${d.series.length ? chart(d.series) : html`<p>Aucun avis sur la période.</p>`}
${d.series.length
  ? html`<div class="fr-table"><table>
  <caption>Avis et satisfaction ${GRANULARITY_LABELS[d.granularity]}</caption>
  <thead><tr><th scope="col">Période commençant le</th><th scope="col">Avis</th><th scope="col">Satisfaction</th></tr></thead>
  <tbody>${d.series.map((p) => html`<tr><th scope="row">${formatDate(p.bucket)}</th><td>${formatInteger(p.reviews)}</td><td>${one(p.satisfaction, ' / 10')}</td></tr>`)}</tbody>
</table></div>`
  : ''}
<h2>Répartition des réponses</h2>
${['satisfaction', 'clarity', 'help_tried', 'help_reached', 'help_quality'].map((q) => distribution(d.counts, q))}
<h2>Versions en ligne</h2>
<div class="fr-table"><table>
  <caption>Versions des formulaires et leurs périodes en ligne</caption>
  <thead><tr><th scope="col">Formulaire</th><th scope="col">Version</th><th scope="col">En ligne du</th><th scope="col">Au</th></tr></thead>
  <tbody>${d.versions.map((v) => html`<tr><td><a href="/avis/formulaires/${v.formId}">${v.form}</a></td><td>${v.version}</td><td>${v.publishedAt ? formatDateTime(v.publishedAt) : '–'}</td><td>${v.retiredAt ? formatDateTime(v.retiredAt) : 'aujourd’hui'}</td></tr>`)}</tbody>
</table></div>`;
}
