import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { canManageMinistry, isAdmin } from '../../kernel/auth/scope.ts';
import { audit } from '../../kernel/audit/audit.ts';
import { redirectSeeOther, sendPage } from '../../kernel/web/render.ts';
import { formText, validateForm, type FieldErrors } from '../../kernel/web/forms.ts';
import { findCodeTaken, getAdministration, getMinistry, listAdministrations, listMinistries } from '../queries/organisations.ts';
import {
  administrationFormPage,
  administrationsPage,
  ministriesPage,
  ministryFormPage,
  type AdministrationFormValues,
  type MinistryFormValues,
} from '../views/organisations.ts';
import { ADMINISTRATION_KINDS } from '../model.ts';
import { forbidden, notFound } from './guard.ts';
import { idParam, idParamsOr404 } from '../../kernel/web/ids.ts';
import { actionForm, formTexts, noticeQuery, type ZodTypeProvider } from '../../kernel/web/schemas.ts';
import { MEMBER, STEERING, inScope } from '../../kernel/web/access.ts';

const code = z
  .string({ error: 'Le code est obligatoire.' })
  .trim()
  .min(1, 'Le code est obligatoire.')
  .max(50, '50 caractères au maximum.')
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'Le code ne peut contenir que des minuscules sans accent, des chiffres et des tirets simples.');

const ministrySchema = z.object({
  code,
  name: formText('Le nom est obligatoire.', 200),
  short_name: z
    .string()
    .trim()
    .max(100, '100 caractères au maximum.')
    .optional()
    .transform((v) => v || null),
});

const administrationSchema = z.object({
  code,
  name: formText('Le nom est obligatoire.', 200),
  kind: z.enum(ADMINISTRATION_KINDS, { error: 'Choisissez un type dans la liste.' }),
  ministry_id: z
    .string({ error: 'Choisissez un ministère.' })
    .regex(/^[1-9]\d{0,15}$/, 'Choisissez un ministère.')
    .transform(Number),
});

export async function organisationRoutes(instance: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  // Params and query validated by route schemas (zod): an id that is not one is a 404 before any lookup.
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const ministryId = { params: idParamsOr404('Page non trouvée', 'Ce ministère n’existe pas ou plus.') };
  const administrationId = { params: idParamsOr404('Page non trouvée', 'Cette administration n’existe pas ou plus.') };
  // Archive and restore: a form with only the CSRF token. The edit forms: every field as text, checked in the handler
  // (validateForm) so that their errors show beside the fields and in the DSFR summary.
  const archiveMinistry = { ...ministryId, body: actionForm };
  const archiveAdministration = { ...administrationId, body: actionForm };
  const savedQuery = { querystring: noticeQuery('enregistre') };
  const editMinistry = {
    params: z.object({ id: idParam('Ce ministère n’existe pas ou plus.', 'Page non trouvée').optional() }),
    body: formTexts,
  };
  const editAdministration = {
    params: z.object({ id: idParam('Cette administration n’existe pas ou plus.', 'Page non trouvée').optional() }),
    body: formTexts,
  };

  // Ministries: every back-office user reads them; only the steering team (admin) changes them.
  app.get('/catalogue/ministeres', { ...MEMBER, schema: savedQuery }, async (request, reply) => {
    const user = request.user!;
    return sendPage(request, reply, {
      title: 'Ministères',
      breadcrumb: [{ label: 'Catalogue', href: '/catalogue' }, { label: 'Ministères' }],
      notice: request.query.enregistre ? { type: 'success', text: 'Le ministère a été enregistré.' } : null,
      content: ministriesPage(await listMinistries(db), { canManage: isAdmin(user), csrfToken: reply.generateCsrf() }),
    });
  });

  const ministryForm = (
    request: any,
    reply: any,
    o: { id: number | null; values: MinistryFormValues; errors: FieldErrors },
    status = 200,
  ) => {
    const title = o.id ? 'Modifier un ministère' : 'Ajouter un ministère';
    return sendPage(
      request,
      reply,
      {
        title: Object.keys(o.errors).length ? `Erreur : ${title}` : title,
        breadcrumb: [{ label: 'Catalogue', href: '/catalogue' }, { label: 'Ministères', href: '/catalogue/ministeres' }, { label: title }],
        content: ministryFormPage({
          title,
          action: o.id ? `/catalogue/ministeres/${o.id}/modifier` : '/catalogue/ministeres/nouveau',
          values: o.values,
          errors: o.errors,
          csrfToken: reply.generateCsrf(),
        }),
      },
      status,
    );
  };

  app.get('/catalogue/ministeres/nouveau', STEERING, async (request, reply) => {
    const user = request.user!;
    return ministryForm(request, reply, { id: null, values: {}, errors: {} });
  });

  app.get('/catalogue/ministeres/:id/modifier', { ...STEERING, schema: ministryId }, async (request, reply) => {
    const user = request.user!;
    const ministry = await getMinistry(db, request.params.id);
    if (!ministry) return notFound(request, reply, 'Ce ministère');
    return ministryForm(request, reply, {
      id: ministry.id,
      values: { code: ministry.code, name: ministry.name, short_name: ministry.short_name ?? '' },
      errors: {},
    });
  });

  for (const path of ['/catalogue/ministeres/nouveau', '/catalogue/ministeres/:id/modifier']) {
    app.post(path, { ...STEERING, schema: editMinistry }, async (request, reply) => {
      const user = request.user!;
      const { id } = request.params;
      const existing = id ? await getMinistry(db, id) : null;
      if (id && !existing) return notFound(request, reply, 'Ce ministère');
      const body = request.body;
      const values: MinistryFormValues = { code: body.code, name: body.name, short_name: body.short_name };
      const result = validateForm(ministrySchema, values);
      const errors: FieldErrors = result.ok ? {} : result.errors;
      if (result.ok && (await findCodeTaken(db, 'ministries', result.data.code, existing?.id ?? null)))
        errors.code = 'Ce code est déjà utilisé par un autre ministère.';
      if (!result.ok || Object.keys(errors).length) return ministryForm(request, reply, { id: existing?.id ?? null, values, errors }, 400);
      const data = result.data;
      await db.transaction(async (tx) => {
        if (existing) {
          await tx.query('UPDATE ministries SET code = $1, name = $2, short_name = $3, updated_at = now() WHERE id = $4', [
            data.code,
            data.name,
            data.short_name,
            existing.id,
          ]);
          await audit(tx, {
            actor: user,
            action: 'ministry.update',
            entityType: 'ministry',
            entityId: existing.id,
            before: { code: existing.code, name: existing.name, shortName: existing.short_name },
            after: { code: data.code, name: data.name, shortName: data.short_name },
            ipHash: request.ipHash,
          });
        } else {
          const { rows } = await tx.query<{ id: number }>(
            'INSERT INTO ministries (code, name, short_name) VALUES ($1, $2, $3) RETURNING id',
            [data.code, data.name, data.short_name],
          );
          await audit(tx, {
            actor: user,
            action: 'ministry.create',
            entityType: 'ministry',
            entityId: rows[0].id,
            after: { code: data.code, name: data.name, shortName: data.short_name },
            ipHash: request.ipHash,
          });
        }
      });
      return redirectSeeOther(reply, '/catalogue/ministeres?enregistre=1');
    });
  }

  for (const [path, archived] of [
    ['archiver', true],
    ['restaurer', false],
  ] as const) {
    app.post(`/catalogue/ministeres/:id/${path}`, { ...STEERING, schema: archiveMinistry }, async (request, reply) => {
      const user = request.user!;
      const ministry = await getMinistry(db, request.params.id);
      if (!ministry) return notFound(request, reply, 'Ce ministère');
      if ((ministry.archived_at !== null) !== archived) {
        await db.transaction(async (tx) => {
          await tx.query(`UPDATE ministries SET archived_at = ${archived ? 'now()' : 'NULL'}, updated_at = now() WHERE id = $1`, [
            ministry.id,
          ]);
          await audit(tx, {
            actor: user,
            action: archived ? 'ministry.archive' : 'ministry.restore',
            entityType: 'ministry',
            entityId: ministry.id,
            before: { archived: !archived },
            after: { archived },
            ipHash: request.ipHash,
          });
        });
      }
      return redirectSeeOther(reply, '/catalogue/ministeres?enregistre=1');
    });
  }

  // Administrations: the admin and the referent of their ministry change them.
  app.get('/catalogue/administrations', { ...MEMBER, schema: savedQuery }, async (request, reply) => {
    const user = request.user!;
    const [rows, ministries] = await Promise.all([listAdministrations(db), listMinistries(db)]);
    return sendPage(request, reply, {
      title: 'Administrations',
      breadcrumb: [{ label: 'Catalogue', href: '/catalogue' }, { label: 'Administrations' }],
      notice: request.query.enregistre ? { type: 'success', text: 'L’administration a été enregistrée.' } : null,
      content: administrationsPage(rows, {
        canManage: (a) => canManageMinistry(user, Number(a.ministry_id)),
        canCreate: ministries.some((m) => canManageMinistry(user, Number(m.id))),
        csrfToken: reply.generateCsrf(),
      }),
    });
  });

  const administrationForm = async (
    request: any,
    reply: any,
    o: { id: number | null; values: AdministrationFormValues; errors: FieldErrors; keepMinistry?: number },
    status = 200,
  ) => {
    const user = request.user;
    const ministries = (await listMinistries(db)).filter((m) => Number(m.id) === o.keepMinistry || canManageMinistry(user, Number(m.id)));
    const title = o.id ? 'Modifier une administration' : 'Ajouter une administration';
    return sendPage(
      request,
      reply,
      {
        title: Object.keys(o.errors).length ? `Erreur : ${title}` : title,
        breadcrumb: [
          { label: 'Catalogue', href: '/catalogue' },
          { label: 'Administrations', href: '/catalogue/administrations' },
          { label: title },
        ],
        content: administrationFormPage({
          title,
          action: o.id ? `/catalogue/administrations/${o.id}/modifier` : '/catalogue/administrations/nouvelle',
          values: o.values,
          errors: o.errors,
          ministries: ministries.map((m) => ({ id: Number(m.id), name: m.name })),
          csrfToken: reply.generateCsrf(),
        }),
      },
      status,
    );
  };

  app.get('/catalogue/administrations/nouvelle', MEMBER, async (request, reply) => {
    const user = request.user!;
    const ministries = (await listMinistries(db)).filter((m) => canManageMinistry(user, Number(m.id)));
    if (!ministries.length) return forbidden(request, reply);
    return administrationForm(request, reply, {
      id: null,
      values: { ministry_id: ministries.length === 1 ? String(ministries[0].id) : '' },
      errors: {},
    });
  });

  app.get(
    '/catalogue/administrations/:id/modifier',
    { ...inScope('ministry', 'edit', 'id', 'administration'), schema: administrationId },
    async (request, reply) => {
      const user = request.user!;
      const administration = await getAdministration(db, request.params.id);
      if (!administration) return notFound(request, reply, 'Cette administration');
      return administrationForm(request, reply, {
        id: administration.id,
        values: {
          code: administration.code,
          name: administration.name,
          kind: administration.kind,
          ministry_id: String(administration.ministry_id),
        },
        errors: {},
        keepMinistry: Number(administration.ministry_id),
      });
    },
  );

  for (const path of ['/catalogue/administrations/nouvelle', '/catalogue/administrations/:id/modifier']) {
    // A new administration: any member, the ministry chosen in the form is checked below; a change: its ministry's.
    app.post(
      path,
      { ...(path.includes(':id') ? inScope('ministry', 'edit', 'id', 'administration') : MEMBER), schema: editAdministration },
      async (request, reply) => {
        const user = request.user!;
        const { id } = request.params;
        const existing = id ? await getAdministration(db, id) : null;
        if (id && !existing) return notFound(request, reply, 'Cette administration');
        if (existing && !canManageMinistry(user, Number(existing.ministry_id))) return forbidden(request, reply);
        const body = request.body;
        const values: AdministrationFormValues = { code: body.code, name: body.name, kind: body.kind, ministry_id: body.ministry_id };
        const result = validateForm(administrationSchema, values);
        const errors: FieldErrors = result.ok ? {} : result.errors;
        if (result.ok) {
          const ministry = await getMinistry(db, result.data.ministry_id);
          if (!ministry) errors.ministry_id = 'Choisissez un ministère dans la liste.';
          else if (!canManageMinistry(user, Number(ministry.id))) return forbidden(request, reply);
          if (await findCodeTaken(db, 'administrations', result.data.code, existing?.id ?? null))
            errors.code = 'Ce code est déjà utilisé par une autre administration.';
        } else if (!existing && !(await listMinistries(db)).some((m) => canManageMinistry(user, Number(m.id)))) {
          return forbidden(request, reply);
        }
        const keepMinistry = existing ? Number(existing.ministry_id) : undefined;
        if (!result.ok || Object.keys(errors).length)
          return administrationForm(request, reply, { id: existing?.id ?? null, values, errors, keepMinistry }, 400);
        const data = result.data;
        const after = { code: data.code, name: data.name, kind: data.kind, ministryId: data.ministry_id };
        await db.transaction(async (tx) => {
          if (existing) {
            await tx.query(
              'UPDATE administrations SET code = $1, name = $2, kind = $3, ministry_id = $4, updated_at = now() WHERE id = $5',
              [data.code, data.name, data.kind, data.ministry_id, existing.id],
            );
            await audit(tx, {
              actor: user,
              action: 'administration.update',
              entityType: 'administration',
              entityId: existing.id,
              before: { code: existing.code, name: existing.name, kind: existing.kind, ministryId: Number(existing.ministry_id) },
              after,
              ipHash: request.ipHash,
            });
          } else {
            const { rows } = await tx.query<{ id: number }>(
              'INSERT INTO administrations (code, name, kind, ministry_id) VALUES ($1, $2, $3, $4) RETURNING id',
              [data.code, data.name, data.kind, data.ministry_id],
            );
            await audit(tx, {
              actor: user,
              action: 'administration.create',
              entityType: 'administration',
              entityId: rows[0].id,
              after,
              ipHash: request.ipHash,
            });
          }
        });
        return redirectSeeOther(reply, '/catalogue/administrations?enregistre=1');
      },
    );
  }

  for (const [path, archived] of [
    ['archiver', true],
    ['restaurer', false],
  ] as const) {
    app.post(
      `/catalogue/administrations/:id/${path}`,
      { ...inScope('ministry', 'edit', 'id', 'administration'), schema: archiveAdministration },
      async (request, reply) => {
        const user = request.user!;
        const administration = await getAdministration(db, request.params.id);
        if (!administration) return notFound(request, reply, 'Cette administration');
        if ((administration.archived_at !== null) !== archived) {
          await db.transaction(async (tx) => {
            await tx.query(`UPDATE administrations SET archived_at = ${archived ? 'now()' : 'NULL'}, updated_at = now() WHERE id = $1`, [
              administration.id,
            ]);
            await audit(tx, {
              actor: user,
              action: archived ? 'administration.archive' : 'administration.restore',
              entityType: 'administration',
              entityId: administration.id,
              before: { archived: !archived },
              after: { archived },
              ipHash: request.ipHash,
            });
          });
        }
        return redirectSeeOther(reply, '/catalogue/administrations?enregistre=1');
      },
    );
  }
}
