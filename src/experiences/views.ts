import { html, type SafeHtml } from '../kernel/web/html.ts';
import { csrfField, fieldId } from '../kernel/web/forms.ts';
import { formatDate, formatDecimal, formatInteger, countOf } from '../kernel/web/format.ts';
import { pagination } from '../kernel/web/pagination.ts';
import { HONEYPOT_FIELD } from '../feedback/index.ts';
import { T } from './i18n.ts';
import { languageLink } from '../kernel/web/i18n.ts';
import {
  BODY_MAX,
  CHANNELS,
  CHANNEL_LABELS,
  CHANNEL_SHORT,
  FEELINGS,
  FEELING_LABELS,
  HELPFUL_PUBLIC,
  REFUSAL_LABELS,
  STATUS_BADGE,
  STATUS_LABELS,
  type Channel,
  type Feeling,
  type Lang,
  type Status,
} from './model.ts';
import { COUNT_CAP, type AnswerRow, type EventRow, type PublicFilters, type StoryRow } from './queries.ts';
import type { DelayFigures } from './delays.ts';

const fmtMax = (lang: Lang) => (lang === 'fr' ? formatInteger(BODY_MAX) : BODY_MAX.toLocaleString('en-GB'));

export interface FormValues {
  body?: string;
  channels?: string[];
  feeling?: string;
  solved?: string;
  email?: string;
  accessibility?: boolean;
  consent?: boolean;
}

function radios(
  name: string,
  legend: string,
  options: { value: string; label: string }[],
  value: string | undefined,
  error: string | undefined,
  lang: Lang,
  inline = false,
): SafeHtml {
  const id = fieldId(name);
  return html`<fieldset class="fr-fieldset${error ? ' fr-fieldset--error' : ''}" id="${id}" aria-labelledby="${id}-legende${error ? ` ${id}-erreur` : ''}">
  <legend class="fr-fieldset__legend" id="${id}-legende">${legend} <span class="vigie-required">${T.requiredMark[lang]}</span></legend>
  ${options.map(
    (o, i) => html`<div class="fr-fieldset__element${inline ? ' fr-fieldset__element--inline' : ''}"><div class="fr-radio-group">
    <input type="radio" id="${id}-${i}" name="${name}" value="${o.value}"${o.value === value ? html` checked` : ''}>
    <label class="fr-label" for="${id}-${i}">${o.label}</label>
  </div></div>`,
  )}
  ${error ? html`<div class="fr-messages-group"><p class="fr-message fr-message--error" id="${id}-erreur">${error}</p></div>` : ''}
</fieldset>`;
}

function checkboxes(
  name: string,
  legend: SafeHtml | string,
  hint: string | null,
  options: { value: string; label: string; hint?: string }[],
  values: string[],
  error: string | undefined,
): SafeHtml {
  const id = fieldId(name);
  return html`<fieldset class="fr-fieldset${error ? ' fr-fieldset--error' : ''}" id="${id}" aria-labelledby="${id}-legende${error ? ` ${id}-erreur` : ''}">
  <legend class="fr-fieldset__legend" id="${id}-legende">${legend}${hint ? html`<span class="fr-hint-text">${hint}</span>` : ''}</legend>
  ${options.map(
    (o, i) => html`<div class="fr-fieldset__element"><div class="fr-checkbox-group">
    <input type="checkbox" id="${id}-${i}" name="${name}" value="${o.value}"${values.includes(o.value) ? html` checked` : ''}${o.hint ? html` aria-describedby="${id}-${i}-aide"` : ''}>
    <label class="fr-label" for="${id}-${i}">${o.label}${o.hint ? html`<span class="fr-hint-text" id="${id}-${i}-aide">${o.hint}</span>` : ''}</label>
  </div></div>`,
  )}
  ${error ? html`<div class="fr-messages-group"><p class="fr-message fr-message--error" id="${id}-erreur">${error}</p></div>` : ''}
</fieldset>`;
}

export function storyForm(o: {
  lang: Lang;
  procedureTitle: string;
  action: string;
  csrf: string;
  languageHref: string;
  values: FormValues;
  errors: Record<string, string>;
}): SafeHtml {
  const { lang, values: v, errors: e } = o;
  const entries = Object.entries(e);
  const bodyId = fieldId('recit');
  const emailId = fieldId('email');
  const bodyDescribed = [`${bodyId}-aide`, e.recit ? `${bodyId}-erreur` : ''].filter(Boolean).join(' ');
  const emailDescribed = [`${emailId}-aide`, e.email ? `${emailId}-erreur` : ''].filter(Boolean).join(' ');
  return html`<div class="fr-grid-row fr-grid-row--center"><div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
<p class="fr-mb-2w">${languageLink(o.languageHref, lang)}</p>
<h1>${T.title[lang]}</h1>
<p>${T.intro[lang](o.procedureTitle)}</p>
<p class="fr-text--sm">${T.required[lang]}</p>
${
  entries.length
    ? html`<div class="fr-alert fr-alert--error fr-mb-4w" role="alert" id="resume-erreurs" tabindex="-1">
  <h2 class="fr-alert__title">${T.errorsTitle[lang](entries.length)}</h2>
  <ul>${entries.map(([field, message]) => html`<li><a href="#${fieldId(field)}">${message}</a></li>`)}</ul>
</div>`
    : ''
}
<form method="post" action="${o.action}" novalidate>
  ${csrfField(o.csrf)}
  <input type="hidden" name="lang" value="${lang}">
  <div hidden><label for="champ-site">${T.honeypot[lang]}</label><input type="text" id="champ-site" name="${HONEYPOT_FIELD}" tabindex="-1" autocomplete="off"></div>
  <div class="fr-input-group${e.recit ? ' fr-input-group--error' : ''}">
    <label class="fr-label" for="${bodyId}">${T.body[lang]} <span class="vigie-required">${T.requiredMark[lang]}</span><span class="fr-hint-text" id="${bodyId}-aide">${T.bodyHint[lang](fmtMax(lang))}</span></label>
    <textarea class="fr-input${e.recit ? ' fr-input--error' : ''}" id="${bodyId}" name="recit" rows="8" maxlength="${BODY_MAX}" required aria-required="true" aria-describedby="${bodyDescribed}"${e.recit ? html` aria-invalid="true"` : ''}>${v.body ?? ''}</textarea>
    ${e.recit ? html`<p class="fr-error-text" id="${bodyId}-erreur">${e.recit}</p>` : ''}
  </div>
  ${checkboxes(
    'canaux',
    html`${T.channels[lang]} <span class="vigie-required">${T.requiredMark[lang]}</span>`,
    T.channelsHint[lang],
    CHANNELS.map((c) => ({ value: c, label: CHANNEL_LABELS[c][lang] })),
    v.channels ?? [],
    e.canaux,
  )}
  ${radios(
    'ressenti',
    T.feeling[lang],
    FEELINGS.map((f) => ({ value: f, label: FEELING_LABELS[f][lang] })),
    v.feeling,
    e.ressenti,
    lang,
  )}
  ${radios(
    'resolu',
    T.solved[lang],
    [
      { value: 'oui', label: T.yes[lang] },
      { value: 'non', label: T.no[lang] },
    ],
    v.solved,
    e.resolu,
    lang,
    true,
  )}
  ${checkboxes('accessibilite', T.accessibilityLegend[lang], null, [{ value: 'oui', label: T.accessibility[lang], hint: T.accessibilityHint[lang] }], v.accessibility ? ['oui'] : [], undefined)}
  <div class="fr-input-group${e.email ? ' fr-input-group--error' : ''}">
    <label class="fr-label" for="${emailId}">${T.email[lang]}<span class="fr-hint-text" id="${emailId}-aide">${T.emailHint[lang]}</span></label>
    <input class="fr-input${e.email ? ' fr-input--error' : ''}" type="email" id="${emailId}" name="email" autocomplete="email" spellcheck="false" value="${v.email ?? ''}" aria-describedby="${emailDescribed}"${e.email ? html` aria-invalid="true"` : ''}>
    ${e.email ? html`<p class="fr-error-text" id="${emailId}-erreur">${e.email}</p>` : ''}
  </div>
  ${checkboxes('consentement', T.consentLegend[lang], null, [{ value: 'oui', label: T.consent[lang], hint: T.consentHint[lang] }], v.consent ? ['oui'] : [], undefined)}
  <ul class="fr-btns-group fr-btns-group--inline-md fr-mt-3w"><li><button type="submit" class="fr-btn">${T.send[lang]}</button></li></ul>
</form>
</div></div>`;
}

export function messageBlock(title: string, text: string, link?: { href: string; label: string }, extra?: string): SafeHtml {
  return html`<div class="fr-grid-row fr-grid-row--center"><div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
<h1>${title}</h1>
<p>${text}</p>
${extra ? html`<p>${extra}</p>` : ''}
${link ? html`<p><a class="fr-btn" href="${link.href}">${link.label}</a></p>` : ''}
</div></div>`;
}

export function statusBadge(status: Status): SafeHtml {
  return html`<p class="fr-badge fr-badge--sm fr-badge--${STATUS_BADGE[status]} fr-mb-1w">${STATUS_LABELS[status]}</p>`;
}

function paragraphs(text: string): SafeHtml {
  return html`${text
    .split(/\n+/)
    .filter((p) => p.trim())
    .map((p) => html`<p>${p}</p>`)}`;
}

export function answerBlock(a: AnswerRow): SafeHtml {
  return html`<div class="fr-callout fr-mt-2w">
  <p class="fr-callout__title fr-text--md">Réponse de ${a.administrationName}, le ${formatDate(a.createdAt)}</p>
  <div class="fr-callout__text fr-text--md">${paragraphs(a.body)}</div>
  ${a.actionUrl ? html`<p class="fr-mt-1w"><strong>Action engagée :</strong> <a class="fr-link" href="${a.actionUrl}" rel="noopener">voir ce que fait l’administration</a></p>` : ''}
</div>`;
}

/** A story in a list: its words, its facts, its last state, a link to its page (answers and history). */
export function storyCard(s: StoryRow, headingLevel: 'h2' | 'h3' = 'h3', showProcedure = false): SafeHtml {
  const heading = html`Témoignage n° ${s.id}, publié le ${formatDate(s.publishedAt)}`;
  return html`<article class="fr-mb-4w fr-pb-2w" aria-labelledby="temoignage-${s.id}">
  ${headingLevel === 'h2' ? html`<h2 class="fr-h5" id="temoignage-${s.id}">${heading}</h2>` : html`<h3 class="fr-h5" id="temoignage-${s.id}">${heading}</h3>`}
  ${statusBadge(s.status)}
  ${showProcedure ? html`<p class="fr-text--sm fr-mb-1w">Démarche : <a href="/temoignages/demarches/${s.procedureId}">${s.procedureTitle}</a></p>` : ''}
  ${paragraphs(s.body)}
  <ul class="fr-text--sm">
    <li>Ressenti : ${FEELING_LABELS[s.feeling].fr}</li>
    <li>Moyens utilisés : ${s.channels.map((c) => CHANNEL_SHORT[c]).join(', ')}</li>
    <li>Problème résolu selon l’auteur : ${s.solved ? 'oui' : 'non'}</li>
    ${s.accessibility ? html`<li>Concerne l’accessibilité</li>` : ''}
  </ul>
  <p class="fr-text--sm"><a href="/temoignages/${s.id}">${s.answers ? `Lire ${s.answers > 1 ? `les ${s.answers} réponses` : 'la réponse'} et l’historique` : 'Voir le témoignage et son historique'}<span class="fr-sr-only"> (témoignage n° ${s.id})</span></a></p>
</article>`;
}

export function filtersForm(action: string, f: PublicFilters & { answeredValue?: string }): SafeHtml {
  const sel = (
    name: string,
    label: string,
    options: { value: string; label: string }[],
    value: string | null | undefined,
  ) => html`<div class="fr-col-12 fr-col-md-3"><div class="fr-select-group">
    <label class="fr-label" for="filtre-${name}">${label}</label>
    <select class="fr-select" id="filtre-${name}" name="${name}">
      <option value="">Tous</option>
      ${options.map((o) => html`<option value="${o.value}"${o.value === value ? html` selected` : ''}>${o.label}</option>`)}
    </select></div></div>`;
  return html`<form method="get" action="${action}" class="fr-mb-4w" role="search" aria-label="Filtrer les témoignages">
  <div class="fr-grid-row fr-grid-row--gutters">
    <div class="fr-col-12 fr-col-md-3"><div class="fr-input-group">
      <label class="fr-label" for="filtre-q">Rechercher dans les témoignages<span class="fr-hint-text">Sans tenir compte des accents ni des majuscules</span></label>
      <input class="fr-input" type="search" id="filtre-q" name="q" value="${f.q ?? ''}" maxlength="200">
    </div></div>
    ${sel(
      'canal',
      'Moyen utilisé',
      CHANNELS.map((c) => ({ value: c, label: CHANNEL_SHORT[c] })),
      f.channel,
    )}
    ${sel(
      'ressenti',
      'Ressenti',
      FEELINGS.map((x) => ({ value: x, label: FEELING_LABELS[x].fr })),
      f.feeling,
    )}
    ${sel(
      'reponse',
      'Réponse de l’administration',
      [
        { value: 'oui', label: 'Avec réponse' },
        { value: 'non', label: 'Sans réponse' },
      ],
      f.answeredValue,
    )}
  </div>
  <ul class="fr-btns-group fr-btns-group--inline-md"><li><button type="submit" class="fr-btn fr-btn--secondary">Filtrer</button></li><li><a class="fr-btn fr-btn--tertiary" href="${action}">Effacer les filtres</a></li></ul>
</form>`;
}

export function storyList(o: {
  rows: StoryRow[];
  total: number;
  capped?: boolean;
  bounded?: boolean;
  page: number;
  pages: number;
  href: (page: number) => string;
  showProcedure?: boolean;
}): SafeHtml {
  const count = o.capped
    ? `Plus de ${countOf(o.total, 'témoignage publié', 'témoignages publiés')}`
    : o.total
      ? countOf(o.total, 'témoignage publié', 'témoignages publiés')
      : 'Aucun témoignage publié ne correspond';
  return html`<h2 id="liste-temoignages">${count}${o.pages > 1 ? ` — page ${o.page} sur ${o.pages}` : ''}</h2>
${o.bounded ? html`<p class="fr-text--sm">La liste s’arrête aux ${formatInteger(COUNT_CAP)} témoignages les plus récents : utilisez les filtres ou la recherche pour remonter plus loin.</p>` : ''}
${o.rows.map((s) => storyCard(s, 'h3', o.showProcedure))}
${pagination(o.page, { pages: o.pages }, o.href)}`;
}

export function percent(value: number | null): string {
  return value === null ? '–' : `${formatInteger(Math.round(value * 100))} %`;
}

export function days(value: number | null): string {
  return value === null ? '–' : `${formatDecimal(value)} j`;
}

export function figuresTable(rows: DelayFigures[], caption: string): SafeHtml {
  if (!rows.length) return html`<p>Aucun témoignage publié pour l’instant.</p>`;
  return html`<div class="fr-table fr-table--no-caption"><div class="fr-table__wrapper"><div class="fr-table__container"><div class="fr-table__content">
<table>
  <caption>${caption}</caption>
  <thead><tr><th scope="col">Administration</th><th scope="col">Témoignages publiés</th><th scope="col">Taux de réponse</th><th scope="col">Délai médian de première réponse</th><th scope="col">Répondus dans le délai</th><th scope="col">Délai cible (accessibilité)</th><th scope="col">En retard</th></tr></thead>
  <tbody>${rows.map(
    (r) => html`<tr>
    <th scope="row"><a href="/temoignages/administrations/${r.administrationId}">${r.administrationName}</a></th>
    <td>${formatInteger(r.published)}</td><td>${percent(r.answerRate)}</td><td>${days(r.medianDays)}</td><td>${percent(r.inTimeShare)}</td>
    <td>${countOf(r.targetDays, 'jour')} (${countOf(r.accessibilityDays, 'jour')})</td><td>${formatInteger(r.overdue)}</td>
  </tr>`,
  )}</tbody>
</table></div></div></div></div>`;
}

export function historyTable(events: EventRow[]): SafeHtml {
  const what = (e: EventRow): string => {
    switch (e.kind) {
      case 'received':
        return 'Témoignage reçu';
      case 'published':
        return 'Publié après modération';
      case 'refused':
        return `Refusé par la modération (${REFUSAL_LABELS[e.reason as keyof typeof REFUSAL_LABELS] ?? e.reason})`;
      case 'answered':
        return 'Réponse de l’administration';
      case 'action_engaged':
        return 'Action engagée par l’administration';
      case 'solved':
        return 'Marqué comme résolu';
      case 'closed':
        return `Clos sans suite : ${e.reason ?? ''}`;
      case 'helpful':
        return `Avis de l’auteur sur la réponse : ${e.reason === 'oui' ? 'utile' : e.reason === 'non' ? 'pas utile' : 'utile en partie'}`;
      default:
        return e.kind;
    }
  };
  return html`<div class="fr-table"><div class="fr-table__wrapper"><div class="fr-table__container"><div class="fr-table__content">
<table><caption>Historique du témoignage</caption>
<thead><tr><th scope="col">Date</th><th scope="col">Étape</th><th scope="col">État</th></tr></thead>
<tbody>${events.map((e) => html`<tr><td>${formatDate(e.at)}</td><td>${what(e)}</td><td>${STATUS_LABELS[e.to]}</td></tr>`)}</tbody>
</table></div></div></div></div>`;
}

export function helpfulLine(s: StoryRow): SafeHtml {
  return s.helpful ? html`<p class="fr-text--sm"><strong>${HELPFUL_PUBLIC[s.helpful]}</strong></p>` : html``;
}

export type { Channel, Feeling };
