import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { sendErrorPage } from '../../kernel/web/render.ts';
import { getEdition } from '../editions/drafts.ts';
import { loadIndicators } from '../rules/repository.ts';
import { parseTableQuery } from '../table/filters.ts';
import { CONTENT_TYPES, exportStream, type ExportFormat } from '../export/stream.ts';
import { PUBLIC } from '../../kernel/web/access.ts';
import { parseId } from '../../kernel/web/ids.ts';

/** Downloads of a view of a published edition: exactly the rows the filters select, in the chosen sort, streamed. */
export const exportRoutes: FastifyPluginAsync<AppDeps> = async (app, { db }) => {
  app.get<{ Params: { id: string; format: string } }>('/observatoire/editions/:id/export.:format', PUBLIC, async (request, reply) => {
    const format = request.params.format as ExportFormat;
    // Own keys only: `export.constructor` named Object's prototype member with `in` (500, found by test/fuzz.test.ts).
    if (!Object.hasOwn(CONTENT_TYPES, format)) return sendErrorPage(request, reply, 404, 'Format inconnu', 'Les formats proposés sont CSV, XLSX et JSON.');
    const id = parseId(request.params.id);
    const edition = id ? await getEdition(db, id) : null;
    if (!edition || edition.status !== 'published') return sendErrorPage(request, reply, 404, 'Édition introuvable', 'Cette édition n’existe pas ou n’est pas publiée.');
    const defs = await loadIndicators(db);
    const { query, errors } = parseTableQuery(request.query as Record<string, unknown>, defs.map((d) => d.slug));
    if (Object.keys(errors).length) return sendErrorPage(request, reply, 400, 'Paramètres invalides', Object.values(errors).join(' '));
    const name = `observatoire-edition-${edition.id}.${format}`;
    return reply
      .type(CONTENT_TYPES[format])
      .header('content-disposition', `attachment; filename="${name}"`)
      .header('cache-control', 'public, max-age=300')
      .send(exportStream(format, db, edition, defs, query));
  });
};
