/** Help channels of a procedure (issue 14): the kinds and the fields each uses. */
export const CHANNEL_KINDS = ['phone', 'email', 'contact_form', 'chat', 'faq', 'in_person'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export const CHANNEL_LABELS: Record<ChannelKind, string> = {
  phone: 'Téléphone',
  email: 'Courriel',
  contact_form: 'Formulaire de contact',
  chat: 'Messagerie instantanée (chat)',
  faq: 'Foire aux questions',
  in_person: 'Aide en personne',
};
/** What the « value » field holds for each kind, as a form label says it. */
export const CHANNEL_VALUE_LABELS: Record<ChannelKind, string> = {
  phone: 'Numéro de téléphone',
  email: 'Adresse électronique',
  contact_form: 'Adresse du formulaire (https://…)',
  chat: 'Adresse de la messagerie (https://…)',
  faq: 'Adresse de la foire aux questions (https://…)',
  in_person: 'Où et comment (texte court)',
};

export interface Channel {
  id?: number;
  kind: ChannelKind;
  label: string;
  value: string;
  hours: string;
  price: string;
}

export const POINT_KINDS = ['france_services', 'point_numerique', 'mairie', 'association', 'other'] as const;
export type PointKind = (typeof POINT_KINDS)[number];
export const POINT_KIND_LABELS: Record<PointKind, string> = {
  france_services: 'France services',
  point_numerique: 'Point numérique de préfecture',
  mairie: 'Mairie',
  association: 'Association',
  other: 'Autre lieu d’aide',
};

export interface HelpPoint {
  id?: number;
  identifier: string;
  name: string;
  kind: PointKind;
  address: string;
  postalCode: string;
  communeCode: string;
  communeName: string;
  latitude: number;
  longitude: number;
  openingHours: string;
  accessibility: string;
  phone: string;
  allProcedures: boolean;
  /** Stable ids of the procedures served (when not all). */
  procedures: string[];
}

export interface VolumeMonth {
  month: string; // 'YYYY-MM-01'
  callsReceived: number;
  callsAnswered: number;
  mailsReceived: number;
  mailsAnswered: number;
  meanWaitSeconds: number | null;
}
