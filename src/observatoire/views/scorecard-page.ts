import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { countOf } from '../../kernel/web/format.ts';
import type { Edition } from '../editions/drafts.ts';
import type { IndicatorDefinition } from '../rules/repository.ts';
import { deltaPoints, type GroupScores } from '../scorecards/compute.ts';
import { barChart } from './charts.ts';
import { STYLESHEET, observatoireLinks } from './edition-page.ts';
import { SCORE_DEFINITION } from './help-texts.ts';
import { helpHref } from './table.ts';
import { intervalText, shareEstimate, straddles, uncertainBadge, type Estimate } from '../../kernel/stats/index.ts';

const one = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1, signDisplay: 'exceptZero' });
const plain = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

function percent(v: number | null): string {
  return v === null ? 'non mesuré' : `${plain.format(v)} %`;
}

function delta(v: number | null): string {
  return v === null ? '–' : `${one.format(v)} point${Math.abs(v) >= 2 ? 's' : ''}`;
}

export interface ScorecardData {
  heading: string;
  edition: Edition;
  previous: Edition | null;
  defs: IndicatorDefinition[];
  current: GroupScores | null;
  before: GroupScores | null;
  goals: Map<string, number>;
  groupLinks?: SafeHtml;
  /** The « bouton Je donne mon avis » goal figure for this group and the edition's window (feedback module's page). */
  buttonGoalHref?: string;
}

/** A group's scorecard: per indicator the share reaching the goal, the national goal with progress, the delta in points. */
export function scorecardPage(d: ScorecardData): SafeHtml {
  const defs = d.defs.filter((def) => d.goals.has(def.slug));
  const rows = defs.map((def) => {
    const s = d.current?.scores[def.slug];
    const score = s?.score ?? null;
    const goal = d.goals.get(def.slug)!;
    // Wilson interval on the count of procedures (docs/statistics.md « Scorecards »); « incertain » when it holds the goal.
    const interval: Estimate | null = s ? shareEstimate(s.reached, s.measured, 100) : null;
    const uncertain = !!interval && straddles(interval, [goal]);
    return { def, s, score, goal, interval, uncertain, delta: deltaPoints(score, d.before?.scores[def.slug]?.score) };
  });
  const intervalCell = (i: Estimate | null) => (i ? intervalText(i, ' %') : '–');
  return html`${STYLESHEET}
<h1>${d.heading}</h1>
<p class="fr-text--lead">${d.edition.name} (${d.edition.period})${d.previous ? `, comparée à : ${d.previous.name}` : ''}${d.current ? ` : ${countOf(d.current.procedures, 'démarche')}` : ''}.</p>
${observatoireLinks()}
<p><a class="fr-link" href="${d.buttonGoalHref ?? '/statistiques/bouton'}">Objectif : 100 % des démarches avec le bouton « Je donne mon avis » : démarches dont le bouton a reçu des avis sur la fenêtre de l’édition</a></p>
<div class="fr-callout fr-mb-4w"><h2 class="fr-callout__title fr-h6">Comment le score est calculé</h2><p class="fr-callout__text">${SCORE_DEFINITION}</p>
<p class="fr-callout__text">L’intervalle de confiance à 95 % (méthode de Wilson, sur le nombre de démarches mesurées) dit jusqu’où la part pourrait varier d’une édition à l’autre par le seul hasard des démarches ; « incertain » signale un score dont l’intervalle contient l’objectif national (<a href="/aide/statistiques">comprendre les intervalles</a>).</p></div>
${
  !d.current
    ? html`<p>Aucune démarche de ce groupe dans cette édition.</p>`
    : html`
<h2>Atteinte des objectifs</h2>
<ul class="fr-raw-list fr-grid-row fr-grid-row--gutters obs-cards-grid">
${rows.map(
  (
    r,
  ) => html`<li class="fr-col-12 fr-col-md-6 fr-col-lg-4"><div class="fr-tile fr-tile--sm"><div class="fr-tile__body"><div class="fr-tile__content">
  <h3 class="fr-tile__title"><a href="${helpHref(r.def.slug)}">${r.def.label}</a></h3>
  <p class="fr-tile__desc">${percent(r.score)} des démarches mesurées atteignent l’objectif (${r.s?.reached ?? 0} sur ${r.s?.measured ?? 0})${r.interval ? html`, intervalle de confiance à 95 % : ${intervalCell(r.interval)}${uncertainBadge(r.uncertain)}` : ''}. Objectif national : ${plain.format(r.goal)} %.
  Évolution depuis l’édition précédente : ${delta(r.delta)}.</p>
  <label class="fr-text--sm" for="progres-${r.def.slug}">Progression vers l’objectif national</label>
  <progress class="obs-progress" id="progres-${r.def.slug}" max="${r.goal}" value="${Math.min(r.score ?? 0, r.goal)}">${percent(r.score)}</progress>
</div></div></div></li>`,
)}
</ul>
<h2 class="fr-mt-4w">Graphique</h2>
${barChart(
  'graphique-scores',
  `Part des démarches atteignant l’objectif, par indicateur – ${d.heading}`,
  rows.map((r) => ({ label: r.def.shortLabel, value: r.score, goal: r.goal })),
)}
<div class="fr-table"><table>
  <caption>Données du graphique : part des démarches atteignant l’objectif, par indicateur</caption>
  <thead><tr><th scope="col">Indicateur</th><th scope="col">Objectif atteint</th><th scope="col">Mesurées</th><th scope="col">Score</th><th scope="col">IC 95 % (n = mesurées)</th><th scope="col">Objectif national</th><th scope="col">Évolution</th></tr></thead>
  <tbody>${rows.map((r) => html`<tr><th scope="row">${r.def.label}</th><td>${r.s?.reached ?? 0}</td><td>${r.s?.measured ?? 0}</td><td>${percent(r.score)}</td><td>${intervalCell(r.interval)}${uncertainBadge(r.uncertain)}</td><td>${plain.format(r.goal)} %</td><td>${delta(r.delta)}</td></tr>`)}</tbody>
</table></div>`
}
${d.groupLinks ?? ''}`;
}
