/** The catalogue's fixed vocabularies: stored codes (English-free, they also appear in imports) and their French labels. */
export const ONLINE_STATUSES = ['oui', 'partiel', 'non', 'en_cours', 'proactive'] as const;
export type OnlineStatus = (typeof ONLINE_STATUSES)[number];
export const ONLINE_STATUS_LABELS: Record<OnlineStatus, string> = {
  oui: 'En ligne',
  partiel: 'Partiellement en ligne',
  non: 'Pas en ligne',
  en_cours: 'Dématérialisation en cours',
  proactive: 'Démarche proactive (sans demande)',
};
/** The short wording of the same statuses, for tables and the observatoire (spec: indicators.md, « Réalisable en ligne »). */
export const ONLINE_STATUS_SHORT_LABELS: Record<OnlineStatus, string> = {
  oui: 'Oui',
  partiel: 'Partiel',
  non: 'Non',
  en_cours: 'En cours de déploiement local',
  proactive: 'Démarche proactive',
};

export const FRANCECONNECT_STATUSES = ['franceconnect', 'franceconnect_plus', 'non', 'non_applicable'] as const;
export type FranceConnectStatus = (typeof FRANCECONNECT_STATUSES)[number];
export const FRANCECONNECT_LABELS: Record<FranceConnectStatus, string> = {
  franceconnect: 'FranceConnect',
  franceconnect_plus: 'FranceConnect+',
  non: 'Non',
  non_applicable: 'Non applicable',
};

export const USER_CATEGORIES = ['particuliers', 'professionnels', 'associations', 'collectivites'] as const;
export type UserCategory = (typeof USER_CATEGORIES)[number];
export const USER_CATEGORY_LABELS: Record<UserCategory, string> = {
  particuliers: 'Particuliers',
  professionnels: 'Professionnels',
  associations: 'Associations',
  collectivites: 'Collectivités',
};

export const HELP_CHANNEL_KINDS = ['telephone', 'courriel', 'formulaire', 'chat', 'guichet', 'courrier', 'autre'] as const;
export type HelpChannelKind = (typeof HELP_CHANNEL_KINDS)[number];
export const HELP_CHANNEL_LABELS: Record<HelpChannelKind, string> = {
  telephone: 'Téléphone',
  courriel: 'Courriel',
  formulaire: 'Formulaire de contact',
  chat: 'Messagerie instantanée',
  guichet: 'Accueil physique',
  courrier: 'Courrier',
  autre: 'Autre',
};

export const ADMINISTRATION_KINDS = ['direction', 'operateur', 'autre'] as const;
export type AdministrationKind = (typeof ADMINISTRATION_KINDS)[number];
export const ADMINISTRATION_KIND_LABELS: Record<AdministrationKind, string> = {
  direction: 'Direction',
  operateur: 'Opérateur',
  autre: 'Autre',
};

export interface HelpChannel {
  kind: HelpChannelKind;
  label: string;
  value: string;
  hours: string;
}

/** The editable fields of a procedure, as forms and imports produce them once validated. */
export interface ProcedureInput {
  stableId: string;
  title: string;
  slug: string;
  description: string;
  administrationId: number;
  url: string | null;
  infoUrl: string | null;
  userCategories: UserCategory[];
  volumeTotal: number | null;
  volumeOnline: number | null;
  onlineStatus: OnlineStatus;
  franceconnect: FranceConnectStatus;
  inScope: boolean;
  helpChannels: HelpChannel[];
}

export const options = <T extends string>(labels: Record<T, string>) =>
  (Object.entries(labels) as [T, string][]).map(([value, label]) => ({ value, label }));

/** A URL-safe slug: lower case, no accents, words joined by dashes. */
export function slugify(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 120);
}
