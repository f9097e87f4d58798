import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { html } from '../../kernel/web/html.ts';
import { select } from '../../kernel/web/forms.ts';
import { sendPage } from '../../kernel/web/render.ts';
import { listPublished } from '../editions/drafts.ts';
import { loadIndicators } from '../rules/repository.ts';
import { moveCounts, moves } from '../compare/queries.ts';
import { STYLESHEET, observatoireLinks } from '../views/edition-page.ts';
import { procedureHref } from '../views/table.ts';
import { PUBLIC } from '../../kernel/web/access.ts';
import type { ZodTypeProvider } from '../../kernel/web/schemas.ts';
import { z } from 'zod';

/** One text value of the comparison's query; absent or repeated: none (the latest editions). */
const oneText = z
  .unknown()
  .optional()
  .transform((value) => (typeof value === 'string' ? value : undefined));
const compareQuery = z.looseObject({ de: oneText, a: oneText, indicateur: oneText });
import { CHANGE_LABELS, changeBadge, intervalText, pValueText } from '../../kernel/stats/index.ts';
import { compareStatistics, type CellChange } from '../statistics/edition-statistics.ts';

const UNIT_TEXT: Record<string, string> = { score10: ' / 10', percent: ' %' };
const signed = (v: number, unit: string) =>
  `${v >= 0 ? '+' : '−'}${new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(Math.abs(v))}${unit}`;

/** The tested changes: per indicator how many rose, fell or stayed, then the significant ones of the chosen indicator. */
function significanceSection(
  defs: { slug: string; label: string; unit: string }[],
  changes: CellChange[],
  indicator: { slug: string; label: string; unit: string } | null,
  apiHref: string,
) {
  const count = (slug: string, flag: string) => changes.filter((c) => c.indicator === slug && c.flag === flag).length;
  const tested = defs.filter((d) => changes.some((c) => c.indicator === d.slug));
  const unit = indicator ? (indicator.unit === 'percent' ? ' points' : (UNIT_TEXT[indicator.unit] ?? '')) : '';
  const significant = indicator ? changes.filter((c) => c.indicator === indicator.slug && c.significant) : [];
  return html`<h2 id="evolutions-significatives">Évolutions significatives des valeurs</h2>
<p>Pour les valeurs calculées à partir des avis dans les deux éditions, l’écart est testé (deux proportions pour les parts, Welch pour les notes),
puis les ${changes.length} tests sont corrigés ensemble (Benjamini–Hochberg, 5 % de fausses découvertes) : seule une évolution confirmée est une « hausse significative » ou une « baisse significative ».
<a href="/aide/statistiques">Comprendre les intervalles et les tests</a> · <a href="${apiHref}">Données au format JSON</a></p>
${
  tested.length === 0
    ? html`<p>Aucune valeur n’a pu être testée (pas de réponses connues dans les deux éditions).</p>`
    : html`<div class="fr-table"><table>
  <caption>Évolutions testées par indicateur</caption>
  <thead><tr><th scope="col">Indicateur</th><th scope="col">${CHANGE_LABELS.up}</th><th scope="col">${CHANGE_LABELS.down}</th><th scope="col">${CHANGE_LABELS.stable}</th></tr></thead>
  <tbody>${tested.map((d) => html`<tr><th scope="row">${d.label}</th><td>${count(d.slug, 'up')}</td><td>${count(d.slug, 'down')}</td><td>${count(d.slug, 'stable')}</td></tr>`)}</tbody>
</table></div>`
}
${
  indicator && tested.some((d) => d.slug === indicator.slug)
    ? html`<h3>${indicator.label} : évolutions significatives</h3>
${
  significant.length === 0
    ? html`<p>Aucune évolution significative.</p>`
    : html`<div class="fr-table"><table>
  <caption>${indicator.label} : démarches dont la valeur a significativement changé</caption>
  <thead><tr><th scope="col">Démarche</th><th scope="col">Évolution</th><th scope="col">Avant (IC 95 %, réponses)</th><th scope="col">Après (IC 95 %, réponses)</th><th scope="col">Écart (IC 95 %)</th><th scope="col">p-value (ajustée)</th></tr></thead>
  <tbody>${significant.map(
    (c) => html`<tr><th scope="row"><a href="${procedureHref(c.stableId)}">${c.title}</a></th><td>${changeBadge(c.flag)}</td>
    <td>${intervalText(c.before, UNIT_TEXT[indicator.unit] ?? '')} (${c.before.n})</td><td>${intervalText(c.after, UNIT_TEXT[indicator.unit] ?? '')} (${c.after.n})</td>
    <td>${signed(c.difference, unit)} (${signed(c.lower, '')} à ${signed(c.upper, unit)})</td><td>${pValueText(c.pValue)} (${pValueText(c.adjusted)})</td></tr>`,
  )}</tbody>
</table></div>`
}`
    : ''
}`;
}

/** Comparison of two published editions: per indicator, what moved up or down. */
export const compareRoutes: FastifyPluginAsync<AppDeps> = async (instance, { db }) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  app.get('/observatoire/comparaison', { ...PUBLIC, schema: { querystring: compareQuery } }, async (request, reply) => {
    const [editions, defs] = await Promise.all([listPublished(db), loadIndicators(db)]);
    const byId = new Map(editions.map((e) => [String(e.id), e]));
    const from = byId.get(request.query.de ?? '') ?? editions[1] ?? null;
    const to = byId.get(request.query.a ?? '') ?? editions[0] ?? null;
    const errors: Record<string, string> = {};
    if (request.query.de && !byId.has(request.query.de)) errors.de = 'Édition inconnue.';
    if (request.query.a && !byId.has(request.query.a)) errors.a = 'Édition inconnue.';
    const indicator = defs.find((d) => d.slug === request.query.indicateur) ?? null;
    const options = editions.map((e) => ({ value: String(e.id), label: `${e.name} (${e.period})` }));
    const form = html`<form method="get" action="/observatoire/comparaison" class="fr-mb-4w">
  <div class="fr-grid-row fr-grid-row--gutters">
    <div class="fr-col-12 fr-col-md-6">${select({ name: 'de', label: 'Édition de départ', options, value: from ? String(from.id) : '', error: errors.de })}</div>
    <div class="fr-col-12 fr-col-md-6">${select({ name: 'a', label: 'Édition d’arrivée', options, value: to ? String(to.id) : '', error: errors.a })}</div>
  </div>
  <button type="submit" class="fr-btn fr-mt-2w">Comparer</button>
</form>`;
    let result = html`<p>Il faut au moins deux éditions publiées pour les comparer.</p>`;
    if (from && to && from.id !== to.id) {
      const counts = await moveCounts(db, from.id, to.id);
      const detail = indicator ? await moves(db, from.id, to.id, indicator.slug) : [];
      const changes = await compareStatistics(db, from.id, to.id);
      const base = `/observatoire/comparaison?de=${from.id}&a=${to.id}`;
      result = html`<h2>De ${from.name} à ${to.name}</h2>
<p>Les démarches sont rapprochées par leur identifiant stable. Une démarche « monte » quand son niveau s’améliore (rouge, puis jaune, puis vert ou bleu) ; les niveaux gris (non mesurés) ne sont pas comparés.</p>
<div class="fr-table"><table>
  <caption>Évolution des niveaux par indicateur, de ${from.name} à ${to.name}</caption>
  <thead><tr><th scope="col">Indicateur</th><th scope="col">En hausse</th><th scope="col">En baisse</th><th scope="col">Stables</th><th scope="col">Non comparables</th><th scope="col">Détail</th></tr></thead>
  <tbody>${defs.map((d) => {
    const c = counts.get(d.slug);
    return html`<tr><th scope="row">${d.label}</th><td>${c?.up ?? 0}</td><td>${c?.down ?? 0}</td><td>${c?.same ?? 0}</td><td>${c?.notComparable ?? 0}</td>
      <td><a href="${base}&indicateur=${d.slug}#detail">Voir les démarches<span class="fr-sr-only"> dont le niveau « ${d.label} » a changé</span></a></td></tr>`;
  })}</tbody>
</table></div>
${
  indicator
    ? html`<h2 id="detail">${indicator.label} : démarches dont le niveau a changé</h2>
${
  detail.length === 0
    ? html`<p>Aucune démarche n’a changé de niveau.</p>`
    : html`<div class="fr-table"><table>
  <caption>Démarches dont le niveau « ${indicator.label} » a changé</caption>
  <thead><tr><th scope="col">Démarche</th><th scope="col">Sens</th><th scope="col">Avant</th><th scope="col">Après</th></tr></thead>
  <tbody>${detail.map((m) => html`<tr><th scope="row"><a href="${procedureHref(m.stableId)}">${m.title}</a></th><td>${m.direction === 'up' ? 'En hausse' : 'En baisse'}</td><td>${m.before}</td><td>${m.after}</td></tr>`)}</tbody>
</table></div>`
}`
    : ''
}
${significanceSection(defs, changes, indicator, `/api/v1/comparisons?de=${from.id}&a=${to.id}`)}`;
    } else if (from && to) {
      result = html`<p>Choisissez deux éditions différentes.</p>`;
    }
    return sendPage(
      request,
      reply,
      {
        title: 'Comparer deux éditions',
        breadcrumb: [{ label: 'Observatoire', href: '/observatoire' }, { label: 'Comparer deux éditions' }],
        content: html`${STYLESHEET}<h1>Comparer deux éditions</h1>${observatoireLinks()}${form}${result}`,
      },
      Object.keys(errors).length ? 400 : 200,
    );
  });
};
