import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { canEditProcedure, isAdmin, procedureScope, type CurrentUser } from '../../kernel/auth/scope.ts';
import { run, sql } from '../../kernel/db/sql.ts';
import { audit } from '../../kernel/audit/audit.ts';
import { redirectSeeOther, sendPage } from '../../kernel/web/render.ts';
import type { FieldErrors } from '../../kernel/web/forms.ts';
import {
  getButton,
  getForm,
  insertButton,
  insertForm,
  listButtons,
  listFormsInScope,
  listVersions,
  publishDraft,
  saveDraft,
  type FormRow,
} from '../forms/queries.ts';
import { INTRO_MAX, normaliseSettings, type FormSettings } from '../forms/settings.ts';
import { ADMIN_CHANNELS, HIDEABLE_HELP_OPTIONS, STEPS, TEMPLATE_LABELS, type TemplateId } from '../questionnaire/template.ts';
import { formOf, forbidden, notFound, parseId } from './access.ts';
import { formPage } from './views/form-page.ts';
import { alertsForm, loadAlertSettings } from '../alerts/routes.ts';
import { formsListPage } from './views/forms-list.ts';
import { MEMBER, STEERING, inScope } from '../../kernel/web/access.ts';
import { actionForm, formBody, type ZodTypeProvider } from '../../kernel/web/schemas.ts';
import { formParams, notFoundParams } from './route-schemas.ts';

type Body = Record<string, unknown>;
const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const many = (v: unknown) => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : typeof v === 'string' ? [v] : []) as string[];

/** Reads the settings form; locked forms may not hide indicator questions. */
export function readSettings(form: FormRow, body: Body): { settings: FormSettings; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const hideableSteps = STEPS[form.template].filter((s) => s.hideable).map((s) => s.id as string);
  const hiddenSteps = many(body.hidden_steps);
  const hiddenHelp = many(body.hidden_help);
  if (hiddenSteps.some((s) => !hideableSteps.includes(s))) errors.hidden_steps = 'Cette étape ne peut pas être masquée.';
  else if (form.locked && hiddenSteps.length)
    errors.hidden_steps = 'Formulaire verrouillé : les étapes qui alimentent les indicateurs ne peuvent pas être masquées.';
  if (hiddenHelp.some((o) => !HIDEABLE_HELP_OPTIONS.includes(o))) errors.hidden_help = 'Cette réponse ne peut pas être masquée.';
  else if (form.locked && hiddenHelp.some((o) => (ADMIN_CHANNELS as readonly string[]).includes(o))) {
    errors.hidden_help = 'Formulaire verrouillé : les canaux de l’administration, qui alimentent les indicateurs d’aide, restent affichés.';
  }
  const intro = { fr: text(body.intro_fr), en: text(body.intro_en) };
  for (const lang of ['fr', 'en'] as const)
    if ([...intro[lang]].length > INTRO_MAX) errors[`intro_${lang}`] = `${INTRO_MAX} caractères au maximum.`;
  const settings = normaliseSettings(form.template, {
    hiddenSteps,
    hiddenHelpOptions: hiddenHelp,
    intro,
    contactEmail: body.contact_email === 'oui',
  });
  return { settings, errors };
}

export async function formRoutes(instance: FastifyInstance, deps: AppDeps): Promise<void> {
  // The forms' bodies by route schemas (formBody); their fields checked below, messages beside them. The form or button
  // of the URL by its id (formParams): a value that is not one is the same 404 as an unknown form.
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const { db, config } = deps;

  async function editableProcedures(user: CurrentUser) {
    const { rows } = await run<{ id: number; title: string }>(
      db,
      sql`SELECT p.id, p.title FROM procedures p JOIN administrations a ON a.id = p.administration_id
        WHERE p.archived_at IS NULL AND ${procedureScope(user, undefined, 'edit')} ORDER BY search_text(p.title) LIMIT 2000`,
    );
    return rows.map((r) => ({ id: Number(r.id), title: r.title }));
  }

  /** The ministry and administration dashboards the user may open: the whole ministries of the steering team, their own for the others. */
  async function dashboardLinks(user: CurrentUser) {
    const ids = (role: string, key: 'ministryId' | 'administrationId') => user.grants.filter((g) => g.role === role).map((g) => g[key]);
    const { rows } = await db.query<{ kind: 'ministry' | 'administration'; id: number; name: string }>(
      `SELECT 'ministry' AS kind, id, name FROM ministries WHERE id = ANY($2::bigint[]) OR ($1 AND archived_at IS NULL)
       UNION ALL
       SELECT 'administration', id, name FROM administrations WHERE id = ANY($3::bigint[])
       ORDER BY 1 DESC, 3`,
      [isAdmin(user), ids('ministry_referent', 'ministryId'), ids('administration_member', 'administrationId')],
    );
    return rows.map((r) => ({
      label: r.name,
      href: `/avis/${r.kind === 'ministry' ? 'ministeres' : 'administrations'}/${r.id}`,
      kind: r.kind,
    }));
  }

  async function listPage(
    request: FastifyRequest,
    reply: FastifyReply,
    user: CurrentUser,
    errors?: FieldErrors,
    values?: Record<string, string>,
  ) {
    const [forms, editable, dashboards] = await Promise.all([
      listFormsInScope(db, procedureScope(user)),
      editableProcedures(user),
      dashboardLinks(user),
    ]);
    return sendPage(
      request,
      reply,
      {
        title: 'Avis usagers',
        breadcrumb: [{ label: 'Avis usagers' }],
        content: formsListPage({ forms, editable, dashboards, csrf: reply.generateCsrf(), errors, values }),
      },
      errors ? 400 : 200,
    );
  }

  async function showForm(
    request: FastifyRequest,
    reply: FastifyReply,
    user: CurrentUser,
    form: FormRow,
    extra: { errors?: FieldErrors; draft?: FormSettings; buttonErrors?: FieldErrors; buttonValues?: Record<string, string> } = {},
  ) {
    const [versions, buttons, blocked, alertSettings] = await Promise.all([
      listVersions(db, form),
      listButtons(db, form.id),
      db.query<{ reason: string; count: number }>(
        `SELECT reason, sum(count)::bigint AS count FROM feedback_blocked WHERE form_id = $1 AND day > (now() AT TIME ZONE 'Europe/Paris')::date - 30 GROUP BY reason ORDER BY reason`,
        [form.id],
      ),
      loadAlertSettings(deps, user.id, form.id),
    ]);
    const current = versions.find((v) => v.status === 'draft') ?? versions.find((v) => v.status === 'published');
    const status = extra.errors || extra.buttonErrors ? 400 : 200;
    return sendPage(
      request,
      reply,
      {
        title: form.name,
        breadcrumb: [{ label: 'Avis usagers', href: '/avis' }, { label: form.name }],
        content: formPage({
          form,
          versions,
          buttons,
          draftSettings: extra.draft ?? current?.settings ?? normaliseSettings(form.template, {}),
          canEdit: canEditProcedure(user, form.place),
          isAdmin: isAdmin(user),
          csrf: reply.generateCsrf(),
          publicUrl: config.publicUrl,
          errors: extra.errors,
          buttonErrors: extra.buttonErrors,
          buttonValues: extra.buttonValues,
          blocked: blocked.rows.map((r) => ({ reason: r.reason, count: Number(r.count) })),
          alerts: alertsForm(form.id, alertSettings, reply.generateCsrf()),
        }),
      },
      status,
    );
  }

  app.get('/avis', MEMBER, async (request, reply) => {
    const user = request.user!;
    return listPage(request, reply, user);
  });

  app.post('/avis/formulaires', { ...MEMBER, schema: { body: formBody({}) } }, async (request, reply) => {
    const user = request.user!;
    const body = request.body;
    const values = { procedure_id: text(body.procedure_id), template: text(body.template), name: text(body.name) };
    const errors: FieldErrors = {};
    const procedureId = parseId(values.procedure_id);
    const editable = await editableProcedures(user);
    if (!procedureId) errors.procedure_id = 'Choisissez une démarche.';
    else if (!editable.some((p) => p.id === procedureId)) return forbidden(request, reply);
    if (!Object.hasOwn(TEMPLATE_LABELS, values.template)) errors.template = 'Choisissez un modèle de la liste.';
    if (!values.name) errors.name = 'Donnez un nom au formulaire.';
    else if (values.name.length > 200) errors.name = '200 caractères au maximum.';
    if (Object.keys(errors).length) return listPage(request, reply, user, errors, values);
    const id = await db.transaction(async (tx) => {
      const id = await insertForm(tx, { procedureId: procedureId!, template: values.template as TemplateId, name: values.name }, user.id);
      await audit(tx, {
        actor: user,
        action: 'feedback.form.create',
        entityType: 'feedback_form',
        entityId: id,
        after: values,
        ipHash: request.ipHash,
      });
      return id;
    });
    return redirectSeeOther(reply, `/avis/formulaires/${id}`);
  });

  app.get(
    '/avis/formulaires/:id',
    { ...inScope('procedure', 'read', 'id', 'form'), schema: { params: formParams } },
    async (request, reply) => {
      const ctx = await formOf(db, request, reply, request.params.id);
      if (!ctx) return reply;
      return showForm(request, reply, ctx.user, ctx.form);
    },
  );

  app.post(
    '/avis/formulaires/:id/brouillon',
    { ...inScope('procedure', 'edit', 'id', 'form'), schema: { params: formParams, body: formBody({}) } },
    async (request, reply) => {
      const ctx = await formOf(db, request, reply, request.params.id);
      if (!ctx) return reply;
      const { settings, errors } = readSettings(ctx.form, request.body);
      if (Object.keys(errors).length) return showForm(request, reply, ctx.user, ctx.form, { errors, draft: settings });
      await db.transaction(async (tx) => {
        const version = await saveDraft(tx, ctx.form.id, settings, ctx.user.id);
        await audit(tx, {
          actor: ctx.user,
          action: 'feedback.form.draft',
          entityType: 'feedback_form',
          entityId: ctx.form.id,
          after: { version, settings },
          ipHash: request.ipHash,
        });
      });
      return redirectSeeOther(reply, `/avis/formulaires/${ctx.form.id}`);
    },
  );

  app.post(
    '/avis/formulaires/:id/publier',
    { ...inScope('procedure', 'edit', 'id', 'form'), schema: { params: formParams, body: actionForm } },
    async (request, reply) => {
      const ctx = await formOf(db, request, reply, request.params.id);
      if (!ctx) return reply;
      await db.transaction(async (tx) => {
        const version = await publishDraft(tx, ctx.form.id);
        if (version !== null) {
          await audit(tx, {
            actor: ctx.user,
            action: 'feedback.form.publish',
            entityType: 'feedback_form',
            entityId: ctx.form.id,
            before: { version: ctx.form.publishedVersion },
            after: { version },
            ipHash: request.ipHash,
          });
        }
      });
      return redirectSeeOther(reply, `/avis/formulaires/${ctx.form.id}`);
    },
  );

  for (const [path, locked] of [
    ['verrouiller', true],
    ['deverrouiller', false],
  ] as const) {
    app.post(`/avis/formulaires/:id/${path}`, { ...STEERING, schema: { params: formParams, body: actionForm } }, async (request, reply) => {
      const ctx = await formOf(db, request, reply, request.params.id);
      if (!ctx) return reply;
      await db.transaction(async (tx) => {
        await tx.query('UPDATE feedback_forms SET locked = $2, updated_at = now() WHERE id = $1', [ctx.form.id, locked]);
        await audit(tx, {
          actor: ctx.user,
          action: locked ? 'feedback.form.lock' : 'feedback.form.unlock',
          entityType: 'feedback_form',
          entityId: ctx.form.id,
          before: { locked: ctx.form.locked },
          after: { locked },
          ipHash: request.ipHash,
        });
      });
      return redirectSeeOther(reply, `/avis/formulaires/${ctx.form.id}`);
    });
  }

  app.post(
    '/avis/formulaires/:id/boutons',
    { ...inScope('procedure', 'edit', 'id', 'form'), schema: { params: formParams, body: formBody({}) } },
    async (request, reply) => {
      const ctx = await formOf(db, request, reply, request.params.id);
      if (!ctx) return reply;
      const body = request.body;
      const values = { name: text(body.name), placement: text(body.placement) };
      const errors: FieldErrors = {};
      if (!values.name) errors.name = 'Donnez un nom au bouton.';
      else if (values.name.length > 100) errors.name = '100 caractères au maximum.';
      if (values.placement.length > 200) errors.placement = '200 caractères au maximum.';
      if (Object.keys(errors).length) return showForm(request, reply, ctx.user, ctx.form, { buttonErrors: errors, buttonValues: values });
      await db.transaction(async (tx) => {
        const button = await insertButton(tx, { formId: ctx.form.id, ...values, isTest: body.is_test === 'oui' });
        await audit(tx, {
          actor: ctx.user,
          action: 'feedback.button.create',
          entityType: 'feedback_button',
          entityId: button.id,
          after: { ...values, isTest: button.isTest, formId: ctx.form.id },
          ipHash: request.ipHash,
        });
      });
      return redirectSeeOther(reply, `/avis/formulaires/${ctx.form.id}#boutons`);
    },
  );

  const buttonActions = {
    fermer: { sql: 'closed_at = now()', action: 'feedback.button.close' },
    rouvrir: { sql: 'closed_at = NULL', action: 'feedback.button.reopen' },
    supprimer: { sql: 'deleted_at = now()', action: 'feedback.button.delete' },
  } as const;
  const buttonParams = notFoundParams('Ce bouton');
  for (const [path, change] of Object.entries(buttonActions)) {
    app.post(
      `/avis/boutons/:id/${path}`,
      { ...inScope('procedure', 'edit', 'id', 'button'), schema: { params: buttonParams, body: actionForm } },
      async (request, reply) => {
        const user = request.user!;
        const button = await getButton(db, request.params.id);
        const form = button && !button.deletedAt ? await getForm(db, button.formId) : null;
        if (!button || !form) return notFound(request, reply, 'Ce bouton');
        await db.transaction(async (tx) => {
          await tx.query(`UPDATE feedback_buttons SET ${change.sql} WHERE id = $1`, [button.id]);
          await audit(tx, {
            actor: user,
            action: change.action,
            entityType: 'feedback_button',
            entityId: button.id,
            before: { closed: !!button.closedAt },
            ipHash: request.ipHash,
          });
        });
        return redirectSeeOther(reply, `/avis/formulaires/${form.id}#boutons`);
      },
    );
  }
}
