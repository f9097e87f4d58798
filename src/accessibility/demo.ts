import type { Db } from '../kernel/db/db.ts';
import { todayInParis } from '../kernel/web/format.ts';
import { createPlan, addAction, setRoadmap, addMilestone, type ActionKind, type ActionStatus } from './plans/queries.ts';
import {
  generateDeclaration,
  getDeclaration,
  latestPublishedFullAudit,
  publishDeclaration,
  saveDeclarationDraft,
} from './declarations/queries.ts';

/**
 * Demo data (idempotent): the ministry of the economy's multi-year plan 2025–2027 for 28 of its procedures, « Paiement
 * des amendes » (DGFiP) first, with yearly actions and the dated roadmap of « Paiement des amendes » to 100 %; and,
 * when the ANTS « Autres demandes concernant l’immatriculation » has a published full audit (seeded by the audits'
 * demo), its published declaration. Without that audit the declaration is skipped and said so.
 */
export async function seedAccessibilityDemo(db: Db): Promise<void> {
  await seedEconomyPlan(db);
  await seedAntsRoadmap(db);
  await seedAntsDeclaration(db);
}

/** The ANTS « Autres demandes concernant l’immatriculation »: its roadmap to full conformity (idempotent). */
async function seedAntsRoadmap(db: Db): Promise<void> {
  const { rows } = await db.query(
    `SELECT p.id FROM procedures p WHERE p.slug = 'ants-immatriculation-autres-demandes'
        AND NOT EXISTS (SELECT 1 FROM accessibility_roadmaps r WHERE r.procedure_id = p.id)`,
  );
  if (!rows[0]) return;
  const procedureId = Number(rows[0].id);
  await db.transaction(async (tx) => {
    await setRoadmap(tx, {
      procedureId,
      targetOn: '2027-12-31',
      notes: 'Audit RGAA 2026 : partiellement conforme. Objectif : conformité totale fin 2027.',
      actor: null,
      isDemo: true,
    });
    const m = (kind: ActionKind, title: string, dueOn: string, status: ActionStatus, doneOn: string | null = null) =>
      addMilestone(tx, {
        procedureId,
        kind,
        title,
        owner: 'ANTS – direction des systèmes d’information',
        dueOn,
        status,
        doneOn,
        actor: null,
      });
    await m('audit', 'Audit complet RGAA 4.1.2', '2026-10-31', 'done', '2026-10-30');
    await m('declaration', 'Publication de la déclaration d’accessibilité', '2026-11-30', 'done', '2026-11-30');
    await m(
      'fixes',
      'Corrections des non-conformités bloquantes (téléversement des justificatifs, erreurs de formulaire)',
      '2027-03-31',
      'planned',
    );
    await m('fixes', 'Corrections des non-conformités majeures et mineures', '2027-09-30', 'planned');
    await m('reaudit', 'Contre-audit complet', '2027-11-15', 'planned');
    await m('declaration', 'Déclaration « totalement conforme »', '2027-12-31', 'planned');
  });
}

async function seedEconomyPlan(db: Db): Promise<void> {
  const { rows: ministries } = await db.query(`SELECT id FROM ministries WHERE code = 'economie'`);
  if (!ministries[0]) return;
  const ministryId = Number(ministries[0].id);
  const { rows: existing } = await db.query('SELECT 1 FROM accessibility_plans WHERE ministry_id = $1 AND is_demo', [ministryId]);
  if (existing[0]) return;
  const { rows: procedures } = await db.query<{ id: number; slug: string; title: string }>(
    `SELECT p.id, p.slug, p.title FROM procedures p JOIN administrations a ON a.id = p.administration_id
      WHERE a.ministry_id = $1 AND p.archived_at IS NULL
      ORDER BY (p.slug = 'dgfip-paiement-amendes') DESC, p.volume_total DESC NULLS LAST, p.id LIMIT 28`,
    [ministryId],
  );
  if (procedures.length === 0) return;
  await db.transaction(async (tx) => {
    const planId = await createPlan(tx, {
      org: { kind: 'ministry', id: ministryId },
      actor: null,
      isDemo: true,
      publish: true,
      title: 'Schéma pluriannuel de mise en accessibilité numérique 2025–2027',
      startYear: 2025,
      endYear: 2027,
      policy: [
        'L’accessibilité numérique fait partie de la stratégie numérique du ministère : tout nouveau projet l’intègre dès sa conception, et les démarches les plus utilisées sont traitées en premier.',
        'Une référente accessibilité numérique, rattachée au secrétariat général, coordonne les directions ; chaque direction désigne un correspondant.',
        'Moyens : deux auditeurs internes, un marché d’audits externes, 400 000 € par an pour les corrections.',
        'Formation : sensibilisation de tous les chefs de projet, formation RGAA des développeurs et des rédacteurs.',
        'Contrats : clause d’accessibilité RGAA dans tous les marchés, recette d’accessibilité avant toute mise en production.',
      ].join('\n'),
    });
    const action = (
      year: number,
      procedureId: number | null,
      kind: ActionKind,
      title: string,
      owner: string,
      startsOn: string,
      dueOn: string,
      status: ActionStatus,
    ) => addAction(tx, { planId, year, procedureId, kind, title, owner, startsOn, dueOn, status, actor: null });
    await action(
      2025,
      null,
      'training',
      'Former les chefs de projet et développeurs au RGAA',
      'Secrétariat général',
      '2025-01-15',
      '2025-06-30',
      'done',
    );
    await action(
      2026,
      null,
      'training',
      'Former les rédacteurs web aux contenus accessibles',
      'Secrétariat général',
      '2026-01-15',
      '2026-06-30',
      'done',
    );
    for (const [i, p] of procedures.entries()) {
      const wave = i < 10 ? 2025 : i < 20 ? 2026 : 2027;
      await action(
        wave,
        p.id,
        'audit',
        `Audit complet RGAA : ${p.title}`,
        'Mission accessibilité',
        `${wave}-02-01`,
        `${wave}-04-30`,
        wave === 2025 ? 'done' : wave === 2026 ? 'in_progress' : 'planned',
      );
      await action(
        wave,
        p.id,
        'fixes',
        `Corrections des non-conformités : ${p.title}`,
        'Équipe produit',
        `${wave}-05-01`,
        `${wave}-10-31`,
        wave === 2025 ? (i % 3 === 0 ? 'in_progress' : 'done') : 'planned',
      );
      await action(
        Math.min(wave + 1, 2027),
        p.id,
        'reaudit',
        `Contre-audit et déclaration : ${p.title}`,
        'Mission accessibilité',
        `${Math.min(wave + 1, 2027)}-01-15`,
        `${Math.min(wave + 1, 2027)}-03-31`,
        'planned',
      );
    }
    // The 2025 results shown in the 2026 plan (« bilan »).
    await tx.query(
      `UPDATE accessibility_plan_actions SET result = CASE kind WHEN 'audit' THEN 'Audit réalisé, rapport remis à l’équipe produit.' WHEN 'fixes' THEN 'Non-conformités bloquantes corrigées.' ELSE 'Réalisé.' END
        WHERE plan_id = $1 AND year = 2025 AND status = 'done'`,
      [planId],
    );

    // « Paiement des amendes »: the dated roadmap to 100 %.
    const amendes = procedures.find((p) => p.slug === 'dgfip-paiement-amendes');
    if (amendes) {
      await setRoadmap(tx, {
        procedureId: amendes.id,
        targetOn: '2027-06-30',
        notes: 'Objectif : conformité totale (100 %) au RGAA 4.1.2, déclaration publiée au plus tard le 30 juin 2027.',
        actor: null,
        isDemo: true,
      });
      const m = (kind: ActionKind, title: string, dueOn: string, status: ActionStatus, doneOn: string | null = null) =>
        addMilestone(tx, { procedureId: amendes.id, kind, title, owner: 'DGFiP – bureau SI-1', dueOn, status, doneOn, actor: null });
      await m('audit', 'Audit complet initial (106 critères)', '2025-04-30', 'done', '2025-04-28');
      await m('training', 'Formation RGAA de l’équipe produit', '2025-06-30', 'done', '2025-06-20');
      await m('fixes', 'Corrections des non-conformités bloquantes (formulaire de paiement)', '2025-12-15', 'done', '2025-12-10');
      await m('fixes', 'Corrections des non-conformités majeures (justificatifs PDF, contrastes)', '2026-09-30', 'in_progress');
      await m('reaudit', 'Contre-audit complet', '2027-02-28', 'planned');
      await m('fixes', 'Corrections finales après contre-audit', '2027-05-15', 'planned');
      await m('declaration', 'Publication de la déclaration « totalement conforme »', '2027-06-30', 'planned');
    }
    // A roadmap for the next nine procedures of the first wave, so that the ministry's timeline has rows.
    for (const [i, p] of procedures
      .filter((x) => x.slug !== 'dgfip-paiement-amendes')
      .slice(0, 9)
      .entries()) {
      await setRoadmap(tx, { procedureId: p.id, targetOn: `${2027 + (i % 2)}-12-31`, notes: '', actor: null, isDemo: true });
      await addMilestone(tx, {
        procedureId: p.id,
        kind: 'audit',
        title: 'Audit complet',
        owner: 'Mission accessibilité',
        dueOn: '2025-04-30',
        status: 'done',
        doneOn: '2025-04-30',
        actor: null,
      });
      await addMilestone(tx, {
        procedureId: p.id,
        kind: 'fixes',
        title: 'Corrections',
        owner: 'Équipe produit',
        dueOn: `2026-${String(6 + (i % 6)).padStart(2, '0')}-30`,
        status: i % 3 === 0 ? 'done' : 'in_progress',
        doneOn: i % 3 === 0 ? '2026-06-30' : null,
        actor: null,
      });
      await addMilestone(tx, {
        procedureId: p.id,
        kind: 'reaudit',
        title: 'Contre-audit',
        owner: 'Mission accessibilité',
        dueOn: `${2027 + (i % 2)}-06-30`,
        status: 'planned',
        actor: null,
      });
    }
  });
}

/** The ANTS procedure's declaration, from the published audit the audits' demo seeds (skipped when there is none). */
export async function seedAntsDeclaration(db: Db): Promise<'published' | 'exists' | 'no_audit' | 'no_procedure'> {
  const { rows } = await db.query(`SELECT id FROM procedures WHERE slug = 'ants-immatriculation-autres-demandes'`);
  if (!rows[0]) return 'no_procedure';
  const procedureId = Number(rows[0].id);
  const existing = await getDeclaration(db, procedureId);
  if (existing?.published) return 'exists';
  // The caller is told by the result; nothing is printed (a test process's stdout belongs to the test runner).
  if (!(await latestPublishedFullAudit(db, procedureId))) return 'no_audit';
  await db.transaction(async (tx) => {
    await generateDeclaration(tx, { procedureId, actor: null, isDemo: true });
    const row = (await getDeclaration(tx, procedureId))!;
    await saveDeclarationDraft(tx, {
      procedureId,
      expectedVersion: row.version,
      actor: null,
      fields: {
        organisation_name: 'Agence nationale des titres sécurisés (ANTS)',
        service_name: 'Autres demandes concernant l’immatriculation des véhicules',
        engagement: 'L’ANTS s’engage à corriger les non-conformités bloquantes avant la fin du premier semestre 2027.',
        technologies: 'HTML5\nCSS\nJavaScript\nVue.js',
        contact_email: 'accessibilite@ants.gouv.fr',
        contact_form_url: 'https://ants.gouv.fr/nous-contacter',
        contact_page_url: '',
        non_conformity_notes:
          'Le téléversement des justificatifs peut se faire par courrier ou en point numérique en préfecture en attendant la correction.',
        derogations: '',
        exempted_contents: 'Les documents bureautiques publiés avant le 23 septembre 2018.',
      },
    });
    await publishDeclaration(tx, { procedureId, actor: null, today: todayInParis() });
  });
  return 'published';
}
