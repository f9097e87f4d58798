import { html, type SafeHtml } from '../../../kernel/web/html.ts';
import { formatDateTime, formatInteger } from '../../../kernel/web/format.ts';
import { csrfField } from '../../../kernel/web/forms.ts';
import type { FeedbackIndicators, OptionCount, Window } from '../../analytics/indicators.ts';
import type { Granularity, SeriesPoint } from '../../analytics/series.ts';
import { QUESTIONS, QUESTION_LABELS } from '../../questionnaire/template.ts';
import { indicatorsTable, one, periodSummary, seriesSection, windowFilter, type IndicatorLine } from './dashboard-parts.ts';

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

/**
 * The share of each answer to a question. Single-choice questions: answers ÷ all answers. « Avez-vous cherché de
 * l'aide ? » is multiple-choice: each box ÷ the reviews that answered the question (the autonomy indicator's
 * denominator), so « Je n'ai pas eu besoin d'aide » shows the autonomy level and the shares may add up to more than 100 %.
 */
export function distribution(counts: OptionCount[], question: string): SafeHtml {
  const options = QUESTIONS[question];
  const own = counts.filter((c) => c.question === question && c.optionId !== '_answered');
  const multiple = question === 'help_tried';
  const total = multiple
    ? counts.filter((c) => c.question === question && c.optionId === '_answered').reduce((s, c) => s + c.count, 0)
    : own.reduce((s, c) => s + c.count, 0);
  if (!total) return html``;
  const id = `repartition-${question}`;
  return html`<div class="fr-table"><table id="${id}">
  <caption>${QUESTION_LABELS[question].fr} (${
    multiple
      ? `${formatInteger(total)} avis ayant répondu ; plusieurs réponses possibles, la part est calculée sur ces avis`
      : `${formatInteger(total)} réponses`
  })</caption>
  <thead><tr><th scope="col">Réponse</th><th scope="col">Nombre</th><th scope="col">Part</th></tr></thead>
  <tbody>${options.map((o) => {
    const n = own.find((c) => c.optionId === o.id)?.count ?? 0;
    return html`<tr><th scope="row">${o.label.fr}</th><td>${formatInteger(n)}</td><td>${one((100 * n) / total, ' %')}</td></tr>`;
  })}</tbody>
</table></div>`;
}

export function dashboardPage(d: DashboardData): SafeHtml {
  return html`<h1>Avis usagers : ${d.procedure.title}</h1>
<p>${d.isPublic ? html`Statistiques publiques : <a href="/statistiques/avis/${d.procedure.id}">page publique de la démarche</a>.` : 'Les statistiques de cette démarche ne sont pas publiques.'}</p>
${
  d.canEdit
    ? html`<form method="post" action="/avis/demarches/${d.procedure.id}/statistiques/${d.isPublic ? 'retirer' : 'publier'}" class="fr-mb-3w">${csrfField(d.csrf)}
  <button type="submit" class="fr-btn fr-btn--tertiary">${d.isPublic ? 'Retirer la page publique des statistiques' : 'Rendre les statistiques publiques'}</button></form>`
    : ''
}
${windowFilter(
  `/avis/demarches/${d.procedure.id}`,
  d.window,
  html`<div class="fr-fieldset__element fr-fieldset__element--inline"><div class="fr-select-group">
      <label class="fr-label" for="champ-bouton">Bouton</label>
      <select class="fr-select" id="champ-bouton" name="bouton"><option value="">Tous les boutons</option>
        ${d.buttons.map((b) => html`<option value="${b.id}"${b.id === d.buttonId ? html` selected` : ''}>${b.label}</option>`)}
      </select>
    </div></div>`,
)}
${periodSummary(d.window, d.indicators, d.minimum)}
${indicatorsTable(d.lines)}
${seriesSection(d.series, d.granularity)}
<h2>Répartition des réponses</h2>
${['satisfaction', 'clarity', 'help_tried', 'help_reached', 'help_quality'].map((q) => distribution(d.counts, q))}
<h2>Versions en ligne</h2>
<div class="fr-table"><table>
  <caption>Versions des formulaires et leurs périodes en ligne</caption>
  <thead><tr><th scope="col">Formulaire</th><th scope="col">Version</th><th scope="col">En ligne du</th><th scope="col">Au</th></tr></thead>
  <tbody>${d.versions.map((v) => html`<tr><td><a href="/avis/formulaires/${v.formId}">${v.form}</a></td><td>${v.version}</td><td>${v.publishedAt ? formatDateTime(v.publishedAt) : '–'}</td><td>${v.retiredAt ? formatDateTime(v.retiredAt) : 'aujourd’hui'}</td></tr>`)}</tbody>
</table></div>`;
}
