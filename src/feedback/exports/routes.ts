import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../kernel/web/deps.ts';
import type { Jobs } from '../../kernel/jobs/jobs.ts';
import { audit } from '../../kernel/audit/audit.ts';
import { html } from '../../kernel/web/html.ts';
import { formatDateTime, formatInteger } from '../../kernel/web/format.ts';
import { redirectSeeOther, sendPage } from '../../kernel/web/render.ts';
import { formOf, notFound } from '../backoffice/access.ts';
import { answersQuery, formParams, notFoundParams } from '../backoffice/route-schemas.ts';
import { parseAnswerFilters } from '../backoffice/answers-routes.ts';
import { EXPORT_QUEUE, runExport } from './export.ts';
import { MEMBER, inScope } from '../../kernel/web/access.ts';
import { z } from 'zod';
import { formBody, type ZodTypeProvider } from '../../kernel/web/schemas.ts';
import { recoverStalledExports, STALE_AFTER_SECONDS } from './recovery.ts';

const STATUS = { pending: 'En attente', running: 'En cours', done: 'Prêt', failed: 'Échec' } as const;

/** The worker that builds requested exports in the background. */
export async function registerExportWorker(deps: AppDeps, jobs: Jobs): Promise<void> {
  await jobs.work<{ exportId: number }>(EXPORT_QUEUE, async (job) => runExport(deps, job.data.exportId));
}

export async function exportRoutes(instance: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const exportParams = notFoundParams('Cet export');

  // The format is one of two (route schema; another value is a 400, nothing written); the filters are the answers list's.
  const body = formBody({ format: z.enum(['csv', 'xlsx'], { error: 'Format : csv ou xlsx. Rien n’a été enregistré.' }).optional() });
  app.post(
    '/avis/formulaires/:id/exports',
    { ...inScope('procedure', 'read', 'id', 'form'), schema: { params: formParams, querystring: answersQuery, body } },
    async (request, reply) => {
      const ctx = await formOf(db, request, reply, request.params.id);
      if (!ctx) return reply;
      const format = request.body.format ?? 'csv';
      const { filters } = parseAnswerFilters(request.query);
      const id = await db.transaction(async (tx) => {
        const { rows } = await tx.query<{ id: number }>(
          'INSERT INTO feedback_exports (form_id, user_id, format, filters) VALUES ($1, $2, $3, $4) RETURNING id',
          [ctx.form.id, ctx.user.id, format, JSON.stringify({ ...filters, page: 1 })],
        );
        await audit(tx, {
          actor: ctx.user,
          action: 'feedback.export.request',
          entityType: 'feedback_form',
          entityId: ctx.form.id,
          after: { format, filters },
          ipHash: request.ipHash,
        });
        return Number(rows[0].id);
      });
      // In the background when jobs run; at once otherwise (tests, single-process use).
      if (deps.jobs) await deps.jobs.send(EXPORT_QUEUE, { exportId: id }, { retryLimit: 2, retryDelay: 30 });
      else await runExport(deps, id);
      return redirectSeeOther(reply, `/avis/exports/${id}`);
    },
  );

  async function ownExport(request: FastifyRequest, reply: FastifyReply, exportId: number) {
    const user = request.user!;
    const { rows } = await db.query(
      `SELECT id, form_id, user_id, format, status, total, done_rows, file_name, created_at, finished_at, restarts,
                  status = 'running' AND heartbeat_at < now() - make_interval(secs => $2) AS stalled
             FROM feedback_exports WHERE id = $1`,
      [exportId, STALE_AFTER_SECONDS],
    );
    // Only the person who asked for an export may see it (it holds verbatims).
    if (!rows[0] || Number(rows[0].user_id) !== user.id) {
      notFound(request, reply, 'Cet export');
      return null;
    }
    return rows[0];
  }

  app.get('/avis/exports/:id', { ...MEMBER, schema: { params: exportParams } }, async (request, reply) => {
    let e = await ownExport(request, reply, request.params.id);
    if (!e) return reply;
    // Its worker died: restarted now rather than at the next round of recovery.ts.
    if (e.stalled && deps.jobs && (await recoverStalledExports(deps, deps.jobs)).length > 0)
      e = await ownExport(request, reply, request.params.id);
    if (!e) return reply;
    const restartNotice = e.stalled
      ? 'Le serveur qui préparait cet export ne répond plus : l’export sera relancé automatiquement dans moins d’une minute.'
      : e.restarts > 0 && e.status !== 'done' && e.status !== 'failed'
        ? `L’export a été interrompu (arrêt du serveur qui le préparait) et relancé automatiquement${e.restarts > 1 ? ` (${e.restarts} fois)` : ''}.`
        : e.restarts > 0 && e.status === 'done'
          ? 'Cet export a été interrompu puis relancé automatiquement ; le fichier est complet.'
          : null;
    const percent = e.total ? Math.round((100 * e.done_rows) / e.total) : e.status === 'done' ? 100 : 0;
    return sendPage(request, reply, {
      title: 'Export des avis',
      breadcrumb: [{ label: 'Avis usagers', href: '/avis' }, { label: 'Export des avis' }],
      content: html`<h1>Export des avis (${e.format.toUpperCase()})</h1>
<p>Demandé le ${formatDateTime(e.created_at)} · État : <strong>${STATUS[e.status as keyof typeof STATUS]}</strong></p>
${restartNotice ? html`<div class="fr-alert fr-alert--info fr-alert--sm fr-mb-3w"><p>${restartNotice}</p></div>` : ''}
<p><label for="progression">Progression</label> <progress id="progression" max="100" value="${percent}">${percent} %</progress> ${formatInteger(e.done_rows)} avis sur ${formatInteger(e.total)}</p>
${
  e.status === 'done'
    ? html`<p><a class="fr-link fr-icon-download-line fr-link--icon-left" href="/avis/exports/${e.id}/fichier" download>Télécharger ${e.file_name}</a></p><p>Un e-mail vous a aussi été envoyé avec ce lien.</p>`
    : html`<p><a class="fr-link" href="/avis/exports/${e.id}">Actualiser la page</a> ; un e-mail vous sera envoyé quand l’export sera prêt.</p>`
}
<p><a class="fr-link" href="/avis/formulaires/${e.form_id}/reponses">Retour aux réponses</a></p>`,
    });
  });

  app.get('/avis/exports/:id/fichier', { ...MEMBER, schema: { params: exportParams } }, async (request, reply) => {
    const e = await ownExport(request, reply, request.params.id);
    if (!e) return reply;
    if (e.status !== 'done') return notFound(request, reply, 'Ce fichier');
    const { rows } = await db.query('SELECT content FROM feedback_exports WHERE id = $1', [e.id]);
    const type = e.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    return reply
      .type(type)
      .header('content-disposition', `attachment; filename="${e.file_name}"`)
      .header('cache-control', 'no-store')
      .send(Buffer.from(rows[0].content));
  });
}
