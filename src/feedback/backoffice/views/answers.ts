import { html, type SafeHtml } from '../../../kernel/web/html.ts';
import { countOf, formatDateTime, formatInteger } from '../../../kernel/web/format.ts';
import { csrfField, input } from '../../../kernel/web/forms.ts';
import { highlight } from '../../analytics/text.ts';
import type { FormRow } from '../../forms/queries.ts';
import { HELP_TRIED, QUESTIONS, QUESTION_LABELS } from '../../questionnaire/template.ts';
import { ANSWERS_PAGE_SIZE, type AnswerFilters, type ReviewListRow } from '../../storage/answers-query.ts';
import { own } from '../../../kernel/web/input-guard.ts';
import { pageCount, pagination } from '../../../kernel/web/pagination.ts';

export function answerLabel(a: { question: string; sub: string; optionId: string }): string {
  const option = own(QUESTIONS, a.question)?.find((o) => o.id === a.optionId)?.label.fr ?? a.optionId;
  const channel = a.sub ? `${HELP_TRIED.find((o) => o.id === a.sub)?.label.fr ?? a.sub} – ` : '';
  return `${channel}${option}`;
}

/**
 * Answers in the order the questionnaire asks them (satisfaction, clarity, help sought, help reached, help quality),
 * follow-up questions in the order of the help channels, choices in the order of their options: the database returns
 * them sorted by question id, which reads backwards.
 */
export function inQuestionnaireOrder<T extends { question: string; sub: string; optionId: string }>(answers: T[]): T[] {
  const questions = Object.keys(QUESTION_LABELS);
  const rank = (list: string[], id: string) => (list.includes(id) ? list.indexOf(id) : list.length);
  const channels = HELP_TRIED.map((o) => o.id);
  const options = (question: string) => (own(QUESTIONS, question) ?? []).map((o) => o.id);
  return [...answers].sort(
    (a, b) =>
      rank(questions, a.question) - rank(questions, b.question) ||
      a.question.localeCompare(b.question) ||
      (a.sub ? rank(channels, a.sub) + 1 : 0) - (b.sub ? rank(channels, b.sub) + 1 : 0) ||
      rank(options(a.question), a.optionId) - rank(options(b.question), b.optionId),
  );
}

function marked(text: string, q: string): SafeHtml {
  return html`${highlight(text, q).map((p) => (p.match ? html`<mark>${p.text}</mark>` : p.text))}`;
}

export function filtersQuery(f: AnswerFilters, page = f.page): string {
  const p = new URLSearchParams({ debut: f.window.start, fin: f.window.end });
  if (f.buttonId) p.set('bouton', String(f.buttonId));
  if (f.option) p.set('option', `${f.option.question}:${f.option.optionId}`);
  if (f.verbatim) p.set('verbatim', f.verbatim);
  if (f.q) p.set('q', f.q);
  if (page > 1) p.set('page', String(page));
  return p.toString();
}

export interface AnswersPageData {
  form: FormRow;
  filters: AnswerFilters;
  buttons: { id: number; name: string }[];
  rows: ReviewListRow[];
  total: number;
  lastVisit: Date | null;
  terms: { words: [string, number][]; phrases: [string, number][] };
  csrf: string;
}

export function answersPage(d: AnswersPageData): SafeHtml {
  const f = d.filters;
  const optionChoices = ['satisfaction', 'clarity', 'help_tried', 'help_reached', 'help_quality', 'problem_kind'].flatMap((q) =>
    QUESTIONS[q].map((o) => ({ value: `${q}:${o.id}`, label: `${QUESTION_LABELS[q].fr} – ${o.label.fr}` })),
  );
  const pages = pageCount(d.total, ANSWERS_PAGE_SIZE);
  const optionValue = f.option ? `${f.option.question}:${f.option.optionId}` : '';
  return html`<h1>Réponses : ${d.form.name}</h1>
<p>Démarche : <a href="/avis/demarches/${d.form.procedureId}">${d.form.procedureTitle}</a> · <a href="/avis/formulaires/${d.form.id}">Réglages du formulaire</a> · <a href="/avis/formulaires/${d.form.id}/themes?debut=${f.window.start}&amp;fin=${f.window.end}">Thèmes des commentaires</a></p>
<form method="get" action="/avis/formulaires/${d.form.id}/reponses" class="fr-mb-4w">
  <fieldset class="fr-fieldset"><legend class="fr-fieldset__legend">Filtres et recherche</legend>
  <div class="fr-fieldset__element fr-fieldset__element--inline"><div class="fr-input-group"><label class="fr-label" for="champ-debut">Du</label><input class="fr-input" type="date" id="champ-debut" name="debut" value="${f.window.start}"></div></div>
  <div class="fr-fieldset__element fr-fieldset__element--inline"><div class="fr-input-group"><label class="fr-label" for="champ-fin">Au</label><input class="fr-input" type="date" id="champ-fin" name="fin" value="${f.window.end}"></div></div>
  <div class="fr-fieldset__element fr-fieldset__element--inline"><div class="fr-select-group"><label class="fr-label" for="champ-bouton">Bouton</label>
    <select class="fr-select" id="champ-bouton" name="bouton"><option value="">Tous</option>${d.buttons.map((b) => html`<option value="${b.id}"${b.id === f.buttonId ? html` selected` : ''}>${b.name}</option>`)}</select></div></div>
  <div class="fr-fieldset__element"><div class="fr-select-group"><label class="fr-label" for="champ-option">Réponse donnée</label>
    <select class="fr-select" id="champ-option" name="option"><option value="">Toutes</option>${optionChoices.map((o) => html`<option value="${o.value}"${o.value === optionValue ? html` selected` : ''}>${o.label}</option>`)}</select></div></div>
  <div class="fr-fieldset__element fr-fieldset__element--inline"><div class="fr-select-group"><label class="fr-label" for="champ-verbatim">Commentaire</label>
    <select class="fr-select" id="champ-verbatim" name="verbatim"><option value="">Avec ou sans</option><option value="avec"${f.verbatim === 'avec' ? html` selected` : ''}>Avec commentaire</option><option value="sans"${f.verbatim === 'sans' ? html` selected` : ''}>Sans commentaire</option></select></div></div>
  <div class="fr-fieldset__element">${input({ name: 'q', label: 'Rechercher dans les commentaires', hint: 'Sans tenir compte des accents ni des majuscules.', type: 'search', value: f.q })}</div>
  <div class="fr-fieldset__element"><button type="submit" class="fr-btn">Filtrer</button></div>
  </fieldset>
</form>
<p>${countOf(d.total, 'avis', 'avis')} ${d.total < 2 ? 'correspond' : 'correspondent'}.${d.lastVisit ? ` Les avis reçus depuis votre dernière visite (${formatDateTime(d.lastVisit)}) sont marqués « Nouveau ».` : ''}</p>
<ul class="fr-btns-group fr-btns-group--inline-md">
  <li><form method="post" action="/avis/formulaires/${d.form.id}/exports?${filtersQuery(f, 1)}">${csrfField(d.csrf)}<input type="hidden" name="format" value="csv"><button type="submit" class="fr-btn fr-btn--secondary">Exporter en CSV</button></form></li>
  <li><form method="post" action="/avis/formulaires/${d.form.id}/exports?${filtersQuery(f, 1)}">${csrfField(d.csrf)}<input type="hidden" name="format" value="xlsx"><button type="submit" class="fr-btn fr-btn--secondary">Exporter en XLSX</button></form></li>
</ul>
${
  d.terms.words.length
    ? html`<h2>Mots et expressions les plus fréquents</h2>
<div class="fr-grid-row fr-grid-row--gutters">
  <div class="fr-col-12 fr-col-md-6"><div class="fr-table"><table><caption>Mots (nombre de commentaires)</caption><thead><tr><th scope="col">Mot</th><th scope="col">Commentaires</th></tr></thead>
  <tbody>${d.terms.words.map(([w, n]) => html`<tr><td>${w}</td><td>${n}</td></tr>`)}</tbody></table></div></div>
  <div class="fr-col-12 fr-col-md-6"><div class="fr-table"><table><caption>Expressions de deux mots</caption><thead><tr><th scope="col">Expression</th><th scope="col">Commentaires</th></tr></thead>
  <tbody>${d.terms.phrases.map(([w, n]) => html`<tr><td>${w}</td><td>${n}</td></tr>`)}</tbody></table></div></div>
</div>`
    : ''
}
<h2>Avis</h2>
${d.rows.length === 0 ? html`<p>Aucun avis ne correspond à ces filtres.</p>` : ''}
${d.rows.map(
  (r) => html`<div class="fr-card fr-mb-2w"><div class="fr-card__body"><div class="fr-card__content">
  <h3 class="fr-card__title"><a href="/avis/reponses/${r.id}">Avis du ${formatDateTime(r.createdAt)}</a>${d.lastVisit && r.createdAt > d.lastVisit ? html` <span class="fr-badge fr-badge--sm fr-badge--new">Nouveau</span>` : ''}</h3>
  <p class="fr-card__desc">${
    inQuestionnaireOrder(r.answers)
      .map((a) => answerLabel(a))
      .join(' · ') || 'Aucune réponse'
  }</p>
  ${r.verbatim ? html`<blockquote class="fr-mt-1w">${marked(r.verbatim, f.q)}</blockquote>` : ''}
  <p class="fr-card__detail">Bouton : ${r.buttonName} · version ${r.version}</p>
</div></div></div>`,
)}
${pagination(f.page, { pages }, (page) => `?${filtersQuery(f, page)}`)}`;
}

export interface ReviewDetail {
  id: number;
  createdAt: Date;
  updatedAt: Date;
  version: number;
  buttonName: string;
  lang: string;
  verbatim: string | null;
  otherHelp: string | null;
  contactEmail: string | null;
  maskedCount: number;
  deletedAt: Date | null;
  deletedReason: string | null;
  answers: { question: string; sub: string; optionId: string }[];
}

export function reviewPage(form: FormRow, r: ReviewDetail, o: { canDelete: boolean; csrf: string; error?: string }): SafeHtml {
  return html`<h1>Avis du ${formatDateTime(r.createdAt)}</h1>
<p>Formulaire <a href="/avis/formulaires/${form.id}/reponses">${form.name}</a> · version ${r.version} · bouton ${r.buttonName} · langue ${r.lang}</p>
${r.deletedAt ? html`<div class="fr-alert fr-alert--info fr-alert--sm fr-mb-3w"><p>Avis supprimé le ${formatDateTime(r.deletedAt)} (archivé) : ${r.deletedReason}</p></div>` : ''}
<div class="fr-table"><table><caption>Réponses</caption><thead><tr><th scope="col">Question</th><th scope="col">Réponse</th></tr></thead>
<tbody>${inQuestionnaireOrder(r.answers).map((a) => html`<tr><th scope="row">${QUESTION_LABELS[a.question]?.fr ?? a.question}</th><td>${answerLabel(a)}</td></tr>`)}</tbody></table></div>
<h2>Commentaire</h2>
<p>${r.verbatim ?? 'Aucun commentaire.'}</p>
${r.otherHelp ? html`<p>Autre aide : ${r.otherHelp}</p>` : ''}
${r.contactEmail ? html`<p>Adresse de contact laissée par l’usager : ${r.contactEmail}</p>` : ''}
<p>Données personnelles masquées avant l’enregistrement : ${formatInteger(r.maskedCount)}.</p>
${
  o.canDelete && !r.deletedAt
    ? html`<h2>Supprimer cet avis</h2>
<form method="post" action="/avis/reponses/${r.id}/supprimer" novalidate>${csrfField(o.csrf)}
  ${input({ name: 'reason', label: 'Motif de la suppression', required: true, hint: 'L’avis est archivé et retiré des indicateurs.', error: o.error })}
  <button type="submit" class="fr-btn fr-btn--secondary">Supprimer l’avis</button>
</form>`
    : ''
}
${form.locked ? html`<p>Formulaire verrouillé (il alimente l’observatoire) : ses avis ne peuvent pas être supprimés.</p>` : ''}`;
}
