import type { Queryable } from '../kernel/db/db.ts';
import { ROLE_LABELS } from '../kernel/auth/scope.ts';
import { html, type SafeHtml } from '../kernel/web/html.ts';

/**
 * The audit journal read by a person: for each kind of event a sentence (« a modifié la démarche … »), the object as a
 * link to its page, and the fields that changed, before → after. The raw entries (JSON) stay in the export.
 */

/** The kinds of object the journal names, with the noun a sentence uses and the page that shows one. */
const OBJECTS: Record<
  string,
  { noun: string; href?: (id: string) => string; table?: { sql: string; numeric: boolean }; idText?: (id: string) => string }
> = {
  user: {
    noun: 'le compte',
    href: (id) => `/admin/utilisateurs/${id}`,
    table: {
      sql: `SELECT id::text AS id, coalesce(nullif(display_name, ''), email) AS label FROM users WHERE id = ANY($1::bigint[])`,
      numeric: true,
    },
  },
  procedure: {
    noun: 'la démarche',
    href: (id) => `/catalogue/demarches/${id}`,
    table: { sql: 'SELECT id::text AS id, title AS label FROM procedures WHERE id = ANY($1::bigint[])', numeric: true },
  },
  ministry: {
    noun: 'le ministère',
    href: (id) => `/catalogue/ministeres/${id}/modifier`,
    table: { sql: 'SELECT id::text AS id, name AS label FROM ministries WHERE id = ANY($1::bigint[])', numeric: true },
  },
  administration: {
    noun: 'l’administration',
    href: (id) => `/catalogue/administrations/${id}/modifier`,
    table: { sql: 'SELECT id::text AS id, name AS label FROM administrations WHERE id = ANY($1::bigint[])', numeric: true },
  },
  invitation: {
    noun: 'l’invitation de',
    table: { sql: 'SELECT id::text AS id, email AS label FROM invitations WHERE id = ANY($1::bigint[])', numeric: true },
  },
  api_key: {
    noun: 'la clé d’API',
    table: { sql: 'SELECT id::text AS id, name AS label FROM api_keys WHERE id = ANY($1::bigint[])', numeric: true },
  },
  obs_edition: {
    noun: 'l’édition',
    href: (id) => `/observatoire/admin/editions/${id}`,
    table: { sql: 'SELECT id::text AS id, name AS label FROM obs_editions WHERE id = ANY($1::bigint[])', numeric: true },
  },
  obs_indicator: {
    noun: 'l’indicateur',
    href: (id) => `/observatoire/admin/indicateurs/${encodeURIComponent(id)}`,
    table: { sql: 'SELECT slug AS id, label FROM obs_indicators WHERE slug = ANY($1::text[])', numeric: false },
  },
  obs_rule_set: { noun: 'les règles de niveaux', href: () => '/observatoire/admin/regles', idText: (id) => `(version ${id})` },
  obs_live_values: { noun: 'les valeurs des indicateurs', href: () => '/observatoire/admin/valeurs' },
  feedback_form: {
    noun: 'le formulaire d’avis',
    href: (id) => `/avis/formulaires/${id}`,
    table: { sql: 'SELECT id::text AS id, name AS label FROM feedback_forms WHERE id = ANY($1::bigint[])', numeric: true },
  },
  feedback_button: {
    noun: 'le bouton',
    table: { sql: 'SELECT id::text AS id, name AS label FROM feedback_buttons WHERE id = ANY($1::bigint[])', numeric: true },
  },
  feedback_review: { noun: 'l’avis', href: (id) => `/avis/reponses/${id}`, idText: (id) => `n° ${id}` },
  catalog: { noun: 'le catalogue', href: () => '/catalogue' },
  accessibility_plan: {
    noun: 'le schéma pluriannuel d’accessibilité',
    href: (id) => `/plans-accessibilite/${id}`,
    table: { sql: 'SELECT id::text AS id, title AS label FROM accessibility_plans WHERE id = ANY($1::bigint[])', numeric: true },
  },
  accessibility_rules: { noun: 'les règles d’accessibilité', href: () => '/rgaa/regles' },
  challenge: {
    noun: 'le défi',
    href: (id) => `/defis/admin/${id}`,
    table: { sql: 'SELECT id::text AS id, title AS label FROM challenges WHERE id = ANY($1::bigint[])', numeric: true },
  },
  accessibility_audit: {
    noun: 'l’audit d’accessibilité',
    table: { sql: 'SELECT id::text AS id, name AS label FROM accessibility_audits WHERE id = ANY($1::bigint[])', numeric: true },
  },
  support_point: {
    noun: 'le lieu d’aide',
    href: (id) => `/lieux-aide/${id}`,
    table: { sql: 'SELECT id::text AS id, name AS label FROM support_points WHERE id = ANY($1::bigint[])', numeric: true },
  },
  support_points: { noun: 'les lieux d’aide', href: () => '/lieux-aide' },
  experience: { noun: 'le témoignage', href: (id) => `/temoignages/gestion/${id}`, idText: (id) => `n° ${id}` },
  experience_delays: {
    noun: 'les délais de réponse aux témoignages de',
    table: { sql: 'SELECT id::text AS id, name AS label FROM administrations WHERE id = ANY($1::bigint[])', numeric: true },
  },
  experience_moderators: {
    noun: 'la liste des modérateurs de témoignages de',
    href: (id) => `/temoignages/moderateurs/ministeres/${id}`,
    table: { sql: 'SELECT id::text AS id, name AS label FROM ministries WHERE id = ANY($1::bigint[])', numeric: true },
  },
  experience_administration_moderators: {
    noun: 'la liste des modérateurs de témoignages de',
    href: (id) => `/temoignages/moderateurs/administrations/${id}`,
    table: { sql: 'SELECT id::text AS id, name AS label FROM administrations WHERE id = ANY($1::bigint[])', numeric: true },
  },
  experience_retention: {
    noun: 'la conservation des adresses e-mail des auteurs de témoignages',
    href: () => '/temoignages/gestion/conservation',
  },
};

/** The object types as the journal's filter lists them. */
export const OBJECT_TYPE_LABELS: Record<string, string> = {
  user: 'Comptes',
  procedure: 'Démarches',
  ministry: 'Ministères',
  administration: 'Administrations',
  invitation: 'Invitations',
  api_key: 'Clés d’API',
  obs_edition: 'Éditions de l’observatoire',
  obs_indicator: 'Indicateurs',
  obs_rule_set: 'Règles de niveaux',
  obs_live_values: 'Valeurs des indicateurs',
  feedback_form: 'Formulaires d’avis',
  feedback_button: 'Boutons d’avis',
  feedback_review: 'Avis des usagers',
  catalog: 'Catalogue',
  accessibility_audit: 'Audits d’accessibilité',
  support_point: 'Lieux d’aide',
  support_points: 'Imports de lieux d’aide',
  accessibility_plan: 'Schémas et plans d’accessibilité',
  accessibility_rules: 'Règles d’accessibilité',
  challenge: 'Défis',
  experience: 'Témoignages des usagers',
  experience_delays: 'Délais de réponse aux témoignages',
  experience_moderators: 'Modérateurs de témoignages',
  experience_administration_moderators: 'Modérateurs de témoignages (administrations)',
  experience_retention: 'Conservation des adresses des auteurs de témoignages',
};

/** One sentence per kind of event, without its subject (the author is shown beside it); `{}` is the object. */
const SENTENCES: Record<string, string> = {
  'user.login': 's’est connecté·e',
  'user.logout': 's’est déconnecté·e',
  'user.logout_everywhere': 'a fermé toutes ses sessions',
  'user.revoke_session': 'a fermé une de ses sessions',
  'user.create': 'a créé {}',
  'user.make_admin': 'a fait entrer {} dans l’équipe de pilotage',
  'user.disable': 'a désactivé {}',
  'user.enable': 'a réactivé {}',
  'user.lock': 'a bloqué {} après trop d’échecs de connexion',
  'user.lock_notice': 'a prévenu {} du blocage de son compte',
  'user.unlock': 'a débloqué {}',
  'user.change_password': 'a changé son mot de passe',
  'user.request_password_reset': 'a demandé à réinitialiser le mot de passe de {}',
  'user.reset_password': 'a réinitialisé le mot de passe de {}',
  'user.update_profile': 'a modifié le profil de {}',
  'user.verify_email': 'a vérifié l’adresse électronique de {}',
  'user.oidc_link': 'a relié {} à ProConnect',
  'demo.seed_account': 'a créé le compte de démonstration {}',
  'grant.create': 'a donné un droit à {}',
  'grant.delete': 'a retiré un droit à {}',
  'invitation.create': 'a envoyé {}',
  'invitation.accept': 'a accepté {}',
  'invitation.revoke': 'a annulé {}',
  'api_key.create': 'a créé {}',
  'api_key.revoke': 'a révoqué {}',
  'procedure.create': 'a créé {}',
  'procedure.update': 'a modifié {}',
  'procedure.archive': 'a archivé {}',
  'procedure.restore': 'a désarchivé {}',
  'ministry.create': 'a créé {}',
  'ministry.update': 'a modifié {}',
  'ministry.archive': 'a archivé {}',
  'ministry.restore': 'a désarchivé {}',
  'administration.create': 'a créé {}',
  'administration.update': 'a modifié {}',
  'administration.archive': 'a archivé {}',
  'administration.restore': 'a désarchivé {}',
  'catalog.import': 'a importé des démarches dans {}',
  'observatoire.edition.create': 'a créé {}',
  'observatoire.edition.update': 'a modifié {}',
  'observatoire.edition.delete': 'a supprimé {}',
  'observatoire.edition.publish': 'a publié {}',
  'observatoire.edition.correct': 'a corrigé {}',
  'observatoire.indicator.update': 'a modifié {}',
  'observatoire.rules.save': 'a enregistré {}',
  'observatoire.values.import': 'a importé {}',
  'observatoire.values.update': 'a saisi les valeurs des indicateurs de {}',
  'feedback.form.create': 'a créé {}',
  'feedback.form.draft': 'a enregistré un brouillon du {}',
  'feedback.form.publish': 'a publié {}',
  'feedback.form.lock': 'a verrouillé {}',
  'feedback.form.unlock': 'a déverrouillé {}',
  'feedback.alerts.update': 'a réglé les alertes du {}',
  'feedback.export.request': 'a demandé un export des avis du {}',
  'feedback.button.create': 'a créé {}',
  'feedback.button.close': 'a fermé {}',
  'feedback.button.reopen': 'a rouvert {}',
  'feedback.button.delete': 'a supprimé {}',
  'feedback.review.delete': 'a supprimé {}',
  'feedback.stats.publish': 'a publié les statistiques d’avis de {}',
  'feedback.stats.unpublish': 'a retiré les statistiques d’avis de {}',
  'accessibility.audit.create': 'a créé {}',
  'accessibility.page.create': 'a ajouté une page à l’échantillon de {}',
  'accessibility.result.save': 'a enregistré un résultat de {}',
  'support.channels.update': 'a modifié les canaux d’aide de {}',
  'support.volumes.update': 'a saisi un mois de volumes du centre de contact de {}',
  'support.volumes.import': 'a importé des volumes du centre de contact de {}',
  'support.point.create': 'a ajouté {}',
  'support.point.update': 'a modifié {}',
  'support.points.import': 'a importé {}',
  'accessibility.result.apply_all': 'a appliqué un résultat à toutes les pages non testées de {}',
  'accessibility.audit.update': 'a modifié les informations de {}',
  'accessibility.audit.publish': 'a publié {}',
  'accessibility.audit.reaudit': 'a lancé {}, ré-audit d’un audit publié',
  'accessibility.audit.import': 'a importé une grille pour créer {}',
  'accessibility.environment.add': 'a ajouté un environnement de test à {}',
  'accessibility.environment.remove': 'a retiré un environnement de test de {}',
  'accessibility.auditor.grant': 'a donné le droit d’auditeur sur {}',
  'accessibility.auditor.revoke': 'a retiré un droit d’auditeur sur {}',
  'accessibility.process.create': 'a ajouté un processus à l’échantillon de {}',
  'accessibility.page.remove': 'a retiré une page de l’échantillon de {}',
  'accessibility.page.update': 'a modifié une page de l’échantillon de {}',
  'accessibility.page.move': 'a déplacé une page dans l’échantillon de {}',
  'accessibility.audit.delete': 'a supprimé {}',
  'accessibility.auditor.invite': 'a invité un auditeur extérieur sur {}',
  'accessibility.auditor.invitation.accept': 'a accepté l’invitation d’auditeur sur {}',
  'accessibility.auditor.invitation.cancel': 'a annulé une invitation d’auditeur sur {}',
  'accessibility.item.create': 'a ajouté une anomalie à {}',
  'accessibility.item.update': 'a modifié une anomalie de {}',
  'accessibility.item.delete': 'a supprimé une anomalie de {}',
  'accessibility.item.import': 'a importé une anomalie automatique dans {}',
  'accessibility.item.confirm': 'a confirmé une anomalie automatique de {}',
  'accessibility.item.discard': 'a écarté une anomalie automatique de {}',
  'accessibility.scan.import': 'a importé les résultats d’un scan automatique dans {}',
  'accessibility.report_link.create': 'a créé un lien de partage du rapport de {}',
  'accessibility.report_link.revoke': 'a révoqué un lien de partage du rapport de {}',
  'monitoring.target.create': 'a ajouté une page surveillée à {}',
  'monitoring.target.delete': 'a retiré une page surveillée de {}',
  'monitoring.targets.from_catalog': 'a surveillé les adresses du catalogue de {}',
  'monitoring.maintenance.create': 'a déclaré une maintenance de {}',
  'monitoring.maintenance.delete': 'a supprimé une maintenance de {}',
  'monitoring.scan.request': 'a demandé une analyse d’accessibilité des pages de {}',
  'accessibility.declaration.generate': 'a généré la déclaration d’accessibilité de {} depuis un audit',
  'accessibility.declaration.update': 'a modifié le brouillon de la déclaration d’accessibilité de {}',
  'accessibility.declaration.publish': 'a publié la déclaration d’accessibilité de {}',
  'accessibility.declaration.redesign': 'a signalé une refonte substantielle de {}',
  'accessibility.declaration.expiry_warning': 'a prévenu l’équipe de {} que sa déclaration d’accessibilité expire bientôt',
  'accessibility.plan.create': 'a créé {}',
  'accessibility.plan_action.create': 'a ajouté une action à {}',
  'accessibility.plan_action.update': 'a mis à jour une action de {}',
  'accessibility.roadmap.update': 'a modifié la feuille de route d’accessibilité de {}',
  'accessibility.milestone.create': 'a ajouté un jalon à la feuille de route d’accessibilité de {}',
  'accessibility.milestone.update': 'a mis à jour un jalon de la feuille de route d’accessibilité de {}',
  'accessibility.rules.update': 'a modifié {}',
  'accessibility.rgaa_version.create': 'a ajouté une version du RGAA à {}',
  'challenge.create': 'a créé {}',
  'challenge.update': 'a modifié {}',
  'challenge.member.add': 'a ajouté un membre à l’équipe de {}',
  'challenge.action.create': 'a ajouté une action à {}',
  'challenge.action.update': 'a changé le statut d’une action de {}',
  'experience.publish': 'a publié {} après modération',
  'experience.refuse': 'a refusé {} en modération',
  'experience.answer': 'a répondu publiquement à {} au nom de l’administration',
  'experience.action_engaged': 'a répondu à {} en marquant une action engagée',
  'experience.solve': 'a marqué {} comme résolu',
  'experience.close': 'a clos {} sans suite',
  'experience.delays.update': 'a modifié {}',
  'experience.moderator.add': 'a ajouté une personne à {}',
  'experience.moderator.remove': 'a retiré une personne de {}',
  'experience.retention.update': 'a modifié {}',
  'experience.emails.erase': 'a appliqué {} (adresses effacées)',
};

/** Field names as a person reads them; others are shown as they are. */
const FIELDS: Record<string, string> = {
  title: 'titre',
  name: 'nom',
  slug: 'adresse courte',
  description: 'description',
  url: 'adresse en ligne',
  info_url: 'page d’information',
  stable_id: 'identifiant stable',
  user_categories: 'publics',
  volume_total: 'volume total',
  volume_online: 'volume en ligne',
  online_status: 'statut en ligne',
  franceconnect: 'FranceConnect',
  in_scope: 'dans le périmètre',
  help_channels: 'canaux d’aide',
  archived: 'archivé',
  locked: 'verrouillé',
  closed: 'fermé',
  email: 'adresse électronique',
  displayName: 'nom affiché',
  display_name: 'nom affiché',
  role: 'rôle',
  procedureId: 'démarche',
  administrationId: 'administration',
  ministryId: 'ministère',
  administration_id: 'administration',
  ministry_id: 'ministère',
  code: 'code',
  acronym: 'sigle',
  period: 'période',
  windowStart: 'début de la fenêtre',
  windowEnd: 'fin de la fenêtre',
  status: 'statut',
  note: 'note',
  version: 'version',
  disabled: 'désactivé',
  admin: 'équipe de pilotage',
  value: 'valeur',
  reason: 'motif',
  canaux: 'canaux d’aide',
  fichier: 'fichier',
};

export interface JournalEntry {
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
}

/** Names of the objects the entries point at, by type and id, read in one query per type. */
export type ObjectNames = Map<string, string>;

export async function objectNames(db: Queryable, entries: JournalEntry[]): Promise<ObjectNames> {
  const names: ObjectNames = new Map();
  const idsByType = new Map<string, Set<string>>();
  for (const e of entries) {
    if (e.entity_id === null || !OBJECTS[e.entity_type]?.table) continue;
    if (!idsByType.has(e.entity_type)) idsByType.set(e.entity_type, new Set());
    idsByType.get(e.entity_type)!.add(e.entity_id);
  }
  for (const [type, ids] of idsByType) {
    const table = OBJECTS[type]!.table!;
    const list = [...ids].filter((id) => !table.numeric || /^\d{1,18}$/.test(id));
    if (list.length === 0) continue;
    const { rows } = await db.query<{ id: string; label: string }>(table.sql, [list]);
    for (const row of rows) names.set(`${type}:${row.id}`, row.label);
  }
  return names;
}

/** The object of an entry: its noun and name, as a link to its page when it has one and still exists. */
function objectPhrase(e: JournalEntry, names: ObjectNames): SafeHtml {
  const object = OBJECTS[e.entity_type];
  const id = e.entity_id;
  if (!object) return html`${e.entity_type}${id ? ` n° ${id}` : ''}`;
  if (object.table) {
    const name = id ? names.get(`${e.entity_type}:${id}`) : undefined;
    if (!name) return html`${object.noun}${id ? ` n° ${id} (n’existe plus)` : ''}`;
    const text = `${object.noun} « ${name} »`;
    return object.href ? html`<a href="${object.href(id!)}">${text}</a>` : html`${text}`;
  }
  const text = `${object.noun}${id && object.idText ? ` ${object.idText(id)}` : ''}`;
  return object.href ? html`<a href="${object.href(id ?? '')}">${text}</a>` : html`${text}`;
}

/** Whether the journal has a sentence for this kind of event (the others show their raw action name). */
export function hasSentence(action: string): boolean {
  return Object.hasOwn(SENTENCES, action);
}

/** « a modifié la démarche « Carte grise » » — the sentence of one entry, its object linked. */
export function eventSentence(e: JournalEntry, names: ObjectNames): SafeHtml {
  const sentence = SENTENCES[e.action];
  const object = objectPhrase(e, names);
  if (!sentence) return html`${e.action} : ${object}`;
  const [head, tail] = sentence.split('{}');
  return tail === undefined ? html`${head}` : html`${head}${object}${tail}`;
}

function shown(value: unknown, key: string): string {
  if (value === null || value === undefined || value === '') return '(vide)';
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  if (key === 'role' && typeof value === 'string' && value in ROLE_LABELS) return ROLE_LABELS[value as keyof typeof ROLE_LABELS];
  if (Array.isArray(value))
    return value.length === 0 ? '(vide)' : value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  const text = String(value);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

export interface FieldChange {
  field: string;
  before: string | null;
  after: string | null;
}

/**
 * What changed, field by field: before → after for a change, the values set for a creation, the values removed for a
 * deletion. Unchanged fields are left out.
 */
export function fieldChanges(before: unknown, after: unknown): FieldChange[] {
  const asObject = (v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : v === null || v === undefined ? null : { valeur: v };
  const b = asObject(before);
  const a = asObject(after);
  const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])];
  const changes: FieldChange[] = [];
  for (const key of keys) {
    const was = b?.[key];
    const is = a?.[key];
    if (b && a && JSON.stringify(was) === JSON.stringify(is)) continue;
    changes.push({ field: FIELDS[key] ?? key, before: b ? shown(was, key) : null, after: a ? shown(is, key) : null });
  }
  return changes;
}

export function changesList(before: unknown, after: unknown): SafeHtml {
  const changes = fieldChanges(before, after);
  if (changes.length === 0) return html``;
  return html`<ul class="fr-raw-list vigie-journal-changes">${changes.map(
    (c) =>
      html`<li>${c.field} : ${c.before !== null && c.after !== null ? html`${c.before} → ${c.after}` : c.after !== null ? c.after : html`<del>${c.before}</del>`}</li>`,
  )}</ul>`;
}
