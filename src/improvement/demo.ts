/** Demo défis (issue 15): vehicle registration (ANTS) and fines payment, with the launch day the feedback demo used. */
import type { Db } from '../kernel/db/db.ts';
import { demoLaunch } from '../feedback/index.ts';
import { parseChallengeFile } from './challenge-file.ts';
import { saveChallenge } from './queries.ts';

const addDays = (d: string, days: number) => new Date(Date.parse(`${d}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

function files(launch: string): string[] {
  return [
    `---
title: Immatriculer son véhicule sans se perdre
slug: immatriculation-vehicules
description: Sur 4 000 usagers, 51 % satisfaits, 34 % d’avis négatifs, un tiers trouve la démarche difficile et 53 % ont eu besoin d’aide. Le défi veut rendre la démarche compréhensible et autonome.
ministry: Ministère de l’Intérieur
direction: Agence nationale des titres sécurisés (ANTS)
place: Paris
positions: [Designer de service, Développeuse ou développeur, Spécialiste du langage clair]
start: ${addDays(launch, -120)}
end: ${addDays(launch, 180)}
launch: ${launch}
status: en_cours
procedures: [ants-immatriculation-autres-demandes]
indicators: [satisfaction, negative, hard, helpNeeded, clarity, uptime, loadTime, onlineUse, contacts]
---

## Le problème

Les usagers ne savent pas quelle « autre demande » choisir, les pièces demandées changent selon la situation
et les messages d’erreur ne disent pas quoi faire. Beaucoup appellent ou se rendent en point numérique.

## Ce que fait l’équipe

1. Un parcours qui pose d’abord la question de la situation, puis n’affiche que les pièces utiles ;
2. des messages d’erreur réécrits en langage clair, testés avec des usagers ;
3. une page d’aide reliée à chaque étape.

Les verbatims des usagers et les appels au centre de contact ont guidé chaque action.`,
    `---
title: Payer une amende, accessible à toutes et tous
slug: paiement-amendes-accessible
description: Rendre le paiement des amendes utilisable au clavier, au lecteur d’écran et en zoom, et réduire le besoin d’aide.
ministry: Ministère de l’Économie et des Finances
direction: Direction générale des finances publiques (DGFiP)
place: Rennes
positions: [Experte ou expert en accessibilité numérique, Développeuse ou développeur front]
start: ${addDays(launch, -90)}
end: ${addDays(launch, 120)}
launch: ${launch}
status: en_cours
procedures: [dgfip-paiement-amendes]
indicators: [helpNeeded, hard, satisfaction, accessibilityRate, uptime]
---

## Le problème

L’audit RGAA relève des non-conformités bloquantes : champs du numéro de l’avis sans étiquette, délai de session
non réglable, focus perdu à l’étape du paiement.

## Ce que fait l’équipe

- corriger les non-conformités de l’audit, les plus bloquantes d’abord ;
- faire tester le parcours par des personnes en situation de handicap ;
- publier une déclaration d’accessibilité à jour.`,
  ];
}

/** Seeds the two défis once (idempotent), when the demo procedures exist. */
export async function seedChallenges(db: Db): Promise<void> {
  const { rows: done } = await db.query('SELECT 1 FROM challenges WHERE is_demo LIMIT 1');
  if (done.length) return;
  const launch = demoLaunch();
  const { rows: known } = await db.query<{ stable_id: string }>(
    `SELECT stable_id FROM procedures WHERE stable_id IN ('ants-immatriculation-autres-demandes', 'dgfip-paiement-amendes')`,
  );
  const have = new Set(known.map((r) => r.stable_id));
  const { rows: users } = await db.query<{ id: number }>('SELECT id FROM users ORDER BY id LIMIT 2');
  await db.transaction(async (tx) => {
    for (const text of files(launch)) {
      const file = parseChallengeFile(text);
      file.procedures = file.procedures.filter((p) => have.has(p));
      const { id } = await saveChallenge(tx, file, null, { isDemo: true });
      await tx.query('UPDATE challenges SET is_demo = true WHERE id = $1', [id]);
      for (const [i, u] of users.entries()) {
        await tx.query('INSERT INTO challenge_members (challenge_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
          id,
          u.id,
          i === 0 ? 'Cheffe de projet' : 'Designer',
        ]);
      }
      const actions: [string, number, string, string, string | null, string, string][] =
        file.slug === 'immatriculation-vehicules'
          ? [
              [
                'Analyser les verbatims « je ne sais pas quelle demande choisir »',
                -60,
                'Équipe produit',
                'fait',
                'verbatim',
                'Verbatims des avis de la démarche',
                '',
              ],
              ['Tester le nouveau parcours avec 12 usagers', -30, 'Designer', 'fait', 'experience', 'Entretiens de juin', ''],
              [
                'Mettre en service le parcours par situation',
                0,
                'Équipe produit',
                'fait',
                null,
                '',
                'https://feuille-de-route.exemple.gouv.fr/ants/jalon-parcours',
              ],
              [
                'Réécrire les messages d’erreur en langage clair',
                14,
                'Spécialiste du langage clair',
                'en_cours',
                'verbatim',
                'Verbatims des avis de la démarche',
                '',
              ],
            ]
          : [
              [
                'Corriger les champs sans étiquette (critère 11.1)',
                -20,
                'Développeur front',
                'fait',
                'audit',
                'Audit RGAA, critère 11.1',
                'https://feuille-de-route.exemple.gouv.fr/dgfip/accessibilite',
              ],
              [
                'Rendre le délai de session réglable (critère 13.1)',
                0,
                'Développeur front',
                'fait',
                'audit',
                'Audit RGAA, critère 13.1',
                '',
              ],
              ['Test avec des usagers de lecteurs d’écran', 21, 'Experte accessibilité', 'a_faire', 'experience', '', ''],
            ];
      for (const [title, offset, owner, status, kind, ref, milestone] of actions) {
        await tx.query(
          `INSERT INTO challenge_actions (challenge_id, title, action_date, owner, status, motive_kind, motive_ref, milestone_url) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [id, title, addDays(launch, offset), owner, status, kind, ref, milestone],
        );
      }
    }
  });
}
