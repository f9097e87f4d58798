import { formatLongDateTime } from '../kernel/web/format.ts';
import type { MailMessage } from '../kernel/mail/mailer.ts';
import { ROLE_LABELS, type Role } from '../kernel/auth/scope.ts';
import { INVITATION_DAYS } from './invitations.ts';

// Europe/Paris: the reader is in France, whatever the server's time zone.

const SIGNATURE = '\n\n— Vigie, qualité des démarches en ligne\nCe message est automatique : merci de ne pas y répondre.';

export function invitationMail(to: string, link: string, inviter: string, role: Role, scope: string | null): MailMessage {
  const what = scope ? `${ROLE_LABELS[role]} (${scope})` : ROLE_LABELS[role];
  return {
    to,
    subject: 'Invitation à rejoindre Vigie',
    text:
      `Bonjour,\n\n${inviter} vous invite à rejoindre Vigie avec le rôle : ${what}.\n\n` +
      `Pour accepter, ouvrez ce lien (valable ${INVITATION_DAYS} jours, utilisable une seule fois) :\n${link}\n\n` +
      `Si vous ne vous attendiez pas à cette invitation, ignorez ce message.` +
      SIGNATURE,
  };
}

export function passwordResetMail(to: string, link: string): MailMessage {
  return {
    to,
    subject: 'Réinitialisation de votre mot de passe Vigie',
    text:
      `Bonjour,\n\nUne réinitialisation du mot de passe de votre compte Vigie a été demandée.\n\n` +
      `Pour choisir un nouveau mot de passe, ouvrez ce lien (valable 1 heure, utilisable une seule fois) :\n${link}\n\n` +
      `Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.` +
      SIGNATURE,
  };
}

export function verificationMail(to: string, link: string): MailMessage {
  return {
    to,
    subject: 'Vérification de votre adresse électronique Vigie',
    text:
      `Bonjour,\n\nPour confirmer que cette adresse est bien la vôtre, ouvrez ce lien (valable 24 heures, utilisable une seule fois) :\n${link}\n\n` +
      `Si vous n’êtes pas à l’origine de cette demande, ignorez ce message.` +
      SIGNATURE,
  };
}

/** « 1 minute », « 15 minutes », « 2 heures », « 1 heure et 30 minutes ». */
export function durationText(minutes: number): string {
  const plural = (n: number, word: string) => `${n} ${word}${n > 1 ? 's' : ''}`;
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${plural(hours, 'heure')} et ${plural(rest, 'minute')}` : plural(hours, 'heure');
}

export interface LockNoticeFacts {
  lockedUntil: Date;
  /** The duration of this lock, in minutes. */
  minutes: number;
  /** The longer locks that further failures would cause (the rest of the ladder), in minutes. */
  nextMinutes: number[];
  unlockLink: string;
  resetLink: string;
}

/** To the owner only; says nothing about who tried, from where, or with what. */
export function lockNoticeMail(to: string, facts: LockNoticeFacts): MailMessage {
  const longer = facts.nextMinutes.length
    ? `Chaque nouvel échec après ce blocage le prolonge : ${facts.nextMinutes.map(durationText).join(', puis ')}.\n\n`
    : '';
  return {
    to,
    subject: 'Connexion à votre compte Vigie temporairement bloquée',
    text:
      `Bonjour,\n\nPlusieurs tentatives de connexion à votre compte Vigie ont échoué. Par sécurité, la connexion par mot de passe ` +
      `est bloquée pendant ${durationText(facts.minutes)}, jusqu’au ${formatLongDateTime(facts.lockedUntil)} (heure de Paris).\n\n` +
      longer +
      `Si c’est vous, patientez jusqu’à cette heure, ou débloquez votre compte dès maintenant avec ce lien ` +
      `(valable 24 heures, utilisable une seule fois) :\n${facts.unlockLink}\n\n` +
      `Si ce n’est pas vous, quelqu’un cherche peut-être à deviner votre mot de passe : choisissez-en un nouveau dès maintenant ` +
      `avec ce lien (valable 1 heure, utilisable une seule fois) :\n${facts.resetLink}\n\n` +
      `Le nouveau mot de passe lève le blocage, ferme toutes les sessions ouvertes sur votre compte et révoque vos clés d’API.` +
      SIGNATURE,
  };
}
