import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { fieldId } from '../../kernel/web/forms.ts';
import type { FormSettings } from '../forms/settings.ts';
import { introText } from '../forms/settings.ts';
import {
  ADMIN_CHANNELS,
  CLARITY,
  HELP_QUALITY,
  HELP_REACHED,
  HELP_TRIED,
  OTHER_HELP_MAX,
  PROBLEM_KIND,
  QUESTION_LABELS,
  SATISFACTION,
  VERBATIM_MAX,
  type Lang,
  type Option,
  type StepDefinition,
} from '../questionnaire/template.ts';
import { followUpKeys, visibleHelpOptions } from '../questionnaire/validate.ts';
import { T } from './i18n.ts';
import { languageLink } from '../../kernel/web/i18n.ts';

export interface StepView {
  lang: Lang;
  action: string;
  token: string;
  tokenName: 'debut' | 'jeton';
  step: StepDefinition;
  index: number;
  total: number;
  procedureTitle: string;
  settings: FormSettings;
  values: Record<string, unknown>;
  errors: Record<string, string>;
  /** Follow-up questions to show on the help step. */
  withFollowUps?: boolean;
  languageHref: string;
  /** A returning visitor changes the unfinished review they started: the page says so, with a way to give a new one. */
  modifying?: { newHref: string };
}

function radios(
  name: string,
  legend: string,
  options: Option[],
  lang: Lang,
  value: unknown,
  error: string | undefined,
  hint?: string,
  inline = false,
): SafeHtml {
  const id = fieldId(name);
  return html`<fieldset class="fr-fieldset${error ? ' fr-fieldset--error' : ''}" id="${id}" aria-labelledby="${id}-legende${error ? ` ${id}-erreur` : ''}">
  <legend class="fr-fieldset__legend" id="${id}-legende">${legend}${hint ? html`<span class="fr-hint-text">${hint}</span>` : ''}</legend>
  ${options.map(
    (o, i) => html`<div class="fr-fieldset__element${inline ? ' fr-fieldset__element--inline' : ''}"><div class="fr-radio-group">
    <input type="radio" id="${id}-${i}" name="${name}" value="${o.id}"${value === o.id ? html` checked` : ''}>
    <label class="fr-label" for="${id}-${i}">${o.label[lang]}</label>
  </div></div>`,
  )}
  ${error ? html`<div class="fr-messages-group" id="${id}-erreur" aria-live="polite"><p class="fr-message fr-message--error">${error}</p></div>` : ''}
</fieldset>`;
}

function textField(o: {
  name: string;
  label: string;
  hint?: string;
  value: unknown;
  error?: string;
  max: number;
  lang: Lang;
  textarea?: boolean;
  type?: string;
  autocomplete?: string;
}): SafeHtml {
  const id = fieldId(o.name);
  const describedBy = [o.hint ? `${id}-aide` : '', `${id}-limite`, o.error ? `${id}-erreur` : ''].filter(Boolean).join(' ');
  const value = typeof o.value === 'string' ? o.value : '';
  const attrs = html`id="${id}" name="${o.name}" aria-describedby="${describedBy}"${o.error ? html` aria-invalid="true"` : ''}${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''} data-max-length="${o.max}"`;
  return html`<div class="fr-input-group${o.error ? ' fr-input-group--error' : ''}">
  <label class="fr-label" for="${id}">${o.label}${o.hint ? html`<span class="fr-hint-text" id="${id}-aide">${o.hint}</span>` : ''}</label>
  ${
    o.textarea
      ? html`<textarea class="fr-input" ${attrs} rows="6">${value}</textarea>`
      : html`<input class="fr-input" type="${o.type ?? 'text'}" ${attrs} value="${value}">`
  }
  <p class="fr-hint-text fr-mt-1v" id="${id}-limite" aria-live="polite">${T.charsLeft[o.lang](o.max)}</p>
  ${o.error ? html`<p class="fr-error-text" id="${id}-erreur">${o.error}</p>` : ''}
</div>`;
}

function helpStep(v: StepView): SafeHtml {
  const lang = v.lang;
  const tried = Array.isArray(v.values.help_tried)
    ? (v.values.help_tried as string[])
    : typeof v.values.help_tried === 'string'
      ? [v.values.help_tried]
      : [];
  const reached: Record<string, string | undefined> = {};
  for (const c of ADMIN_CHANNELS)
    reached[c] = typeof v.values[`help_reached_${c}`] === 'string' ? (v.values[`help_reached_${c}`] as string) : undefined;
  const keys = v.withFollowUps ? followUpKeys(tried, reached) : [];
  const id = fieldId('help_tried');
  const options = visibleHelpOptions(v.settings);
  const channelLabel = (c: string) => HELP_TRIED.find((o) => o.id === c)!.label[lang];
  return html`<fieldset class="fr-fieldset${v.errors.help_tried ? ' fr-fieldset--error' : ''}" id="${id}" aria-labelledby="${id}-legende${v.errors.help_tried ? ` ${id}-erreur` : ''}">
  <legend class="fr-fieldset__legend" id="${id}-legende">${QUESTION_LABELS.help_tried[lang]}<span class="fr-hint-text">${lang === 'fr' ? 'Plusieurs réponses possibles.' : 'Several answers possible.'}</span></legend>
  ${options.map(
    (o, i) => html`<div class="fr-fieldset__element"><div class="fr-checkbox-group">
    <input type="checkbox" id="${id}-${i}" name="help_tried" value="${o.id}"${tried.includes(o.id) ? html` checked` : ''}${o.id === 'none' ? html` data-exclusive="true"` : ''}>
    <label class="fr-label" for="${id}-${i}">${o.label[lang]}</label>
  </div></div>`,
  )}
  ${v.errors.help_tried ? html`<div class="fr-messages-group" id="${id}-erreur"><p class="fr-message fr-message--error">${v.errors.help_tried}</p></div>` : ''}
</fieldset>
${textField({ name: 'help_other', label: T.otherHelp[lang], value: v.values.help_other, error: v.errors.help_other, max: OTHER_HELP_MAX, lang })}
${
  keys.length
    ? html`<h2 class="fr-h5">${T.followUps[lang]}</h2>
  ${keys.map((key) => {
    const channel = key.replace(/^help_(reached|quality)_/, '');
    return key.startsWith('help_reached_')
      ? radios(key, T.reachedFor[lang](channelLabel(channel)), HELP_REACHED, lang, v.values[key], v.errors[key], undefined, true)
      : radios(key, T.qualityFor[lang](channelLabel(channel)), HELP_QUALITY, lang, v.values[key], v.errors[key]);
  })}
  <input type="hidden" name="shown" value="${keys.join(',')}">`
    : ''
}`;
}

function stepFields(v: StepView): SafeHtml {
  const lang = v.lang;
  switch (v.step.id) {
    case 'experience':
      return html`<p>${introText(v.settings, lang, v.procedureTitle)}</p>
${radios('satisfaction', QUESTION_LABELS.satisfaction[lang], SATISFACTION, lang, v.values.satisfaction, v.errors.satisfaction, lang === 'fr' ? 'Réponse obligatoire.' : 'Answer required.')}`;
    case 'clarity':
      return radios('clarity', QUESTION_LABELS.clarity[lang], CLARITY, lang, v.values.clarity, v.errors.clarity);
    case 'help':
      return helpStep(v);
    case 'comment':
    case 'problem':
      return html`${v.step.id === 'problem' ? radios('problem_kind', QUESTION_LABELS.problem_kind[lang], PROBLEM_KIND, lang, v.values.problem_kind, v.errors.problem_kind) : ''}
${textField({ name: 'verbatim', label: v.step.id === 'problem' ? T.problemVerbatim[lang] : T.verbatim[lang], hint: T.verbatimHint[lang], value: v.values.verbatim, error: v.errors.verbatim, max: VERBATIM_MAX, lang, textarea: true })}
${
  v.settings.contactEmail || v.step.id === 'problem'
    ? textField({
        name: 'contact_email',
        label: T.contactEmail[lang],
        hint: T.contactHint[lang],
        value: v.values.contact_email,
        error: v.errors.contact_email,
        max: 254,
        lang,
        type: 'email',
        autocomplete: 'email',
      })
    : ''
}`;
  }
}

export function stepPage(v: StepView): SafeHtml {
  const lang = v.lang;
  const last = v.index === v.total;
  const errors = Object.entries(v.errors);
  return html`<div class="fr-grid-row fr-grid-row--center"><div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
<p class="fr-text--sm fr-mb-1w">${languageLink(v.languageHref, lang)}</p>
<h1 class="fr-h3">${T.title[lang]}<span class="fr-text--lead fr-mb-0 vigie-feedback-procedure"> – ${v.procedureTitle}</span></h1>
<div class="fr-stepper">
  <h2 class="fr-stepper__title">${v.step.title[lang]}<span class="fr-stepper__state">${T.stepOf[lang](v.index, v.total)}</span></h2>
  <div class="fr-stepper__steps" data-fr-current-step="${v.index}" data-fr-steps="${v.total}"></div>
</div>
${
  v.modifying
    ? html`<div class="fr-notice fr-notice--info fr-mb-3w"><div class="fr-container"><div class="fr-notice__body">
  <p class="fr-notice__title">${T.modifying[lang]} <a class="fr-link" href="${v.modifying.newHref}">${T.newReview[lang]}</a></p>
</div></div></div>`
    : ''
}
${
  errors.length
    ? html`<div class="fr-alert fr-alert--error fr-mb-3w" role="alert" id="resume-erreurs" tabindex="-1">
  <h2 class="fr-alert__title">${T.errorsTitle[lang]}</h2>
  <ul>${errors.map(([field, message]) => html`<li><a href="#${fieldId(field)}">${message}</a></li>`)}</ul>
</div>`
    : ''
}
<form method="post" action="${v.action}" class="vigie-feedback-form" novalidate>
  <input type="hidden" name="${v.tokenName}" value="${v.token}">
  <input type="hidden" name="lang" value="${lang}">
  <div hidden><label for="champ-site">${T.honeypot[lang]}</label><input type="text" id="champ-site" name="site_web" tabindex="-1" autocomplete="off"></div>
  ${stepFields(v)}
  <ul class="fr-btns-group fr-btns-group--inline-md fr-mt-3w">
    <li><button type="submit" class="fr-btn" name="action" value="next">${last ? T.send[lang] : T.next[lang]}</button></li>
    ${v.step.optional ? html`<li><button type="submit" class="fr-btn fr-btn--secondary" name="action" value="skip" formnovalidate>${T.skip[lang]}</button></li>` : ''}
  </ul>
</form>
</div></div>`;
}

export function messagePage(o: {
  lang: Lang;
  title: string;
  text: string;
  link?: { href: string; label: string };
  closeButton?: boolean;
  story?: { href: string; label: string };
  help?: { href: string; label: string };
}): SafeHtml {
  return html`<div class="fr-grid-row fr-grid-row--center"><div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
<h1 class="fr-h3">${o.title}</h1>
<p>${o.text}</p>
${o.story ? html`<p><a class="fr-link" href="${o.story.href}" target="_top">${o.story.label}</a></p>` : ''}
${o.help ? html`<p><a class="fr-link" href="${o.help.href}" target="_top"${o.lang === 'en' ? html` hreflang="fr"` : ''}>${o.help.label}</a></p>` : ''}
${o.link ? html`<p><a class="fr-btn" href="${o.link.href}" target="_top">${o.link.label}</a></p>` : ''}
${o.closeButton ? html`<p><button type="button" class="fr-btn fr-btn--secondary" data-vigie-close hidden>${o.lang === 'fr' ? 'Fermer la fenêtre' : 'Close the window'}</button></p>` : ''}
</div></div>`;
}
