import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { ZodTypeProvider } from '../../kernel/web/schemas.ts';
import { groupQuery, notFoundParams } from './route-schemas.ts';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { canManageAdministration, canManageMinistry, type CurrentUser } from '../../kernel/auth/scope.ts';
import { sendPage } from '../../kernel/web/render.ts';
import { countsBy, computeIndicators, type Window } from '../analytics/indicators.ts';
import { granularityFor, groupSeries } from '../analytics/series.ts';
import { notFound } from './access.ts';
import { dashboardHead } from './dashboard-data.ts';
import { parseSort, sortRows } from './group-sort.ts';
import { groupDashboardPage, type GroupDashboardData, type GroupRow } from './views/group-dashboard.ts';
import { parseWindow } from './window.ts';
import { inScope } from '../../kernel/web/access.ts';

type Level = 'administration' | 'ministry';

/**
 * Dashboards of an administration and of a ministry: the indicators of all their procedures' reviews (weighted, from
 * the rollups), and the list of those procedures with their own indicators. A fixed number of queries whatever the
 * number of procedures.
 */
export async function groupDashboardRoutes(instance: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  /** The procedures of the administration or ministry that have a feedback form (deleted ones too: their reviews count). */
  async function procedureRows(level: Level, id: number, window: Window, user: CurrentUser): Promise<GroupRow[]> {
    const { rows } = await db.query<{
      id: number;
      title: string;
      administration_id: number;
      administration_name: string;
      ministry_id: number;
    }>(
      `SELECT p.id, p.title, p.administration_id, a.name AS administration_name, a.ministry_id
         FROM procedures p JOIN administrations a ON a.id = p.administration_id
        WHERE ${level === 'administration' ? 'p.administration_id' : 'a.ministry_id'} = $1
          AND EXISTS (SELECT 1 FROM feedback_forms f WHERE f.procedure_id = p.id AND f.template = 'default')`,
      [id],
    );
    const counts = await countsBy(
      db,
      'procedure',
      rows.map((r) => Number(r.id)),
      window,
    );
    return rows.map((r) => ({
      id: Number(r.id),
      title: r.title,
      href: `/avis/demarches/${r.id}`,
      administration: {
        name: r.administration_name,
        href: canManageAdministration(user, Number(r.administration_id), Number(r.ministry_id))
          ? `/avis/administrations/${r.administration_id}`
          : null,
      },
      indicators: computeIndicators(counts.get(Number(r.id)) ?? []),
    }));
  }

  /** The ministry's administrations that have at least one procedure with a feedback form. */
  async function administrationRows(ministryId: number, window: Window): Promise<GroupRow[]> {
    const { rows } = await db.query<{ id: number; name: string }>(
      `SELECT a.id, a.name FROM administrations a
        WHERE a.ministry_id = $1
          AND EXISTS (SELECT 1 FROM procedures p JOIN feedback_forms f ON f.procedure_id = p.id AND f.template = 'default' WHERE p.administration_id = a.id)`,
      [ministryId],
    );
    const counts = await countsBy(
      db,
      'administration',
      rows.map((r) => Number(r.id)),
      window,
    );
    const list = rows.map((r) => ({
      id: Number(r.id),
      title: r.name,
      href: `/avis/administrations/${r.id}`,
      indicators: computeIndicators(counts.get(Number(r.id)) ?? []),
    }));
    return sortRows(list, { key: 'titre', order: 'asc' });
  }

  async function show(
    request: FastifyRequest,
    query: z.output<typeof groupQuery>,
    reply: FastifyReply,
    level: Level,
    base: Omit<GroupDashboardData, 'window' | 'head' | 'granularity' | 'series' | 'procedures' | 'administrations' | 'sort'> & {
      id: number;
    },
    user: CurrentUser,
  ) {
    const { window, error } = parseWindow(query);
    const sort = parseSort(query);
    const granularity = granularityFor(window);
    const [head, series, procedures, administrations] = await Promise.all([
      dashboardHead(db, level, base.id, window),
      groupSeries(db, level, base.id, window, granularity),
      procedureRows(level, base.id, window, user),
      level === 'ministry' ? administrationRows(base.id, window) : Promise.resolve(undefined),
    ]);
    return sendPage(request, reply, {
      title: `Avis usagers : ${base.name}`,
      breadcrumb: [
        { label: 'Avis usagers', href: '/avis' },
        ...(base.ministry?.href ? [{ label: base.ministry.name, href: base.ministry.href }] : []),
        { label: base.name },
      ],
      notice: error ? { type: 'warning', text: error } : null,
      content: groupDashboardPage({
        ...base,
        window,
        head,
        granularity,
        series,
        procedures: sortRows(procedures, sort),
        administrations,
        sort,
      }),
    });
  }

  app.get(
    '/avis/administrations/:id',
    { ...inScope('administration', 'read'), schema: { params: notFoundParams('Cette administration'), querystring: groupQuery } },
    async (request, reply) => {
      const user = request.user!;
      const id = request.params.id;
      const { rows } = await db.query(
        'SELECT a.name, a.ministry_id, m.name AS ministry_name FROM administrations a JOIN ministries m ON m.id = a.ministry_id WHERE a.id = $1',
        [id],
      );
      const a = rows[0];
      if (!a) return notFound(request, reply, 'Cette administration');
      const ministryId = Number(a.ministry_id);
      const path = `/avis/administrations/${id}`;
      const ministry = { name: a.ministry_name, href: canManageMinistry(user, ministryId) ? `/avis/ministeres/${ministryId}` : null };
      return show(request, request.query, reply, 'administration', { level: 'administration', id, path, name: a.name, ministry }, user);
    },
  );

  app.get(
    '/avis/ministeres/:id',
    { ...inScope('ministry', 'read'), schema: { params: notFoundParams('Ce ministère'), querystring: groupQuery } },
    async (request, reply) => {
      const user = request.user!;
      const id = request.params.id;
      const { rows } = await db.query('SELECT name FROM ministries WHERE id = $1', [id]);
      if (!rows[0]) return notFound(request, reply, 'Ce ministère');
      return show(
        request,
        request.query,
        reply,
        'ministry',
        { level: 'ministry', id, path: `/avis/ministeres/${id}`, name: rows[0].name },
        user,
      );
    },
  );
}
