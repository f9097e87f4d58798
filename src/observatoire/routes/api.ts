import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../../kernel/db/db.ts';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { sendProblem, sendPublicJson, sendPublicJsonText } from '../../kernel/web/openapi.ts';
import { cachedAnswer, currentGeneration, remember, storeAnswer } from '../cache/public-cache.ts';
import { getEdition, latestPublished, listPublished, previousPublished, type Edition } from '../editions/drafts.ts';
import { listRevisions } from '../editions/correct.ts';
import { listRuleSets, loadGoals, loadIndicators, loadRuleSet } from '../rules/repository.ts';
import { parseTableQuery, tableQueryString } from '../table/filters.ts';
import { tablePage } from '../table/query.ts';
import { groupScores, deltaPoints, type GroupKind } from '../scorecards/compute.ts';
import { procedureHistory } from '../history/queries.ts';
import { cellOut, editionOut, rowOut } from '../api/serialize.ts';
import { ensureRendered, rerenderEdition, storedPage } from '../api/stored-rows.ts';
import type { IndicatorDefinition } from '../rules/repository.ts';
import type { TableQuery } from '../table/filters.ts';
import { SCORE_DEFINITION } from '../views/help-texts.ts';
import { PUBLIC } from '../../kernel/web/access.ts';
import type { ZodTypeProvider } from '../../kernel/web/schemas.ts';
import type { ZodType } from 'zod';
import * as S from '../api/schemas.ts';
import { parseId } from '../../kernel/web/ids.ts';
import { goalSentence } from '../views/indicator-help.ts';
import { compareStatistics, editionStatistics, type CellStatistic } from '../statistics/edition-statistics.ts';

/** A cell's statistic in the API: value, 95 % interval, n, method and « incertain » (docs/statistics.md). */
const statOut = (s: CellStatistic) => ({
  value: s.value,
  lower: s.lower,
  upper: s.upper,
  n: s.n,
  method: s.kind === 'share' ? 'wilson' : 't',
  uncertain: s.uncertain,
});

async function findEdition(db: Db, id: string): Promise<Edition | null> {
  if (id === 'latest') return latestPublished(db);
  const editionId = parseId(id);
  if (editionId === null) return null;
  const e = await getEdition(db, editionId);
  return e && e.status === 'published' ? e : null;
}

/** Which published edition a URL names, kept until the next publication, correction or rule edit (see remember). */
async function rememberedEdition(db: Db, id: string): Promise<Edition | null> {
  if (id !== 'latest' && parseId(id) === null) return null;
  return remember(db, `edition:${id}`, () => findEdition(db, id));
}

function listLinks(base: string, query: TableQuery, total: number) {
  const pages = Math.ceil(total / query.perPage);
  return {
    self: `${base}${tableQueryString(query)}`,
    next: query.page < pages ? `${base}${tableQueryString(query, { page: query.page + 1 })}` : null,
    prev: query.page > 1 ? `${base}${tableQueryString(query, { page: query.page - 1 })}` : null,
  };
}

/** The list answer computed from the edition's cells at every call: the reference the stored rows must equal. */
export async function liveListBody(db: Db, edition: Edition, defs: IndicatorDefinition[], query: TableQuery, base: string) {
  const page = await tablePage(db, edition.id, query);
  return {
    edition: editionOut(edition),
    total: page.total,
    page: query.page,
    perPage: query.perPage,
    items: page.rows.map((r) => rowOut(defs, r)),
    links: listLinks(base, query, page.total),
  };
}

/** The UTF-8 bytes of these texts, written once into one buffer (no joined copy of the page on the JavaScript heap). */
function utf8(parts: string[]): Buffer {
  let length = 0;
  for (const p of parts) length += Buffer.byteLength(p);
  const out = Buffer.allocUnsafe(length);
  let offset = 0;
  for (const p of parts) offset += out.write(p, offset);
  return out;
}

/**
 * The same answer, as UTF-8 bytes, from the rows rendered at publication: one query, no JSON parsing nor building of
 * rows. Rows missing (an edition published before they existed) or rendered with other indicators are rendered first.
 */
export async function storedListBody(
  db: Db,
  edition: Edition,
  defs: IndicatorDefinition[],
  query: TableQuery,
  base: string,
): Promise<Buffer> {
  await ensureRendered(db, edition.id, defs);
  let page = await storedPage(db, edition.id, query, defs);
  if (!page) {
    await rerenderEdition(db, edition.id, defs);
    page = await storedPage(db, edition.id, query, defs);
    if (!page) return Buffer.from(JSON.stringify(await liveListBody(db, edition, defs, query, base)));
  }
  // Keys in the order of liveListBody, so that both texts (and ETags) are identical.
  const parts = [
    `{"edition":${JSON.stringify(editionOut(edition))},"total":${page.total},"page":${query.page},"perPage":${query.perPage},"items":[`,
  ];
  for (let i = 0; i < page.items.length; i++) {
    if (i) parts.push(',');
    parts.push(page.items[i]);
  }
  parts.push(`],"links":${JSON.stringify(listLinks(base, query, page.total))}}`);
  return utf8(parts);
}

const NOT_FOUND = S.EDITION_NOT_FOUND;

/** The read-only public API (/api/v1/), described in the shared OpenAPI document. */
export const apiRoutes: FastifyPluginAsync<AppDeps> = async (instance, { db }) => {
  // Route schemas (api/schemas.ts): they validate params and query and generate the OpenAPI document, answers included.
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const doc = <P extends { params?: ZodType; querystring?: ZodType }>(
    summary: string,
    operationId: string,
    parts: P,
    response: Record<number, ZodType>,
    description = S.PUBLIC_TEXT,
  ) => ({
    ...PUBLIC,
    schema: { summary, description, operationId, tags: S.TAGS, ...parts, response: { ...response, 400: S.problem, 404: S.problem } },
  });
  // Successful answers are kept in memory (see cache/public-cache.ts); the URL, query string included, is the key.
  app.addHook('onRequest', async (request, reply) => {
    (request as any).obsGeneration = currentGeneration(db);
    const hit = cachedAnswer(db, request.url);
    if (hit) return sendPublicJsonText(request, reply, hit.text, hit.etag);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode === 200 && (typeof payload === 'string' || Buffer.isBuffer(payload)) && !cachedAnswer(db, request.url)) {
      storeAnswer(db, request.url, (request as any).obsGeneration, payload, String(reply.getHeader('etag')));
    }
    return payload;
  });

  app.get(
    '/api/v1/editions',
    doc('Éditions publiées, de la plus récente à la plus ancienne', 'listEditions', {}, { 200: S.editionList }),
    async (request, reply) => {
      const editions = await listPublished(db);
      return sendPublicJson(request, reply, { items: editions.map(editionOut) });
    },
  );

  app.get(
    '/api/v1/editions/:id',
    doc('Une édition publiée et ses corrections', 'getEdition', { params: S.editionParams }, { 200: S.editionDetail }),
    async (request, reply) => {
      const edition = await findEdition(db, request.params.id);
      if (!edition) return sendProblem(reply, 404, 'Édition introuvable', NOT_FOUND);
      const revisions = await listRevisions(db, edition.id);
      return sendPublicJson(request, reply, {
        ...editionOut(edition),
        revisions: revisions.map((r) => ({
          number: r.number,
          author: r.author,
          reason: r.reason,
          createdAt: new Date(r.createdAt).toISOString(),
          changes: r.diff,
        })),
      });
    },
  );

  app.get(
    '/api/v1/editions/:id/procedures',
    doc(
      'Démarches d’une édition avec la valeur et le niveau de chaque indicateur',
      'listEditionProcedures',
      { params: S.editionParams, querystring: S.listQuery },
      { 200: S.procedurePage },
      `Mêmes filtres, tri et pagination que le tableau public. ${S.PUBLIC_TEXT}`,
    ),
    async (request, reply) => {
      const edition = await rememberedEdition(db, request.params.id);
      if (!edition) return sendProblem(reply, 404, 'Édition introuvable', NOT_FOUND);
      const defs = await loadIndicators(db);
      const { query, errors } = parseTableQuery(
        request.query,
        defs.map((d) => d.slug),
      );
      if (Object.keys(errors).length)
        return sendProblem(reply, 400, 'Paramètres invalides', 'Un ou plusieurs paramètres de la requête sont invalides.', errors);
      const body = await storedListBody(db, edition, defs, query, `/api/v1/editions/${request.params.id}/procedures`);
      return sendPublicJsonText(request, reply, body);
    },
  );

  app.get(
    '/api/v1/editions/:id/scorecards',
    doc(
      'Taux d’atteinte de l’objectif par indicateur : national, par ministère, par administration ou par catégorie d’usagers',
      'getScorecards',
      { params: S.editionParams, querystring: S.scorecardsQuery },
      { 200: S.scorecards },
    ),
    async (request, reply) => {
      const edition = await findEdition(db, request.params.id);
      if (!edition) return sendProblem(reply, 404, 'Édition introuvable', NOT_FOUND);
      const groups: Record<string, GroupKind> = {
        national: 'national',
        ministere: 'ministry',
        administration: 'administration',
        categorie: 'category',
      };
      const kind = groups[request.query.groupe ?? 'national'];
      const previous = await previousPublished(db, edition);
      const [current, before, goals] = await Promise.all([
        groupScores(db, edition.id, kind),
        previous ? groupScores(db, previous.id, kind) : Promise.resolve([]),
        loadGoals(db),
      ]);
      const beforeById = new Map(before.map((g) => [String(g.groupId), g]));
      return sendPublicJson(request, reply, {
        edition: editionOut(edition),
        previousEdition: previous ? editionOut(previous) : null,
        group: request.query.groupe ?? 'national',
        definition: SCORE_DEFINITION,
        items: current.map((g) => ({
          id: g.groupId,
          name: g.groupName,
          procedures: g.procedures,
          indicators: Object.fromEntries(
            Object.values(g.scores).map((s) => [
              s.indicator,
              {
                reached: s.reached,
                measured: s.measured,
                scorePercent: s.score,
                nationalGoalPercent: goals.get(s.indicator) ?? null,
                deltaPoints: deltaPoints(s.score, beforeById.get(String(g.groupId))?.scores[s.indicator]?.score),
              },
            ]),
          ),
        })),
      });
    },
  );

  app.get(
    '/api/v1/editions/:id/statistics',
    doc(
      'Intervalles de confiance à 95 % et nombre de réponses de chaque valeur mesurée d’une édition',
      'getEditionStatistics',
      { params: S.editionParams },
      { 200: S.statistics },
    ),
    async (request, reply) => {
      const edition = await rememberedEdition(db, request.params.id);
      if (!edition) return sendProblem(reply, 404, 'Édition introuvable', NOT_FOUND);
      const stats = await editionStatistics(db, edition.id);
      const { rows } = await db.query<{ procedure_id: number; stable_id: string }>(
        'SELECT procedure_id, stable_id FROM obs_edition_procedures WHERE edition_id = $1',
        [edition.id],
      );
      const stable = new Map(rows.map((r) => [Number(r.procedure_id), r.stable_id]));
      const items = [...(stats?.cells ?? [])].flatMap(([id, cells]) =>
        [...cells].map(([indicator, s]) => ({ stableId: stable.get(id) ?? null, indicator, ...statOut(s) })),
      );
      items.sort((a, b) => String(a.stableId).localeCompare(String(b.stableId)) || a.indicator.localeCompare(b.indicator));
      return sendPublicJson(request, reply, { edition: editionOut(edition), confidence: 0.95, items });
    },
  );

  app.get(
    '/api/v1/comparisons',
    doc(
      'Évolutions entre deux éditions : écart, intervalle, p-value, p-value ajustée (Benjamini–Hochberg) et significativité',
      'compareEditions',
      { querystring: S.comparisonQuery },
      { 200: S.comparison },
    ),
    async (request, reply) => {
      const [from, to] = [await rememberedEdition(db, request.query.de), await rememberedEdition(db, request.query.a)];
      if (!from || !to)
        return sendProblem(reply, 400, 'Paramètre invalide', 'de et a : les identifiants de deux éditions publiées (ou latest).');
      const changes = await compareStatistics(db, from.id, to.id);
      return sendPublicJson(request, reply, {
        from: editionOut(from),
        to: editionOut(to),
        confidence: 0.95,
        falseDiscoveryRate: 0.05,
        tests: changes.length,
        items: changes.map((c) => ({
          stableId: c.stableId,
          title: c.title,
          indicator: c.indicator,
          before: statOut(c.before),
          after: statOut(c.after),
          difference: c.difference,
          lower: c.lower,
          upper: c.upper,
          test: c.before.kind === 'share' ? 'two-proportion z' : 'welch',
          pValue: c.pValue,
          adjustedPValue: c.adjusted,
          significant: c.significant,
          flag: c.flag,
        })),
      });
    },
  );

  app.get(
    '/api/v1/indicators',
    doc('Définitions des indicateurs, règles de niveaux en vigueur et objectifs nationaux', 'listIndicators', {}, { 200: S.indicatorList }),
    async (request, reply) => {
      const [defs, rules, goals] = await Promise.all([loadIndicators(db), loadRuleSet(db), loadGoals(db)]);
      return sendPublicJson(request, reply, {
        ruleSetVersion: rules.version,
        // `help` begins with the goal sentence of the rules in force, like the help pages.
        items: defs.map((d) => ({
          ...d,
          help: [goalSentence(d, rules.indicators[d.slug]), d.help].filter(Boolean).join(' '),
          nationalGoalPercent: goals.get(d.slug) ?? null,
          rules: rules.indicators[d.slug] ?? null,
        })),
      });
    },
  );

  app.get(
    '/api/v1/rule-sets',
    doc('Versions des règles de niveaux', 'listRuleSets', {}, { 200: S.ruleSetList }),
    async (request, reply) => {
      const sets = await listRuleSets(db);
      return sendPublicJson(request, reply, {
        items: sets.map((s) => ({ version: s.version, note: s.note, createdAt: new Date(s.createdAt).toISOString() })),
      });
    },
  );

  app.get(
    '/api/v1/rule-sets/:version',
    doc('Une version des règles de niveaux', 'getRuleSet', { params: S.ruleSetParams }, { 200: S.ruleSet }),
    async (request, reply) => {
      const version = Number(request.params.version);
      const set = (await listRuleSets(db)).find((s) => s.version === version);
      if (!set) return sendProblem(reply, 404, 'Version introuvable', 'Cette version des règles n’existe pas.');
      const rules = await loadRuleSet(db, set.version);
      return sendPublicJson(request, reply, {
        version: rules.version,
        note: set.note,
        createdAt: new Date(set.createdAt).toISOString(),
        grayLabels: rules.grayLabels,
        indicators: rules.indicators,
      });
    },
  );

  app.get(
    '/api/v1/procedures/:stableId/history',
    doc(
      'Historique d’une démarche à travers les éditions (par identifiant stable)',
      'getProcedureHistory',
      { params: S.stableIdParams },
      { 200: S.history },
    ),
    async (request, reply) => {
      const [defs, points] = await Promise.all([loadIndicators(db), procedureHistory(db, request.params.stableId)]);
      if (points.length === 0) return sendProblem(reply, 404, 'Démarche introuvable', 'Aucune édition publiée ne contient cette démarche.');
      const bySlug = new Map(defs.map((d) => [d.slug, d]));
      return sendPublicJson(request, reply, {
        stableId: request.params.stableId,
        items: points.map((p) => ({
          edition: { id: p.editionId, name: p.editionName, period: p.period, publishedAt: new Date(p.publishedAt).toISOString() },
          title: p.title,
          indicators: Object.fromEntries(Object.entries(p.values).map(([slug, c]) => [slug, cellOut(bySlug.get(slug), c)])),
          corrected: p.corrected,
        })),
      });
    },
  );
};
