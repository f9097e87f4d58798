import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { catalogFiltersQuery } from '../filters.ts';
import type { ZodTypeProvider } from '../../kernel/web/schemas.ts';
import { exportBatches } from '../export/rows.ts';
import { csvStream, xlsxStream } from '../export/write.ts';
import { MEMBER } from '../../kernel/web/access.ts';

export async function exportRoutes(instance: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  for (const format of ['csv', 'xlsx'] as const) {
    app.get(`/catalogue/export.${format}`, { ...MEMBER, schema: { querystring: catalogFiltersQuery } }, async (request, reply) => {
      const user = request.user!;
      const batches = exportBatches(deps.db, user, request.query);
      const day = new Date().toISOString().slice(0, 10);
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="catalogue-${day}.${format}"`)
        .header('cache-control', 'no-store')
        .send(format === 'csv' ? csvStream(batches) : xlsxStream(batches));
    });
  }
}
