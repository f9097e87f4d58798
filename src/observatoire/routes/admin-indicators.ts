import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { audit } from '../../kernel/audit/audit.ts';
import { html } from '../../kernel/web/html.ts';
import { csrfField, errorSummary, formText, input, validateForm, type FieldErrors } from '../../kernel/web/forms.ts';
import { redirectSeeOther, sendErrorPage, sendPage } from '../../kernel/web/render.ts';
import { forgetIndicators, loadGoals, loadIndicators, type IndicatorDefinition } from '../rules/repository.ts';
import { bumpPublicCache } from '../cache/public-cache.ts';
import { STEERING } from '../../kernel/web/access.ts';
import { formTexts, type ZodTypeProvider } from '../../kernel/web/schemas.ts';

const schema = z.object({
  label: formText('Le libellé est obligatoire.', 200),
  shortLabel: formText('Le libellé court (en-tête de colonne) est obligatoire.', 60),
  description: formText('La description est obligatoire.', 2000),
  method: formText('La méthode est obligatoire.', 4000),
  help: z
    .string()
    .trim()
    .max(1000, '1000 caractères au maximum.')
    .optional()
    .transform((v) => v ?? ''),
  goal: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const n = Number(v.replace(',', '.'));
      if (!Number.isFinite(n) || n < 0 || n > 100) {
        ctx.addIssue({ code: 'custom', message: 'Un pourcentage entre 0 et 100 est attendu.' });
        return z.NEVER;
      }
      return n;
    }),
});

/** The steering admin edits an indicator's texts and its national goal (the levels are edited as rule sets). */
export const adminIndicatorRoutes: FastifyPluginAsync<AppDeps> = async (instance, { db }) => {
  // The slug and the form's body by route schemas; the form's fields by validateForm, messages beside them.
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const slugParams = z.object({
    slug: z
      .string()
      .refine((value) => value.length <= 100, { message: 'Cet indicateur n’existe pas.', params: { title: 'Indicateur introuvable' } }),
  });
  async function form(
    request: FastifyRequest,
    reply: FastifyReply,
    def: IndicatorDefinition,
    values: Record<string, string>,
    errors: FieldErrors = {},
    status = 200,
  ) {
    return sendPage(
      request,
      reply,
      {
        title: `Indicateur ${def.label}`,
        breadcrumb: [
          { label: 'Observatoire', href: '/observatoire' },
          { label: 'Pilotage', href: '/observatoire/admin' },
          { label: def.label },
        ],
        content: html`<h1>Indicateur : ${def.label}</h1>
<p>Identifiant : <code>${def.slug}</code>. Source : ${def.source}. Les niveaux se modifient dans les <a href="/observatoire/admin/regles">règles de niveaux</a>.</p>
${errorSummary(errors)}
<form method="post" action="/observatoire/admin/indicateurs/${def.slug}" novalidate>
  ${csrfField(reply.generateCsrf())}
  ${input({ name: 'label', label: 'Libellé', required: true, value: values.label, error: errors.label })}
  ${input({ name: 'shortLabel', label: 'Libellé court (en-tête de colonne)', required: true, value: values.shortLabel, error: errors.shortLabel })}
  ${input({ name: 'description', label: 'Description', required: true, textarea: true, value: values.description, error: errors.description })}
  ${input({ name: 'method', label: 'Méthode de calcul', required: true, textarea: true, value: values.method, error: errors.method })}
  ${input({ name: 'help', label: 'Complément d’aide (facultatif)', value: values.help, error: errors.help, hint: 'La phrase « Objectif : … » est écrite d’après les règles de niveaux en vigueur ; ce texte s’affiche après elle.' })}
  ${input({ name: 'goal', label: 'Objectif national (% des démarches)', value: values.goal, error: errors.goal, hint: 'Vide : pas d’objectif national (indicateur informatif).' })}
  <button type="submit" class="fr-btn">Enregistrer</button>
</form>`,
      },
      status,
    );
  }

  async function find(slug: string) {
    return (await loadIndicators(db)).find((d) => d.slug === slug) ?? null;
  }

  app.get('/observatoire/admin/indicateurs/:slug', { ...STEERING, schema: { params: slugParams } }, async (request, reply) => {
    const def = await find(request.params.slug);
    if (!def) return sendErrorPage(request, reply, 404, 'Indicateur introuvable', 'Cet indicateur n’existe pas.');
    const goal = (await loadGoals(db)).get(def.slug);
    return form(request, reply, def, {
      label: def.label,
      shortLabel: def.shortLabel,
      description: def.description,
      method: def.method,
      help: def.help,
      goal: goal === undefined ? '' : String(goal),
    });
  });

  app.post(
    '/observatoire/admin/indicateurs/:slug',
    { ...STEERING, schema: { params: slugParams, body: formTexts } },
    async (request, reply) => {
      const def = await find(request.params.slug);
      if (!def) return sendErrorPage(request, reply, 404, 'Indicateur introuvable', 'Cet indicateur n’existe pas.');
      const body = request.body;
      const result = validateForm(schema, body);
      if (!result.ok) return form(request, reply, def, body, result.errors, 400);
      const d = result.data;
      const before = { ...def, goal: (await loadGoals(db)).get(def.slug) ?? null };
      await db.transaction(async (tx) => {
        await tx.query(
          `UPDATE obs_indicators SET label = $2, short_label = $3, description = $4, method = $5, help = $6, updated_at = now() WHERE slug = $1`,
          [def.slug, d.label, d.shortLabel, d.description, d.method, d.help],
        );
        if (d.goal === null) await tx.query('DELETE FROM obs_goals WHERE indicator = $1', [def.slug]);
        else {
          await tx.query(
            `INSERT INTO obs_goals (indicator, target_percent) VALUES ($1, $2) ON CONFLICT (indicator) DO UPDATE SET target_percent = excluded.target_percent, updated_at = now()`,
            [def.slug, d.goal],
          );
        }
        await audit(tx, {
          actor: request.user,
          action: 'observatoire.indicator.update',
          entityType: 'obs_indicator',
          entityId: def.slug,
          before,
          after: d,
          ipHash: request.ipHash,
        });
      });
      forgetIndicators(db);
      bumpPublicCache(db);
      return redirectSeeOther(reply, '/observatoire/admin');
    },
  );
};
