import type { MailMessage } from '../kernel/mail/mailer.ts';
import { REFUSAL_EXPLANATIONS, REFUSAL_LABELS, type RefusalReason } from './model.ts';

/** The notices sent to an author who left an address (kept private, only for these). */
const SIGNATURE = '\n\n— Vigie, qualité des démarches en ligne\nCe message est automatique : merci de ne pas y répondre.';

export function refusalMail(to: string, procedureTitle: string, reason: RefusalReason): MailMessage {
  return {
    to,
    subject: 'Votre témoignage n’a pas été publié',
    text:
      `Bonjour,\n\nMerci d’avoir raconté votre expérience de la démarche « ${procedureTitle} ».\n\n` +
      `Votre témoignage n’a pas été publié. Motif : ${REFUSAL_LABELS[reason]} — ${REFUSAL_EXPLANATIONS[reason]}.\n\n` +
      `Vous pouvez raconter de nouveau votre expérience en tenant compte de ce motif.` +
      SIGNATURE,
  };
}

export function answerMail(
  to: string,
  procedureTitle: string,
  administrationName: string,
  answer: string,
  storyUrl: string | null,
  actionUrl: string | null,
): MailMessage {
  return {
    to,
    subject: actionUrl ? 'Une action est engagée suite à votre témoignage' : 'L’administration a répondu à votre témoignage',
    text:
      `Bonjour,\n\n${administrationName} a répondu ${storyUrl ? 'publiquement ' : ''}à votre témoignage sur la démarche « ${procedureTitle} » :\n\n${answer}\n\n` +
      (actionUrl ? `Elle indique avoir engagé une action, décrite ici :\n${actionUrl}\n\n` : '') +
      (storyUrl
        ? `Votre témoignage et ses réponses :\n${storyUrl}`
        : 'Vous n’avez pas souhaité que votre témoignage soit publié : cette réponse ne vous est adressée que par ce message.') +
      SIGNATURE,
  };
}

export function followUpMail(to: string, procedureTitle: string, link: string): MailMessage {
  return {
    to,
    subject: 'La réponse à votre témoignage vous a-t-elle aidé ?',
    text:
      `Bonjour,\n\nIl y a quatre semaines, l’administration a répondu à votre témoignage sur la démarche « ${procedureTitle} ».\n\n` +
      `Cette réponse vous a-t-elle aidé ? Répondez en un clic (votre réponse sera affichée avec votre témoignage) :\n${link}` +
      SIGNATURE,
  };
}
