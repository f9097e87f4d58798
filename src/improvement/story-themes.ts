/**
 * The themes of a procedure's stories (experiences module), for the procedure's team (issue 15): the stories of a
 * period read through the experiences module's entry file, grouped by the shared theme finder
 * (src/kernel/text/themes.ts: French words and stems, TF-IDF, spherical k-means), each theme with its count, its
 * share, its counts per month and the stories closest to its centre as examples.
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../kernel/web/deps.ts';
import type { Queryable } from '../kernel/db/db.ts';
import { inScope } from '../kernel/web/access.ts';
import { sendErrorPage, sendPage } from '../kernel/web/render.ts';
import { html, type SafeHtml } from '../kernel/web/html.ts';
import { countOf, formatDate, formatInteger, todayInParis } from '../kernel/web/format.ts';
import { idParamsOr404 } from '../kernel/web/ids.ts';
import type { ZodTypeProvider } from '../kernel/web/schemas.ts';
import { findThemes, type Theme } from '../kernel/text/themes.ts';
import { storiesForThemes, type ThemeStory } from '../experiences/index.ts';

const EXAMPLES_PER_THEME = 3;
const DAY = 86_400_000;
const MONTHS = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'];
const monthLabel = (month: string) => `${MONTHS[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;

export const storyThemesHref = (procedureId: number) => `/defis/demarches/${procedureId}/themes-des-recits`;

export interface StoryThemes {
  window: { start: string; end: string };
  stories: number;
  unthemed: number;
  themes: (Omit<Theme, 'ids'> & { examples: ThemeStory[] })[];
}

/** The themes of the stories of `procedureId` published in `window`. */
export async function storyThemes(db: Queryable, procedureId: number, window: { start: string; end: string }): Promise<StoryThemes> {
  const stories = await storiesForThemes(db, procedureId, window);
  const byId = new Map(stories.map((s) => [s.id, s]));
  const result = findThemes(
    stories.map((s) => ({ id: s.id, text: s.body, month: s.month })),
    { maxThemes: 8 },
  );
  return {
    window,
    stories: result.texts,
    unthemed: result.unthemed,
    themes: result.themes.map(({ ids, ...theme }) => ({ ...theme, examples: ids.slice(0, EXAMPLES_PER_THEME).map((id) => byId.get(id)!) })),
  };
}

const isDate = (v: unknown): v is string =>
  typeof v === 'string' &&
  /^\d{4}-\d{2}-\d{2}$/.test(v) &&
  !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) &&
  new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

/** The period of the query (`debut`, `fin`), by default the last 365 days; a bad one falls back with a message. */
export function parsePeriod(
  query: Record<string, unknown>,
  today = todayInParis(),
): { window: { start: string; end: string }; error: string | null } {
  const fallback = { start: new Date(Date.parse(`${today}T00:00:00Z`) - 364 * DAY).toISOString().slice(0, 10), end: today };
  if (query.debut === undefined && query.fin === undefined) return { window: fallback, error: null };
  if (!isDate(query.debut) || !isDate(query.fin) || query.debut > query.fin) {
    return {
      window: fallback,
      error: 'Période invalide (dates au format AAAA-MM-JJ, la première avant la seconde) : les 365 derniers jours sont affichés.',
    };
  }
  return { window: { start: query.debut, end: query.fin }, error: null };
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${formatInteger(Math.round((100 * part) / whole))} %`;
}

export function storyThemesPage(procedure: { id: number; title: string }, t: StoryThemes): SafeHtml {
  const themed = t.stories - t.unthemed;
  const months = [...new Set(t.themes.flatMap((theme) => theme.byMonth.map((m) => m.month)))].sort();
  return html`<h1>Thèmes des récits d’usagers : ${procedure.title}</h1>
<form method="get" action="${storyThemesHref(procedure.id)}" class="fr-mb-3w">
  <fieldset class="fr-fieldset"><legend class="fr-fieldset__legend">Période de publication</legend>
  <div class="fr-fieldset__element fr-fieldset__element--inline"><div class="fr-input-group"><label class="fr-label" for="champ-debut">Du</label><input class="fr-input" type="date" id="champ-debut" name="debut" value="${t.window.start}"></div></div>
  <div class="fr-fieldset__element fr-fieldset__element--inline"><div class="fr-input-group"><label class="fr-label" for="champ-fin">Au</label><input class="fr-input" type="date" id="champ-fin" name="fin" value="${t.window.end}"></div></div>
  <div class="fr-fieldset__element"><button type="submit" class="fr-btn">Afficher</button></div>
  </fieldset>
</form>
<p>Du ${formatDate(t.window.start)} au ${formatDate(t.window.end)} : ${countOf(t.stories, 'récit')} publié${t.stories > 1 ? 's' : ''},
${countOf(themed, 'récit')} regroupé${themed > 1 ? 's' : ''} en ${countOf(t.themes.length, 'thème')}${t.unthemed ? `, ${countOf(t.unthemed, 'récit')} sans mot partagé avec un autre` : ''}.
Seuls les récits publiés avec l’accord de leur auteur sont lus (données personnelles déjà masquées).</p>
<div class="fr-callout fr-mb-4w"><p class="fr-callout__text">Les thèmes sont trouvés automatiquement, sans modèle téléchargé : les mots de chaque récit
(sans accents, sans mots vides, réduits à leur racine) sont pondérés par leur rareté, puis les récits proches sont regroupés
(méthode des k-moyennes). Chaque thème est nommé par les mots qui le distinguent des autres ; les exemples sont les récits les plus proches du centre du thème.</p></div>
${t.themes.length === 0 ? html`<p>Pas assez de récits sur cette période pour en tirer des thèmes (il en faut au moins quatre qui partagent des mots).</p>` : ''}
${t.themes.map(
  (theme, i) => html`<section class="fr-mb-4w" aria-labelledby="theme-${i + 1}">
  <h2 id="theme-${i + 1}">Thème ${i + 1} : ${theme.terms.slice(0, 3).join(', ')}</h2>
  <p>${countOf(theme.size, 'récit')} (${percent(theme.size, themed)} des récits regroupés). Mots qui le distinguent : ${theme.terms.join(', ')}.${theme.phrases.length ? ` Expressions fréquentes : ${theme.phrases.map((p) => `« ${p} »`).join(', ')}.` : ''}</p>
  <h3 class="fr-h6">Exemples</h3>
  <ul>${theme.examples.map((s) => html`<li><a href="${s.href}">Récit publié le ${formatDate(s.publishedAt)}</a> : <q>${s.body.length > 400 ? `${s.body.slice(0, 400)}…` : s.body}</q></li>`)}</ul>
</section>`,
)}
${
  t.themes.length
    ? html`<div class="fr-table"><table><caption>Récits par thème et par mois de publication</caption>
  <thead><tr><th scope="col">Thème</th>${months.map((m) => html`<th scope="col">${monthLabel(m)}</th>`)}<th scope="col">Total</th></tr></thead>
  <tbody>${t.themes.map(
    (theme, i) =>
      html`<tr><th scope="row">${i + 1}. ${theme.terms.slice(0, 3).join(', ')}</th>${months.map(
        (m) => html`<td>${formatInteger(theme.byMonth.find((b) => b.month === m)?.count ?? 0)}</td>`,
      )}<td>${formatInteger(theme.size)}</td></tr>`,
  )}</tbody></table></div>`
    : ''
}`;
}

/** The query of the page: the period, checked by parsePeriod (a bad one falls back to the last 365 days, with a notice). */
const periodQuery = z.looseObject({ debut: z.unknown().optional(), fin: z.unknown().optional() });

export const storyThemesRoutes: FastifyPluginAsync<AppDeps> = async (instance, { db }) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/defis/demarches/:id/themes-des-recits',
    {
      ...inScope('procedure', 'read', 'id'),
      schema: { params: idParamsOr404('Démarche introuvable', 'Cette démarche n’existe pas.'), querystring: periodQuery },
    },
    async (request, reply) => {
      const { rows } = await db.query<{ id: number; title: string }>('SELECT id, title FROM procedures WHERE id = $1', [request.params.id]);
      if (!rows[0]) return sendErrorPage(request, reply, 404, 'Démarche introuvable', 'Cette démarche n’existe pas.');
      const procedure = { id: Number(rows[0].id), title: rows[0].title };
      const { window, error } = parsePeriod(request.query);
      return sendPage(request, reply, {
        title: `Thèmes des récits d’usagers : ${procedure.title}`,
        breadcrumb: [{ label: 'Défis', href: '/defis' }, { label: 'Thèmes des récits d’usagers' }],
        notice: error ? { type: 'warning', text: error } : null,
        content: storyThemesPage(procedure, await storyThemes(db, procedure.id, window)),
      });
    },
  );
};
