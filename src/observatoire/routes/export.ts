import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { sendErrorPage } from '../../kernel/web/render.ts';
import { getEdition } from '../editions/drafts.ts';
import { loadIndicators } from '../rules/repository.ts';
import { parseTableQuery } from '../table/filters.ts';
import { CONTENT_TYPES, exportStream, type ExportFormat } from '../export/stream.ts';
import { PUBLIC } from '../../kernel/web/access.ts';
import { idParam } from '../../kernel/web/ids.ts';
import { z } from 'zod';
import type { ZodTypeProvider } from '../../kernel/web/schemas.ts';
import { listQuery } from '../api/schemas.ts';

/** Downloads of a view of a published edition: exactly the rows the filters select, in the chosen sort, streamed. */
export const exportRoutes: FastifyPluginAsync<AppDeps> = async (instance, { db }) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const params = z.object({ id: idParam('Cette édition n’existe pas ou n’est pas publiée.', 'Édition introuvable'), format: z.string() });
  app.get(
    '/observatoire/editions/:id/export.:format',
    { ...PUBLIC, schema: { params, querystring: listQuery } },
    async (request, reply) => {
      const format = request.params.format as ExportFormat;
      // Own keys only: `export.constructor` named Object's prototype member with `in` (500, found by test/fuzz.test.ts).
      if (!Object.hasOwn(CONTENT_TYPES, format))
        return sendErrorPage(request, reply, 404, 'Format inconnu', 'Les formats proposés sont CSV, XLSX et JSON.');
      const edition = await getEdition(db, request.params.id);
      if (!edition || edition.status !== 'published')
        return sendErrorPage(request, reply, 404, 'Édition introuvable', 'Cette édition n’existe pas ou n’est pas publiée.');
      const defs = await loadIndicators(db);
      const { query, errors } = parseTableQuery(
        request.query,
        defs.map((d) => d.slug),
      );
      if (Object.keys(errors).length) return sendErrorPage(request, reply, 400, 'Paramètres invalides', Object.values(errors).join(' '));
      const name = `observatoire-edition-${edition.id}.${format}`;
      return reply
        .type(CONTENT_TYPES[format])
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'public, max-age=300')
        .send(exportStream(format, db, edition, defs, query));
    },
  );
};
