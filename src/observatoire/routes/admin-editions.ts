import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { audit } from '../../kernel/audit/audit.ts';
import { html } from '../../kernel/web/html.ts';
import { csrfField, errorSummary, formText, input, select, validateForm, type FieldErrors } from '../../kernel/web/forms.ts';
import { countOf, editionPhrase, formatDate } from '../../kernel/web/format.ts';
import { redirectSeeOther, sendErrorPage, sendPage } from '../../kernel/web/render.ts';
import { createDraft, deleteDraft, getEdition, latestPublished, listAll, type Edition } from '../editions/drafts.ts';
import { isWindowOpen, openWindowMessage, publishEdition, PublishError } from '../editions/publish.ts';
import { editionChanges, publishedCells } from '../editions/changes.ts';
import { changesSection } from '../views/changes.ts';
import { correctEdition } from '../editions/correct.ts';
import { computeEdition } from '../editions/compute.ts';
import { loadIndicators, loadRuleSet, type IndicatorDefinition } from '../rules/repository.ts';
import { DEFAULT_QUERY } from '../table/filters.ts';
import { resultsTable } from '../views/table.ts';
import { MANUAL_LEGEND } from '../views/cells.ts';
import { STYLESHEET } from '../views/edition-page.ts';
import { STEERING } from '../../kernel/web/access.ts';
import { formBody, formTexts, type ZodTypeProvider } from '../../kernel/web/schemas.ts';
import { idParamsOr404 } from '../../kernel/web/ids.ts';

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Date attendue au format AAAA-MM-JJ.')
  .refine((d) => !Number.isNaN(Date.parse(d)), 'Date invalide.');
const editionSchema = z
  .object({
    name: formText('Donnez un nom à l’édition.', 200),
    period: formText('Indiquez la période couverte.', 200),
    windowStart: date,
    windowEnd: date,
  })
  .refine((v) => v.windowEnd >= v.windowStart, { message: 'La fin de la fenêtre doit suivre son début.', path: ['windowEnd'] });
const correctionSchema = z.object({
  stableId: formText('Indiquez l’identifiant stable de la démarche.', 200),
  indicator: formText('Choisissez un indicateur.', 100),
  value: z.string().trim().max(200, '200 caractères au maximum.'),
  reason: formText('Expliquez pourquoi cette correction est faite : le motif est publié.', 1000),
});

const ADMIN_CRUMBS = [
  { label: 'Observatoire', href: '/observatoire' },
  { label: 'Pilotage', href: '/observatoire/admin' },
];
const STATUS: Record<Edition['status'], string> = { draft: 'Brouillon', published: 'Publiée' };

export const adminEditionRoutes: FastifyPluginAsync<AppDeps> = async (instance, { db }) => {
  // The edition's id and the forms' bodies by route schemas; the forms' fields by validateForm, messages beside them.
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const editionParams = idParamsOr404('Édition introuvable', 'Cette édition n’existe pas.');
  async function home(request: FastifyRequest, reply: FastifyReply, values: Record<string, string> = {}, errors: FieldErrors = {}) {
    const [editions, defs] = await Promise.all([listAll(db), loadIndicators(db)]);
    const token = reply.generateCsrf();
    return sendPage(
      request,
      reply,
      {
        title: 'Pilotage de l’observatoire',
        breadcrumb: [{ label: 'Observatoire', href: '/observatoire' }, { label: 'Pilotage' }],
        content: html`<h1>Pilotage de l’observatoire</h1>
<ul class="fr-btns-group fr-btns-group--inline-md">
  <li><a class="fr-btn fr-btn--secondary" href="/observatoire/admin/regles">Règles de niveaux</a></li>
  <li><a class="fr-btn fr-btn--secondary" href="/observatoire/admin/valeurs">Valeurs saisies</a></li>
  <li><a class="fr-btn fr-btn--secondary" href="/observatoire/admin/valeurs/import">Importer des valeurs</a></li>
</ul>
<h2>Indicateurs</h2>
<ul>${defs.map((d) => html`<li><a href="/observatoire/admin/indicateurs/${d.slug}">${d.label}</a></li>`)}</ul>
<h2>Éditions</h2>
${
  editions.length === 0
    ? html`<p>Aucune édition.</p>`
    : html`<div class="fr-table"><table><caption>Éditions, brouillons en premier</caption>
<thead><tr><th scope="col">Édition</th><th scope="col">Période</th><th scope="col">Statut</th><th scope="col">Publiée le</th></tr></thead>
<tbody>${editions.map((e) => html`<tr><th scope="row"><a href="/observatoire/admin/editions/${e.id}">${e.name}</a></th><td>${e.period}</td><td>${STATUS[e.status]}</td><td>${formatDate(e.publishedAt)}</td></tr>`)}</tbody></table></div>`
}
<h2>Préparer une nouvelle édition</h2>
${errorSummary(errors)}
<form method="post" action="/observatoire/admin/editions" novalidate>
  ${csrfField(token)}
  ${input({ name: 'name', label: 'Nom de l’édition', required: true, value: values.name, error: errors.name, hint: 'Par exemple : Édition d’octobre 2026' })}
  ${input({ name: 'period', label: 'Période couverte', required: true, value: values.period, error: errors.period, hint: 'Par exemple : 3e trimestre 2026' })}
  ${input({ name: 'windowStart', label: 'Début de la fenêtre des avis', type: 'date', required: true, value: values.windowStart, error: errors.windowStart })}
  ${input({ name: 'windowEnd', label: 'Fin de la fenêtre des avis', type: 'date', required: true, value: values.windowEnd, error: errors.windowEnd })}
  <button type="submit" class="fr-btn">Créer le brouillon</button>
</form>`,
      },
      Object.keys(errors).length ? 400 : 200,
    );
  }

  app.get('/observatoire/admin', STEERING, async (request, reply) => home(request, reply));

  app.post('/observatoire/admin/editions', { ...STEERING, schema: { body: formTexts } }, async (request, reply) => {
    const body = request.body;
    const result = validateForm(editionSchema, body);
    if (!result.ok) return home(request, reply, body, result.errors);
    const id = await db.transaction(async (tx) => {
      const newId = await createDraft(tx, result.data, request.user!.id);
      await audit(tx, {
        actor: request.user,
        action: 'observatoire.edition.create',
        entityType: 'obs_edition',
        entityId: newId,
        after: result.data,
        ipHash: request.ipHash,
      });
      return newId;
    });
    return redirectSeeOther(reply, `/observatoire/admin/editions/${id}`);
  });

  async function editionPage(
    request: FastifyRequest,
    reply: FastifyReply,
    edition: Edition,
    values: Record<string, string> = {},
    errors: FieldErrors = {},
    status = 200,
  ) {
    const token = reply.generateCsrf();
    const defs = await loadIndicators(db);
    const crumbs = [...ADMIN_CRUMBS, { label: edition.name }];
    if (edition.status === 'draft') {
      const { rules, rows, changes, previous } = await draftPreview(edition, defs);
      const open = isWindowOpen(edition.windowEnd);
      const tableRows = rows.map((r) => ({
        procedure: { ...r.procedure, onlineStatus: r.values.online?.raw === null ? null : String(r.values.online?.raw) },
        values: r.values,
      }));
      return sendPage(
        request,
        reply,
        {
          title: `Brouillon ${edition.name}`,
          breadcrumb: crumbs,
          content: html`${STYLESHEET}<h1>Brouillon : ${edition.name}</h1>
${errorSummary(errors)}
<p>Période : ${edition.period}. Fenêtre des avis : du ${formatDate(edition.windowStart)} au ${formatDate(edition.windowEnd)}.
Aperçu calculé maintenant à partir des valeurs en cours, avec les règles version ${rules.version} : ${countOf(rows.length, 'démarche')}.
La publication refait ce calcul sur le serveur et fige le résultat.</p>
${open ? html`<div class="fr-alert fr-alert--info fr-mb-3w"><p>${openWindowMessage(edition.windowEnd)}</p></div>` : ''}
<ul class="fr-btns-group fr-btns-group--inline-md">
  ${open ? '' : html`<li><a class="fr-btn" href="/observatoire/admin/editions/${edition.id}/publier">Publier l’édition…</a></li>`}
  <li><form method="post" action="/observatoire/admin/editions/${edition.id}/supprimer">${csrfField(token)}<button type="submit" class="fr-btn fr-btn--secondary">Supprimer le brouillon</button></form></li>
</ul>
<h2>Modifier le brouillon</h2>
<form method="post" action="/observatoire/admin/editions/${edition.id}/modifier" novalidate>
  ${csrfField(token)}
  ${input({ name: 'name', label: 'Nom de l’édition', required: true, value: values.name ?? edition.name, error: errors.name })}
  ${input({ name: 'period', label: 'Période couverte', required: true, value: values.period ?? edition.period, error: errors.period })}
  ${input({ name: 'windowStart', label: 'Début de la fenêtre des avis', type: 'date', required: true, value: values.windowStart ?? edition.windowStart, error: errors.windowStart })}
  ${input({ name: 'windowEnd', label: 'Fin de la fenêtre des avis', type: 'date', required: true, value: values.windowEnd ?? edition.windowEnd, error: errors.windowEnd })}
  <button type="submit" class="fr-btn fr-btn--secondary">Enregistrer les modifications</button>
</form>
${changesSection(defs, changes, previous?.name ?? null)}
<h2>Aperçu du tableau</h2>
<p class="fr-text--sm">${MANUAL_LEGEND}</p>
${resultsTable({ defs, rows: tableRows, query: DEFAULT_QUERY, base: '', caption: `Aperçu de l’${editionPhrase(edition.name)} : ${countOf(rows.length, 'démarche')}`, sortable: false })}`,
        },
        status,
      );
    }
    return sendPage(
      request,
      reply,
      {
        title: edition.name,
        breadcrumb: crumbs,
        content: html`<h1>Édition publiée : ${edition.name}</h1>
<p>Publiée le ${formatDate(edition.publishedAt)} avec les règles version ${edition.ruleVersion}. <a href="/observatoire/editions/${edition.id}">Voir la page publique</a>.</p>
<h2>Corriger une valeur</h2>
<p>Une édition publiée ne change pas : une correction crée une révision publique qui indique qui l’a faite, pourquoi, et ce qui a changé.
La valeur est évaluée avec les règles de l’édition (version ${edition.ruleVersion}).</p>
${errorSummary(errors)}
<form method="post" action="/observatoire/admin/editions/${edition.id}/corriger" novalidate>
  ${csrfField(token)}
  ${input({ name: 'stableId', label: 'Identifiant stable de la démarche', required: true, value: values.stableId, error: errors.stableId })}
  ${select({ name: 'indicator', label: 'Indicateur', required: true, placeholder: 'Choisir un indicateur', value: values.indicator, options: defs.map((d) => ({ value: d.slug, label: d.label })), error: errors.indicator })}
  ${input({ name: 'value', label: 'Nouvelle valeur brute', value: values.value, error: errors.value, hint: 'Nombre (8,5), catégorie (oui, non…) ou état (a_venir, avis_insuffisants, non_applicable) ; vide pour « aucune valeur ».' })}
  ${input({ name: 'reason', label: 'Motif de la correction (publié)', required: true, textarea: true, value: values.reason, error: errors.reason })}
  <button type="submit" class="fr-btn">Enregistrer la correction</button>
</form>`,
      },
      status,
    );
  }

  /** The draft computed now, and what publishing it would change against the latest published edition. */
  async function draftPreview(edition: Edition, defs: IndicatorDefinition[]) {
    const rules = await loadRuleSet(db);
    const rows = await computeEdition(
      db,
      { start: edition.windowStart, end: edition.windowEnd },
      rules,
      defs.map((d) => d.slug),
    );
    const previous = await latestPublished(db);
    const changes = previous
      ? editionChanges(
          rows,
          await publishedCells(db, previous.id),
          defs.map((d) => d.slug),
        )
      : [];
    return { rules, rows, changes, previous };
  }

  /** « Publier l’édition… »: what will be frozen, the changes against the previous edition, then the one button. */
  async function confirmationPage(request: FastifyRequest, reply: FastifyReply, edition: Edition) {
    const defs = await loadIndicators(db);
    const { rules, rows, changes, previous } = await draftPreview(edition, defs);
    const open = isWindowOpen(edition.windowEnd);
    return sendPage(
      request,
      reply,
      {
        title: `Publier ${edition.name}`,
        breadcrumb: [...ADMIN_CRUMBS, { label: edition.name, href: `/observatoire/admin/editions/${edition.id}` }, { label: 'Publier' }],
        content: html`${STYLESHEET}<h1>Publier l’${editionPhrase(edition.name)} ?</h1>
${
  open
    ? html`<div class="fr-alert fr-alert--error fr-mb-3w"><h2 class="fr-alert__title">Publication impossible pour l’instant</h2><p>${openWindowMessage(edition.windowEnd)}</p></div>`
    : html`<p>La publication fige, tels qu’ils sont calculés au moment de la confirmation :</p>
<ul>
  <li>les avis de la fenêtre du ${formatDate(edition.windowStart)} au ${formatDate(edition.windowEnd)} (fenêtre close) ;</li>
  <li>${countOf(rows.length, 'démarche')} du périmètre × ${countOf(defs.length, 'indicateur')} : valeur brute, niveau, couleur et objectif atteint ;</li>
  <li>les niveaux selon les règles version ${rules.version} (un changement de règles ultérieur ne modifiera pas cette édition) ;</li>
  <li>le titre, le ministère, l’administration et les catégories d’usagers de chaque démarche à cette date.</li>
</ul>
<p>L’édition devient alors la dernière édition publique : elle ne change plus que par des corrections publiées avec leur motif,
et elle ne peut pas être supprimée.</p>`
}
${changesSection(defs, changes, previous?.name ?? null)}
${
  open
    ? html`<p><a class="fr-link" href="/observatoire/admin/editions/${edition.id}">Revenir au brouillon</a></p>`
    : html`<form method="post" action="/observatoire/admin/editions/${edition.id}/publier" class="fr-mt-4w">
  ${csrfField(reply.generateCsrf())}
  <input type="hidden" name="confirmation" value="oui">
  <ul class="fr-btns-group fr-btns-group--inline-md">
    <li><button type="submit" class="fr-btn">Confirmer la publication</button></li>
    <li><a class="fr-btn fr-btn--secondary" href="/observatoire/admin/editions/${edition.id}">Revenir au brouillon</a></li>
  </ul>
</form>`
}`,
      },
      open ? 409 : 200,
    );
  }

  async function loadOr404(request: FastifyRequest, reply: FastifyReply, id: number): Promise<Edition | null> {
    const edition = await getEdition(db, id);
    if (!edition) sendErrorPage(request, reply, 404, 'Édition introuvable', 'Cette édition n’existe pas.');
    return edition;
  }

  app.get('/observatoire/admin/editions/:id', { ...STEERING, schema: { params: editionParams } }, async (request, reply) => {
    const edition = await loadOr404(request, reply, request.params.id);
    return edition ? editionPage(request, reply, edition) : reply;
  });

  app.get('/observatoire/admin/editions/:id/publier', { ...STEERING, schema: { params: editionParams } }, async (request, reply) => {
    const edition = await loadOr404(request, reply, request.params.id);
    if (!edition) return reply;
    if (edition.status !== 'draft') return redirectSeeOther(reply, `/observatoire/admin/editions/${edition.id}`);
    return confirmationPage(request, reply, edition);
  });

  const confirmation = formBody({
    confirmation: z.string({ error: 'Confirmation : une seule valeur est attendue. Rien n’a été publié.' }).optional(),
  });
  app.post(
    '/observatoire/admin/editions/:id/publier',
    { ...STEERING, schema: { params: editionParams, body: confirmation } },
    async (request, reply) => {
      const edition = await loadOr404(request, reply, request.params.id);
      if (!edition) return reply;
      // Publication is confirmed on the page that says what will be frozen; a bare POST leads there.
      if (request.body.confirmation !== 'oui' && edition.status === 'draft') {
        return redirectSeeOther(reply, `/observatoire/admin/editions/${edition.id}/publier`);
      }
      try {
        await publishEdition(db, edition.id, request.user, request.ipHash);
      } catch (err) {
        if (err instanceof PublishError) return editionPage(request, reply, edition, {}, { _form: err.message }, 400);
        throw err;
      }
      return redirectSeeOther(reply, `/observatoire/editions/${edition.id}`);
    },
  );

  app.post(
    '/observatoire/admin/editions/:id/modifier',
    { ...STEERING, schema: { params: editionParams, body: formTexts } },
    async (request, reply) => {
      const edition = await loadOr404(request, reply, request.params.id);
      if (!edition) return reply;
      if (edition.status !== 'draft')
        return editionPage(request, reply, edition, {}, { _form: 'Une édition publiée ne se modifie que par une correction.' }, 400);
      const body = request.body;
      const result = validateForm(editionSchema, body);
      if (!result.ok) return editionPage(request, reply, edition, body, result.errors, 400);
      await db.transaction(async (tx) => {
        await tx.query(
          `UPDATE obs_editions SET name = $2, period = $3, window_start = $4, window_end = $5 WHERE id = $1 AND status = 'draft'`,
          [edition.id, result.data.name, result.data.period, result.data.windowStart, result.data.windowEnd],
        );
        await audit(tx, {
          actor: request.user,
          action: 'observatoire.edition.update',
          entityType: 'obs_edition',
          entityId: edition.id,
          before: edition,
          after: result.data,
          ipHash: request.ipHash,
        });
      });
      return redirectSeeOther(reply, `/observatoire/admin/editions/${edition.id}`);
    },
  );

  app.post(
    '/observatoire/admin/editions/:id/supprimer',
    { ...STEERING, schema: { params: editionParams, body: formBody({}) } },
    async (request, reply) => {
      const edition = await loadOr404(request, reply, request.params.id);
      if (!edition) return reply;
      if (edition.status !== 'draft')
        return editionPage(request, reply, edition, {}, { _form: 'Une édition publiée ne peut pas être supprimée.' }, 400);
      await db.transaction(async (tx) => {
        await deleteDraft(tx, edition.id);
        await audit(tx, {
          actor: request.user,
          action: 'observatoire.edition.delete',
          entityType: 'obs_edition',
          entityId: edition.id,
          before: edition,
          ipHash: request.ipHash,
        });
      });
      return redirectSeeOther(reply, '/observatoire/admin');
    },
  );

  app.post(
    '/observatoire/admin/editions/:id/corriger',
    { ...STEERING, schema: { params: editionParams, body: formTexts } },
    async (request, reply) => {
      const edition = await loadOr404(request, reply, request.params.id);
      if (!edition) return reply;
      const body = request.body;
      const result = validateForm(correctionSchema, body);
      if (!result.ok) return editionPage(request, reply, edition, body, result.errors, 400);
      const { rows } = await db.query('SELECT procedure_id FROM obs_edition_procedures WHERE edition_id = $1 AND stable_id = $2', [
        edition.id,
        result.data.stableId,
      ]);
      const defs = await loadIndicators(db);
      const errors: FieldErrors = {};
      if (!rows[0]) errors.stableId = 'Aucune démarche de cette édition n’a cet identifiant.';
      if (!defs.some((d) => d.slug === result.data.indicator)) errors.indicator = 'Indicateur inconnu.';
      if (Object.keys(errors).length) return editionPage(request, reply, edition, body, errors, 400);
      try {
        await correctEdition(
          db,
          edition.id,
          [{ procedureId: Number(rows[0].procedure_id), indicator: result.data.indicator, value: result.data.value || null }],
          result.data.reason,
          request.user!,
          request.ipHash,
        );
      } catch (err) {
        if (err instanceof PublishError) return editionPage(request, reply, edition, body, { _form: err.message }, 400);
        throw err;
      }
      return redirectSeeOther(reply, `/observatoire/editions/${edition.id}#titre-corrections`);
    },
  );
};
