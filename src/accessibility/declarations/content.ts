import type { ConformityLabel } from '../conformity/rate.ts';

/**
 * A published accessibility declaration, every legal section in the order of the official format
 * (shared/reference/rgaa-obligations/declaration-accessibilite.md): engagement, scope (« cette déclaration s’applique
 * à »), état de conformité, résultats des tests, contenus non accessibles (non-conformités, dérogations pour charge
 * disproportionnée, contenus non soumis), établissement, retour d’information et contact, voies de recours.
 * Stored as JSON (`accessibility_declarations.published`) and served as is by the public JSON.
 */
export interface DeclarationContent {
  format: 1;
  procedure: { id: number; stableId: string; title: string };
  engagement: { organisation: string; text: string; multiYearPlanUrl: string | null; actionPlanUrl: string | null };
  scope: { service: string; url: string | null };
  conformity: { label: ConformityLabel; labelText: string; mention: string; referential: string; rgaaVersion: string };
  results: {
    auditedBy: string;
    /** The rate shown (an integer that never crosses a label's threshold), and its exact value. */
    rate: number | null;
    exactRate: number | null;
    respected: number;
    applicable: number;
    averageRate: number | null;
    auditSummaryUrl: string;
  };
  nonAccessible: {
    nonConformities: { criterion: string; title: string; pages: string[]; items: string[] }[];
    notes: string[];
    derogations: string[];
    exempted: string[];
  };
  establishment: {
    establishedOn: string;
    updatedOn: string;
    technologies: string[];
    environments: string[];
    tools: string[];
    pages: { name: string; url: string | null }[];
  };
  contact: { entity: string; email: string | null; formUrl: string | null; pageUrl: string | null };
  remedies: { defenseurDesDroits: string[] };
  audit: { id: number; type: string; rgaaVersion: string; publishedOn: string; finishedOn: string | null };
}

/** The « voies de recours » of the official format (fixed text). */
export const REMEDIES = [
  'Écrire un message au Défenseur des droits (https://www.defenseurdesdroits.fr/nous-contacter-355)',
  'Contacter le délégué du Défenseur des droits près de chez vous (https://www.defenseurdesdroits.fr/carte-des-delegues)',
  'Envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07',
];

/** One entry per non-empty line of a text field. */
export function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}
