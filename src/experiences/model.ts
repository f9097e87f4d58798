/**
 * The vocabulary of experiences: channels, feelings, states, moderation and closing reasons, with their French and
 * English labels. The server only ever accepts these ids (a forged value is refused, nothing written).
 */
import type { Lang } from '../kernel/web/i18n.ts';
export type { Lang };

export const CHANNELS = ['en_ligne', 'telephone', 'courrier', 'guichet', 'autre'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_LABELS: Record<Channel, Record<Lang, string>> = {
  en_ligne: { fr: 'En ligne (site ou application)', en: 'Online (website or app)' },
  telephone: { fr: 'Par téléphone', en: 'By phone' },
  courrier: { fr: 'Par courrier ou e-mail', en: 'By post or e-mail' },
  guichet: {
    fr: 'En personne, dans un lieu d’accueil (France services, point numérique, guichet)',
    en: 'In person, at a help point (France services, digital point, desk)',
  },
  autre: { fr: 'Autre', en: 'Other' },
};
/** Short labels for filters and story cards. */
export const CHANNEL_SHORT: Record<Channel, string> = {
  en_ligne: 'En ligne',
  telephone: 'Téléphone',
  courrier: 'Courrier ou e-mail',
  guichet: 'En personne',
  autre: 'Autre',
};

export const FEELINGS = ['tres_mal', 'plutot_mal', 'neutre', 'plutot_bien', 'tres_bien'] as const;
export type Feeling = (typeof FEELINGS)[number];
export const FEELING_LABELS: Record<Feeling, Record<Lang, string>> = {
  tres_mal: { fr: 'Très mal', en: 'Very bad' },
  plutot_mal: { fr: 'Plutôt mal', en: 'Rather bad' },
  neutre: { fr: 'Ni bien ni mal', en: 'Neither good nor bad' },
  plutot_bien: { fr: 'Plutôt bien', en: 'Rather good' },
  tres_bien: { fr: 'Très bien', en: 'Very good' },
};

export const STATUSES = ['received', 'refused', 'published', 'answered', 'action_engaged', 'solved', 'closed'] as const;
export type Status = (typeof STATUSES)[number];
export const STATUS_LABELS: Record<Status, string> = {
  received: 'Reçu',
  refused: 'Refusé par la modération',
  published: 'Publié',
  answered: 'Répondu',
  action_engaged: 'Action engagée',
  solved: 'Résolu',
  closed: 'Clos sans suite',
};
/** DSFR badge colour of each state. */
export const STATUS_BADGE: Record<Status, string> = {
  received: 'new',
  refused: 'error',
  published: 'info',
  answered: 'success',
  action_engaged: 'success',
  solved: 'success',
  closed: 'warning',
};
/** States seen by the public (a story is public once published, and stays so through its later states). */
export const PUBLIC_STATUSES: Status[] = ['published', 'answered', 'action_engaged', 'solved', 'closed'];

export const REFUSAL_REASONS = ['hors_sujet', 'injurieux', 'donnees_personnelles', 'doublon'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];
export const REFUSAL_LABELS: Record<RefusalReason, string> = {
  hors_sujet: 'Hors sujet',
  injurieux: 'Propos injurieux',
  donnees_personnelles: 'Données personnelles',
  doublon: 'Doublon',
};
/** What the refusal mail tells the author, by reason. */
export const REFUSAL_EXPLANATIONS: Record<RefusalReason, string> = {
  hors_sujet: 'il ne décrit pas votre expérience de cette démarche',
  injurieux: 'il contient des propos injurieux ou menaçants',
  donnees_personnelles: 'il contient des données personnelles (nom, adresse, numéro de dossier…) qui ne peuvent pas être publiées',
  doublon: 'il reprend un témoignage déjà reçu',
};

export const HELPFUL = ['oui', 'en_partie', 'non'] as const;
export type Helpful = (typeof HELPFUL)[number];
export const HELPFUL_LABELS: Record<Helpful, string> = { oui: 'Oui', en_partie: 'En partie', non: 'Non' };
export const HELPFUL_PUBLIC: Record<Helpful, string> = {
  oui: 'L’auteur indique que la réponse de l’administration l’a aidé.',
  en_partie: 'L’auteur indique que la réponse de l’administration l’a aidé en partie.',
  non: 'L’auteur indique que la réponse de l’administration ne l’a pas aidé.',
};

/** Limits of the public form. */
export const BODY_MIN = 20;
export const BODY_MAX = 4000;
export const ANSWER_MAX = 4000;
export const REASON_MAX = 1000;
/** Days after the first answer when the author is asked whether it helped. */
export const FOLLOW_UP_DAYS = 28;

export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}
