import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../kernel/web/deps.ts';
import type { Queryable } from '../kernel/db/db.ts';
import { PUBLIC } from '../kernel/web/access.ts';
import { idParam, idParamsOr404 } from '../kernel/web/ids.ts';
import { sendErrorPage } from '../kernel/web/render.ts';
import type { ZodTypeProvider } from '../kernel/web/schemas.ts';
import { run, sql } from '../kernel/db/sql.ts';
import { csvStream } from '../kernel/export/csv.ts';
import { CHANNELS, CHANNEL_SHORT, FEELINGS, FEELING_LABELS, HELPFUL, PUBLIC_STATUSES, STATUS_LABELS } from './model.ts';
import {
  COUNT_CAP,
  MAX_PAGES,
  PER_PAGE,
  PUBLIC_CONDITION,
  placeCondition,
  filterConditions,
  publicStories,
  storiesByIds,
  type Place,
  type PublicFilters,
  type StoryRow,
} from './queries.ts';

/**
 * The public API of published stories (`/api/v1/experiences/…`, no key: the stories are public) and their CSV export.
 * Only what the public pages show: never the author's e-mail (nor whether one was given), the moderation flags or a
 * refusal. Schemas in zod: they validate the query and generate the OpenAPI document (docs/architecture.md).
 */
const TAGS = ['Témoignages des usagers'];

const problem = z
  .object({ type: z.string().optional(), title: z.string(), status: z.number().int(), detail: z.string().optional() })
  .describe('Erreur (RFC 9457 problem details)');

/** The kernel's id (one rule for every id of the URL): a malformed one gets the same 404 as an unknown one. */
const idParams = (what: string, label: string) =>
  z.object({ id: idParam(`${label} n’existe pas.`, 'Introuvable').describe(`Identifiant ${what}`) });

export const storiesQuery = z.object({
  page: z
    .string()
    .regex(/^[1-9]\d{0,2}$/, `page : un nombre entre 1 et ${MAX_PAGES}.`)
    .optional()
    .describe(`Page (20 témoignages par page, ${MAX_PAGES} pages au plus) ; 1 par défaut`),
  canal: z
    .enum(CHANNELS, { message: `canal : ${CHANNELS.join(', ')}.` })
    .optional()
    .describe('Moyen utilisé par l’usager'),
  ressenti: z
    .enum(FEELINGS, { message: `ressenti : ${FEELINGS.join(', ')}.` })
    .optional()
    .describe('Ressenti de l’usager'),
  reponse: z.enum(['oui', 'non'], { message: 'reponse : oui ou non.' }).optional().describe('Avec ou sans réponse de l’administration'),
  q: z
    .string()
    .max(200, 'q : 200 caractères au plus.')
    .optional()
    .describe('Recherche dans le texte, sans tenir compte des accents ni des majuscules'),
});

export const publicStory = z.object({
  id: z.number().int(),
  url: z.string().describe('Page publique du témoignage'),
  procedure: z.object({ id: z.number().int(), title: z.string() }),
  administration: z
    .object({ id: z.number().int(), name: z.string() })
    .describe('Administration de la démarche quand le témoignage a été déposé'),
  ministryId: z.number().int(),
  body: z.string().describe('Le récit, données personnelles masquées'),
  channels: z.array(z.enum(CHANNELS)),
  feeling: z.enum(FEELINGS),
  solved: z.boolean().describe('Problème résolu selon l’auteur'),
  accessibility: z.boolean().describe('Concerne l’accessibilité'),
  status: z.enum(PUBLIC_STATUSES as [string, ...string[]]),
  publishedAt: z.string().describe('Date de publication (ISO 8601)'),
  firstAnswerAt: z.string().nullable().describe('Date de la première réponse de l’administration'),
  answers: z.number().int().describe('Nombre de réponses publiques de l’administration'),
  helpful: z.enum(HELPFUL).nullable().describe('La réponse a-t-elle aidé l’auteur ?'),
});

export const storiesPage = z
  .object({
    page: z.number().int(),
    perPage: z.number().int(),
    pages: z.number().int(),
    total: z.number().int().describe('Témoignages publics correspondants'),
    totalCapped: z.boolean().describe(`Vrai quand le total filtré dépasse ${COUNT_CAP} (le compte s’arrête là)`),
    items: z.array(publicStory),
  })
  .describe('Une page de témoignages publiés, du plus récent au plus ancien');

/** A story as the API and the CSV show it: published fields only. */
export function toPublicStory(s: StoryRow, base: string): z.infer<typeof publicStory> {
  return {
    id: s.id,
    url: `${base}/temoignages/${s.id}`,
    procedure: { id: s.procedureId, title: s.procedureTitle },
    administration: { id: s.administrationId, name: s.administrationName },
    ministryId: s.ministryId,
    body: s.body,
    channels: s.channels,
    feeling: s.feeling,
    solved: s.solved,
    accessibility: s.accessibility,
    status: s.status,
    publishedAt: new Date(s.publishedAt!).toISOString(),
    firstAnswerAt: s.firstAnswerAt ? new Date(s.firstAnswerAt).toISOString() : null,
    answers: s.answers,
    helpful: s.helpful,
  };
}

export function filtersFromQuery(q: z.infer<typeof storiesQuery>): PublicFilters {
  const text = q.q?.trim();
  return {
    channel: q.canal ?? null,
    feeling: q.ressenti ?? null,
    answered: q.reponse === 'oui' ? true : q.reponse === 'non' ? false : null,
    q: text || null,
  };
}

type PlaceKind = 'procedure' | 'administration' | 'ministry';

async function placeExists(db: Queryable, kind: PlaceKind, id: number): Promise<boolean> {
  const table = kind === 'procedure' ? sql`procedures` : kind === 'administration' ? sql`administrations` : sql`ministries`;
  const { rows } = await run(db, sql`SELECT 1 FROM ${table} WHERE id = ${id}`);
  return rows.length > 0;
}

function placeOf(kind: PlaceKind, id: number): Place {
  return kind === 'procedure' ? { procedureId: id } : kind === 'administration' ? { administrationId: id } : { ministryId: id };
}

export const CSV_COLUMNS = [
  'id',
  'url',
  'demarche_id',
  'demarche',
  'administration_id',
  'administration',
  'ministere_id',
  'publie_le',
  'etat',
  'ressenti',
  'moyens',
  'resolu',
  'accessibilite',
  'reponses',
  'premiere_reponse_le',
  'reponse_utile',
  'recit',
];

/** Every public story of a place matching the filters, newest first, read by 1 000 through the list index (keyset). */
async function* allPublicStories(db: Queryable, place: Place, filters: PublicFilters): AsyncGenerator<StoryRow[]> {
  let after: { at: Date; id: number } | null = null;
  for (;;) {
    const where = sql.join(
      [
        PUBLIC_CONDITION,
        placeCondition(place),
        ...filterConditions(filters),
        ...(after ? [sql`(e.published_at, e.id) < (${after.at}::timestamptz, ${after.id}::bigint)`] : []),
      ],
      ' AND ',
    );
    const { rows } = await run(db, sql`SELECT e.id FROM experiences e WHERE ${where} ORDER BY e.published_at DESC, e.id DESC LIMIT 1000`);
    if (!rows.length) return;
    const stories = await storiesByIds(
      db,
      rows.map((r) => Number(r.id)),
    );
    yield stories;
    const last = stories.at(-1)!;
    after = { at: new Date(last.publishedAt!), id: last.id };
    if (rows.length < 1000) return;
  }
}

/**
 * The CSV export's query: the filters of the public page (its link carries them, already checked); a hand-edited one
 * is a 400 with the schema's message rather than an export of everything. The page number means nothing here.
 */
const csvQuery = storiesQuery.omit({ page: true });

export async function experiencesApiRoutes(instance: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db, config } = deps;
  // Params and queries validated by route schemas (zod), typed by the type provider; under /api, problem+json.
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const base = config.publicUrl.replace(/\/$/, '');
  const notFound = (reply: FastifyReply, what: string) =>
    reply
      .code(404)
      .type('application/problem+json')
      .send({ title: 'Introuvable', status: 404, detail: `${what} n’existe pas.` });

  const places: { kind: PlaceKind; segment: string; what: string; label: string; pagePath: string }[] = [
    { kind: 'procedure', segment: 'procedures', what: 'de la démarche', label: 'Cette démarche', pagePath: 'demarches' },
    {
      kind: 'administration',
      segment: 'administrations',
      what: 'de l’administration',
      label: 'Cette administration',
      pagePath: 'administrations',
    },
    { kind: 'ministry', segment: 'ministries', what: 'du ministère', label: 'Ce ministère', pagePath: 'ministeres' },
  ];
  for (const p of places) {
    const name = p.kind[0].toUpperCase() + p.kind.slice(1);
    app.get(
      `/api/v1/experiences/${p.segment}/:id/stories`,
      {
        ...PUBLIC,
        schema: {
          summary: `Témoignages publiés ${p.what}`,
          description:
            'Les témoignages publiés (relus, avec l’accord de leur auteur), 20 par page, du plus récent au plus ancien, avec les filtres des pages publiques. Sans clé. Jamais l’adresse e-mail de l’auteur.',
          tags: TAGS,
          operationId: `list${name}Stories`,
          params: idParams(p.what, p.label),
          querystring: storiesQuery,
          response: { 200: storiesPage, 400: problem, 404: problem },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        if (!(await placeExists(db, p.kind, id))) return notFound(reply, p.label);
        const page = Number(request.query.page ?? 1);
        if (page > MAX_PAGES)
          return reply
            .code(400)
            .type('application/problem+json')
            .send({ title: 'Paramètre invalide', status: 400, detail: `page : un nombre entre 1 et ${MAX_PAGES}.` });
        const { rows, total, capped } = await publicStories(db, placeOf(p.kind, id), filtersFromQuery(request.query), page);
        return {
          page,
          perPage: PER_PAGE,
          pages: Math.min(MAX_PAGES, Math.max(1, Math.ceil(total / PER_PAGE))),
          total,
          totalCapped: capped,
          items: rows.map((s) => toPublicStory(s, base)),
        };
      },
    );

    // The CSV export of the same stories (all of them, the filters of the page applied), linked from the public page.
    // An id that cannot be one is the same 404 page as an unknown place.
    const csvParams = idParamsOr404('Page non trouvée', `${p.label} n’existe pas.`);
    app.get(
      `/temoignages/${p.pagePath}/:id/temoignages.csv`,
      { ...PUBLIC, schema: { params: csvParams, querystring: csvQuery } },
      async (request, reply) => {
        const { id } = request.params;
        if (!(await placeExists(db, p.kind, id))) return sendErrorPage(request, reply, 404, 'Page non trouvée', `${p.label} n’existe pas.`);
        const filters = filtersFromQuery(request.query);
        const stream = csvStream({ columns: CSV_COLUMNS });
        reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="temoignages-${p.pagePath}-${id}.csv"`);
        (async () => {
          try {
            for await (const batch of allPublicStories(db, placeOf(p.kind, id), filters)) {
              for (const s of batch) {
                const ok = stream.write([
                  s.id,
                  `${base}/temoignages/${s.id}`,
                  s.procedureId,
                  s.procedureTitle,
                  s.administrationId,
                  s.administrationName,
                  s.ministryId,
                  new Date(s.publishedAt!).toISOString(),
                  STATUS_LABELS[s.status],
                  FEELING_LABELS[s.feeling].fr,
                  s.channels.map((c) => CHANNEL_SHORT[c]).join(', '),
                  s.solved ? 'oui' : 'non',
                  s.accessibility ? 'oui' : 'non',
                  s.answers,
                  s.firstAnswerAt ? new Date(s.firstAnswerAt).toISOString() : '',
                  s.helpful ?? '',
                  s.body,
                ]);
                if (!ok) await new Promise((resolve) => stream.once('drain', resolve));
              }
            }
            stream.end();
          } catch (error) {
            stream.destroy(error as Error);
          }
        })();
        return reply.send(stream);
      },
    );
  }
}
