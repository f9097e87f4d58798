/**
 * Bilingual labels of the public forms (feedback's « Je donne mon avis », experiences' story form): French first,
 * English beside it. A label is `{ fr, en }`, its values texts or functions making texts; a page picks `label[lang]`.
 * The back-office stays in French.
 */
import { html, type SafeHtml } from './html.ts';

export type Lang = 'fr' | 'en';

/** One label in both languages (a text, or a function of the values it names). */
export type Bilingual<V = string> = { readonly fr: V; readonly en: V };

/** The language a request asks for (`?lang=en`, a hidden `lang` field): English only when said, French otherwise. */
export function parseLang(value: unknown): Lang {
  return value === 'en' ? 'en' : 'fr';
}

/** The other language: the target of the « English version » / « Version française » link. */
export function otherLang(lang: Lang): Lang {
  return lang === 'fr' ? 'en' : 'fr';
}

/**
 * A module's dictionary of labels, with the labels every public form shares (`language`, `honeypot`, `rejectedTitle`,
 * `blocked`) unless the module words them its own way. The type keeps each label's own shape (text or function).
 */
export function labels<const D extends Record<string, Bilingual<unknown>>>(own: D): Omit<typeof SHARED_LABELS, keyof D> & D {
  return { ...SHARED_LABELS, ...own };
}

/** Said the same way on every public form. */
export const SHARED_LABELS = {
  /** The link to the same page in the other language, written in that language. */
  language: { fr: 'English version', en: 'Version française' },
  honeypot: { fr: 'Ne remplissez pas ce champ', en: 'Do not fill in this field' },
  rejectedTitle: { fr: 'Envoi refusé', en: 'Submission refused' },
  blocked: {
    fr: 'Trop d’envois en peu de temps depuis votre connexion. Patientez quelques minutes avant de réessayer. Rien n’a été enregistré.',
    en: 'Too many submissions in a short time from your connection. Wait a few minutes before trying again. Nothing was saved.',
  },
} as const satisfies Record<string, Bilingual>;

/** The link to the same page in the other language, worded and marked (`lang`, `hreflang`) in that language. */
export function languageLink(href: string, lang: Lang): SafeHtml {
  const other = otherLang(lang);
  return html`<a class="fr-link" href="${href}" lang="${other}" hreflang="${other}">${SHARED_LABELS.language[lang]}</a>`;
}
