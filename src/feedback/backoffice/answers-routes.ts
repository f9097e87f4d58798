import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { answersQuery, formParams, notFoundParams, windowQuery, type AnswersQuery } from './route-schemas.ts';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { canEditProcedure, type CurrentUser } from '../../kernel/auth/scope.ts';
import { audit } from '../../kernel/audit/audit.ts';
import { redirectSeeOther, sendPage } from '../../kernel/web/render.ts';
import { frequentTerms } from '../analytics/text.ts';
import { formThemes } from '../analytics/themes.ts';
import { themesPage } from './views/themes.ts';
import { getForm, type FormRow } from '../forms/queries.ts';
import { deleteReview, loadReviewKey } from '../storage/reviews.ts';
import { listReviews, recentVerbatims, type AnswerFilters } from '../storage/answers-query.ts';
import { formOf, notFound } from './access.ts';
import { answersPage, reviewPage, type ReviewDetail } from './views/answers.ts';
import { parseWindow } from './window.ts';
import { inScope } from '../../kernel/web/access.ts';
import { z } from 'zod';
import { formBody, type ZodTypeProvider } from '../../kernel/web/schemas.ts';

/** Filters of the answers list (and of its exports) from the query string, read by its route schema (answersQuery). */
export function parseAnswerFilters(query: AnswersQuery): { filters: AnswerFilters; error: string | null } {
  const { window, error } = parseWindow(query);
  return {
    filters: {
      window,
      buttonId: query.bouton ?? null,
      option: query.option,
      verbatim: query.verbatim ?? null,
      q: query.q,
      page: query.page,
    },
    error,
  };
}

export async function answersRoutes(instance: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const reviewParams = notFoundParams('Cet avis');

  app.get(
    '/avis/formulaires/:id/reponses',
    { ...inScope('procedure', 'read', 'id', 'form'), schema: { params: formParams, querystring: answersQuery } },
    async (request, reply) => {
      const ctx = await formOf(db, request, reply, request.params.id);
      if (!ctx) return reply;
      const { filters, error } = parseAnswerFilters(request.query);
      const [list, verbatims, buttons, visit] = await Promise.all([
        listReviews(db, ctx.form.id, filters),
        recentVerbatims(db, ctx.form.id, filters),
        db.query('SELECT id, name FROM feedback_buttons WHERE form_id = $1 ORDER BY id', [ctx.form.id]),
        db.query<{ seen_at: Date }>('SELECT seen_at FROM feedback_visits WHERE user_id = $1 AND form_id = $2', [ctx.user.id, ctx.form.id]),
      ]);
      await db.query(
        `INSERT INTO feedback_visits (user_id, form_id, seen_at) VALUES ($1, $2, now()) ON CONFLICT (user_id, form_id) DO UPDATE SET seen_at = now()`,
        [ctx.user.id, ctx.form.id],
      );
      return sendPage(request, reply, {
        title: `Réponses : ${ctx.form.name}`,
        breadcrumb: [
          { label: 'Avis usagers', href: '/avis' },
          { label: ctx.form.name, href: `/avis/formulaires/${ctx.form.id}` },
          { label: 'Réponses' },
        ],
        notice: error ? { type: 'warning', text: error } : null,
        content: answersPage({
          form: ctx.form,
          filters,
          rows: list.rows,
          total: list.total,
          terms: frequentTerms(verbatims),
          buttons: buttons.rows.map((b) => ({ id: Number(b.id), name: b.name })),
          lastVisit: visit.rows[0] ? new Date(visit.rows[0].seen_at) : null,
          csrf: reply.generateCsrf(),
        }),
      });
    },
  );

  app.get(
    '/avis/formulaires/:id/themes',
    { ...inScope('procedure', 'read', 'id', 'form'), schema: { params: formParams, querystring: windowQuery } },
    async (request, reply) => {
      const ctx = await formOf(db, request, reply, request.params.id);
      if (!ctx) return reply;
      const { window, error } = parseWindow(request.query);
      const themes = await formThemes(db, ctx.form.id, window);
      return sendPage(request, reply, {
        title: `Thèmes des commentaires : ${ctx.form.name}`,
        breadcrumb: [
          { label: 'Avis usagers', href: '/avis' },
          { label: ctx.form.name, href: `/avis/formulaires/${ctx.form.id}` },
          { label: 'Thèmes des commentaires' },
        ],
        notice: error ? { type: 'warning', text: error } : null,
        content: themesPage(ctx.form, themes),
      });
    },
  );

  async function reviewInScope(
    request: FastifyRequest,
    reply: FastifyReply,
    reviewId: number,
  ): Promise<{ user: CurrentUser; form: FormRow; review: ReviewDetail } | null> {
    const user = request.user!;
    const { rows } = await db.query(
      `SELECT r.*, b.name AS button_name,
                  (SELECT json_agg(json_build_object('question', a.question, 'sub', a.sub, 'optionId', a.option_id) ORDER BY a.question, a.sub)
                     FROM feedback_answers a WHERE a.day = r.day AND a.review_id = r.id) AS answers
             FROM feedback_reviews r JOIN feedback_buttons b ON b.id = r.button_id WHERE r.id = $1`,
      [reviewId],
    );
    const r = rows[0];
    const form = r ? await getForm(db, Number(r.form_id)) : null;
    if (!r || !form) {
      notFound(request, reply, 'Cet avis');
      return null;
    }
    return {
      user,
      form,
      review: {
        id: Number(r.id),
        createdAt: new Date(r.created_at),
        updatedAt: new Date(r.updated_at),
        version: r.form_version,
        buttonName: r.button_name,
        lang: r.lang,
        verbatim: r.verbatim,
        otherHelp: r.other_help,
        contactEmail: r.contact_email,
        maskedCount: r.masked_count,
        deletedAt: r.deleted_at ? new Date(r.deleted_at) : null,
        deletedReason: r.deleted_reason,
        answers: r.answers ?? [],
      },
    };
  }

  app.get(
    '/avis/reponses/:id',
    { ...inScope('procedure', 'read', 'id', 'review'), schema: { params: reviewParams } },
    async (request, reply) => {
      const ctx = await reviewInScope(request, reply, request.params.id);
      if (!ctx) return reply;
      return sendPage(request, reply, {
        title: 'Avis',
        breadcrumb: [
          { label: 'Avis usagers', href: '/avis' },
          { label: ctx.form.name, href: `/avis/formulaires/${ctx.form.id}/reponses` },
          { label: 'Avis' },
        ],
        content: reviewPage(ctx.form, ctx.review, {
          canDelete: canEditProcedure(ctx.user, ctx.form.place) && !ctx.form.locked,
          csrf: reply.generateCsrf(),
        }),
      });
    },
  );

  const deletion = formBody({ reason: z.string({ error: 'Motif : une seule valeur est attendue. Rien n’a été supprimé.' }).optional() });
  app.post(
    '/avis/reponses/:id/supprimer',
    { ...inScope('procedure', 'edit', 'id', 'review'), schema: { params: reviewParams, body: deletion } },
    async (request, reply) => {
      const ctx = await reviewInScope(request, reply, request.params.id);
      if (!ctx) return reply;
      const canDelete = !ctx.form.locked;
      const reason = request.body.reason?.trim() ?? '';
      const error = !canDelete
        ? 'Formulaire verrouillé : il alimente l’observatoire, ses avis ne peuvent pas être supprimés.'
        : !reason
          ? 'Indiquez le motif de la suppression.'
          : reason.length > 500
            ? '500 caractères au maximum.'
            : null;
      if (error) {
        return sendPage(
          request,
          reply,
          {
            title: 'Avis',
            breadcrumb: [{ label: 'Avis usagers', href: '/avis' }, { label: 'Avis' }],
            notice: canDelete ? null : { type: 'error', text: error },
            content: reviewPage(ctx.form, ctx.review, { canDelete, csrf: reply.generateCsrf(), error }),
          },
          canDelete ? 400 : 403,
        );
      }
      const key = await loadReviewKey(db, ctx.review.id);
      await db.transaction(async (tx) => {
        await deleteReview(tx, key!, reason, ctx.user.id);
        await audit(tx, {
          actor: ctx.user,
          action: 'feedback.review.delete',
          entityType: 'feedback_review',
          entityId: ctx.review.id,
          after: { reason },
          ipHash: request.ipHash,
        });
      });
      return redirectSeeOther(reply, `/avis/reponses/${ctx.review.id}`);
    },
  );
}
