import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { procedureScope } from '../../kernel/auth/scope.ts';
import { run, sql } from '../../kernel/db/sql.ts';
import { getForm } from '../forms/queries.ts';
import { indicatorsByInterval, type Interval } from '../analytics/intervals.ts';
import type { FeedbackIndicators } from '../analytics/indicators.ts';
import type { Estimate } from '../../kernel/stats/index.ts';
import { parseWindow } from '../backoffice/window.ts';
import type { ZodTypeProvider } from '../../kernel/web/schemas.ts';
import type { z } from 'zod';
import {
  AUTH,
  INTERVALS,
  TAGS,
  formSeries,
  idParams,
  problem as problemSchema,
  procedureList,
  procedureSeries,
  seriesQuery,
} from './schemas.ts';

function problem(reply: FastifyReply, status: number, title: string, detail: string) {
  return reply.code(status).type('application/problem+json').send({ title, status, detail });
}

const interval = (e: Estimate | null) => e && { lower: e.lower, upper: e.upper, n: e.n };

export function serializeIndicators(i: FeedbackIndicators) {
  return {
    reviews: i.reviews,
    verbatims: i.verbatims,
    satisfaction: i.satisfaction,
    clarity: i.clarity,
    helpReachable: i.helpReachable,
    helpEfficient: i.helpEfficient,
    autonomy: i.autonomy,
    answers: i.answers,
    // 95 % intervals (t interval for marks, Wilson for shares in %) and n: docs/statistics.md.
    intervals: {
      satisfaction: interval(i.estimates.satisfaction),
      clarity: interval(i.estimates.clarity),
      helpReachable: interval(i.estimates.helpReachable),
      helpEfficient: interval(i.estimates.helpEfficient),
      autonomy: interval(i.estimates.autonomy),
    },
  };
}

/** `/api/v1/feedback/…`: authenticated by API key (Bearer), within the key owner's scope. */
export async function feedbackApiRoutes(instance: FastifyInstance, deps: AppDeps): Promise<void> {
  // request.params and request.query typed from the route schemas (ids as numbers, the series' query).
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  // Declared access: an API key (its owner's grants), within the scope of the procedure or form of the URL.
  const anyKey = { config: { access: { apiKey: true as const }, csrf: false } };
  const keyFor = (via: 'procedure' | 'form') => ({
    config: { access: { apiKey: { scope: 'procedure' as const, right: 'read' as const, param: 'id', via } }, csrf: false },
  });

  // The query of the series is validated by the route schema (zod): a bad value is a 400 problem naming the parameter.
  const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };
  const series = (summary: string, operationId: string, what: string, response: typeof procedureSeries | typeof formSeries) => ({
    schema: {
      summary,
      description: AUTH,
      tags: TAGS,
      operationId,
      params: idParams(what),
      querystring: seriesQuery,
      response: { 200: response, ...errors },
    },
  });

  function parseQuery(query: z.infer<typeof seriesQuery>, reply: FastifyReply) {
    const interval: Interval = query.intervalle ?? 'none';
    const { window, error } = parseWindow({ debut: query.debut, fin: query.fin });
    // The back-office's messages speak of the date fields of a form: the API names its parameters and their ISO format.
    if (error) {
      const detail = error.startsWith('Dates invalides')
        ? 'debut et fin : deux dates au format AAAA-MM-JJ (ISO 8601), par exemple debut=2026-01-01&fin=2026-03-31.'
        : error.split(' Les 365')[0];
      return (problem(reply, 400, 'Paramètre invalide', detail), null);
    }
    return { interval, window };
  }

  const listSchema = {
    schema: {
      summary: 'Démarches du périmètre et leurs formulaires d’avis',
      description: AUTH,
      tags: TAGS,
      operationId: 'listFeedbackProcedures',
      response: { 200: procedureList, 401: problemSchema },
    },
  };
  app.get('/api/v1/feedback/procedures', { ...anyKey, ...listSchema }, async (request) => {
    const user = request.apiCaller!;
    const { rows } = await run(
      db,
      sql`SELECT p.id, p.title, json_agg(json_build_object('id', f.id, 'name', f.name, 'template', f.template, 'publishedVersion', f.published_version, 'locked', f.locked) ORDER BY f.id) AS forms
            FROM feedback_forms f JOIN procedures p ON p.id = f.procedure_id JOIN administrations a ON a.id = p.administration_id
           WHERE f.deleted_at IS NULL AND ${procedureScope(user)} GROUP BY p.id, p.title ORDER BY p.id`,
    );
    return { items: rows.map((r) => ({ id: Number(r.id), title: r.title, forms: r.forms.map((f: any) => ({ ...f, id: Number(f.id) })) })) };
  });

  app.get(
    '/api/v1/feedback/procedures/:id/indicators',
    {
      ...keyFor('procedure'),
      ...series(
        'Indicateurs et nombres d’avis d’une démarche par intervalle',
        'feedbackProcedureIndicators',
        'de la démarche',
        procedureSeries,
      ),
    },
    async (request, reply) => {
      const id = request.params.id;
      const q = parseQuery(request.query, reply);
      if (!q) return reply;
      const points = await indicatorsByInterval(db, { procedureId: id }, q.window, q.interval);
      return {
        procedureId: id,
        window: q.window,
        interval: q.interval,
        points: points.map((p) => ({ start: p.start, ...serializeIndicators(p.indicators) })),
      };
    },
  );

  app.get(
    '/api/v1/feedback/forms/:id/indicators',
    {
      ...keyFor('form'),
      ...series('Indicateurs et nombres d’avis d’un formulaire par intervalle', 'feedbackFormIndicators', 'du formulaire', formSeries),
    },
    async (request, reply) => {
      const form = await getForm(db, request.params.id);
      if (!form) return problem(reply, 404, 'Introuvable', 'Ce formulaire n’existe pas.');
      const q = parseQuery(request.query, reply);
      if (!q) return reply;
      const points = await indicatorsByInterval(db, { formId: form.id }, q.window, q.interval);
      return {
        formId: form.id,
        window: q.window,
        interval: q.interval,
        points: points.map((p) => ({ start: p.start, ...serializeIndicators(p.indicators) })),
      };
    },
  );
}
