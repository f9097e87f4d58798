import type { MailMessage } from '../kernel/mail/mailer.ts';
import { ROLE_LABELS, type Role } from '../kernel/auth/scope.ts';
import { INVITATION_DAYS } from './invitations.ts';

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
