import type { AppDeps } from '../kernel/web/deps.ts';
import { answerStory, concludeStory, moderate, procedureInfo, submitStory } from './store.ts';
import type { Channel, Feeling, RefusalReason } from './model.ts';

/**
 * Demonstration stories (issue 14): the vehicle registration procedure of the ANTS, where 53 % of users needed help
 * and the contact centre took 2 729 737 calls and 602 723 mails in a year, and the payment of fines (DGFiP). Some are
 * answered, one has an action engaged, one is overdue, a few wait in the moderation queue. Idempotent.
 */
interface DemoStory {
  body: string;
  channels: Channel[];
  feeling: Feeling;
  solved: boolean;
  daysAgo: number;
  email?: boolean;
  accessibility?: boolean;
  consent?: boolean;
  /** Moderation: published (default), refused for a reason, or left in the queue. */
  moderation?: 'queue' | RefusalReason;
  answer?: { afterDays: number; body: string; actionUrl?: string };
  outcome?: { afterDays: number; solved: true } | { afterDays: number; solved: false; reason: string };
}

const ANTS: DemoStory[] = [
  {
    body: 'Je voulais déclarer la cession de mon ancienne voiture. Le site me demandait un code de cession que je n’avais jamais reçu. Après trois essais, j’ai appelé le centre de contact : 40 minutes d’attente. On m’a dit de passer par un point numérique en préfecture, où une médiatrice m’a aidé à finir en dix minutes.',
    channels: ['en_ligne', 'telephone', 'guichet'],
    feeling: 'plutot_mal',
    solved: true,
    daysAgo: 46,
    email: true,
    answer: {
      afterDays: 4,
      body: 'Merci pour votre témoignage. Le code de cession est désormais envoyé par e-mail et par SMS au vendeur ; la page d’aide explique où le retrouver. Les points numériques des préfectures restent à votre disposition pour être accompagné.',
    },
  },
  {
    body: 'Impossible de finir seule ma demande de changement d’adresse sur la carte grise : le site refusait mon justificatif de domicile sans dire pourquoi. J’ai dû demander à mon fils de le faire pour moi.',
    channels: ['en_ligne', 'autre'],
    feeling: 'tres_mal',
    solved: true,
    daysAgo: 38,
    answer: {
      afterDays: 6,
      body: 'Nous avons identifié le problème : les fichiers de plus de 2 Mo étaient refusés sans message clair. Un message explicite et une compression automatique sont en cours de développement.',
      actionUrl: 'https://ants.gouv.fr/nos-missions/les-actualites-de-l-ants',
    },
  },
  {
    body: 'J’utilise un lecteur d’écran. Le formulaire d’immatriculation contient un captcha image sans alternative audio : je ne peux pas aller au bout sans aide. C’est la troisième fois que je dois demander à un voisin.',
    channels: ['en_ligne', 'telephone'],
    feeling: 'tres_mal',
    solved: false,
    daysAgo: 30,
    email: true,
    accessibility: true,
    answer: {
      afterDays: 2,
      body: 'Vous avez raison : ce captcha n’est pas accessible. Son remplacement par un dispositif accessible est inscrit au plan d’action d’accessibilité de l’ANTS, avec une date de livraison publiée.',
      actionUrl: 'https://ants.gouv.fr/accessibilite',
    },
  },
  {
    body: 'J’ai acheté une voiture d’occasion et je n’arrivais pas à faire la demande de certificat d’immatriculation à mon nom. Le point France services de ma commune m’a aidé : l’agente connaissait bien le site et tout a été fait en une demi-heure.',
    channels: ['en_ligne', 'guichet'],
    feeling: 'plutot_bien',
    solved: true,
    daysAgo: 25,
    answer: {
      afterDays: 9,
      body: 'Merci pour ce retour. Les conseillers France services sont formés aux démarches de l’ANTS ; n’hésitez pas à les solliciter de nouveau.',
    },
    outcome: { afterDays: 10, solved: true },
  },
  {
    body: 'Ma demande est bloquée depuis trois semaines « en cours d’instruction ». Aucun moyen de savoir ce qui manque. Au téléphone, on me dit d’attendre. Je ne peux pas vendre ma voiture en attendant.',
    channels: ['en_ligne', 'telephone', 'courrier'],
    feeling: 'tres_mal',
    solved: false,
    daysAgo: 14,
    email: true,
  },
  {
    body: 'Démarche faite en ligne en un quart d’heure pour un duplicata : simple, clair, j’ai reçu le certificat provisoire tout de suite.',
    channels: ['en_ligne'],
    feeling: 'tres_bien',
    solved: true,
    daysAgo: 12,
  },
  {
    body: 'Je n’ai pas d’ordinateur et je ne suis pas à l’aise avec internet. On m’a dit que tout se fait en ligne désormais. Heureusement le point numérique de la préfecture existe, mais il n’ouvre que deux matinées par semaine.',
    channels: ['guichet', 'telephone'],
    feeling: 'plutot_mal',
    solved: true,
    daysAgo: 9,
    answer: {
      afterDays: 3,
      body: 'Merci pour votre témoignage. Les horaires des points numériques sont fixés par chaque préfecture ; nous avons transmis votre remarque. Vous pouvez aussi être accompagné dans un espace France services proche de chez vous.',
    },
  },
  {
    body: 'Le site plante au moment du paiement de la taxe pour la carte grise. J’ai été débité deux fois et je n’ai pas de certificat.',
    channels: ['en_ligne', 'courrier'],
    feeling: 'tres_mal',
    solved: false,
    daysAgo: 3,
    email: true,
  },
  {
    body: 'Vous êtes des incapables et des escrocs, ça fait un mois que j’attends ma carte grise.',
    channels: ['en_ligne'],
    feeling: 'tres_mal',
    solved: false,
    daysAgo: 2,
    moderation: 'queue',
  },
  {
    body: 'Je n’ai pas réussi à changer le titulaire de la carte grise : le site demandait un numéro de formule que je ne trouvais pas sur le document. Une page d’aide avec une photo du document aurait suffi.',
    channels: ['en_ligne'],
    feeling: 'plutot_mal',
    solved: false,
    daysAgo: 1,
    moderation: 'queue',
  },
];

const FINES: DemoStory[] = [
  {
    body: 'Paiement de mon amende en ligne en cinq minutes avec le numéro de l’avis. Rien à dire, c’est efficace.',
    channels: ['en_ligne'],
    feeling: 'tres_bien',
    solved: true,
    daysAgo: 40,
  },
  {
    body: 'Je suis malvoyant et le numéro de télépaiement est écrit en tout petit sur l’avis de contravention. Sur le site, la zone de saisie ne se laisse pas agrandir avec le zoom du navigateur.',
    channels: ['en_ligne', 'telephone'],
    feeling: 'plutot_mal',
    solved: true,
    daysAgo: 33,
    accessibility: true,
    answer: {
      afterDays: 2,
      body: 'Merci pour ce signalement. La page de paiement est corrigée pour permettre l’agrandissement du texte jusqu’à 200 % ; la correction figure au plan d’action d’accessibilité des 28 démarches du ministère.',
      actionUrl: 'https://www.economie.gouv.fr/accessibilite',
    },
  },
  {
    body: 'J’ai payé mon amende par téléphone au serveur vocal, mais j’ai reçu une majoration un mois plus tard. Personne ne sait me dire si le paiement a été pris en compte.',
    channels: ['telephone', 'courrier'],
    feeling: 'tres_mal',
    solved: false,
    daysAgo: 28,
    email: true,
    answer: {
      afterDays: 12,
      body: 'Votre paiement a bien été enregistré ; la majoration a été annulée. Un délai de traitement des paiements par serveur vocal explique cet envoi.',
    },
  },
  {
    body: 'Le site ne propose pas de payer en plusieurs fois. J’ai dû écrire au centre des finances publiques, qui m’a répondu sous quinze jours.',
    channels: ['en_ligne', 'courrier'],
    feeling: 'neutre',
    solved: true,
    daysAgo: 20,
    outcome: {
      afterDays: 8,
      solved: false,
      reason:
        'Le paiement en plusieurs fois d’une amende relève d’une demande au comptable public, qui l’a traitée. Aucune évolution du site n’est prévue.',
    },
  },
  {
    body: 'Paiement refusé trois fois avec ma carte, sans explication. J’ai fini par payer au bureau de tabac avec le QR code.',
    channels: ['en_ligne', 'guichet'],
    feeling: 'plutot_mal',
    solved: true,
    daysAgo: 11,
  },
  {
    body: 'Paiement de mon amende en ligne en cinq minutes avec le numéro de l’avis. Rien à dire, c’est efficace !',
    channels: ['en_ligne'],
    feeling: 'tres_bien',
    solved: true,
    daysAgo: 4,
    moderation: 'queue',
  },
];

const DAY = 24 * 60 * 60 * 1000;

export async function seedExperiencesDemo(deps: AppDeps, today = new Date()): Promise<void> {
  const { db } = deps;
  const { rows } = await db.query(
    `SELECT id, stable_id FROM procedures WHERE stable_id IN ('ants-immatriculation-autres-demandes', 'dgfip-paiement-amendes')`,
  );
  const ids = new Map(rows.map((r) => [r.stable_id as string, Number(r.id)]));
  for (const [stableId, stories] of [
    ['ants-immatriculation-autres-demandes', ANTS],
    ['dgfip-paiement-amendes', FINES],
  ] as const) {
    const procedureId = ids.get(stableId);
    if (!procedureId) continue;
    const existing = await db.query('SELECT 1 FROM experiences WHERE procedure_id = $1 LIMIT 1', [procedureId]);
    if (existing.rows.length) continue;
    const proc = (await procedureInfo(db, procedureId))!;
    for (const [i, s] of stories.entries()) {
      const told = new Date(today.getTime() - s.daysAgo * DAY + i * 60_000);
      const id = await submitStory(
        db,
        {
          procedure: proc,
          lang: 'fr',
          body: s.body,
          channels: s.channels,
          feeling: s.feeling,
          solved: s.solved,
          email: s.email ? `usager.demo${i}@exemple.fr` : null,
          consent: s.consent ?? true,
          accessibilityTicked: s.accessibility ?? false,
        },
        told,
      );
      if (s.moderation === 'queue') continue;
      // Moderated within a day of being told.
      const published = new Date(told.getTime() + 0.5 * DAY);
      await moderate(deps, id, s.moderation ? { publish: false, reason: s.moderation } : { publish: true }, null, published);
      if (s.moderation) continue;
      if (s.answer)
        await answerStory(
          deps,
          id,
          { body: s.answer.body, actionUrl: s.answer.actionUrl ?? null },
          null,
          `/temoignages/${id}`,
          new Date(published.getTime() + s.answer.afterDays * DAY),
        );
      if (s.outcome) {
        const at = new Date(published.getTime() + s.outcome.afterDays * DAY);
        await concludeStory(db, id, s.outcome.solved ? { solved: true } : { solved: false, reason: s.outcome.reason }, null, at);
      }
    }
  }
}
