import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { audit } from '../../kernel/audit/audit.ts';
import { procedureScope } from '../../kernel/auth/scope.ts';
import { run, sql } from '../../kernel/db/sql.ts';
import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { csrfField, errorSummary, input, select, type FieldErrors } from '../../kernel/web/forms.ts';
import { redirectSeeOther, sendErrorPage, sendPage } from '../../kernel/web/render.ts';
import {
  MANUAL_CHOICES,
  checkManualValue,
  enterableIndicators,
  isManualIndicator,
  manualFallbackSlugs,
  writeManualValues,
  type ManualIndicator,
} from '../sources/manual-values.ts';
import { loadIndicators } from '../rules/repository.ts';
import { parseSheet, SheetError } from '../import/parse-sheet.ts';
import { checkImport, STABLE_ID_COLUMN, type ImportCheck } from '../import/manual-import.ts';
import { type ProcedureRow } from '../../catalog/index.ts';
import { MEMBER, inScope, sendForbidden } from '../../kernel/web/access.ts';
import { idParamsOr404 } from '../../kernel/web/ids.ts';
import { formTexts, multipartBody, noticeQuery, pageParam, searchText, type ZodTypeProvider } from '../../kernel/web/schemas.ts';
import { z } from 'zod';

/** For which procedures a live source with a manual fallback measures its indicator. */
const MEASURED_FOR: Record<string, string> = {
  accessibility: 'pour les démarches qui ont une déclaration d’accessibilité publiée dans Vigie',
  monitoring: 'pour les démarches dont Vigie mesure les pages',
};

const PER_PAGE = 50;
const CRUMBS = [
  { label: 'Observatoire', href: '/observatoire' },
  { label: 'Valeurs saisies', href: '/observatoire/admin/valeurs' },
];
export const IMPORT_LIMIT = 5 * 1024 * 1024;

async function labels(db: AppDeps['db']): Promise<Record<string, string>> {
  return Object.fromEntries((await loadIndicators(db)).map((d) => [d.slug, d.label]));
}

/** The indicators entered here: the manual ones and those whose measuring module is not live yet (marked so). */
async function toEnter(db: AppDeps['db']) {
  const defs = enterableIndicators(await loadIndicators(db));
  const fallback = manualFallbackSlugs();
  return {
    slugs: defs.map((d) => d.slug),
    units: Object.fromEntries(defs.map((d) => [d.slug, d.unit])),
    pending: defs.filter((d) => !isManualIndicator(d.slug) && !fallback.has(d.slug)),
    fallback: defs.filter((d) => fallback.has(d.slug)),
  };
}

/**
 * The import form's parts, as @fastify/multipart attaches them (`attachFieldsToBody`; the file as { filename, content }
 * by onFile): the « Simulation » box and the file, or nothing, so that the handler answers « Choisissez un fichier ».
 */
const importUpload = z
  .object({
    simulation: z
      .unknown()
      .optional()
      .transform((value) => value === 'oui'),
    fichier: z
      .object({ filename: z.string(), content: z.instanceof(Buffer) })
      .optional()
      .catch(undefined),
  })
  .catch({ simulation: false, fichier: undefined });

const HINTS: Record<string, string> = {
  percent: 'Pourcentage entre 0 et 100 ; vide pour aucune valeur.',
  ms: 'Temps de chargement en millisecondes (par exemple 350, ou 0,35 s) ; vide pour aucune valeur.',
};

function displayValue(indicator: ManualIndicator, value: string | null): string {
  if (value === null) return '–';
  return MANUAL_CHOICES[indicator]?.find((c) => c.value === value)?.label ?? value;
}

/** Manual indicators: edited per procedure by those who may edit it, or imported from a file (dry run first). */
export const adminValueRoutes: FastifyPluginAsync<AppDeps> = async (instance, { db }) => {
  // The procedure's id, the list's query and the values form's body by route schemas; each value checked below.
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const procedureParams = idParamsOr404('Démarche introuvable', 'Cette démarche n’existe pas.');
  const listQuery = z.looseObject({ q: searchText(), page: pageParam });
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: IMPORT_LIMIT, files: 1, fields: 10 },
    // Keeps the file name with the content: the format is chosen from the extension.
    async onFile(part) {
      (part as any).value = { filename: part.filename, content: await part.toBuffer() };
    },
  });

  app.get('/observatoire/admin/valeurs', { ...MEMBER, schema: { querystring: listQuery } }, async (request, reply) => {
    const scope = procedureScope(request.user!, undefined, 'edit');
    const { q, page } = request.query;
    const search = q ? sql` AND search_text(p.title) LIKE '%' || search_text(${q.replace(/[\\%_]/g, (c) => `\\${c}`)}) || '%'` : sql``;
    const { rows } = await run(
      db,
      sql`SELECT p.id, p.stable_id, p.title, p.online_status, p.franceconnect, a.name AS administration, count(*) OVER () AS total,
              (SELECT json_object_agg(v.indicator, v.value) FROM obs_live_values v WHERE v.procedure_id = p.id) AS vals
         FROM procedures p JOIN administrations a ON a.id = p.administration_id
        WHERE p.archived_at IS NULL AND p.in_scope AND ${scope}${search}
        ORDER BY p.title, p.id LIMIT ${PER_PAGE} OFFSET ${(page - 1) * PER_PAGE}`,
    );
    const total = rows.length ? Number(rows[0].total) : 0;
    const names = await labels(db);
    const { slugs, pending, fallback } = await toEnter(db);
    return sendPage(request, reply, {
      title: 'Valeurs saisies',
      breadcrumb: [{ label: 'Observatoire', href: '/observatoire' }, { label: 'Valeurs saisies' }],
      content: html`<h1>Valeurs saisies des indicateurs</h1>
<p>Les indicateurs ${slugs.map((i) => names[i]).join(', ')} sont déclarés par les administrations. Ces valeurs entrent dans les prochaines éditions.
${pending.length ? `${pending.map((d) => `« ${d.label} »`).join(', ')} ${pending.length > 1 ? 'ne sont' : 'n’est'} pas encore mesuré${pending.length > 1 ? 's' : ''} automatiquement : en attendant, leurs valeurs sont saisies ou importées ici et publiées comme saisies manuelles.` : ''}
${fallback.map((d) => `« ${d.label} » est mesuré automatiquement ${MEASURED_FOR[d.source] ?? 'pour les démarches que Vigie mesure'} ; pour les autres, la valeur saisie ici est reprise comme saisie manuelle.`).join(' ')}
Sans valeur saisie, « ${names.online} » et « ${names.auth} » reprennent la fiche de la démarche au catalogue.</p>
<p><a class="fr-link" href="/observatoire/admin/valeurs/import">Importer un fichier de valeurs (CSV, XLSX, ODS)</a></p>
<form method="get" action="/observatoire/admin/valeurs" class="fr-mb-3w">${input({ name: 'q', label: 'Rechercher une démarche', type: 'search', value: q })}<button class="fr-btn fr-btn--secondary" type="submit">Rechercher</button></form>
<div class="fr-table"><table><caption>Démarches que vous pouvez modifier (${total}) et leurs valeurs saisies</caption>
<thead><tr><th scope="col">Démarche</th><th scope="col">Administration</th>${slugs.map((i) => html`<th scope="col">${names[i]}</th>`)}</tr></thead>
<tbody>${rows.map(
        (r) => html`<tr><th scope="row"><a href="/observatoire/admin/valeurs/${r.id}">${r.title}</a></th><td>${r.administration}</td>
  ${slugs.map((i) => html`<td>${displayValue(i, r.vals?.[i] ?? null)}</td>`)}</tr>`,
      )}</tbody></table></div>
${total > page * PER_PAGE ? html`<p><a class="fr-link" href="/observatoire/admin/valeurs?${new URLSearchParams({ ...(q ? { q } : {}), page: String(page + 1) }).toString()}">Page suivante</a></p>` : ''}`,
    });
  });

  async function procedureOr(request: FastifyRequest, reply: FastifyReply, id: number) {
    const { rows } = await db.query<
      Pick<ProcedureRow, 'id' | 'stable_id' | 'title' | 'administration_id' | 'ministry_id'> & { vals: Record<string, string> | null }
    >(
      `SELECT p.id, p.stable_id, p.title, p.administration_id, a.ministry_id,
              (SELECT json_object_agg(v.indicator, v.value) FROM obs_live_values v WHERE v.procedure_id = p.id) AS vals
         FROM procedures p JOIN administrations a ON a.id = p.administration_id WHERE p.id = $1 AND p.archived_at IS NULL`,
      [id],
    );
    const p = rows[0];
    if (!p) return { stop: sendErrorPage(request, reply, 404, 'Démarche introuvable', 'Cette démarche n’existe pas.') } as const;
    return { procedure: p } as const;
  }

  async function form(
    request: FastifyRequest,
    reply: FastifyReply,
    p: Record<string, any>,
    values: Record<string, string>,
    errors: FieldErrors,
    status = 200,
    saved = false,
  ) {
    const names = await labels(db);
    const { slugs, units } = await toEnter(db);
    const field = (i: ManualIndicator): SafeHtml => {
      const choices = MANUAL_CHOICES[i as keyof typeof MANUAL_CHOICES];
      const label = isManualIndicator(i)
        ? names[i]
        : manualFallbackSlugs().has(i)
          ? `${names[i]} (saisie manuelle, utilisée seulement ${i === 'handicap' ? 'sans déclaration d’accessibilité publiée' : 'pour une démarche dont Vigie n’a rien mesuré'})`
          : `${names[i]} (saisie manuelle, en attendant la mesure automatique)`;
      return choices
        ? select({ name: i, label, placeholder: 'Aucune valeur', value: values[i] ?? '', options: choices, error: errors[i] })
        : input({
            name: i,
            label,
            value: values[i] ?? '',
            error: errors[i],
            hint:
              i === 'dlnuf'
                ? 'Nombre d’informations redemandées, ou « non applicable » ; vide pour aucune valeur.'
                : (HINTS[units[i]] ?? HINTS.percent),
          });
    };
    return sendPage(
      request,
      reply,
      {
        title: `Valeurs de ${p.title}`,
        breadcrumb: [...CRUMBS, { label: p.title }],
        notice: saved ? { type: 'success', text: 'Les valeurs ont été enregistrées.' } : null,
        content: html`<h1>Valeurs saisies : ${p.title}</h1>
${errorSummary(errors, names)}
<form method="post" action="/observatoire/admin/valeurs/${p.id}" novalidate>
  ${csrfField(reply.generateCsrf())}
  ${slugs.map(field)}
  <button type="submit" class="fr-btn">Enregistrer</button>
</form>`,
      },
      status,
    );
  }

  app.get(
    '/observatoire/admin/valeurs/:id',
    { ...inScope('procedure', 'edit'), schema: { params: procedureParams, querystring: noticeQuery('enregistre') } },
    async (request, reply) => {
      const r = await procedureOr(request, reply, request.params.id);
      if ('stop' in r) return r.stop;
      return form(request, reply, r.procedure, r.procedure.vals ?? {}, {}, 200, request.query.enregistre);
    },
  );

  app.post(
    '/observatoire/admin/valeurs/:id',
    { ...inScope('procedure', 'edit'), schema: { params: procedureParams, body: formTexts } },
    async (request, reply) => {
      const r = await procedureOr(request, reply, request.params.id);
      if ('stop' in r) return r.stop;
      const body = request.body;
      const errors: FieldErrors = {};
      const changes: { procedureId: number; indicator: ManualIndicator; value: string | null }[] = [];
      const { slugs, units } = await toEnter(db);
      for (const i of slugs) {
        const checked = checkManualValue(i, String(body[i] ?? ''), units[i]);
        if (!checked.ok) errors[i] = checked.error;
        else changes.push({ procedureId: Number(r.procedure.id), indicator: i, value: checked.value });
      }
      if (Object.keys(errors).length) return form(request, reply, r.procedure, body, errors, 400);
      await db.transaction(async (tx) => {
        await writeManualValues(tx, request.user!.id, changes);
        await audit(tx, {
          actor: request.user,
          action: 'observatoire.values.update',
          entityType: 'procedure',
          entityId: r.procedure.id,
          before: r.procedure.vals ?? {},
          after: Object.fromEntries(changes.map((c) => [c.indicator, c.value])),
          ipHash: request.ipHash,
        });
      });
      return redirectSeeOther(reply, `/observatoire/admin/valeurs/${r.procedure.id}?enregistre=1`);
    },
  );

  async function importPage(
    request: FastifyRequest,
    reply: FastifyReply,
    o: { check?: ImportCheck; error?: string; dryRun?: boolean; written?: number; status?: number } = {},
  ) {
    const names = await labels(db);
    const { slugs } = await toEnter(db);
    const result = o.error
      ? html`<div class="fr-alert fr-alert--error fr-mb-3w" role="alert"><h2 class="fr-alert__title">Import refusé</h2><p>${o.error} Rien n’a été enregistré.</p></div>`
      : o.check && o.check.errors.length
        ? html`<div class="fr-alert fr-alert--error fr-mb-3w" role="alert"><h2 class="fr-alert__title">${o.check.errorRows} ligne${o.check.errorRows > 1 ? 's' : ''} en erreur : rien n’a été enregistré</h2><p>Corrigez le fichier et envoyez-le de nouveau ; l’import se fait en entier ou pas du tout.</p></div>
<div class="fr-table"><table><caption>Erreurs ligne par ligne</caption><thead><tr><th scope="col">Ligne</th><th scope="col">Erreur</th></tr></thead>
<tbody>${o.check.errors.map((e) => html`<tr><th scope="row">${e.line}</th><td>${e.message}</td></tr>`)}</tbody></table></div>`
        : o.check && o.dryRun
          ? html`<div class="fr-alert fr-alert--info fr-mb-3w" role="status"><h2 class="fr-alert__title">Simulation réussie : ${o.check.changes.length} valeur${o.check.changes.length > 1 ? 's' : ''} seraient enregistrées</h2><p>Rien n’a été enregistré. Envoyez le même fichier en décochant « Simulation » pour l’importer.</p></div>
${o.check.unchanged ? html`<p>${o.check.unchanged} cellule${o.check.unchanged > 1 ? 's' : ''} sans changement (vide${o.check.unchanged > 1 ? 's' : ''} ou même valeur).</p>` : ''}
<div class="fr-table"><table><caption>Valeurs qui seraient enregistrées</caption><thead><tr><th scope="col">Ligne</th><th scope="col">Démarche</th><th scope="col">Indicateur</th><th scope="col">Valeur actuelle</th><th scope="col">Nouvelle valeur</th></tr></thead>
<tbody>${o.check.changes.slice(0, 500).map((c) => html`<tr><th scope="row">${c.line}</th><td>${c.stableId}</td><td>${names[c.indicator]}</td><td>${displayValue(c.indicator, c.before)}</td><td>${c.value === null ? '(vide : valeur effacée)' : displayValue(c.indicator, c.value)}</td></tr>`)}</tbody></table></div>`
          : o.written !== undefined
            ? html`<div class="fr-alert fr-alert--success fr-mb-3w" role="status"><h2 class="fr-alert__title">Import terminé</h2><p>${o.written} valeur${o.written > 1 ? 's' : ''} enregistrée${o.written > 1 ? 's' : ''}.</p></div>`
            : html``;
    return sendPage(
      request,
      reply,
      {
        title: 'Importer des valeurs',
        breadcrumb: [...CRUMBS, { label: 'Importer' }],
        content: html`<h1>Importer des valeurs</h1>
${result}
<p>Fichier CSV (UTF-8, séparateur virgule ou point-virgule), XLSX ou ODS ; première feuille, première ligne d’en-tête :
<code>${STABLE_ID_COLUMN}</code> puis une ou plusieurs colonnes parmi ${slugs.map((i, n) => html`${n ? ', ' : ''}<code>${i}</code>`)}.
Une cellule vide laisse la valeur actuelle inchangée ; pour effacer une valeur, écrivez <code>(vide)</code>.
Identifiants, noms de colonnes et valeurs sont reconnus sans tenir compte des majuscules ni des accents. Vous ne pouvez importer que les démarches que vous pouvez modifier.</p>
<form method="post" action="/observatoire/admin/valeurs/import" enctype="multipart/form-data">
  ${csrfField(reply.generateCsrf())}
  <div class="fr-upload-group fr-mb-3w">
    <label class="fr-label" for="champ-fichier">Fichier à importer<span class="fr-hint-text">Taille maximale : 5 Mo. Formats : csv, xlsx, ods.</span></label>
    <input class="fr-upload" type="file" id="champ-fichier" name="fichier" accept=".csv,.xlsx,.ods" required>
  </div>
  <div class="fr-checkbox-group fr-mb-3w">
    <input type="checkbox" id="champ-simulation" name="simulation" value="oui"${o.dryRun === false ? '' : html` checked`}>
    <label class="fr-label" for="champ-simulation">Simulation : vérifier le fichier sans rien enregistrer</label>
  </div>
  <button type="submit" class="fr-btn">Envoyer</button>
</form>`,
      },
      o.status ?? 200,
    );
  }

  // Every role but procedure_reader may set values (each row is then checked against the scope, manual-import.ts).
  const canSetValues = (request: FastifyRequest) => request.user!.grants.some((g) => g.role !== 'procedure_reader');
  const readOnly = 'Votre compte permet de consulter des démarches, pas d’en saisir les valeurs : l’import vous est fermé.';

  app.get('/observatoire/admin/valeurs/import', MEMBER, async (request, reply) =>
    canSetValues(request) ? importPage(request, reply) : sendForbidden(request, reply, readOnly),
  );

  app.post('/observatoire/admin/valeurs/import', { ...MEMBER, schema: { body: multipartBody } }, async (request, reply) => {
    // Before the file is read: a procedure_reader cannot set values, so neither can it make the server read a file.
    if (!canSetValues(request)) return sendForbidden(request, reply, readOnly);
    const { simulation: dryRun, fichier: file } = importUpload.parse(request.body ?? {});
    if (!file || file.content.length === 0) {
      return importPage(request, reply, { error: 'Choisissez un fichier à importer.', dryRun, status: 400 });
    }
    const filename = file.filename;
    let rows: string[][];
    try {
      rows = await parseSheet(filename, file.content);
    } catch (err) {
      if (err instanceof SheetError) {
        if (err.status === 503) reply.header('retry-after', '60');
        return importPage(request, reply, { error: err.message, dryRun, status: err.status });
      }
      throw err;
    }
    const check = await checkImport(db, request.user!, rows);
    if (check.errors.length) return importPage(request, reply, { check, dryRun, status: 400 });
    if (dryRun) return importPage(request, reply, { check, dryRun });
    await db.transaction(async (tx) => {
      await writeManualValues(tx, request.user!.id, check.changes);
      await audit(tx, {
        actor: request.user,
        action: 'observatoire.values.import',
        entityType: 'obs_live_values',
        entityId: null,
        after: { file: filename, values: check.changes.length, procedures: new Set(check.changes.map((c) => c.procedureId)).size },
        ipHash: request.ipHash,
      });
    });
    return importPage(request, reply, { written: check.changes.length, dryRun: true });
  });
};
