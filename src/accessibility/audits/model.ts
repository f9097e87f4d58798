/** The audit's vocabulary, shared by the schema (migrations/0500), the queries and (later) the forms. */

/**
 * Kinds of page of the sample. The first seven are the pages every sample must hold when they exist (« Évaluation de
 * la conformité », « Échantillon »), offered first; a full audit lacking one gets a warning. The same list is the
 * CHECK of accessibility_audit_pages.kind.
 */
export const PAGE_KINDS = [
  { kind: 'accueil', label: 'Page d’accueil', mandatory: true },
  { kind: 'contact', label: 'Page contact', mandatory: true },
  { kind: 'mentions_legales', label: 'Mentions légales', mandatory: true },
  { kind: 'accessibilite', label: 'Page « accessibilité »', mandatory: true },
  { kind: 'plan_du_site', label: 'Plan du site', mandatory: true },
  { kind: 'aide', label: 'Page d’aide', mandatory: true },
  { kind: 'authentification', label: 'Page d’authentification', mandatory: true },
  { kind: 'service', label: 'Page d’un type de service', mandatory: false },
  { kind: 'recherche', label: 'Recherche', mandatory: false },
  { kind: 'document', label: 'Document téléchargeable', mandatory: false },
  { kind: 'processus', label: 'Étape d’un processus', mandatory: false },
  { kind: 'gabarit', label: 'Gabarit distinct', mandatory: false },
  { kind: 'aleatoire', label: 'Page tirée au hasard', mandatory: false },
  { kind: 'autre', label: 'Autre page', mandatory: false },
  { kind: 'transverse', label: 'Éléments transverses', mandatory: false },
] as const;
export type PageKind = (typeof PAGE_KINDS)[number]['kind'];

export const IMPACTS = [
  { impact: 'mineur', label: 'Mineur' },
  { impact: 'majeur', label: 'Majeur' },
  { impact: 'bloquant', label: 'Bloquant' },
] as const;
export type Impact = (typeof IMPACTS)[number]['impact'];

export const AUDIT_STATUS_LABELS = { in_progress: 'En cours', published: 'Publié' } as const;
export type AuditStatus = keyof typeof AUDIT_STATUS_LABELS;

/** The mandatory kinds a sample lacks (its pages' kinds given). */
export function missingMandatoryKinds(kinds: Iterable<string>): PageKind[] {
  const present = new Set(kinds);
  return PAGE_KINDS.filter((k) => k.mandatory && !present.has(k.kind)).map((k) => k.kind);
}
