import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { html } from '../../kernel/web/html.ts';
import { formatDate, formatInteger } from '../../kernel/web/format.ts';
import { sendPage } from '../../kernel/web/render.ts';
import { parseWindow } from '../backoffice/window.ts';
import type { Window } from '../analytics/indicators.ts';
import { buttonCoverage, coverageBy, type CoverageGroup } from './button-coverage.ts';
import { PUBLIC } from '../../kernel/web/access.ts';
import { z } from 'zod';
import { idParam } from '../../kernel/web/ids.ts';
import type { ZodTypeProvider } from '../../kernel/web/schemas.ts';

const TITLE = 'Objectif : 100 % des démarches avec le bouton « Je donne mon avis »';
const percent = (v: number | null) => (v === null ? '–' : `${v.toFixed(1).replace('.', ',')} %`);
/**
 * The figure's query (route schema): the window's dates, checked by parseWindow (its French message on the page, the
 * 365 last days shown), and the group of the list, an id (the kernel's rule; another value lists the whole country).
 */
const windowFields = { debut: z.string().optional().catch(undefined), fin: z.string().optional().catch(undefined) };
const groupId = idParam().optional().catch(undefined);
const figureQuery = z.looseObject(windowFields);
const listQuery = z.looseObject({ ...windowFields, ministere: groupId, administration: groupId });
type WindowRequest = FastifyRequest<{ Querystring: z.output<typeof figureQuery> }>;

/** Query string of a window other than the default one, kept on every link of the figure. */
function windowQuery(request: WindowRequest, window: Window): Record<string, string> {
  const q = request.query;
  return q.debut || q.fin ? { debut: window.start, fin: window.end } : {};
}

/** The national goal figure (public), per ministry and administration; every number links to its list of procedures. */
export async function buttonGoalRoutes(instance: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const app = instance.withTypeProvider<ZodTypeProvider>();

  app.get('/statistiques/bouton', { ...PUBLIC, schema: { querystring: figureQuery } }, async (request, reply) => {
    const { window, error } = parseWindow(request.query);
    const procedures = await buttonCoverage(db, window);
    const keep = windowQuery(request, window);
    const listHref = (filter: Record<string, string>) =>
      `/statistiques/bouton/demarches?${new URLSearchParams({ ...filter, ...keep }).toString()}`;
    const [national] = coverageBy(procedures, 'national');
    const table = (
      caption: string,
      groups: CoverageGroup[],
      param: string,
    ) => html`<div class="fr-table"><table><caption>${caption}</caption>
<thead><tr><th scope="col">${param === 'ministere' ? 'Ministère' : 'Administration'}</th><th scope="col">Démarches avec un bouton actif ayant reçu des avis</th><th scope="col">Démarches</th><th scope="col">Part</th></tr></thead>
<tbody>${groups.map((g) => html`<tr><th scope="row">${g.name}</th><td><a href="${listHref({ [param]: String(g.id) })}">${formatInteger(g.covered)}<span class="fr-sr-only"> : liste des démarches, ${g.name}</span></a></td><td>${formatInteger(g.total)}</td><td>${percent(g.percent)}</td></tr>`)}</tbody></table></div>`;
    return sendPage(request, reply, {
      title: TITLE,
      breadcrumb: [{ label: 'Objectif bouton « Je donne mon avis »' }],
      content: html`<h1>${TITLE}</h1>
${error ? html`<div class="fr-alert fr-alert--warning fr-mb-3w"><p>${error}</p></div>` : ''}
<p>Une démarche du périmètre de l’observatoire (Top 250) compte lorsqu’elle a un bouton « Je donne mon avis » actif
(ni bouton de test, ni fermé, ni supprimé) qui a reçu au moins un avis du ${formatDate(window.start)} au ${formatDate(window.end)}.</p>
<p class="fr-text--lead"><strong>${percent(national.percent)}</strong> : <a href="${listHref({})}">${formatInteger(national.covered)} démarche${national.covered > 1 ? 's' : ''}</a>
sur ${formatInteger(national.total)}.</p>
<form method="get" action="/statistiques/bouton" class="fr-mb-4w">
  <fieldset class="fr-fieldset"><legend class="fr-fieldset__legend">Période</legend>
  <div class="fr-fieldset__element fr-fieldset__element--inline"><div class="fr-input-group"><label class="fr-label" for="champ-debut">Du</label><input class="fr-input" type="date" id="champ-debut" name="debut" value="${window.start}"></div></div>
  <div class="fr-fieldset__element fr-fieldset__element--inline"><div class="fr-input-group"><label class="fr-label" for="champ-fin">Au</label><input class="fr-input" type="date" id="champ-fin" name="fin" value="${window.end}"></div></div>
  <div class="fr-fieldset__element fr-fieldset__element--inline"><button class="fr-btn fr-btn--secondary" type="submit">Afficher</button></div>
  </fieldset>
</form>
<h2>Par ministère</h2>
${table('Démarches avec le bouton, par ministère', coverageBy(procedures, 'ministry'), 'ministere')}
<h2>Par administration</h2>
${table('Démarches avec le bouton, par administration', coverageBy(procedures, 'administration'), 'administration')}`,
    });
  });

  app.get('/statistiques/bouton/demarches', { ...PUBLIC, schema: { querystring: listQuery } }, async (request, reply) => {
    const q = request.query;
    const { window } = parseWindow(q);
    const filter = { ministryId: q.ministere, administrationId: q.administration };
    const procedures = await buttonCoverage(db, window, filter);
    const scope =
      filter.administrationId !== undefined
        ? procedures[0]?.administration
        : filter.ministryId !== undefined
          ? procedures[0]?.ministry
          : null;
    const covered = procedures.filter((p) => p.covered).length;
    const back = `/statistiques/bouton${Object.keys(windowQuery(request, window)).length ? `?${new URLSearchParams(windowQuery(request, window)).toString()}` : ''}`;
    return sendPage(request, reply, {
      title: `Démarches et bouton « Je donne mon avis »${scope ? ` : ${scope}` : ''}`,
      breadcrumb: [{ label: 'Objectif bouton « Je donne mon avis »', href: back }, { label: scope ?? 'Ensemble des démarches' }],
      content: html`<h1>Démarches et bouton « Je donne mon avis »${scope ? ` : ${scope}` : ''}</h1>
<p>Du ${formatDate(window.start)} au ${formatDate(window.end)} : ${formatInteger(covered)} démarche${covered > 1 ? 's' : ''} sur ${formatInteger(procedures.length)}
${covered > 1 ? 'ont' : 'a'} un bouton actif ayant reçu des avis.</p>
<div class="fr-table"><table><caption>Démarches du périmètre${scope ? ` (${scope})` : ''}</caption>
<thead><tr><th scope="col">Démarche</th><th scope="col">Administration</th><th scope="col">Bouton actif ayant reçu des avis</th><th scope="col">Avis sur la période</th></tr></thead>
<tbody>${procedures.map((p) => html`<tr><th scope="row">${p.title}</th><td>${p.administration}</td><td>${p.covered ? 'Oui' : 'Non'}</td><td>${formatInteger(p.reviews)}</td></tr>`)}</tbody></table></div>
<p><a class="fr-link" href="${back}">Retour à l’objectif</a></p>`,
    });
  });
}
