import { labels } from '../kernel/web/i18n.ts';

/** Texts of the public form, in French and English (the pages that read stories are in French). */
export const T = labels({
  title: { fr: 'Raconter mon expérience', en: 'Tell my experience' },
  intro: {
    fr: (procedure: string) =>
      `Racontez ce qui s’est passé lors de la démarche « ${procedure} ». Votre témoignage est relu avant publication ; l’administration peut y répondre publiquement.`,
    en: (procedure: string) =>
      `Tell what happened during the procedure “${procedure}”. Your story is reviewed before publication; the administration may answer it publicly.`,
  },
  required: { fr: 'Les champs marqués « obligatoire » doivent être remplis.', en: 'Fields marked “required” must be filled in.' },
  requiredMark: { fr: '(obligatoire)', en: '(required)' },
  body: { fr: 'Que s’est-il passé ?', en: 'What happened?' },
  bodyHint: {
    fr: (max: string) =>
      `Décrivez votre expérience en quelques phrases (${max} caractères au maximum). N’indiquez ni votre nom, ni votre adresse, ni un numéro de dossier : ils seraient masqués.`,
    en: (max: string) =>
      `Describe your experience in a few sentences (${max} characters at most). Do not give your name, address or a file number: they would be masked.`,
  },
  channels: {
    fr: 'Par quels moyens avez-vous fait la démarche ou cherché de l’aide ?',
    en: 'Which channels did you use for the procedure or to get help?',
  },
  channelsHint: { fr: 'Cochez tout ce qui s’applique.', en: 'Tick all that apply.' },
  feeling: { fr: 'Comment vous êtes-vous senti·e ?', en: 'How did you feel?' },
  solved: { fr: 'Votre problème est-il résolu ?', en: 'Is your problem solved?' },
  yes: { fr: 'Oui', en: 'Yes' },
  no: { fr: 'Non', en: 'No' },
  accessibility: {
    fr: 'Mon témoignage concerne l’accessibilité (handicap, lecteur d’écran, navigation au clavier, difficulté de lecture…)',
    en: 'My story is about accessibility (disability, screen reader, keyboard navigation, reading difficulty…)',
  },
  accessibilityLegend: { fr: 'Accessibilité', en: 'Accessibility' },
  accessibilityHint: {
    fr: 'L’administration s’engage alors à répondre plus vite.',
    en: 'The administration then commits to answer sooner.',
  },
  email: { fr: 'Votre adresse e-mail (facultatif)', en: 'Your e-mail address (optional)' },
  emailHint: {
    fr: 'Elle reste privée : elle sert seulement à vous prévenir d’une réponse ou d’un refus de publication.',
    en: 'It stays private: it is only used to tell you about an answer or a refusal to publish.',
  },
  consentLegend: { fr: 'Publication', en: 'Publication' },
  consent: {
    fr: 'J’accepte que mon témoignage soit publié sur Vigie (sans mon adresse e-mail)',
    en: 'I agree that my story is published on Vigie (without my e-mail address)',
  },
  consentHint: {
    fr: 'Sans cet accord, votre témoignage est transmis à l’administration mais n’est pas publié.',
    en: 'Without this agreement, your story is passed on to the administration but not published.',
  },
  send: { fr: 'Envoyer mon témoignage', en: 'Send my story' },
  errBodyEmpty: { fr: 'Racontez ce qui s’est passé.', en: 'Tell what happened.' },
  errBodyShort: { fr: (min: number) => `Écrivez au moins ${min} caractères.`, en: (min: number) => `Write at least ${min} characters.` },
  errBodyLong: {
    fr: (max: string) => `${max} caractères au maximum : raccourcissez votre texte.`,
    en: (max: string) => `${max} characters at most: shorten your text.`,
  },
  errChannels: { fr: 'Cochez au moins un moyen utilisé.', en: 'Tick at least one channel.' },
  errFeeling: { fr: 'Choisissez comment vous vous êtes senti·e.', en: 'Choose how you felt.' },
  errSolved: { fr: 'Indiquez si votre problème est résolu.', en: 'Say whether your problem is solved.' },
  errEmail: {
    fr: 'Saisissez une adresse e-mail valide, par exemple nom@exemple.fr, ou laissez le champ vide.',
    en: 'Enter a valid e-mail address, for example name@example.com, or leave the field empty.',
  },
  errorsTitle: {
    fr: (n: number) => (n === 1 ? 'Le formulaire contient une erreur' : `Le formulaire contient ${n} erreurs`),
    en: (n: number) => (n === 1 ? 'The form contains an error' : `The form contains ${n} errors`),
  },
  forged: {
    fr: 'Les réponses envoyées ne correspondent pas à ce formulaire. Rechargez la page et recommencez. Rien n’a été enregistré.',
    en: 'The answers sent do not match this form. Reload the page and try again. Nothing was saved.',
  },
  closedTitle: { fr: 'Démarche close', en: 'Procedure closed' },
  closedText: {
    fr: 'Cette démarche n’existe plus : elle ne reçoit plus de témoignages. Rien n’a été enregistré.',
    en: 'This procedure no longer exists: it no longer takes stories. Nothing was saved.',
  },
  restart: { fr: 'Revenir au formulaire', en: 'Back to the form' },
  thanksTitle: { fr: 'Merci pour votre témoignage !', en: 'Thank you for your story!' },
  thanksText: {
    fr: 'Votre témoignage a bien été reçu. Il sera relu avant d’être publié, et l’administration pourra y répondre.',
    en: 'Your story has been received. It will be reviewed before publication, and the administration may answer it.',
  },
  thanksEmail: {
    fr: 'Vous recevrez un e-mail lorsque l’administration répondra, ou si votre témoignage ne peut pas être publié.',
    en: 'You will get an e-mail when the administration answers, or if your story cannot be published.',
  },
  readStories: { fr: 'Lire les témoignages sur cette démarche', en: 'Read the stories about this procedure (in French)' },
});

export { parseLang } from '../kernel/web/i18n.ts';
