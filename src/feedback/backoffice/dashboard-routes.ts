import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '../../kernel/web/schemas.ts';
import { dashboardQuery, notFoundParams } from './route-schemas.ts';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { canEditProcedure, canManageAdministration, canManageMinistry } from '../../kernel/auth/scope.ts';
import { sendPage } from '../../kernel/web/render.ts';
import { granularityFor, procedureSeries } from '../analytics/series.ts';
import { notFound } from './access.ts';
import { dashboardHead } from './dashboard-data.ts';
import { dashboardPage } from './views/dashboard.ts';
import { parseWindow } from './window.ts';
import { procedurePlace, type ProcedureRow } from '../../catalog/index.ts';
import { inScope } from '../../kernel/web/access.ts';

export async function dashboardRoutes(instance: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  app.get(
    '/avis/demarches/:id',
    { ...inScope('procedure', 'read'), schema: { params: notFoundParams('Cette démarche'), querystring: dashboardQuery } },
    async (request, reply) => {
      const user = request.user!;
      const procedureId = request.params.id;
      const { rows: found } = await db.query<
        Pick<ProcedureRow, 'id' | 'title' | 'administration_id' | 'administration_name' | 'ministry_id' | 'ministry_name'>
      >(
        `SELECT p.id, p.title, p.administration_id, a.name AS administration_name, a.ministry_id, m.name AS ministry_name
           FROM procedures p JOIN administrations a ON a.id = p.administration_id JOIN ministries m ON m.id = a.ministry_id WHERE p.id = $1`,
        [procedureId],
      );
      const p = found[0];
      if (!p) return notFound(request, reply);
      const place = procedurePlace(p);

      const { window, error } = parseWindow(request.query);
      const { rows: buttonRows } = await db.query(
        `SELECT b.id, b.name, b.is_test, f.name AS form_name FROM feedback_buttons b JOIN feedback_forms f ON f.id = b.form_id
        WHERE f.procedure_id = $1 AND f.deleted_at IS NULL ORDER BY f.id, b.id`,
        [place.procedureId],
      );
      const buttons = buttonRows.map((b) => ({ id: Number(b.id), label: `${b.form_name} – ${b.name}${b.is_test ? ' (test)' : ''}` }));
      const requested = request.query.bouton;
      const buttonId = requested && buttons.some((b) => b.id === requested) ? requested : null;
      const filter = { buttonId };
      const granularity = granularityFor(window);
      const [head, series, versions, isPublic] = await Promise.all([
        dashboardHead(db, 'procedure', place.procedureId, window, filter),
        procedureSeries(db, place.procedureId, window, granularity, buttonId),
        db.query(
          `SELECT f.id, f.name, v.version, v.published_at, v.retired_at FROM feedback_form_versions v JOIN feedback_forms f ON f.id = v.form_id
          WHERE f.procedure_id = $1 AND f.deleted_at IS NULL AND v.published_at IS NOT NULL
            AND v.published_at::date <= $3::date AND (v.retired_at IS NULL OR v.retired_at::date >= $2::date)
          ORDER BY f.id, v.version`,
          [place.procedureId, window.start, window.end],
        ),
        db.query('SELECT 1 FROM feedback_public_stats WHERE procedure_id = $1', [place.procedureId]).then((r) => r.rows.length > 0),
      ]);
      const { counts, indicators, lines, minimum } = head;
      return sendPage(request, reply, {
        title: `Avis usagers : ${p.title}`,
        breadcrumb: [
          { label: 'Avis usagers', href: '/avis' },
          ...(canManageMinistry(user, place.ministryId) ? [{ label: p.ministry_name, href: `/avis/ministeres/${place.ministryId}` }] : []),
          ...(canManageAdministration(user, place.administrationId, place.ministryId)
            ? [{ label: p.administration_name, href: `/avis/administrations/${place.administrationId}` }]
            : []),
          { label: p.title },
        ],
        notice: error ? { type: 'warning', text: error } : null,
        content: dashboardPage({
          procedure: { id: place.procedureId, title: p.title },
          window,
          buttonId,
          buttons,
          indicators,
          lines,
          minimum,
          granularity,
          series,
          counts,
          versions: versions.rows.map((v) => ({
            form: v.name,
            formId: Number(v.id),
            version: v.version,
            publishedAt: v.published_at ? new Date(v.published_at) : null,
            retiredAt: v.retired_at ? new Date(v.retired_at) : null,
          })),
          isPublic,
          canEdit: canEditProcedure(user, place),
          csrf: reply.generateCsrf(),
        }),
      });
    },
  );
}
