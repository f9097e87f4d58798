import { z } from 'zod';
import { ONLINE_STATUSES, ONLINE_STATUS_SHORT_LABELS, USER_CATEGORIES, USER_CATEGORY_LABELS } from '../../catalog/index.ts';
import { COLOURS } from '../rules/model.ts';

/**
 * The observatoire API's route schemas (zod): params and query are validated by them, and the OpenAPI document is
 * generated from them (src/kernel/web/openapi.ts), answers included; the API tests parse real answers with them.
 */
export const TAGS = ['Observatoire'];
export const PUBLIC_TEXT = 'Public, sans clé ; éditions publiées uniquement.';

/** « code : libellé » for each code of a vocabulary, so the API's readers see what the codes mean. */
const codes = (labels: Record<string, string>): string =>
  Object.entries(labels)
    .map(([code, label]) => `${code} : ${label}`)
    .join(' ; ');

/** An edition of the URL: its id (the kernel's id shape) or « latest »; another value names nothing (404). */
const EDITION_ID = /^(latest|[1-9]\d{0,15})$/;
/** A refused param is a 404 whose title and text are the route's own (src/kernel/web/schemas.ts). */
const shaped = (pattern: RegExp, title: string, message: string) =>
  z
    .string()
    .refine((value) => pattern.test(value), { message, params: { title } })
    .meta({ pattern: pattern.source });
export const EDITION_NOT_FOUND = 'Cette édition n’existe pas ou n’est pas publiée.';
const editionRef = (description: string) => shaped(EDITION_ID, 'Édition introuvable', EDITION_NOT_FOUND).describe(description);
export const editionParams = z.object({ id: editionRef('Identifiant de l’édition, ou « latest » pour la dernière publiée') });

/** The table's filters, the same as in the public page's URL; their values are checked by parseTableQuery (messages per parameter). */
const text = (name: string, description: string, values?: readonly string[]) =>
  z
    .string({ error: `${name} : une seule valeur est attendue.` })
    .optional()
    .meta(values ? { description, enum: [...values] } : { description });
export const listQuery = z.looseObject({
  q: text('q', 'Recherche dans le titre (accents et majuscules ignorés)'),
  ministere: text('ministere', 'Identifiant du ministère'),
  administration: text('administration', 'Identifiant de l’administration'),
  categorie: text('categorie', `Catégorie d’usagers (${codes(USER_CATEGORY_LABELS)})`, USER_CATEGORIES),
  en_ligne: text('en_ligne', `Statut « réalisable en ligne » (${codes(ONLINE_STATUS_SHORT_LABELS)})`, ONLINE_STATUSES),
  indicateur: text('indicateur', 'Indicateur filtré par niveau (avec « niveau »)'),
  niveau: text('niveau', 'Couleur du niveau de l’indicateur filtré', COLOURS),
  tri: text('tri', 'Tri : « titre », « ministere » ou l’identifiant d’un indicateur (valeurs grises toujours en dernier)'),
  ordre: text('ordre', 'Ordre du tri', ['asc', 'desc']),
  page: text('page', 'Numéro de page (à partir de 1)'),
  par_page: text('par_page', 'Lignes par page (50 par défaut, 200 au plus)'),
});

export const GROUPS = ['national', 'ministere', 'administration', 'categorie'] as const;
export const scorecardsQuery = z.object({
  groupe: z
    .enum(GROUPS, { message: 'groupe : national, ministere, administration ou categorie.' })
    .optional()
    .describe('Regroupement (national par défaut)'),
});
export const comparisonQuery = z.object({
  de: z
    .string({ message: 'de et a : les identifiants de deux éditions publiées (ou latest).' })
    .describe('Édition de départ (identifiant ou latest)'),
  a: z
    .string({ message: 'de et a : les identifiants de deux éditions publiées (ou latest).' })
    .describe('Édition d’arrivée (identifiant ou latest)'),
});
export const ruleSetParams = z.object({
  version: shaped(/^[1-9]\d{0,8}$/, 'Version introuvable', 'Cette version des règles n’existe pas.').describe('Numéro de version'),
});
export const stableIdParams = z.object({ stableId: z.string().min(1).max(100).describe('Identifiant stable de la démarche') });

// Answers.
const date = z.string().describe('AAAA-MM-JJ');
export const edition = z
  .object({
    id: z.number().int(),
    name: z.string(),
    period: z.string(),
    feedbackWindow: z.object({ start: date, end: date }).describe('Période des avis usagers'),
    ruleSetVersion: z.number().int().nullable(),
    publishedAt: z.string().nullable().describe('Date et heure de publication (ISO 8601)'),
  })
  .describe('Édition publiée');

export const editionList = z.object({ items: z.array(edition) }).describe('Éditions publiées');

const cellChange = z.object({ raw: z.string().nullable(), label: z.string(), colour: z.string(), goal: z.boolean().nullable() });
export const editionDetail = edition
  .extend({
    revisions: z.array(
      z.object({
        number: z.number().int(),
        author: z.string().describe('Nom public de l’auteur (un rôle ou une administration)'),
        reason: z.string(),
        createdAt: z.string(),
        changes: z.array(
          z.object({
            procedureId: z.number().int(),
            indicator: z.string(),
            before: cellChange,
            after: cellChange,
            title: z.string().nullable(),
          }),
        ),
      }),
    ),
  })
  .describe('Édition publiée et ses corrections');

export const cell = z
  .object({
    value: z
      .union([z.number(), z.string()])
      .nullable()
      .describe('Valeur brute : nombre, catégorie ou état gris (a_venir, avis_insuffisants, non_applicable)'),
    label: z.string().describe('Libellé du niveau'),
    colour: z.enum(COLOURS),
    goalReached: z.boolean().nullable().describe('Objectif atteint ; null si non mesuré (gris)'),
    enteredByHand: z
      .boolean()
      .describe(
        'Saisie manuelle : valeur déclarée par l’administration faute de mesure (pas de déclaration d’accessibilité publiée, démarche non surveillée) ; false pour une valeur mesurée et pour les éditions publiées avant l’enregistrement de cette marque',
      ),
  })
  .nullable();

const named = z.object({ id: z.number().int(), name: z.string() });
export const procedureRow = z.object({
  stableId: z.string(),
  title: z.string(),
  url: z.string().nullable(),
  ministry: named,
  administration: named,
  userCategories: z.array(z.string()),
  indicators: z.record(z.string(), cell).describe('Valeur et niveau de chaque indicateur, par identifiant'),
});

export const procedurePage = z
  .object({
    edition,
    total: z.number().int(),
    page: z.number().int(),
    perPage: z.number().int(),
    items: z.array(procedureRow),
    links: z.object({ self: z.string(), next: z.string().nullable(), prev: z.string().nullable() }),
  })
  .describe('Une page de démarches');

export const scorecards = z
  .object({
    edition,
    previousEdition: edition.nullable(),
    group: z.enum(GROUPS),
    definition: z.string(),
    items: z.array(
      z.object({
        id: z
          .union([z.number().int(), z.string()])
          .nullable()
          .describe('Identifiant du ministère ou de l’administration, code de la catégorie d’usagers, null pour l’ensemble'),
        name: z.string(),
        procedures: z.number().int(),
        indicators: z.record(
          z.string(),
          z.object({
            reached: z.number().int(),
            measured: z.number().int(),
            scorePercent: z.number().nullable(),
            nationalGoalPercent: z.number().nullable(),
            deltaPoints: z.number().nullable().describe('Écart en points avec l’édition précédente'),
          }),
        ),
      }),
    ),
  })
  .describe('Tableaux de bord');

const level = z.object({
  label: z.string(),
  colour: z.enum(COLOURS),
  goal: z.boolean(),
  from: z.number().optional(),
  values: z.array(z.string()).optional(),
});
const indicatorRules = z.object({
  kind: z.enum(['number', 'category']),
  min: z.number().optional(),
  max: z.number().optional(),
  informative: z.boolean().optional(),
  levels: z.array(level),
});

export const indicatorList = z
  .object({
    ruleSetVersion: z.number().int(),
    items: z.array(
      z.object({
        slug: z.string(),
        position: z.number().int(),
        label: z.string(),
        shortLabel: z.string(),
        unit: z.enum(['category', 'score10', 'percent', 'count', 'ms']),
        source: z.enum(['manual', 'feedback', 'accessibility', 'monitoring', 'support']),
        description: z.string(),
        method: z.string(),
        help: z.string(),
        nationalGoalPercent: z.number().nullable(),
        rules: indicatorRules.nullable(),
      }),
    ),
  })
  .describe('Indicateurs');

export const ruleSetList = z
  .object({ items: z.array(z.object({ version: z.number().int(), note: z.string(), createdAt: z.string() })) })
  .describe('Versions des règles');
export const ruleSet = z
  .object({
    version: z.number().int(),
    note: z.string(),
    createdAt: z.string(),
    grayLabels: z.record(z.string(), z.string()),
    indicators: z.record(z.string(), indicatorRules),
  })
  .describe('Règles de niveaux');

export const history = z
  .object({
    stableId: z.string(),
    items: z.array(
      z.object({
        edition: z.object({ id: z.number().int(), name: z.string(), period: z.string(), publishedAt: z.string() }),
        title: z.string(),
        indicators: z.record(z.string(), cell),
        corrected: z.array(z.string()).describe('Indicateurs corrigés après publication'),
      }),
    ),
  })
  .describe('Historique');

const statistic = z.object({
  value: z.number(),
  lower: z.number(),
  upper: z.number(),
  n: z.number().int(),
  method: z.enum(['wilson', 't']),
  uncertain: z.boolean(),
});
export const statistics = z
  .object({ edition, confidence: z.number(), items: z.array(statistic.extend({ stableId: z.string().nullable(), indicator: z.string() })) })
  .describe('Statistiques : value, lower, upper, n, method (wilson ou t), uncertain');

export const comparison = z
  .object({
    from: edition,
    to: edition,
    confidence: z.number(),
    falseDiscoveryRate: z.number(),
    tests: z.number().int(),
    items: z.array(
      z.object({
        stableId: z.string(),
        title: z.string(),
        indicator: z.string(),
        before: statistic,
        after: statistic,
        difference: z.number(),
        lower: z.number(),
        upper: z.number(),
        test: z.enum(['two-proportion z', 'welch']),
        pValue: z.number().nullable(),
        adjustedPValue: z.number().nullable(),
        significant: z.boolean(),
        flag: z.enum(['up', 'down', 'stable']),
      }),
    ),
  })
  .describe('Évolutions testées');

export const problem = z
  .object({
    type: z.string().optional(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.record(z.string(), z.string()).optional(),
  })
  .describe('Erreur (RFC 9457 problem details)');
