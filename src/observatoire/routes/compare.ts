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

/** Comparison of two published editions: per indicator, what moved up or down. */
export const compareRoutes: FastifyPluginAsync<AppDeps> = async (app, { db }) => {
  app.get<{ Querystring: { de?: string; a?: string; indicateur?: string } }>('/observatoire/comparaison', PUBLIC, async (request, reply) => {
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
${indicator ? html`<h2 id="detail">${indicator.label} : démarches dont le niveau a changé</h2>
${detail.length === 0 ? html`<p>Aucune démarche n’a changé de niveau.</p>` : html`<div class="fr-table"><table>
  <caption>Démarches dont le niveau « ${indicator.label} » a changé</caption>
  <thead><tr><th scope="col">Démarche</th><th scope="col">Sens</th><th scope="col">Avant</th><th scope="col">Après</th></tr></thead>
  <tbody>${detail.map((m) => html`<tr><th scope="row"><a href="${procedureHref(m.stableId)}">${m.title}</a></th><td>${m.direction === 'up' ? 'En hausse' : 'En baisse'}</td><td>${m.before}</td><td>${m.after}</td></tr>`)}</tbody>
</table></div>`}` : ''}`;
    } else if (from && to) {
      result = html`<p>Choisissez deux éditions différentes.</p>`;
    }
    return sendPage(request, reply, {
      title: 'Comparer deux éditions',
      breadcrumb: [{ label: 'Observatoire', href: '/observatoire' }, { label: 'Comparer deux éditions' }],
      content: html`${STYLESHEET}<h1>Comparer deux éditions</h1>${observatoireLinks()}${form}${result}`,
    }, Object.keys(errors).length ? 400 : 200);
  });
};
