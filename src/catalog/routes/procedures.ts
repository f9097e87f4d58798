import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../kernel/web/deps.ts';
import type { Queryable } from '../../kernel/db/db.ts';
import { canEditProcedure, canManageAdministration, type CurrentUser } from '../../kernel/auth/scope.ts';
import { audit } from '../../kernel/audit/audit.ts';
import { redirectSeeOther, sendPage } from '../../kernel/web/render.ts';
import type { FieldErrors } from '../../kernel/web/forms.ts';
import { catalogFiltersQuery } from '../filters.ts';
import { z } from 'zod';
import { idParamsOr404 } from '../../kernel/web/ids.ts';
import { actionForm, formBody, noticeQuery, type ZodTypeProvider } from '../../kernel/web/schemas.ts';
import {
  findConflicts,
  getProcedure,
  insertProcedure,
  listProcedures,
  procedureHistory,
  procedurePlace,
  procedureSnapshot,
  rowToInput,
  rowToRaw,
  setProcedureArchived,
  updateProcedure,
  type ProcedureRow,
} from '../queries/procedures.ts';
import { procedureListPage } from '../views/procedure-list.ts';
import { procedureDetailPage } from '../views/procedure-detail.ts';
import { procedureFormPage, readProcedureForm, withEmptyRows, type ProcedureFormValues } from '../views/procedure-form.ts';
import { validateProcedure } from '../validation.ts';
import type { ProcedureInput } from '../model.ts';
import { forbidden, notFound, parseId } from './guard.ts';
import { MEMBER, inScope } from '../../kernel/web/access.ts';

interface AdministrationChoice {
  id: number;
  name: string;
  archived: boolean;
  ministryId: number;
  ministryName: string;
}

async function administrationChoices(db: Queryable): Promise<AdministrationChoice[]> {
  const { rows } = await db.query<{ id: number; name: string; ministry_id: number; ministry_name: string; archived: boolean }>(
    `SELECT a.id, a.name, a.ministry_id, m.name AS ministry_name, a.archived_at IS NOT NULL AS archived
       FROM administrations a JOIN ministries m ON m.id = a.ministry_id ORDER BY search_text(m.name), search_text(a.name)`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    ministryId: Number(r.ministry_id),
    ministryName: r.ministry_name,
    archived: r.archived,
  }));
}

/** Administrations offered in the form: active ones the user manages, and the procedure's own when editing. */
function manageable(user: CurrentUser, choices: AdministrationChoice[], keepId?: number): AdministrationChoice[] {
  return choices.filter((a) => a.id === keepId || (!a.archived && canManageAdministration(user, a.id, a.ministryId)));
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === '23505';
}

export async function procedureRoutes(instance: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  // Params, query and the form's action validated by route schemas (zod); the form's fields by validateProcedure.
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const procedureId = idParamsOr404('Page non trouvée', 'Cette démarche n’existe pas ou plus.');
  const formAction = formBody({
    _action: z.enum(['ajouter-canal'], { error: 'Action de formulaire inconnue. Rien n’a été enregistré.' }).optional(),
  });

  app.get('/catalogue', { ...MEMBER, schema: { querystring: catalogFiltersQuery } }, async (request, reply) => {
    const user = request.user!;
    const filters = request.query;
    // Three queries besides the session's: the active administrations of the filter also tell whether the user may
    // add a procedure (one they manage), without reading every administration again (src/catalog/routes/procedures.test.ts).
    const [{ rows, total }, ministries, administrations] = await Promise.all([
      listProcedures(db, user, filters),
      db.query<{ code: string; name: string }>('SELECT code, name FROM ministries WHERE archived_at IS NULL ORDER BY search_text(name)'),
      db.query<{ id: number; code: string; name: string; ministry_id: number }>(
        'SELECT id, code, name, ministry_id FROM administrations WHERE archived_at IS NULL ORDER BY search_text(name)',
      ),
    ]);
    return sendPage(request, reply, {
      title: filters.page > 1 ? `Catalogue des démarches (page ${filters.page})` : 'Catalogue des démarches',
      breadcrumb: [{ label: 'Catalogue' }],
      content: procedureListPage({
        filters,
        rows,
        total,
        ministries: ministries.rows,
        administrations: administrations.rows,
        canCreate: administrations.rows.some((a) => canManageAdministration(user, Number(a.id), Number(a.ministry_id))),
      }),
    });
  });

  const renderForm = (
    request: FastifyRequest,
    reply: FastifyReply,
    o: { existing: ProcedureRow | null; values: ProcedureFormValues; errors: FieldErrors; choices: AdministrationChoice[] },
    status = 200,
  ) => {
    const title = o.existing ? `Modifier « ${o.existing.title} »` : 'Ajouter une démarche';
    const base = o.existing ? `/catalogue/demarches/${o.existing.id}` : '/catalogue/demarches/nouvelle';
    return sendPage(
      request,
      reply,
      {
        title: Object.keys(o.errors).length ? `Erreur : ${title}` : title,
        breadcrumb: [
          { label: 'Catalogue', href: '/catalogue' },
          ...(o.existing ? [{ label: o.existing.title, href: base }] : []),
          { label: o.existing ? 'Modifier' : 'Ajouter une démarche' },
        ],
        content: procedureFormPage({
          action: o.existing ? `${base}/modifier` : base,
          title,
          values: o.values,
          errors: o.errors,
          administrations: o.choices,
          csrfToken: reply.generateCsrf(),
          cancelHref: o.existing ? base : '/catalogue',
          stableIdLocked: !!o.existing,
        }),
      },
      status,
    );
  };

  /** Validates the form and checks scope and uniqueness; writes nothing. */
  async function checkForm(user: CurrentUser, values: ProcedureFormValues, choices: AdministrationChoice[], existing: ProcedureRow | null) {
    const result = validateProcedure(values);
    const errors: FieldErrors = result.ok ? {} : { ...result.errors };
    const administrationId = parseId(values.administration_id);
    const administration = choices.find((a) => a.id === administrationId);
    let outOfScope = false;
    const isCurrent = administration?.id === Number(existing?.administration_id);
    if (!administration || (administration.archived && !isCurrent))
      errors.administration_id = 'Choisissez une administration dans la liste.';
    else if (
      administration.id !== Number(existing?.administration_id) &&
      !canManageAdministration(user, administration.id, administration.ministryId)
    ) {
      outOfScope = true;
    }
    if (result.ok) {
      const conflicts = await findConflicts(db, result.data.stableId, result.data.slug, existing ? Number(existing.id) : null);
      if (conflicts.stableId) errors.stable_id = 'Cet identifiant stable est déjà utilisé par une autre démarche.';
      if (conflicts.slug) errors.slug = 'Ce slug est déjà utilisé par une autre démarche : choisissez-en un autre.';
    }
    const input: ProcedureInput | null = result.ok && administration ? { ...result.data, administrationId: administration.id } : null;
    return { errors, input, outOfScope };
  }

  app.get('/catalogue/demarches/nouvelle', MEMBER, async (request, reply) => {
    const user = request.user!;
    const choices = manageable(user, await administrationChoices(db));
    if (!choices.length) return forbidden(request, reply);
    const values: ProcedureFormValues = { help_channels: withEmptyRows([], 2), online_status: 'non', franceconnect: 'non' };
    if (choices.length === 1) values.administration_id = String(choices[0].id);
    return renderForm(request, reply, { existing: null, values, errors: {}, choices });
  });

  app.post('/catalogue/demarches/nouvelle', { ...MEMBER, schema: { body: formAction } }, async (request, reply) => {
    const user = request.user!;
    const all = await administrationChoices(db);
    const choices = manageable(user, all);
    if (!choices.length) return forbidden(request, reply);
    const values = readProcedureForm(request.body);
    const addRow = request.body._action === 'ajouter-canal';
    values.help_channels = withEmptyRows(values.help_channels ?? [], addRow ? 2 : 1);
    if (addRow) return renderForm(request, reply, { existing: null, values, errors: {}, choices });
    const { errors, input, outOfScope } = await checkForm(user, values, all, null);
    if (outOfScope) return forbidden(request, reply);
    if (Object.keys(errors).length || !input) return renderForm(request, reply, { existing: null, values, errors, choices }, 400);
    try {
      const id = await db.transaction(async (tx) => {
        const newId = await insertProcedure(tx, input);
        await audit(tx, {
          actor: user,
          action: 'procedure.create',
          entityType: 'procedure',
          entityId: newId,
          after: procedureSnapshot(input),
          ipHash: request.ipHash,
        });
        return newId;
      });
      return redirectSeeOther(reply, `/catalogue/demarches/${id}?cree=1`);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return renderForm(
        request,
        reply,
        {
          existing: null,
          values,
          errors: { stable_id: 'Cet identifiant stable ou ce slug vient d’être utilisé par une autre démarche.' },
          choices,
        },
        400,
      );
    }
  });

  /** The procedure of the URL (its id checked by the route schema), or null once the 404 is sent. */
  async function loadProcedure(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
  ): Promise<{ user: CurrentUser; procedure: ProcedureRow } | null> {
    const user = request.user!;
    const procedure = await getProcedure(db, id);
    if (!procedure) {
      notFound(request, reply);
      return null;
    }
    // The route's declared access has checked the scope (read, edit or the administration's, as the route says).
    return { user, procedure };
  }

  app.get(
    '/catalogue/demarches/:id',
    {
      ...inScope('procedure', 'read'),
      schema: { params: procedureId, querystring: noticeQuery('cree', 'modifie', 'archive', 'restaure') },
    },
    async (request, reply) => {
      const loaded = await loadProcedure(request, reply, request.params.id);
      if (!loaded) return reply;
      const { user, procedure } = loaded;
      const query = request.query;
      const notice = query.cree
        ? 'La démarche a été ajoutée.'
        : query.modifie
          ? 'Les modifications ont été enregistrées.'
          : query.archive
            ? 'La démarche a été archivée.'
            : query.restaure
              ? 'La démarche a été restaurée.'
              : null;
      return sendPage(request, reply, {
        title: procedure.title,
        breadcrumb: [{ label: 'Catalogue', href: '/catalogue' }, { label: procedure.title }],
        notice: notice ? { type: 'success', text: notice } : null,
        content: procedureDetailPage(procedure, {
          canEdit: canEditProcedure(user, procedurePlace(procedure)),
          canArchive: canManageAdministration(user, Number(procedure.administration_id), Number(procedure.ministry_id)),
          csrfToken: reply.generateCsrf(),
          history: await procedureHistory(db, Number(procedure.id)),
        }),
      });
    },
  );

  app.get(
    '/catalogue/demarches/:id/modifier',
    { ...inScope('procedure', 'edit'), schema: { params: procedureId } },
    async (request, reply) => {
      const loaded = await loadProcedure(request, reply, request.params.id);
      if (!loaded) return reply;
      const { user, procedure } = loaded;
      const choices = manageable(user, await administrationChoices(db), Number(procedure.administration_id));
      const values: ProcedureFormValues = { ...rowToRaw(procedure), administration_id: String(procedure.administration_id) };
      values.help_channels = withEmptyRows(values.help_channels ?? [], 1);
      return renderForm(request, reply, { existing: procedure, values, errors: {}, choices });
    },
  );

  app.post(
    '/catalogue/demarches/:id/modifier',
    { ...inScope('procedure', 'edit'), schema: { params: procedureId, body: formAction } },
    async (request, reply) => {
      const loaded = await loadProcedure(request, reply, request.params.id);
      if (!loaded) return reply;
      const { user, procedure } = loaded;
      const all = await administrationChoices(db);
      const choices = manageable(user, all, Number(procedure.administration_id));
      const values = readProcedureForm(request.body);
      values.stable_id = procedure.stable_id; // the stable id never changes once created
      const addRow = request.body._action === 'ajouter-canal';
      values.help_channels = withEmptyRows(values.help_channels ?? [], addRow ? 2 : 1);
      if (addRow) return renderForm(request, reply, { existing: procedure, values, errors: {}, choices });
      const { errors, input, outOfScope } = await checkForm(user, values, all, procedure);
      if (outOfScope) return forbidden(request, reply);
      if (Object.keys(errors).length || !input) return renderForm(request, reply, { existing: procedure, values, errors, choices }, 400);
      try {
        await db.transaction(async (tx) => {
          await updateProcedure(tx, Number(procedure.id), input);
          await audit(tx, {
            actor: user,
            action: 'procedure.update',
            entityType: 'procedure',
            entityId: procedure.id,
            before: procedureSnapshot(rowToInput(procedure)),
            after: procedureSnapshot(input),
            ipHash: request.ipHash,
          });
        });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        return renderForm(
          request,
          reply,
          { existing: procedure, values, errors: { slug: 'Ce slug vient d’être utilisé par une autre démarche.' }, choices },
          400,
        );
      }
      return redirectSeeOther(reply, `/catalogue/demarches/${procedure.id}?modifie=1`);
    },
  );

  for (const [path, archived] of [
    ['archiver', true],
    ['restaurer', false],
  ] as const) {
    app.post(
      `/catalogue/demarches/:id/${path}`,
      { ...inScope('administration', 'edit', 'id', 'procedure'), schema: { params: procedureId, body: actionForm } },
      async (request, reply) => {
        const loaded = await loadProcedure(request, reply, request.params.id);
        if (!loaded) return reply;
        const { user, procedure } = loaded;
        if ((procedure.archived_at !== null) !== archived) {
          await db.transaction(async (tx) => {
            await setProcedureArchived(tx, Number(procedure.id), archived);
            await audit(tx, {
              actor: user,
              action: archived ? 'procedure.archive' : 'procedure.restore',
              entityType: 'procedure',
              entityId: procedure.id,
              before: { archived: !archived },
              after: { archived },
              ipHash: request.ipHash,
            });
          });
        }
        return redirectSeeOther(reply, `/catalogue/demarches/${procedure.id}?${archived ? 'archive' : 'restaure'}=1`);
      },
    );
  }
}
