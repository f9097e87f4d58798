import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { formatDate } from '../../kernel/web/format.ts';
import { timeLineChart } from '../../kernel/web/charts.ts';
import { changeBadge, intervalText, pValueText, type Coefficient, type Difference, type Estimate } from '../../kernel/stats/index.ts';
import { INDICATOR_INFO, type ChallengeEffect, type IndicatorEffect } from '../effect.ts';
import { MEASURE_INFO, type MeasureEffect, type MeasureMethod, type MeasurePoint } from '../measure-effect.ts';

const one = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const two = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const integer = new Intl.NumberFormat('fr-FR');
const signed = (v: number, f = one) => `${v >= 0 ? '+' : '−'}${f.format(Math.abs(v))}`;

function estimateText(e: Estimate | null, unit: string): string {
  return e ? `${one.format(e.value)}${unit} (${intervalText(e, unit)} ; ${integer.format(e.n)} réponses)` : 'pas de réponse';
}

function differenceText(d: Difference | null, unit: string): string {
  if (!d) return '–';
  const u = unit === ' %' ? ' points' : unit;
  return `${signed(d.difference)}${u} (${signed(d.lower)} à ${signed(d.upper)}${u})`;
}

const coefficientText = (c: Coefficient, unit: string) =>
  `${signed(c.value, two)}${unit} (${signed(c.lower, two)} à ${signed(c.upper, two)} ; ${pValueText(c.pValue)})`;

/** A weekly series as an SVG line with the launch marked (week 0); the table after it gives the same values. */
function chart(e: IndicatorEffect, id: string): SafeHtml {
  const info = INDICATOR_INFO[e.indicator];
  return timeLineChart(id, `${info.label} par semaine autour du lancement (le tableau qui suit donne les valeurs)`, e.weekly, {
    max: info.kind === 'share' ? 100 : 10,
    marker: { t: 0, label: 'lancement' },
  });
}

function indicatorBlock(effect: ChallengeEffect, e: IndicatorEffect): SafeHtml {
  const info = INDICATOR_INFO[e.indicator];
  const id = `effet-${e.indicator}`;
  const significant = e.difference?.pValue !== null && e.difference?.pValue !== undefined && e.difference.pValue < 0.05;
  const flag =
    e.difference && e.difference.pValue !== null ? (significant ? (e.difference.difference > 0 ? 'up' : 'down') : 'stable') : null;
  return html`<section class="fr-mt-4w" aria-labelledby="${id}">
  <h3 id="${id}" class="fr-h5">${info.label}${info.higherIsBetter ? '' : ' (plus bas est mieux)'}</h3>
  <div class="fr-table fr-table--sm"><table>
    <caption>${info.label} : avant, après, écart (intervalles de confiance à 95 %)</caption>
    <thead><tr><th scope="col">Mesure</th><th scope="col">Valeur</th></tr></thead>
    <tbody>
      <tr><th scope="row">Avant (du ${formatDate(effect.before.start)} au ${formatDate(effect.before.end)})</th><td>${estimateText(e.before, info.unit)}</td></tr>
      <tr><th scope="row">Après (du ${formatDate(effect.after.start)} au ${formatDate(effect.after.end)})</th><td>${estimateText(e.after, info.unit)}</td></tr>
      <tr><th scope="row">Écart après − avant</th><td>${differenceText(e.difference, info.unit)} ${flag ? html`${changeBadge(flag)} (${pValueText(e.difference!.pValue)})` : ''}</td></tr>
      ${
        e.its
          ? html`<tr><th scope="row">Série temporelle interrompue : changement de niveau au lancement</th><td>${coefficientText(e.its.levelChange, info.unit === ' %' ? ' points' : '')}</td></tr>
      <tr><th scope="row">Série temporelle interrompue : changement de pente (par semaine)</th><td>${coefficientText(e.its.slopeChange, info.unit === ' %' ? ' points' : '')}</td></tr>`
          : html`<tr><th scope="row">Série temporelle interrompue</th><td>pas assez de semaines avec des réponses (six au moins de chaque côté)</td></tr>`
      }
      <tr><th scope="row">Double différence avec les autres démarches du ministère (indicatif)</th><td>${e.did ? differenceText(e.did, info.unit) : 'pas de démarche de comparaison avec des réponses'}</td></tr>
    </tbody>
  </table></div>
  ${
    e.weekly.length
      ? html`${chart(e, id)}
  <div class="fr-table fr-table--sm"><table>
    <caption>${info.label} par semaine (semaine 0 : celle du lancement)</caption>
    <thead><tr><th scope="col">Semaine du</th><th scope="col">Semaine</th><th scope="col">Valeur</th><th scope="col">Réponses</th></tr></thead>
    <tbody>${e.weekly.map((p) => html`<tr><th scope="row">${formatDate(p.week)}</th><td>${p.t}</td><td>${one.format(p.value)}${info.unit}</td><td>${integer.format(p.n)}</td></tr>`)}</tbody>
  </table></div>`
      : ''
  }
</section>`;
}

/** Why a measure has, or has not, a confidence interval: said on the page, beside the figures. */
const METHOD_TEXT: Record<MeasureMethod, string> = {
  census:
    'Le taux d’un audit porte sur tous les critères applicables de l’échantillon de pages audité : ce n’est pas un tirage au hasard, il n’a donc pas d’intervalle de confiance. Le dernier audit publié avant le lancement est comparé au dernier publié depuis ; le nombre de critères applicables est donné à côté de chaque taux.',
  time: 'La disponibilité est une mesure de temps : chaque minute de la période est observée par la surveillance, ce n’est pas un échantillon, il n’y a donc pas d’intervalle de confiance. La durée surveillée est donnée à côté de chaque valeur.',
  sample:
    'Les temps de chargement mesurés sont un échantillon des chargements possibles : la moyenne de chaque période a un intervalle de confiance à 95 % (loi de Student) et l’écart est testé (Welch). Les mesures d’un même robot se suivent : l’intervalle est indicatif.',
  published:
    'Valeurs publiées par l’observatoire : elles comptent toutes les démarches et tous les contacts déclarés, pas un échantillon, et n’ont donc pas d’intervalle de confiance. La dernière édition dont la période se termine avant le lancement est comparée à la dernière qui commence après.',
};

function pointText(p: MeasurePoint | null, method: MeasureMethod, unit: string, f: Intl.NumberFormat): SafeHtml {
  if (!p) return html`pas de mesure`;
  const value = `${f.format(p.value)}${unit}`;
  if (method === 'census')
    return html`${value} <span class="fr-text--xs">(${p.source}, ${formatDate(p.from)} ; ${integer.format(p.basis ?? 0)} critères applicables)</span>`;
  if (method === 'time')
    return html`${value} <span class="fr-text--xs">(${one.format(p.basis ?? 0)} jours surveillés, du ${formatDate(p.from)} au ${formatDate(p.to)})</span>`;
  return html`${value} <span class="fr-text--xs">(${p.source}, du ${formatDate(p.from)} au ${formatDate(p.to)})</span>`;
}

function measureBlock(effect: ChallengeEffect, m: MeasureEffect): SafeHtml {
  const info = MEASURE_INFO[m.indicator];
  const id = `effet-${m.indicator}`;
  const points = info.unit === ' %' ? ' points' : info.unit;
  const f = info.decimals === 2 ? two : one;
  const heading = html`<h3 id="${id}" class="fr-h5">${info.label}${info.higherIsBetter ? '' : ' (plus bas est mieux)'}</h3><p class="fr-text--sm">${METHOD_TEXT[m.method]}</p>`;
  if (m.sample) {
    const d = m.sample.difference;
    const flag = d && d.pValue !== null ? (d.pValue < 0.05 ? (d.difference > 0 ? 'up' : 'down') : 'stable') : null;
    return html`<section class="fr-mt-4w" aria-labelledby="${id}">${heading}
  <div class="fr-table fr-table--sm"><table>
    <caption>${info.label} : avant, après, écart (intervalles de confiance à 95 %)</caption>
    <thead><tr><th scope="col">Mesure</th><th scope="col">Valeur</th></tr></thead>
    <tbody>
      <tr><th scope="row">Avant (du ${formatDate(effect.before.start)} au ${formatDate(effect.before.end)})</th><td>${m.sample.before ? `${two.format(m.sample.before.value)} s (${intervalText(m.sample.before, ' s')} ; ${integer.format(m.sample.before.n)} chargements)` : 'pas de mesure'}</td></tr>
      <tr><th scope="row">Après (du ${formatDate(effect.after.start)} au ${formatDate(effect.after.end)})</th><td>${m.sample.after ? `${two.format(m.sample.after.value)} s (${intervalText(m.sample.after, ' s')} ; ${integer.format(m.sample.after.n)} chargements)` : 'pas de mesure'}</td></tr>
      <tr><th scope="row">Écart après − avant</th><td>${d ? html`${signed(d.difference, two)} s (${signed(d.lower, two)} à ${signed(d.upper, two)} s) ${flag ? html`${changeBadge(flag)} (${pValueText(d.pValue)})` : ''}` : '–'}</td></tr>
    </tbody>
  </table></div></section>`;
  }
  return html`<section class="fr-mt-4w" aria-labelledby="${id}">${heading}
  <div class="fr-table fr-table--sm"><table>
    <caption>${info.label} par démarche : avant et après le lancement (sans intervalle de confiance : pas d’échantillon)</caption>
    <thead><tr><th scope="col">Démarche</th><th scope="col">Avant</th><th scope="col">Après</th><th scope="col">Écart</th></tr></thead>
    <tbody>${m.procedures.map((p) => html`<tr><th scope="row">${p.procedure.title}</th><td>${pointText(p.before, m.method, info.unit, f)}</td><td>${pointText(p.after, m.method, info.unit, f)}</td><td>${p.difference === null ? '–' : `${signed(p.difference, f)}${points}`}</td></tr>`)}</tbody>
  </table></div></section>`;
}

/** The « Effet du défi » section of a défi's page. */
export function effectSection(effect: ChallengeEffect | null): SafeHtml {
  if (!effect)
    return html`<h2>Effet du défi</h2><p>L’effet sera mesuré une fois la date de mise en service des changements connue et les démarches rattachées.</p>`;
  return html`<h2>Effet du défi</h2>
<p>Mise en service le ${formatDate(effect.launch)}. Chaque indicateur est comparé entre les ${12} semaines qui précèdent et les ${12} semaines qui suivent${effect.partial ? ' (la période « après » n’est pas terminée)' : ''},
avec un intervalle de confiance à 95 % ; l’écart est testé (deux proportions pour les parts, Welch pour les notes).
Avec au moins six semaines de réponses de chaque côté, une série temporelle interrompue estime le saut de niveau et le changement de pente au lancement.
La double différence retire l’évolution des autres démarches du même ministère : elle est indicative (ces démarches ne sont pas un vrai groupe témoin).
<a href="/aide/statistiques">Comprendre les intervalles et les tests</a></p>
${effect.indicators.map((e) => indicatorBlock(effect, e))}
${effect.measures.map((m) => measureBlock(effect, m))}`;
}
