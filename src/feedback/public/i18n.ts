import { labels } from '../../kernel/web/i18n.ts';

/** Interface texts of the public questionnaire, in French and English. */
export const T = labels({
  title: { fr: 'Je donne mon avis', en: 'I give my opinion' },
  stepOf: { fr: (n: number, total: number) => `Étape ${n} sur ${total}`, en: (n: number, total: number) => `Step ${n} of ${total}` },
  next: { fr: 'Continuer', en: 'Continue' },
  skip: { fr: 'Passer', en: 'Skip' },
  send: { fr: 'Envoyer mon avis', en: 'Send my opinion' },
  required: { fr: 'Choisissez une réponse.', en: 'Choose an answer.' },
  tooLong: { fr: (max: number) => `${max} caractères au maximum.`, en: (max: number) => `${max} characters at most.` },
  charsLeft: { fr: (max: number) => `${max} caractères au maximum`, en: (max: number) => `${max} characters at most` },
  invalidEmail: {
    fr: 'Saisissez une adresse e-mail valide, par exemple nom@exemple.fr.',
    en: 'Enter a valid e-mail address, for example name@example.com.',
  },
  noneExclusive: {
    fr: '« Je n’ai pas eu besoin d’aide » ne peut pas être coché avec une autre réponse.',
    en: '“I did not need help” cannot be ticked with another answer.',
  },
  verbatim: { fr: 'Souhaitez-vous nous en dire plus ?', en: 'Would you like to tell us more?' },
  verbatimHint: { fr: 'Ne partagez pas d’information personnelle.', en: 'Do not share personal information.' },
  otherHelp: { fr: 'Précisez l’aide cherchée', en: 'Please specify the help you looked for' },
  contactEmail: { fr: 'Votre adresse e-mail (facultatif)', en: 'Your e-mail address (optional)' },
  contactHint: {
    fr: 'Seulement si vous acceptez que l’équipe de la démarche vous recontacte au sujet de votre avis.',
    en: 'Only if you agree that the procedure team may contact you about your opinion.',
  },
  problemVerbatim: { fr: 'Décrivez le problème', en: 'Describe the problem' },
  reachedFor: {
    fr: (channel: string) => `${channel} : avez-vous réussi à joindre l’administration ?`,
    en: (channel: string) => `${channel}: did you manage to reach the administration?`,
  },
  qualityFor: {
    fr: (channel: string) => `${channel} : comment évaluez-vous la qualité de l’aide ?`,
    en: (channel: string) => `${channel}: how do you rate the quality of the help?`,
  },
  followUps: {
    fr: 'Quelques précisions sur l’aide de l’administration (facultatif) :',
    en: 'A few details about the administration’s help (optional):',
  },
  thanksTitle: { fr: 'Merci pour votre avis !', en: 'Thank you for your opinion!' },
  thanksText: {
    fr: 'Votre avis a bien été enregistré. Il aide l’administration à améliorer ce service.',
    en: 'Your opinion has been saved. It helps the administration improve this service.',
  },
  tellStory: {
    fr: 'Vous voulez raconter ce qui s’est passé ? Racontez votre expérience (témoignage public, l’administration y répond)',
    en: 'Want to tell what happened? Tell your experience (a public story the administration answers)',
  },
  getHelp: {
    fr: 'Besoin d’aide pour cette démarche ? Téléphone, e-mail et lieux d’accueil près de chez vous',
    en: 'Need help with this procedure? Phone, e-mail and help points near you (page in French)',
  },
  backToProcedure: { fr: 'Retourner à la démarche', en: 'Back to the procedure' },
  closedTitle: { fr: 'Formulaire fermé', en: 'Form closed' },
  closedText: {
    fr: 'Ce formulaire d’avis n’est plus ouvert. Merci de votre intérêt : vous pouvez fermer cette page.',
    en: 'This feedback form is no longer open. Thank you for your interest: you may close this page.',
  },
  errorsTitle: { fr: 'Le formulaire contient une erreur', en: 'The form contains an error' },
  forged: {
    fr: 'Les réponses envoyées ne correspondent pas à ce formulaire. Rechargez le questionnaire et répondez de nouveau. Rien n’a été enregistré.',
    en: 'The answers sent do not match this form. Reload the questionnaire and answer again. Nothing was saved.',
  },
  stale: {
    fr: 'Ce questionnaire a été modifié depuis que vous l’avez ouvert. Rechargez-le pour répondre à la nouvelle version. Rien n’a été enregistré.',
    en: 'This questionnaire has changed since you opened it. Reload it to answer the new version. Nothing was saved.',
  },
  expired: {
    fr: 'Ce questionnaire a expiré. Rechargez-le pour donner votre avis. Rien n’a été enregistré.',
    en: 'This questionnaire has expired. Reload it to give your opinion. Nothing was saved.',
  },
  replayed: {
    fr: 'Cet avis a déjà été envoyé. Rien n’a été enregistré une seconde fois.',
    en: 'This opinion was already sent. Nothing was saved a second time.',
  },
  modifying: {
    fr: 'Vous modifiez votre avis commencé il y a moins d’une heure sur cet appareil.',
    en: 'You are changing the opinion you started less than an hour ago on this device.',
  },
  newReview: { fr: 'Ce n’est pas mon avis : donner un nouvel avis', en: 'This is not my opinion: give a new one' },
  finished: {
    fr: 'Cet avis est terminé et ne peut plus être modifié. Si vous êtes une autre personne, vous pouvez donner votre propre avis. Rien n’a été enregistré.',
    en: 'This opinion is finished and can no longer be changed. If you are someone else, you can give your own opinion. Nothing was saved.',
  },
  giveNew: { fr: 'Donner un nouvel avis', en: 'Give a new opinion' },
  restart: { fr: 'Recommencer le questionnaire', en: 'Start the questionnaire again' },
});

export { parseLang } from '../../kernel/web/i18n.ts';

/** The hidden field robots fill in and people never see: a submission with a value in it is refused. */
export const HONEYPOT_FIELD = 'site_web';
