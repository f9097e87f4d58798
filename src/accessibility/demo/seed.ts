import type { AppDeps } from '../../kernel/web/deps.ts';
import type { Queryable } from '../../kernel/db/db.ts';
import { referential } from '../rgaa/referential.ts';
import type { PageKind, Impact } from '../audits/model.ts';
import { addPage } from '../audits/queries.ts';
import { addProcess, createAuditWith, publishAudit } from '../audits/work.ts';

/**
 * Demo data of the audits: the ANTS « Autres demandes concernant l'immatriculation des véhicules », found not RGAA AA
 * compliant (issue 12), with a published full audit: partially conforming, with the kind of non-conformities such a
 * procedure has (contrast, labels, focus, error messages, an upload step unusable with a screen reader).
 */
export const DEMO_PROCEDURE = 'ants-immatriculation-autres-demandes';
export const DEMO_AUDIT_NAME = 'Audit RGAA complet — immatriculation, autres demandes (2026)';

const SITE = 'https://immatriculation.ants.gouv.fr';

const PAGES: { name: string; path: string | null; kind: PageKind; process?: string }[] = [
  { name: 'Accueil', path: '/', kind: 'accueil' },
  { name: 'Contact', path: '/contact', kind: 'contact' },
  { name: 'Mentions légales', path: '/mentions-legales', kind: 'mentions_legales' },
  { name: 'Accessibilité', path: '/accessibilite', kind: 'accessibilite' },
  { name: 'Plan du site', path: '/plan-du-site', kind: 'plan_du_site' },
  { name: 'Aide', path: '/aide', kind: 'aide' },
  { name: 'Connexion', path: '/connexion', kind: 'authentification' },
  { name: 'Choix de la demande', path: '/demarches/autres-demandes/choix', kind: 'processus', process: 'Déposer une demande' },
  {
    name: 'Saisie du véhicule et du titulaire',
    path: '/demarches/autres-demandes/saisie',
    kind: 'processus',
    process: 'Déposer une demande',
  },
  { name: 'Pièces justificatives', path: '/demarches/autres-demandes/pieces', kind: 'processus', process: 'Déposer une demande' },
  { name: 'Éléments transverses', path: null, kind: 'transverse' },
];

/** Criteria not applicable on this site: no frames, no multimedia, no data tables, no context change on input. */
const NOT_APPLICABLE = [
  '2.1',
  '2.2',
  ...Array.from({ length: 13 }, (_, i) => `4.${i + 1}`),
  '5.1',
  '5.2',
  '5.3',
  '5.4',
  '5.5',
  '5.6',
  '5.7',
  '5.8',
  '13.2',
  '13.4',
  '13.5',
  '13.6',
  '13.7',
  '13.8',
  '1.4',
  '1.5',
  '1.7',
  '1.8',
  '1.9',
  '7.2',
  '7.4',
  '7.5',
];

const NC: { page: string; criterion: string; description: string; impact: Impact; quickWin: boolean; recommendation: string }[] = [
  {
    page: 'Éléments transverses',
    criterion: '3.2',
    description: 'Le texte gris des liens du pied de page (#9a9a9a sur blanc) a un contraste de 2,8:1.',
    impact: 'majeur',
    quickWin: true,
    recommendation: 'Utiliser une couleur de texte d’un contraste d’au moins 4,5:1, par exemple #666666.',
  },
  {
    page: 'Éléments transverses',
    criterion: '10.7',
    description: 'Le focus des liens du menu principal est supprimé (outline: none) sans autre indication visuelle.',
    impact: 'bloquant',
    quickWin: true,
    recommendation: 'Rétablir un indicateur de focus visible et contrasté sur tous les éléments focalisables.',
  },
  {
    page: 'Éléments transverses',
    criterion: '12.6',
    description: 'L’en-tête et le pied de page ne sont pas identifiés par des régions (header, footer ou rôles ARIA banner, contentinfo).',
    impact: 'mineur',
    quickWin: true,
    recommendation: 'Utiliser les éléments header, nav, main et footer, ou les rôles ARIA correspondants.',
  },
  {
    page: 'Accueil',
    criterion: '1.2',
    description: 'Le bandeau décoratif de la page d’accueil a un alternative « bandeau-accueil.jpg ».',
    impact: 'mineur',
    quickWin: true,
    recommendation: 'Donner une alternative vide (alt="") aux images décoratives.',
  },
  {
    page: 'Connexion',
    criterion: '11.1',
    description: 'Le champ du mot de passe n’a pas d’étiquette : seul un texte indicatif (placeholder) le décrit.',
    impact: 'bloquant',
    quickWin: true,
    recommendation: 'Associer une étiquette visible au champ avec l’élément label et l’attribut for.',
  },
  {
    page: 'Connexion',
    criterion: '11.13',
    description: 'Les champs d’identifiant et de mot de passe n’ont pas d’attribut autocomplete.',
    impact: 'mineur',
    quickWin: true,
    recommendation: 'Ajouter autocomplete="username" et autocomplete="current-password".',
  },
  {
    page: 'Saisie du véhicule et du titulaire',
    criterion: '11.10',
    description: 'Les erreurs de saisie (numéro d’immatriculation, date) ne sont signalées que par une bordure rouge.',
    impact: 'majeur',
    quickWin: false,
    recommendation: 'Afficher un message d’erreur textuel, relié au champ par aria-describedby, et indiquer le format attendu.',
  },
  {
    page: 'Saisie du véhicule et du titulaire',
    criterion: '11.2',
    description: 'L’étiquette « N° » du champ du numéro de formule n’est pas pertinente.',
    impact: 'majeur',
    quickWin: true,
    recommendation: 'Écrire une étiquette explicite : « Numéro de formule du certificat d’immatriculation (11 caractères) ».',
  },
  {
    page: 'Pièces justificatives',
    criterion: '7.1',
    description:
      'Le bouton de dépôt des pièces est un div cliquable : il n’est ni atteignable au clavier ni annoncé par un lecteur d’écran.',
    impact: 'bloquant',
    quickWin: false,
    recommendation: 'Utiliser un élément input type="file" natif avec son étiquette, ou un bouton accessible au clavier.',
  },
  {
    page: 'Pièces justificatives',
    criterion: '7.3',
    description: 'La zone de glisser-déposer ne peut pas être utilisée au clavier.',
    impact: 'bloquant',
    quickWin: false,
    recommendation: 'Proposer une alternative au clavier (bouton « Choisir un fichier »).',
  },
  {
    page: 'Pièces justificatives',
    criterion: '12.8',
    description: 'L’ordre de tabulation passe du bouton « Valider » à la liste des pièces déjà déposées.',
    impact: 'majeur',
    quickWin: false,
    recommendation: 'Suivre l’ordre du contenu dans le code, sans tabindex positif.',
  },
  {
    page: 'Aide',
    criterion: '13.3',
    description: 'Le guide PDF « Pièces à fournir » n’est pas balisé (pas de structure de titres, images sans alternative).',
    impact: 'majeur',
    quickWin: false,
    recommendation: 'Produire une version accessible du PDF ou une page HTML équivalente.',
  },
  {
    page: 'Choix de la demande',
    criterion: '9.1',
    description: 'Le titre « Que souhaitez-vous faire ? » est un paragraphe en gras, pas un titre.',
    impact: 'mineur',
    quickWin: true,
    recommendation: 'Structurer la page avec des titres h1 et h2.',
  },
];

/** Loads the demo audit once (idempotent: an existing demo audit of the procedure is kept as it is). */
export async function seedAuditsDemo(deps: AppDeps): Promise<void> {
  await deps.db.transaction((tx) => seedDemoAudit(tx));
}

export async function seedDemoAudit(tx: Queryable): Promise<number | null> {
  const { rows } = await tx.query<{ id: number }>(`SELECT id FROM procedures WHERE stable_id = $1`, [DEMO_PROCEDURE]);
  if (!rows[0]) return null;
  const procedureId = Number(rows[0].id);
  const { rows: existing } = await tx.query(`SELECT id FROM accessibility_audits WHERE procedure_id = $1 AND is_demo`, [procedureId]);
  if (existing[0]) return Number(existing[0].id);
  const id = await createAuditWith(tx, {
    procedureId,
    type: 'full',
    name: DEMO_AUDIT_NAME,
    siteUrl: `${SITE}/`,
    auditedBy: 'Cabinet d’audit (démonstration)',
    tools: ['Assistant RGAA', 'Colour Contrast Analyser', 'HeadingsMap', 'Web Developer'],
    startedOn: '2026-03-02',
    finishedOn: '2026-03-20',
    environments: [
      { assistiveTechnology: 'NVDA', browser: 'Firefox', operatingSystem: 'Windows' },
      { assistiveTechnology: 'JAWS', browser: 'Chrome', operatingSystem: 'Windows' },
      { assistiveTechnology: 'VoiceOver (macOS)', browser: 'Safari', operatingSystem: 'macOS' },
    ],
    actor: null,
    isDemo: true,
  });
  const processId = await addProcess(tx, id, 'Déposer une demande', null);
  const pageIds = new Map<string, number>();
  for (const p of PAGES) {
    pageIds.set(
      p.name,
      await addPage(tx, {
        auditId: id,
        name: p.name,
        url: p.path ? `${SITE}${p.path}` : null,
        kind: p.kind,
        processId: p.process ? processId : null,
        actor: null,
      }),
    );
  }
  const criteria = referential().auditCriteria('full');
  const na = new Set(NOT_APPLICABLE);
  await tx.query(
    `UPDATE accessibility_results SET status = CASE WHEN criterion = ANY($2::text[]) THEN 'NA' ELSE 'C' END WHERE audit_id = $1`,
    [id, [...na]],
  );
  // Forms only where there are forms; 13.3 (documents) only where documents are offered.
  const formPages = ['Contact', 'Connexion', 'Choix de la demande', 'Saisie du véhicule et du titulaire', 'Pièces justificatives'];
  const formCriteria = criteria.filter((c) => c.startsWith('11.'));
  for (const [name, pageId] of pageIds) {
    if (!formPages.includes(name))
      await tx.query(`UPDATE accessibility_results SET status = 'NA' WHERE page_id = $1 AND criterion = ANY($2::text[])`, [
        pageId,
        formCriteria,
      ]);
    if (name !== 'Aide')
      await tx.query(`UPDATE accessibility_results SET status = 'NA' WHERE page_id = $1 AND criterion = '13.3'`, [pageId]);
  }
  for (const [i, nc] of NC.entries()) {
    const pageId = pageIds.get(nc.page)!;
    await tx.query(`UPDATE accessibility_results SET status = 'NC' WHERE page_id = $1 AND criterion = $2`, [pageId, nc.criterion]);
    await tx.query(
      `INSERT INTO accessibility_nc_items (page_id, criterion, position, description, impact, quick_win, recommendation) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [pageId, nc.criterion, i + 1, nc.description, nc.impact, nc.quickWin, nc.recommendation],
    );
  }
  await tx.query(
    `UPDATE accessibility_results SET note = 'Les liens d’évitement existent ; les placer avant le logo rendrait le premier arrêt de tabulation plus utile.' WHERE page_id = $1 AND criterion = '12.7'`,
    [pageIds.get('Accueil')],
  );
  await publishAudit(tx, id, null);
  await tx.query(`UPDATE accessibility_audits SET published_at = '2026-03-27T10:00:00Z' WHERE id = $1`, [id]);
  return id;
}
