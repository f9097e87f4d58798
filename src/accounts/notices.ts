import type { Notice } from '../kernel/web/layout.ts';
import { z } from 'zod';
import { own } from '../kernel/web/input-guard.ts';

/** Messages shown after a redirect (`?ok=key`): fixed texts, never text taken from the URL. */
const NOTICES: Record<string, Notice> = {
  profil: { type: 'success', text: 'Votre profil est enregistré.' },
  'profil-verification': {
    type: 'success',
    text: 'Votre profil est enregistré. Un lien de vérification a été envoyé à votre nouvelle adresse.',
  },
  'mot-de-passe': { type: 'success', text: 'Votre mot de passe est enregistré. Vos autres sessions ont été fermées.' },
  'session-revoquee': { type: 'success', text: 'La session est révoquée : l’appareil concerné est déconnecté.' },
  verification: {
    type: 'info',
    text: 'Un lien de vérification vient d’être envoyé à votre adresse électronique. Il est valable 24 heures.',
  },
  'adresse-verifiee': { type: 'success', text: 'Votre adresse électronique est vérifiée.' },
  invitation: { type: 'success', text: 'L’invitation est envoyée.' },
  'invitation-annulee': { type: 'success', text: 'L’invitation est annulée : son lien ne fonctionne plus.' },
  'cle-revoquee': { type: 'success', text: 'La clé d’API est révoquée : elle ne permet plus aucun appel.' },
  'droit-ajoute': { type: 'success', text: 'Le droit est ajouté.' },
  'droit-retire': { type: 'success', text: 'Le droit est retiré.' },
  desactive: { type: 'success', text: 'Le compte est désactivé et ses sessions sont fermées.' },
  reactive: { type: 'success', text: 'Le compte est réactivé.' },
  'compte-debloque': {
    type: 'success',
    text: 'Votre compte est débloqué : vous pouvez vous connecter. Un nouvel échec le bloquerait de nouveau, plus longtemps.',
  },
  'mot-de-passe-reinitialise': { type: 'success', text: 'Votre mot de passe est enregistré. Vous pouvez vous connecter.' },
  'mot-de-passe-reinitialise-cles-revoquees': {
    type: 'success',
    text: 'Votre mot de passe est enregistré, toutes vos sessions sont fermées et vos clés d’API sont révoquées : elles ne permettent plus aucun appel. Connectez-vous, puis créez-en de nouvelles dans « Mes clés d’API » si besoin.',
  },
  'deconnecte-partout': { type: 'success', text: 'Vous êtes déconnecté de tous les appareils.' },
  'deconnecte-partout-cles-revoquees': {
    type: 'success',
    text: 'Vous êtes déconnecté de tous les appareils et vos clés d’API sont révoquées : elles ne permettent plus aucun appel.',
  },
  'deconnecte-partout-cles-actives': {
    type: 'warning',
    text: 'Vous êtes déconnecté de tous les appareils. Vos clés d’API restent actives : révoquez-les dans « Mes clés d’API » si l’une d’elles a pu être copiée.',
  },
};

/**
 * `?ok=key` in a page's query (route schema): the fixed message of that key, or none for an unknown, repeated or
 * absent key — a hand-edited URL shows the page without a message, as before, never an error.
 */
export const okNotice = z
  .unknown()
  .optional()
  .transform((key): Notice | null => (typeof key === 'string' ? (own(NOTICES, key) ?? null) : null));

/** The query of a page that shows a message after a redirect (`?ok=key`): `request.query.ok` is that message or null. */
export const okQuery = z.looseObject({ ok: okNotice });
