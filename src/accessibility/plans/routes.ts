import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { inScope, MEMBER, PUBLIC } from '../../kernel/web/access.ts';
import { redirectSeeOther, sendErrorPage, sendPage } from '../../kernel/web/render.ts';
import { todayInParis } from '../../kernel/web/format.ts';
import { html } from '../../kernel/web/html.ts';
import { errorSummary } from '../../kernel/web/forms.ts';
import { idParam, idParams, parseId, queryId } from '../../kernel/web/ids.ts';
import { formBody, pageParam, type ZodTypeProvider } from '../../kernel/web/schemas.ts';
import { z } from 'zod';
import { isAdmin } from '../../kernel/auth/scope.ts';
import { bodyText } from '../declarations/routes.ts';
import { procedureFacts } from '../declarations/queries.ts';
import {
  ACTION_KINDS,
  ACTION_STATUSES,
  addAction,
  addMilestone,
  createPlan,
  getPlan,
  orgDashboard,
  orgName,
  planActions,
  plansOf,
  publishedPlans,
  roadmaps,
  setRoadmap,
  updateAction,
  updateActionStatus,
  updateMilestone,
  updateMilestoneStatus,
  type ActionInput,
  type ActionKind,
  type ActionStatus,
  type Org,
  type Plan,
  type PlanAction,
} from './queries.ts';
import {
  actionEditPage,
  dashboardView,
  milestoneEditPage,
  planForms,
  publicPlanPage,
  publicYearPage,
  roadmapPage,
  type ActionFormValues,
  type MilestoneFormValues,
} from './views.ts';

const isDate = (s: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
const isKind = (s: string): s is ActionKind => Object.hasOwn(ACTION_KINDS, s);
const isStatus = (s: string): s is ActionStatus => Object.hasOwn(ACTION_STATUSES, s);

export async function planRoutes(instance: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  // The URL's ids, the queries and the forms' bodies by route schemas; the fields checked below, messages beside them.
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const planParams = z.object({ id: idParam('Ce plan n’existe pas ou n’est pas publié.', 'Plan introuvable') });
  const yearParams = z.object({ id: idParam('Ce plan annuel n’existe pas ou n’est pas publié.', 'Plan introuvable'), n: z.string() });
  const orgQuery = z.looseObject({ page: pageParam, action: queryId });
  const roadmapQuery = z.looseObject({ jalon: queryId });

  // ——— Public plans ———
  app.get('/plans-accessibilite', PUBLIC, async (request, reply) => {
    const plans = await publishedPlans(db);
    const { rows: declarations } = await db.query(
      `SELECT p.stable_id, p.title FROM accessibility_declarations d JOIN procedures p ON p.id = d.procedure_id WHERE d.published IS NOT NULL ORDER BY p.title`,
    );
    return sendPage(request, reply, {
      title: 'Plans de mise en accessibilité',
      breadcrumb: [{ label: 'Plans de mise en accessibilité' }],
      content: html`<h1>Plans de mise en accessibilité</h1>
${plans.length ? html`<ul>${plans.map((p) => html`<li><a href="/plans-accessibilite/${p.id}">${p.title}</a> (${p.orgName}, ${p.startYear}–${p.endYear})</li>`)}</ul>` : html`<p>Aucun plan publié.</p>`}
<h2>Déclarations d’accessibilité publiées dans Vigie</h2>
${declarations.length ? html`<ul>${declarations.map((d) => html`<li><a href="/declarations-accessibilite/${encodeURIComponent(d.stable_id)}">${d.title}</a></li>`)}</ul>` : html`<p>Aucune déclaration publiée.</p>`}`,
    });
  });

  const publishedPlan = async (planId: number) => {
    const plan = await getPlan(db, planId);
    return plan && plan.publishedAt ? plan : null;
  };

  app.get('/plans-accessibilite/:id', { ...PUBLIC, schema: { params: planParams } }, async (request, reply) => {
    const plan = await publishedPlan(request.params.id);
    if (!plan) return sendErrorPage(request, reply, 404, 'Plan introuvable', 'Ce plan n’existe pas ou n’est pas publié.');
    return sendPage(request, reply, {
      title: plan.title,
      breadcrumb: [{ label: 'Plans de mise en accessibilité', href: '/plans-accessibilite' }, { label: plan.title }],
      content: publicPlanPage(plan, await planActions(db, plan.id)),
    });
  });

  app.get('/plans-accessibilite/:id/plan-annuel/:n', { ...PUBLIC, schema: { params: yearParams } }, async (request, reply) => {
    const plan = await publishedPlan(request.params.id);
    const year = /^\d{4}$/.test(request.params.n) ? Number(request.params.n) : NaN;
    if (!plan || !(year >= plan.startYear && year <= plan.endYear))
      return sendErrorPage(request, reply, 404, 'Plan introuvable', 'Ce plan annuel n’existe pas ou n’est pas publié.');
    return sendPage(request, reply, {
      title: `Plan d’action ${year} – ${plan.orgName}`,
      breadcrumb: [
        { label: 'Plans de mise en accessibilité', href: '/plans-accessibilite' },
        { label: plan.title, href: `/plans-accessibilite/${plan.id}` },
        { label: String(year) },
      ],
      content: publicYearPage(plan, year, await planActions(db, plan.id)),
    });
  });

  // ——— Back-office: the organisations of the user ———
  app.get('/rgaa', MEMBER, async (request, reply) => {
    const user = request.user!;
    const admin = isAdmin(user);
    const ministryIds = user.grants.filter((g) => g.role === 'ministry_referent').map((g) => g.ministryId);
    const administrationIds = user.grants.filter((g) => g.role === 'administration_member').map((g) => g.administrationId);
    const { rows: ministries } = await db.query(`SELECT id, name FROM ministries WHERE $1 OR id = ANY($2::bigint[]) ORDER BY name`, [
      admin,
      ministryIds,
    ]);
    const { rows: administrations } = await db.query(
      `SELECT id, name FROM administrations WHERE $1 OR id = ANY($2::bigint[]) OR ministry_id = ANY($3::bigint[]) ORDER BY name`,
      [admin, administrationIds, ministryIds],
    );
    const procedureIds = user.grants.filter((g) => g.role === 'procedure_editor').map((g) => g.procedureId);
    const { rows: procedures } = await db.query(`SELECT id, title FROM procedures WHERE id = ANY($1::bigint[]) ORDER BY title`, [
      procedureIds,
    ]);
    return sendPage(request, reply, {
      title: 'Plans d’accessibilité',
      breadcrumb: [{ label: 'Plans d’accessibilité' }],
      content: html`<h1>Plans et feuilles de route d’accessibilité</h1>
<p><a href="/plans-accessibilite">Plans publiés</a>${admin ? html` · <a href="/rgaa/regles">Règles de validité et objectifs</a>` : ''}</p>
${ministries.length ? html`<h2>Ministères</h2><ul>${ministries.map((m) => html`<li><a href="/rgaa/ministeres/${m.id}">${m.name}</a></li>`)}</ul>` : ''}
${administrations.length ? html`<h2>Administrations</h2><ul>${administrations.map((a) => html`<li><a href="/rgaa/administrations/${a.id}">${a.name}</a></li>`)}</ul>` : ''}
${procedures.length ? html`<h2>Mes démarches</h2><ul>${procedures.map((p) => html`<li><a href="/rgaa/demarches/${p.id}/feuille-de-route">${p.title}</a></li>`)}</ul>` : ''}
${!ministries.length && !administrations.length && !procedures.length ? html`<p>Aucune démarche, administration ou ministère que vous puissiez modifier.</p>` : ''}`,
    });
  });

  // ——— Dashboards and plans of a ministry or an administration ———
  for (const kind of ['ministry', 'administration'] as const) {
    const segment = kind === 'ministry' ? 'ministeres' : 'administrations';
    const SCOPE = { ...inScope(kind, 'edit', 'id'), schema: { params: idParams, querystring: orgQuery } };
    const SCOPE_FORM = { ...inScope(kind, 'edit', 'id'), schema: { params: idParams, querystring: orgQuery, body: formBody({}) } };
    const orgOf = (request: FastifyRequest): Org => ({
      kind,
      id: kind === 'ministry' ? request.place!.ministryId : request.place!.administrationId!,
    });

    const page = async (
      request: FastifyRequest<{ Querystring: z.output<typeof orgQuery> }>,
      reply: FastifyReply,
      errors: Record<string, string> = {},
      status = 200,
    ) => {
      const org = orgOf(request);
      const name = (await orgName(db, org)) ?? '';
      const today = todayInParis();
      const dashboard = await orgDashboard(db, org, today, request.query.page);
      const plans = await plansOf(db, org);
      const actionsByPlan = new Map<number, PlanAction[]>();
      for (const p of plans) actionsByPlan.set(p.id, await planActions(db, p.id));
      const base = `/rgaa/${segment}/${org.id}`;
      return sendPage(
        request,
        reply,
        {
          title: `Accessibilité – ${name}`,
          breadcrumb: [{ label: 'Plans d’accessibilité', href: '/rgaa' }, { label: name }],
          content: html`<h1>Accessibilité : ${name}</h1>
${errorSummary(errors)}
${dashboardView(`Périmètre : ${name}.`, dashboard, today, true, (n) => `${base}?page=${n}#feuilles-de-route`)}
${planForms(
  base,
  plans,
  reply.generateCsrf(),
  dashboard.procedures.map((p) => ({ id: p.id, title: p.title })),
  actionsByPlan,
)}`,
        },
        status,
      );
    };

    app.get(`/rgaa/${segment}/:id`, SCOPE, (request, reply) => page(request, reply));

    app.post(`/rgaa/${segment}/:id/plans`, SCOPE_FORM, async (request, reply) => {
      const title = bodyText(request, 'title');
      const start = Number(bodyText(request, 'start_year'));
      const end = Number(bodyText(request, 'end_year'));
      const errors: Record<string, string> = {};
      if (!title || title.length > 300) errors.title = 'Donnez un titre au schéma (300 caractères au plus).';
      if (!Number.isInteger(start) || start < 2000 || start > 2100) errors.start_year = 'Saisissez une année, par exemple 2026.';
      if (!Number.isInteger(end) || end < start || end - start > 2)
        errors.end_year = 'Le schéma dure trois ans au plus : la dernière année est entre la première et la première + 2.';
      const policy = bodyText(request, 'policy');
      if (policy.length > 20_000) errors.policy = 'Le texte est limité à 20 000 caractères.';
      if (Object.keys(errors).length) return page(request, reply, errors, 400);
      const org = orgOf(request);
      await db.transaction((tx) =>
        createPlan(tx, {
          org,
          title,
          startYear: start,
          endYear: end,
          policy,
          publish: bodyText(request, 'publish') === 'oui',
          actor: request.user!,
        }),
      );
      return redirectSeeOther(reply, `/rgaa/${segment}/${org.id}`);
    });

    const planOfOrg = async (request: FastifyRequest) => {
      const id = parseId(bodyText(request, 'plan_id'));
      const plan = id === null ? null : await getPlan(db, id);
      const org = orgOf(request);
      return plan && plan.org.kind === org.kind && plan.org.id === org.id ? plan : null;
    };

    /** An action's fields from a form: the input, or the errors (in French) when any. */
    const actionFromForm = async (
      request: FastifyRequest,
      plan: Plan,
    ): Promise<{ input: ActionInput | null; errors: Record<string, string>; values: ActionFormValues }> => {
      const errors: Record<string, string> = {};
      const year = Number(bodyText(request, 'year'));
      const title = bodyText(request, 'title');
      const kind = bodyText(request, 'kind');
      const status = bodyText(request, 'status') || 'planned';
      const startsOn = bodyText(request, 'starts_on') || null;
      const dueOn = bodyText(request, 'due_on') || null;
      const procedureText = bodyText(request, 'procedure_id');
      const values: ActionFormValues = {
        year: bodyText(request, 'year'),
        title,
        kind,
        status,
        starts_on: startsOn ?? '',
        due_on: dueOn ?? '',
        procedure_id: procedureText,
        owner: bodyText(request, 'owner').slice(0, 300),
      };
      // A number from the list, or (large organisations) the procedure's identifier typed in.
      let procedureId = procedureText ? parseId(procedureText) : null;
      if (procedureText && procedureId === null) {
        const { rows } = await db.query<{ id: number }>('SELECT id FROM procedures WHERE stable_id = $1', [procedureText]);
        procedureId = rows[0] ? Number(rows[0].id) : null;
      }
      if (!Number.isInteger(year) || year < plan.startYear || year > plan.endYear)
        errors.year = `L’année doit être comprise entre ${plan.startYear} et ${plan.endYear}.`;
      if (!title || title.length > 300) errors.title = 'Donnez un intitulé à l’action (300 caractères au plus).';
      if (!isKind(kind)) errors.kind = 'Choisissez un type d’action.';
      if (!isStatus(status)) errors.status = 'Choisissez un statut.';
      if (startsOn && !isDate(startsOn)) errors.starts_on = 'Saisissez une date au format AAAA-MM-JJ.';
      if (dueOn && !isDate(dueOn)) errors.due_on = 'Saisissez une date au format AAAA-MM-JJ.';
      if (startsOn && dueOn && isDate(startsOn) && isDate(dueOn) && dueOn < startsOn)
        errors.due_on = 'L’échéance ne peut pas précéder le début.';
      if (procedureText) {
        const place = procedureId === null ? null : await procedureFacts(db, procedureId);
        const org = orgOf(request);
        if (!place || (org.kind === 'ministry' ? place.ministryId !== org.id : place.administrationId !== org.id))
          errors.procedure_id = 'Choisissez une démarche de cette organisation.';
      }
      if (Object.keys(errors).length) return { input: null, errors, values };
      return {
        input: {
          year,
          procedureId,
          kind: kind as ActionKind,
          title,
          owner: values.owner!,
          startsOn,
          dueOn,
          status: status as ActionStatus,
        },
        errors,
        values,
      };
    };

    app.post(`/rgaa/${segment}/:id/plans/actions`, SCOPE_FORM, async (request, reply) => {
      const plan = await planOfOrg(request);
      if (!plan) return page(request, reply, { plan_id: 'Ce plan n’appartient pas à cette organisation : rien n’a été enregistré.' }, 400);
      const { input, errors } = await actionFromForm(request, plan);
      if (!input) return page(request, reply, errors, 400);
      await db.transaction((tx) => addAction(tx, { planId: plan.id, ...input, actor: request.user! }));
      return redirectSeeOther(reply, `/rgaa/${segment}/${orgOf(request).id}`);
    });

    const actionForm = async (
      request: FastifyRequest,
      reply: FastifyReply,
      actionIdRaw: unknown,
      o: { values?: ActionFormValues; errors?: Record<string, string> } = {},
    ) => {
      const org = orgOf(request);
      const actionId = parseId(actionIdRaw);
      const { rows } =
        actionId === null
          ? { rows: [] }
          : await db.query<{ plan_id: number }>('SELECT plan_id FROM accessibility_plan_actions WHERE id = $1', [actionId]);
      const plan = rows[0] ? await getPlan(db, Number(rows[0].plan_id)) : null;
      if (!plan || plan.org.kind !== org.kind || plan.org.id !== org.id)
        return sendErrorPage(
          request,
          reply,
          404,
          'Action introuvable',
          'Cette action n’existe pas dans les plans de cette organisation. Rien n’a été modifié.',
        );
      const action = (await planActions(db, plan.id)).find((x) => x.id === actionId)!;
      const procedures = (await orgDashboard(db, org, todayInParis())).procedures.map((p) => ({ id: p.id, title: p.title }));
      const errors = o.errors ?? {};
      const failed = Object.keys(errors).length > 0;
      const base = `/rgaa/${segment}/${org.id}`;
      return sendPage(
        request,
        reply,
        {
          title: `${failed ? 'Erreur : ' : ''}Modifier l’action ${action.title}`,
          breadcrumb: [
            { label: 'Plans d’accessibilité', href: '/rgaa' },
            { label: (await orgName(db, org)) ?? '', href: base },
            { label: 'Modifier une action' },
          ],
          content: html`${actionEditPage({
            base,
            plan,
            action,
            errors,
            procedures,
            csrf: reply.generateCsrf(),
            values: o.values ?? {
              year: String(action.year),
              title: action.title,
              kind: action.kind,
              procedure_id: action.procedureId === null ? '' : String(action.procedureId),
              owner: action.owner,
              starts_on: action.startsOn ?? '',
              due_on: action.dueOn ?? '',
              status: action.status,
            },
          })}`,
        },
        failed ? 400 : 200,
      );
    };

    app.get(`/rgaa/${segment}/:id/plans/actions/modifier`, SCOPE, (request, reply) => actionForm(request, reply, request.query.action));

    app.post(`/rgaa/${segment}/:id/plans/actions/modifier`, SCOPE_FORM, async (request, reply) => {
      const plan = await planOfOrg(request);
      const actionId = parseId(bodyText(request, 'action_id'));
      if (!plan || actionId === null) return actionForm(request, reply, null);
      const { input, errors, values } = await actionFromForm(request, plan);
      if (!input) return actionForm(request, reply, actionId, { values, errors });
      const ok = await db.transaction((tx) => updateAction(tx, { planId: plan.id, actionId, ...input, actor: request.user! }));
      if (!ok) return actionForm(request, reply, null);
      return redirectSeeOther(reply, `/rgaa/${segment}/${orgOf(request).id}`);
    });

    app.post(`/rgaa/${segment}/:id/plans/actions/statut`, SCOPE_FORM, async (request, reply) => {
      const plan = await planOfOrg(request);
      const actionId = parseId(bodyText(request, 'action_id'));
      const status = bodyText(request, 'status');
      const result = bodyText(request, 'result');
      if (!plan || actionId === null || !isStatus(status) || result.length > 5000)
        return page(request, reply, { action_id: 'Choisissez une action de ce plan et un statut : rien n’a été enregistré.' }, 400);
      const ok = await db.transaction((tx) => updateActionStatus(tx, { planId: plan.id, actionId, status, result, actor: request.user! }));
      if (!ok) return page(request, reply, { action_id: 'Cette action n’appartient pas à ce plan : rien n’a été enregistré.' }, 400);
      return redirectSeeOther(reply, `/rgaa/${segment}/${orgOf(request).id}`);
    });
  }

  // ——— The roadmap of a procedure ———
  const EDIT = { ...inScope('procedure', 'edit', 'id'), schema: { params: idParams, querystring: roadmapQuery } };
  const EDIT_FORM = { ...inScope('procedure', 'edit', 'id'), schema: { params: idParams, querystring: roadmapQuery, body: formBody({}) } };
  const roadmapOf = async (request: FastifyRequest, reply: FastifyReply, errors: Record<string, string> = {}, status = 200) => {
    const procedureId = request.place!.procedureId!;
    const p = (await procedureFacts(db, procedureId))!;
    const today = todayInParis();
    const roadmap = (await roadmaps(db, [procedureId], today)).get(procedureId) ?? null;
    return sendPage(
      request,
      reply,
      {
        title: `Feuille de route d’accessibilité – ${p.title}`,
        breadcrumb: [{ label: 'Plans d’accessibilité', href: '/rgaa' }, { label: p.title }],
        content: html`${errorSummary(errors)}${roadmapPage({ id: p.id, title: p.title }, roadmap, today, reply.generateCsrf(), errors)}`,
      },
      status,
    );
  };
  app.get('/rgaa/demarches/:id/feuille-de-route', EDIT, (request, reply) => roadmapOf(request, reply));

  app.post('/rgaa/demarches/:id/feuille-de-route', EDIT_FORM, async (request, reply) => {
    const target = bodyText(request, 'target_on');
    const notes = bodyText(request, 'notes');
    if ((target && !isDate(target)) || notes.length > 5000)
      return roadmapOf(request, reply, { target_on: 'Saisissez une date au format AAAA-MM-JJ, par exemple 2027-06-30.' }, 400);
    await db.transaction((tx) =>
      setRoadmap(tx, { procedureId: request.place!.procedureId!, targetOn: target || null, notes, actor: request.user! }),
    );
    return redirectSeeOther(reply, `/rgaa/demarches/${request.place!.procedureId}/feuille-de-route`);
  });

  app.post('/rgaa/demarches/:id/feuille-de-route/jalons', EDIT_FORM, async (request, reply) => {
    const title = bodyText(request, 'title');
    const kind = bodyText(request, 'kind');
    const dueOn = bodyText(request, 'due_on');
    const status = bodyText(request, 'status') || 'planned';
    const errors: Record<string, string> = {};
    if (!title || title.length > 300) errors.title = 'Donnez un intitulé au jalon (300 caractères au plus).';
    if (!isDate(dueOn)) errors.due_on = 'Saisissez la date prévue au format AAAA-MM-JJ, par exemple 2027-03-31.';
    if (!isKind(kind)) errors.kind = 'Choisissez un type de jalon.';
    if (!isStatus(status)) errors.status = 'Choisissez un statut.';
    if (Object.keys(errors).length) return roadmapOf(request, reply, errors, 400);
    await db.transaction((tx) =>
      addMilestone(tx, {
        procedureId: request.place!.procedureId!,
        kind: kind as ActionKind,
        title,
        owner: bodyText(request, 'owner').slice(0, 300),
        dueOn,
        status: status as ActionStatus,
        doneOn: status === 'done' ? todayInParis() : null,
        actor: request.user!,
      }),
    );
    return redirectSeeOther(reply, `/rgaa/demarches/${request.place!.procedureId}/feuille-de-route`);
  });

  const milestoneForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    milestoneIdRaw: unknown,
    o: { values?: MilestoneFormValues; errors?: Record<string, string> } = {},
  ) => {
    const procedureId = request.place!.procedureId!;
    const p = (await procedureFacts(db, procedureId))!;
    const milestoneId = parseId(milestoneIdRaw);
    const milestone = (await roadmaps(db, [procedureId], todayInParis())).get(procedureId)?.milestones.find((m) => m.id === milestoneId);
    if (!milestone)
      return sendErrorPage(
        request,
        reply,
        404,
        'Jalon introuvable',
        'Ce jalon n’existe pas dans la feuille de route de cette démarche. Rien n’a été modifié.',
      );
    const errors = o.errors ?? {};
    const failed = Object.keys(errors).length > 0;
    return sendPage(
      request,
      reply,
      {
        title: `${failed ? 'Erreur : ' : ''}Modifier le jalon ${milestone.title}`,
        breadcrumb: [
          { label: 'Plans d’accessibilité', href: '/rgaa' },
          { label: p.title, href: `/rgaa/demarches/${procedureId}/feuille-de-route` },
          { label: 'Modifier un jalon' },
        ],
        content: milestoneEditPage({
          procedure: { id: procedureId, title: p.title },
          milestone,
          errors,
          csrf: reply.generateCsrf(),
          values: o.values ?? {
            title: milestone.title,
            kind: milestone.kind,
            owner: milestone.owner,
            due_on: milestone.dueOn,
            status: milestone.status,
          },
        }),
      },
      failed ? 400 : 200,
    );
  };

  app.get('/rgaa/demarches/:id/feuille-de-route/jalons/modifier', EDIT, (request, reply) =>
    milestoneForm(request, reply, request.query.jalon),
  );

  app.post('/rgaa/demarches/:id/feuille-de-route/jalons/modifier', EDIT_FORM, async (request, reply) => {
    const milestoneId = bodyText(request, 'milestone_id');
    const values: MilestoneFormValues = {
      title: bodyText(request, 'title'),
      kind: bodyText(request, 'kind'),
      owner: bodyText(request, 'owner').slice(0, 300),
      due_on: bodyText(request, 'due_on'),
      status: bodyText(request, 'status'),
    };
    const errors: Record<string, string> = {};
    if (!values.title || values.title.length > 300) errors.title = 'Donnez un intitulé au jalon (300 caractères au plus).';
    if (!isDate(values.due_on!)) errors.due_on = 'Saisissez la date prévue au format AAAA-MM-JJ, par exemple 2027-03-31.';
    if (!isKind(values.kind!)) errors.kind = 'Choisissez un type de jalon.';
    if (!isStatus(values.status!)) errors.status = 'Choisissez un statut.';
    if (Object.keys(errors).length) return milestoneForm(request, reply, milestoneId, { values, errors });
    const id = parseId(milestoneId);
    const ok =
      id !== null &&
      (await db.transaction((tx) =>
        updateMilestone(tx, {
          procedureId: request.place!.procedureId!,
          milestoneId: id,
          kind: values.kind as ActionKind,
          title: values.title!,
          owner: values.owner!,
          dueOn: values.due_on!,
          status: values.status as ActionStatus,
          today: todayInParis(),
          actor: request.user!,
        }),
      ));
    if (!ok) return milestoneForm(request, reply, null);
    return redirectSeeOther(reply, `/rgaa/demarches/${request.place!.procedureId}/feuille-de-route`);
  });

  app.post('/rgaa/demarches/:id/feuille-de-route/jalons/statut', EDIT_FORM, async (request, reply) => {
    const milestoneId = parseId(bodyText(request, 'milestone_id'));
    const status = bodyText(request, 'status');
    if (milestoneId === null || !isStatus(status))
      return roadmapOf(request, reply, { milestone_id: 'Choisissez un jalon et un statut : rien n’a été enregistré.' }, 400);
    const ok = await db.transaction((tx) =>
      updateMilestoneStatus(tx, {
        procedureId: request.place!.procedureId!,
        milestoneId,
        status,
        today: todayInParis(),
        actor: request.user!,
      }),
    );
    if (!ok)
      return roadmapOf(request, reply, { milestone_id: 'Ce jalon n’appartient pas à cette démarche : rien n’a été enregistré.' }, 400);
    return redirectSeeOther(reply, `/rgaa/demarches/${request.place!.procedureId}/feuille-de-route`);
  });
}
