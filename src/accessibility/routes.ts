import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../kernel/web/deps.ts';
import { PUBLIC, STEERING } from '../kernel/web/access.ts';
import { redirectSeeOther, sendPage } from '../kernel/web/render.ts';
import { html } from '../kernel/web/html.ts';
import { csrfField, errorSummary, input } from '../kernel/web/forms.ts';
import { audit } from '../kernel/audit/audit.ts';
import { referential } from './rgaa/referential.ts';
import { referentialPage } from './referential-page/view.ts';
import { declarationRoutes } from './declarations/routes.ts';
import { planRoutes } from './plans/routes.ts';
import { accessibilityApiRoutes } from './api.ts';
import { loadRgaaVersions, loadRules } from './declarations/queries.ts';
import { formatDate } from '../kernel/web/format.ts';
import { formTexts, type ZodTypeProvider } from '../kernel/web/schemas.ts';

const RULE_FIELDS = [
  { name: 'validity_months', label: 'Durée de validité d’une déclaration (mois)', min: 1, max: 120 },
  { name: 'new_version_months', label: 'Validité après la publication d’une nouvelle version du RGAA (mois)', min: 1, max: 120 },
  { name: 'warning_days', label: 'Avertissement avant expiration (jours)', min: 1, max: 365 },
  { name: 'audit_max_age_months', label: 'Âge maximal de l’audit pour l’indicateur « handicap » (mois)', min: 1, max: 120 },
  { name: 'goal_first_percent', label: 'Premier objectif : part des démarches totalement conformes (%)', min: 0, max: 100 },
  { name: 'goal_final_percent', label: 'Objectif final (%)', min: 0, max: 100 },
] as const;

/** The accessibility module's routes: the referential, declarations, plans and roadmaps, rules, and the public API. */
export const accessibilityRoutes: FastifyPluginAsync<AppDeps> = async (instance, deps) => {
  // The rules' forms by route schemas (formTexts: every field as text), checked below with their messages beside them.
  const app = instance.withTypeProvider<ZodTypeProvider>();
  app.get('/referentiel-rgaa', PUBLIC, (request, reply) => {
    const rgaa = referential();
    return sendPage(request, reply, {
      title: `Référentiel RGAA ${rgaa.version}`,
      breadcrumb: [{ label: 'Référentiel RGAA' }],
      content: referentialPage(rgaa),
    });
  });
  await declarationRoutes(instance, deps);
  await planRoutes(instance, deps);
  await accessibilityApiRoutes(instance, deps);

  // The rules as data: the steering team changes durations and goals without a deploy.
  const rulesPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    errors: Record<string, string> = {},
    ruleValues?: Record<string, string>,
    status = 200,
    values?: Record<string, string>,
  ) => {
    const r = await loadRules(deps.db);
    const versions = await loadRgaaVersions(deps.db);
    const current: Record<string, string> = ruleValues ?? {
      validity_months: String(r.validityMonths),
      new_version_months: String(r.newVersionMonths),
      warning_days: String(r.warningDays),
      audit_max_age_months: String(r.auditMaxAgeMonths),
      goal_first_percent: String(r.goalFirstPercent),
      goal_final_percent: String(r.goalFinalPercent),
      goal_first_date: r.goalFirstDate ?? '',
      goal_final_date: r.goalFinalDate ?? '',
    };
    return sendPage(
      request,
      reply,
      {
        title: 'Règles d’accessibilité',
        breadcrumb: [{ label: 'Plans d’accessibilité', href: '/rgaa' }, { label: 'Règles' }],
        content: html`<h1>Règles de validité des déclarations et objectifs</h1>
${errorSummary(errors)}
<form method="post" action="/rgaa/regles" novalidate>${csrfField(reply.generateCsrf())}
${RULE_FIELDS.map((f) => input({ name: f.name, label: f.label, type: 'number', value: current[f.name], error: errors[f.name], required: true }))}
${input({ name: 'goal_first_date', label: 'Échéance du premier objectif', type: 'date', value: current.goal_first_date, error: errors.goal_first_date })}
${input({ name: 'goal_final_date', label: 'Échéance de l’objectif final', type: 'date', value: current.goal_final_date, error: errors.goal_final_date })}
<button class="fr-btn" type="submit">Enregistrer les règles</button></form>
<h2 class="fr-mt-5w">Versions du RGAA</h2>
<p>Une déclaration établie selon une version n’est plus valide ${r.newVersionMonths} mois après la publication d’une version plus récente.</p>
<ul>${versions.map((v) => html`<li>RGAA ${v.version}, publié le ${formatDate(v.publishedOn)}</li>`)}</ul>
<form method="post" action="/rgaa/regles/versions" novalidate>${csrfField(reply.generateCsrf())}
${input({ name: 'version', label: 'Nouvelle version (par exemple 5 ou 4.2)', value: values?.version ?? '', error: errors.version })}
${input({ name: 'published_on', label: 'Date de publication', type: 'date', value: values?.published_on ?? '', error: errors.published_on })}
<button class="fr-btn fr-btn--secondary" type="submit">Ajouter la version</button></form>`,
      },
      status,
    );
  };
  app.get('/rgaa/regles', STEERING, (request, reply) => rulesPage(request, reply));
  const RULES_FORM = { ...STEERING, schema: { body: formTexts } };
  /** A field of the rules' forms: trimmed, '' when absent or repeated. */
  const text = (body: Record<string, string>, name: string) => (Object.hasOwn(body, name) ? body[name].trim() : '');
  app.post('/rgaa/regles', RULES_FORM, async (request, reply) => {
    const values: Record<string, string> = {};
    const errors: Record<string, string> = {};
    for (const f of RULE_FIELDS) {
      values[f.name] = text(request.body, f.name);
      const n = Number(values[f.name]);
      if (!/^\d+$/.test(values[f.name]) || n < f.min || n > f.max)
        errors[f.name] = `Saisissez un nombre entier entre ${f.min} et ${f.max}.`;
    }
    for (const d of ['goal_first_date', 'goal_final_date']) {
      values[d] = text(request.body, d);
      if (values[d] && !/^\d{4}-\d{2}-\d{2}$/.test(values[d])) errors[d] = 'Saisissez une date au format AAAA-MM-JJ.';
    }
    if (Object.keys(errors).length) return rulesPage(request, reply, errors, values, 400);
    const before = await loadRules(deps.db);
    await deps.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE accessibility_rules SET validity_months = $1, new_version_months = $2, warning_days = $3, audit_max_age_months = $4,
           goal_first_percent = $5, goal_final_percent = $6, goal_first_date = $7, goal_final_date = $8, updated_by = $9, updated_at = now() WHERE id`,
        [
          ...RULE_FIELDS.map((f) => Number(values[f.name])),
          values.goal_first_date || null,
          values.goal_final_date || null,
          request.user!.id,
        ],
      );
      await audit(tx, {
        actor: request.user!,
        action: 'accessibility.rules.update',
        entityType: 'accessibility_rules',
        before,
        after: values,
        ipHash: request.ipHash,
      });
    });
    return redirectSeeOther(reply, '/rgaa/regles');
  });

  app.post('/rgaa/regles/versions', RULES_FORM, async (request, reply) => {
    const version = text(request.body, 'version');
    const publishedOn = text(request.body, 'published_on');
    const errors: Record<string, string> = {};
    if (!/^[0-9]{1,3}(\.[0-9]{1,3}){0,3}$/.test(version)) errors.version = 'Saisissez un numéro de version, par exemple 5 ou 4.2.';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(publishedOn) || Number.isNaN(Date.parse(`${publishedOn}T00:00:00Z`)))
      errors.published_on = 'Saisissez une date au format AAAA-MM-JJ.';
    if (!errors.version && (await loadRgaaVersions(deps.db)).some((v) => v.version === version))
      errors.version = 'Cette version est déjà enregistrée.';
    if (Object.keys(errors).length) return rulesPage(request, reply, errors, undefined, 400, { version, published_on: publishedOn });
    await deps.db.transaction(async (tx) => {
      await tx.query('INSERT INTO accessibility_rgaa_versions (version, published_on) VALUES ($1, $2)', [version, publishedOn]);
      await audit(tx, {
        actor: request.user!,
        action: 'accessibility.rgaa_version.create',
        entityType: 'accessibility_rules',
        after: { version, publishedOn },
        ipHash: request.ipHash,
      });
    });
    return redirectSeeOther(reply, '/rgaa/regles');
  });
};
