import { html, type SafeHtml } from '../../../kernel/web/html.ts';
import { countOf, formatDate, formatDateTime, formatInteger } from '../../../kernel/web/format.ts';
import type { FormRow } from '../../forms/queries.ts';
import type { FormThemes, VerbatimExample } from '../../analytics/themes.ts';

const MONTHS = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'];
const monthLabel = (month: string) => `${MONTHS[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;

function percent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${formatInteger(Math.round((100 * part) / whole))} %`;
}

function example(e: VerbatimExample): SafeHtml {
  return html`<li><a href="/avis/reponses/${e.id}">Avis du ${formatDateTime(e.createdAt)}</a> : <q>${e.text}</q></li>`;
}

export function themesPage(form: FormRow, t: FormThemes): SafeHtml {
  const themed = t.texts - t.unthemed;
  const months = [...new Set(t.themes.flatMap((theme) => theme.byMonth.map((m) => m.month)))].sort();
  return html`<h1>Thèmes des commentaires : ${form.name}</h1>
<form method="get" action="/avis/formulaires/${form.id}/themes" class="fr-mb-3w">
  <fieldset class="fr-fieldset"><legend class="fr-fieldset__legend">Période</legend>
  <div class="fr-fieldset__element fr-fieldset__element--inline"><div class="fr-input-group"><label class="fr-label" for="champ-debut">Du</label><input class="fr-input" type="date" id="champ-debut" name="debut" value="${t.window.start}"></div></div>
  <div class="fr-fieldset__element fr-fieldset__element--inline"><div class="fr-input-group"><label class="fr-label" for="champ-fin">Au</label><input class="fr-input" type="date" id="champ-fin" name="fin" value="${t.window.end}"></div></div>
  <div class="fr-fieldset__element"><button type="submit" class="fr-btn">Afficher</button></div>
  </fieldset>
</form>
<p>Du ${formatDate(t.window.start)} au ${formatDate(t.window.end)} : ${countOf(t.texts, 'commentaire')} lu${t.texts > 1 ? 's' : ''}${t.truncated ? html` (les ${formatInteger(t.texts)} plus récents)` : ''},
${countOf(themed, 'commentaire')} regroupé${themed > 1 ? 's' : ''} en ${countOf(t.themes.length, 'thème')}${t.unthemed ? `, ${countOf(t.unthemed, 'commentaire')} trop court${t.unthemed > 1 ? 's' : ''} ou sans mot partagé avec un autre` : ''}.
Calculé le ${formatDateTime(t.computedAt)}, recalculé dès qu’un commentaire de la période change.</p>
<div class="fr-callout fr-mb-4w"><p class="fr-callout__text">Les thèmes sont trouvés automatiquement, sans modèle téléchargé : les mots de chaque commentaire
(sans accents, sans mots vides, réduits à leur racine) sont pondérés par leur rareté, puis les commentaires proches sont regroupés
(méthode des k-moyennes). Chaque thème est nommé par les mots qui le distinguent des autres.</p></div>
${t.themes.length === 0 ? html`<p>Pas assez de commentaires sur cette période pour en tirer des thèmes (il en faut au moins quatre qui partagent des mots).</p>` : ''}
${t.themes.map(
  (theme, i) => html`<section class="fr-mb-4w" aria-labelledby="theme-${i + 1}">
  <h2 id="theme-${i + 1}">Thème ${i + 1} : ${theme.terms.slice(0, 3).join(', ')}</h2>
  <p>${countOf(theme.size, 'commentaire')} (${percent(theme.size, themed)} des commentaires regroupés). Mots qui le distinguent : ${theme.terms.join(', ')}.${theme.phrases.length ? ` Expressions fréquentes : ${theme.phrases.map((p) => `« ${p} »`).join(', ')}.` : ''}</p>
  <h3 class="fr-h6">Exemples</h3>
  <ul>${theme.examples.map(example)}</ul>
</section>`,
)}
${
  t.themes.length
    ? html`<div class="fr-table"><table><caption>Commentaires par thème et par mois</caption>
  <thead><tr><th scope="col">Thème</th>${months.map((m) => html`<th scope="col">${monthLabel(m)}</th>`)}<th scope="col">Total</th></tr></thead>
  <tbody>${t.themes.map(
    (theme, i) =>
      html`<tr><th scope="row">${i + 1}. ${theme.terms.slice(0, 3).join(', ')}</th>${months.map(
        (m) => html`<td>${formatInteger(theme.byMonth.find((b) => b.month === m)?.count ?? 0)}</td>`,
      )}<td>${formatInteger(theme.size)}</td></tr>`,
  )}</tbody></table></div>`
    : ''
}
<h2>Commentaires qui parlent d’accessibilité</h2>
<p>${countOf(t.accessibility.count, 'commentaire')} de la période ${t.accessibility.count > 1 ? 'parlent' : 'parle'} de handicap, de lecteur d’écran, de clavier ou de contraste (lexique de Vigie)${t.accessibility.count > t.accessibility.examples.length ? `, les ${t.accessibility.examples.length} plus récents ci-dessous` : ''}. À transmettre à l’équipe qui suit l’accessibilité de la démarche.</p>
${t.accessibility.examples.length ? html`<ul>${t.accessibility.examples.map(example)}</ul>` : ''}`;
}
