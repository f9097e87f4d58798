import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../kernel/web/deps.ts';
import type { ZodTypeProvider } from '../../kernel/web/schemas.ts';
import { z } from 'zod';

/** ?regles=<version>: absent or empty, the rules in force; a repeated value is the 404 of an unknown version. */
const rulesQuery = z.looseObject({
  regles: z
    .unknown()
    .optional()
    .transform((value) => (value === undefined || typeof value === 'string' ? value : 'x')),
});
import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { sendErrorPage, sendPage } from '../../kernel/web/render.ts';
import { loadGoals, loadIndicators, loadRuleSet } from '../rules/repository.ts';
import { goalHelp, goalPhrase, levelsList, methodBlock } from '../views/indicator-help.ts';
import { SCOPE_RULE, SCORE_DEFINITION } from '../views/help-texts.ts';
import { STYLESHEET, observatoireLinks } from '../views/edition-page.ts';
import { exportColumns } from '../export/columns.ts';
import { PUBLIC } from '../../kernel/web/access.ts';

export const helpRoutes: FastifyPluginAsync<AppDeps> = async (instance, { db }) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const crumbs = (label: string) => [
    { label: 'Observatoire', href: '/observatoire' },
    { label: 'Aide', href: '/observatoire/aide' },
    { label },
  ];

  app.get('/observatoire/aide', PUBLIC, async (request, reply) => {
    const [defs, goals, rules] = await Promise.all([loadIndicators(db), loadGoals(db), loadRuleSet(db)]);
    return sendPage(request, reply, {
      title: 'Aide de l’observatoire',
      breadcrumb: [{ label: 'Observatoire', href: '/observatoire' }, { label: 'Aide' }],
      content: html`${STYLESHEET}<h1>L’observatoire de la qualité des démarches en ligne</h1>
${observatoireLinks()}
<h2>Qu’est-ce que l’observatoire ?</h2>
<p>L’observatoire publie, à chaque édition, la qualité des principales démarches administratives en ligne, mesurée par
${defs.length} indicateurs : disponibilité en ligne, satisfaction des usagers, accessibilité, simplicité, aide, performance, authentification.
Chaque édition est un instantané figé : les niveaux publiés ne changent plus, sauf correction, et toute correction est publiée avec son motif.</p>
<h2>Quelles démarches ?</h2>
<p>${SCOPE_RULE}</p>
<h2>Comment lire les niveaux ?</h2>
<p>Chaque valeur reçoit un niveau d’après des règles publiques et versionnées (<a href="/observatoire/aide/indicateurs">voir chaque indicateur</a>) :
le libellé du niveau est toujours écrit, la couleur ne fait que le répéter. Un niveau gris signifie que la valeur n’est pas mesurée
(« À venir », « - », « Nombre d’avis insuffisant », « Non applicable ») ou qu’elle est informative.</p>
<h2>Les objectifs</h2>
<p>${SCORE_DEFINITION}</p>
<div class="fr-table"><table><caption>Objectifs nationaux : part des démarches qui doivent atteindre l’objectif de chaque indicateur</caption>
<thead><tr><th scope="col">Indicateur</th><th scope="col">Objectif par démarche</th><th scope="col">Objectif national</th></tr></thead>
<tbody>${defs.filter((d) => goals.has(d.slug)).map((d) => html`<tr><th scope="row">${d.label}</th><td>${goalPhrase(d, rules.indicators[d.slug]) ?? '–'}</td><td>${goals.get(d.slug)} % des démarches</td></tr>`)}</tbody></table></div>
<h2>Données ouvertes</h2>
<p>Chaque vue du tableau se télécharge en CSV, XLSX et JSON (<a href="/observatoire/aide/donnees">description des colonnes</a>),
et une <a href="/api/docs">API publique</a> donne les mêmes données.</p>`,
    });
  });

  // ?regles=<version>: the levels of that rule set version (the column headers of a published edition link here).
  app.get('/observatoire/aide/indicateurs', { ...PUBLIC, schema: { querystring: rulesQuery } }, async (request, reply) => {
    const asked = request.query.regles;
    const version = asked === undefined || asked === '' ? undefined : /^\d{1,9}$/.test(asked) ? Number(asked) : -1;
    const [defs, current] = await Promise.all([loadIndicators(db), loadRuleSet(db)]);
    const rules = version === undefined || version === current.version ? current : await loadRuleSet(db, version).catch(() => null);
    if (!rules) return sendErrorPage(request, reply, 404, 'Version introuvable', 'Cette version des règles de niveaux n’existe pas.');
    return sendPage(request, reply, {
      title: 'Les indicateurs',
      breadcrumb: crumbs('Les indicateurs'),
      content: html`${STYLESHEET}<h1>Les indicateurs de l’observatoire</h1>
<p>${
        rules === current
          ? `Règles de niveaux en vigueur : version ${rules.version}.`
          : html`Niveaux de la version ${rules.version} des règles (version en vigueur : <a href="/observatoire/aide/indicateurs">${current.version}</a>).`
      }
Les éditions publiées gardent les niveaux de la version avec laquelle elles ont été publiées.</p>
<nav class="fr-summary fr-mb-4w" role="navigation" aria-labelledby="sommaire-indicateurs"><h2 class="fr-summary__title" id="sommaire-indicateurs">Sommaire</h2>
<ol class="fr-summary__list">${defs.map((d) => html`<li><a class="fr-summary__link" href="#indicateur-${d.slug}">${d.label}</a></li>`)}</ol></nav>
${defs.map(
  (d) => html`<section class="fr-mt-6w" aria-labelledby="indicateur-${d.slug}">
  <h2 id="indicateur-${d.slug}" tabindex="-1">${d.label}</h2>
  <p>${d.description}</p>
  ${methodBlock(d)}
  <h3 class="fr-h6">Niveaux</h3>${levelsList(d, rules.indicators[d.slug], rules)}
  ${goalHelp(d, rules)}
</section>`,
)}`,
    });
  });

  app.get('/observatoire/aide/donnees', PUBLIC, async (request, reply) => {
    const defs = await loadIndicators(db);
    return sendPage(request, reply, {
      title: 'Description des données',
      breadcrumb: crumbs('Description des données'),
      content: html`<h1>Description des données exportées</h1>
<p>Les fichiers CSV sont encodés en UTF-8 (avec marque d’ordre d’octets), séparés par des virgules, avec une ligne d’en-tête.
Les nombres sont écrits avec un point décimal, sans arrondi. Le fichier XLSX contient les mêmes colonnes et une feuille « Colonnes » ;
le JSON reprend les objets de l’<a href="/api/docs">API publique</a>. Licence : Etalab 2.0.</p>
<div class="fr-table"><table><caption>Colonnes des exports</caption>
<thead><tr><th scope="col">Colonne</th><th scope="col">Description</th></tr></thead>
<tbody>${exportColumns(defs).map((c) => html`<tr><th scope="row"><code>${c.key}</code></th><td>${c.description}</td></tr>`)}</tbody></table></div>`,
    });
  });
};
