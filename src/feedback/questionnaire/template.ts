/**
 * The questionnaire templates as data: stable option ids, their marks, and their labels in French and English.
 * Answers are stored by option id; marks and intentions are decided here, never by the browser.
 */
import { own } from '../../kernel/web/input-guard.ts';
import type { Lang } from '../../kernel/web/i18n.ts';
export type { Lang };
export type Text = Record<Lang, string>;

export interface Option {
  id: string;
  label: Text;
  /** Mark out of 10 used by the indicators (weighted averages). */
  mark?: number;
  /** Intention: how the answer reads (positive, neutral, negative). */
  intention?: 'positive' | 'neutral' | 'negative';
}

export const SATISFACTION: Option[] = [
  { id: 'bad', label: { fr: 'Pas bien', en: 'Not good' }, mark: 0, intention: 'negative' },
  { id: 'medium', label: { fr: 'Moyen', en: 'Average' }, mark: 5, intention: 'neutral' },
  { id: 'good', label: { fr: 'Très bien', en: 'Very good' }, mark: 10, intention: 'positive' },
];

export const CLARITY: Option[] = [
  { id: 'very_bad', label: { fr: 'Pas clair du tout', en: 'Not clear at all' }, mark: 0, intention: 'negative' },
  { id: 'bad', label: { fr: 'Pas très clair', en: 'Not very clear' }, mark: 2.5, intention: 'negative' },
  { id: 'medium', label: { fr: 'Moyennement clair', en: 'Fairly clear' }, mark: 5, intention: 'neutral' },
  { id: 'good', label: { fr: 'Clair', en: 'Clear' }, mark: 7.5, intention: 'positive' },
  { id: 'very_good', label: { fr: 'Très clair', en: 'Very clear' }, mark: 10, intention: 'positive' },
];

/** The four channels of the administration itself: they open the follow-up questions. */
export const ADMIN_CHANNELS = ['counter', 'phone', 'email', 'chat'] as const;

export const HELP_TRIED: Option[] = [
  { id: 'counter', label: { fr: 'Au guichet', en: 'At a counter' } },
  { id: 'phone', label: { fr: 'Par téléphone', en: 'By phone' } },
  { id: 'email', label: { fr: 'Par e-mail', en: 'By e-mail' } },
  { id: 'chat', label: { fr: 'Par chat', en: 'By chat' } },
  { id: 'relative', label: { fr: 'Une personne proche', en: 'Someone close to me' } },
  { id: 'association', label: { fr: 'Une association', en: 'An association' } },
  { id: 'websites', label: { fr: 'Des sites internet', en: 'Websites' } },
  { id: 'other', label: { fr: 'Autres, précisez', en: 'Other, please specify' } },
  { id: 'none', label: { fr: 'Je n’ai pas eu besoin d’aide', en: 'I did not need help' } },
];
/** The last two options can never be hidden. */
export const HIDEABLE_HELP_OPTIONS = HELP_TRIED.map((o) => o.id).filter((id) => id !== 'other' && id !== 'none');

export const HELP_REACHED: Option[] = [
  { id: 'yes', label: { fr: 'Oui', en: 'Yes' }, intention: 'positive' },
  { id: 'no', label: { fr: 'Non', en: 'No' }, intention: 'negative' },
];

export const HELP_QUALITY: Option[] = [
  { id: 'very_bad', label: { fr: 'Très mauvaise', en: 'Very poor' }, mark: 0, intention: 'negative' },
  { id: 'bad', label: { fr: 'Mauvaise', en: 'Poor' }, mark: 2.5, intention: 'negative' },
  { id: 'medium', label: { fr: 'Ni bonne, ni mauvaise', en: 'Neither good nor poor' }, mark: 5, intention: 'neutral' },
  { id: 'good', label: { fr: 'Bonne', en: 'Good' }, mark: 7.5, intention: 'positive' },
  { id: 'excellent', label: { fr: 'Excellente', en: 'Excellent' }, mark: 10, intention: 'positive' },
];

export const PROBLEM_KIND: Option[] = [
  { id: 'technical', label: { fr: 'Problème technique', en: 'Technical problem' } },
  { id: 'situation', label: { fr: 'Problème lié à ma situation', en: 'Problem with my situation' } },
  { id: 'suggestion', label: { fr: 'Suggestion', en: 'Suggestion' } },
];

/** Every question with options, by id: the validator and the analytics read them from here. */
export const QUESTIONS: Record<string, Option[]> = {
  satisfaction: SATISFACTION,
  clarity: CLARITY,
  help_tried: HELP_TRIED,
  help_reached: HELP_REACHED,
  help_quality: HELP_QUALITY,
  problem_kind: PROBLEM_KIND,
};

export const QUESTION_LABELS: Record<string, Text> = {
  satisfaction: { fr: 'De façon générale, comment s’est passée cette démarche ?', en: 'Overall, how did this procedure go?' },
  clarity: {
    fr: 'Qu’avez-vous pensé des informations et des instructions fournies ?',
    en: 'What did you think of the information and instructions given?',
  },
  help_tried: { fr: 'Avez-vous cherché de l’aide pour faire cette démarche ?', en: 'Did you look for help to complete this procedure?' },
  help_reached: { fr: 'Avez-vous réussi à joindre l’administration ?', en: 'Did you manage to reach the administration?' },
  help_quality: { fr: 'Comment évaluez-vous la qualité de l’aide ?', en: 'How do you rate the quality of the help?' },
  problem_kind: { fr: 'De quel type de problème s’agit-il ?', en: 'What kind of problem is it?' },
};

export function markOf(question: string, optionId: string): number | undefined {
  return own(QUESTIONS, question)?.find((o) => o.id === optionId)?.mark;
}

export type TemplateId = 'default' | 'problem';
export const TEMPLATE_LABELS: Record<TemplateId, string> = {
  default: 'Questionnaire « Je donne mon avis »',
  problem: 'Signaler un problème',
};

/** Steps of each template, in order; `optional` steps have « Passer », `hideable` ones can be hidden per form. */
export interface StepDefinition {
  id: 'experience' | 'clarity' | 'help' | 'comment' | 'problem';
  title: Text;
  optional: boolean;
  hideable: boolean;
}

export const STEPS: Record<TemplateId, StepDefinition[]> = {
  default: [
    { id: 'experience', title: { fr: 'Expérience générale', en: 'Overall experience' }, optional: false, hideable: false },
    { id: 'clarity', title: { fr: 'Clarté', en: 'Clarity' }, optional: true, hideable: true },
    { id: 'help', title: { fr: 'Aides', en: 'Help' }, optional: true, hideable: true },
    { id: 'comment', title: { fr: 'Commentaire', en: 'Comment' }, optional: true, hideable: false },
  ],
  problem: [{ id: 'problem', title: { fr: 'Signaler un problème', en: 'Report a problem' }, optional: false, hideable: false }],
};

export const VERBATIM_MAX = 5000;
export const OTHER_HELP_MAX = 200;
