import { z } from 'zod';
import { idParam } from '../../kernel/web/ids.ts';

/**
 * The feedback API's route schemas (zod): they validate the requests, and the OpenAPI document is generated from them
 * (src/kernel/web/openapi.ts), answers included.
 */
export const TAGS = ['Avis usagers'];
export const AUTH =
  'Clé d’API dans l’en-tête « Authorization: Bearer <clé> » ; seules les démarches du périmètre de la clé sont accessibles.';
export const INTERVALS = ['day', 'week', 'month', 'none'] as const;

const DATE_MESSAGE = 'debut et fin : deux dates au format AAAA-MM-JJ (ISO 8601), par exemple debut=2026-01-01&fin=2026-03-31.';
const isoDate = z.iso.date({ message: DATE_MESSAGE });

export const seriesQuery = z.object({
  intervalle: z
    .enum(INTERVALS, { message: 'intervalle : day, week, month ou none.' })
    .optional()
    .describe('Découpage : jour, semaine, mois ou aucun (une seule valeur)'),
  debut: isoDate.optional().describe('Début de la période (AAAA-MM-JJ, inclus) ; 365 derniers jours par défaut'),
  fin: isoDate.optional().describe('Fin de la période (AAAA-MM-JJ, incluse)'),
});

/** The kernel's id (one rule for every id of the URL): a value that is not one is a 404. */
export const idParams = (what: string) => z.object({ id: idParam('id : un identifiant numérique.').describe(`Identifiant ${what}`) });

const interval = z.object({ lower: z.number(), upper: z.number(), n: z.number().int() }).nullable();
const mark = (description: string) => z.number().nullable().describe(description);

export const indicatorsPoint = z.object({
  start: z.string().describe('Début de l’intervalle (AAAA-MM-JJ)'),
  reviews: z.number().int().describe('Avis'),
  verbatims: z.number().int().describe('Avis avec un commentaire'),
  satisfaction: mark('Sur 10, moyenne pondérée'),
  clarity: mark('Sur 10'),
  helpReachable: mark('%'),
  helpEfficient: mark('Sur 10'),
  autonomy: mark('%'),
  answers: z
    .object({
      satisfaction: z.number().int(),
      clarity: z.number().int(),
      helpReachable: z.number().int(),
      helpEfficient: z.number().int(),
      autonomy: z.number().int(),
    })
    .describe('Nombre de réponses derrière chaque valeur'),
  intervals: z
    .object({ satisfaction: interval, clarity: interval, helpReachable: interval, helpEfficient: interval, autonomy: interval })
    .describe('Intervalle de confiance à 95 % de chaque valeur (borne basse, borne haute, nombre de réponses) ; null sans réponse'),
});

const windowSchema = z.object({ start: z.string(), end: z.string() }).describe('Période (AAAA-MM-JJ)');

export const procedureSeries = z
  .object({ procedureId: z.number().int(), window: windowSchema, interval: z.enum(INTERVALS), points: z.array(indicatorsPoint) })
  .describe('Série des indicateurs de la démarche');
export const formSeries = z
  .object({ formId: z.number().int(), window: windowSchema, interval: z.enum(INTERVALS), points: z.array(indicatorsPoint) })
  .describe('Série des indicateurs du formulaire');

export const procedureList = z
  .object({
    items: z.array(
      z.object({
        id: z.number().int(),
        title: z.string(),
        forms: z.array(
          z.object({
            id: z.number().int(),
            name: z.string(),
            template: z.string(),
            publishedVersion: z.number().int().nullable(),
            locked: z.boolean(),
          }),
        ),
      }),
    ),
  })
  .describe('Démarches du périmètre et leurs formulaires');

export const problem = z
  .object({
    type: z.string().optional(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.record(z.string(), z.string()).optional(),
  })
  .describe('Erreur (RFC 9457 problem details)');
