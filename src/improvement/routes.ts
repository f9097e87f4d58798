import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { z } from 'zod';
import type { AppDeps } from '../kernel/web/deps.ts';
import { PUBLIC, STEERING } from '../kernel/web/access.ts';
import { redirectSeeOther, sendErrorPage, sendPage } from '../kernel/web/render.ts';
import { html, type SafeHtml } from '../kernel/web/html.ts';
import { csrfField, errorSummary, input, type FieldErrors } from '../kernel/web/forms.ts';
import { idParamsOr404 } from '../kernel/web/ids.ts';
import { formBody, formText, formTexts, multipartBody, type ZodTypeProvider } from '../kernel/web/schemas.ts';
import { formatDate } from '../kernel/web/format.ts';
import { audit } from '../kernel/audit/audit.ts';
import { statisticsHelp } from './help.ts';
import {
  ChallengeFileError,
  EFFECT_INDICATORS,
  parseChallengeFile,
  STATUS_LABELS,
  writeChallengeFile,
  type ChallengeFile,
} from './challenge-file.ts';
import { renderMarkdown } from './markdown.ts';
import { exportZip, readUpload } from './archive.ts';
import {
  challengeProcedures,
  getChallenge,
  listActions,
  listChallenges,
  listMembers,
  saveChallenge,
  slugTaken,
  unknownProcedures,
  type Challenge,
} from './queries.ts';
import { actionsTable, challengeFacts, challengePage, teamList } from './views/challenge-page.ts';
import { challengeEffect } from './effect.ts';
import { effectSection } from './views/effect-view.ts';
import { actionForms, addAction, changeActionStatus } from './actions.ts';
import { teamRoutes } from './team-routes.ts';
import { storyThemesRoutes } from './story-themes.ts';

const ADMIN = '/defis/admin';
const CRUMBS = [{ label: 'Défis', href: '/defis' }];
const ADMIN_CRUMBS = [...CRUMBS, { label: 'Gestion des défis', href: ADMIN }];

const TEMPLATE = `---
title: Titre du défi
slug: titre-du-defi
description: Une phrase qui dit ce que le défi veut changer.
ministry: Ministère
direction: Direction
place: Paris
positions: [Développeur ou développeuse, Designer]
start: 2026-01-01
end: 2026-12-31
launch: 2026-06-01
status: brouillon
procedures: []
indicators: [satisfaction]
---

## Le problème

Ce que vivent les usagers aujourd’hui.

## Ce que nous allons faire
`;

const MAX_UPLOAD_MB = 5;

/** A défi's slug, as the files write it (challenge-file.ts). */
const SLUG_PATTERN = /^[a-z0-9-]{1,80}$/;
const NOT_PUBLISHED = 'Ce défi n’existe pas ou n’est pas publié.';
/** `/defis/:slug`: a slug that cannot be one is the same 404 as an unknown or unpublished défi. */
const slugParams = z.object({
  slug: z
    .string({ error: NOT_PUBLISHED })
    .refine((slug) => SLUG_PATTERN.test(slug), { message: NOT_PUBLISHED, params: { title: 'Défi introuvable' } })
    .meta({ pattern: SLUG_PATTERN.source }),
});
/** `/defis/admin/:id…`: an id that cannot be one is the same 404 as an unknown défi. */
const challengeParams = idParamsOr404('Défi introuvable', 'Ce défi n’existe pas.');
/** The editor's form: the source is checked by the handler (its errors beside the field), the button by the schema. */
const editorBody = formBody({
  source: formText,
  action: z.enum(['apercu', 'enregistrer'], { error: 'Action de formulaire inconnue. Rien n’a été enregistré.' }).optional(),
});

export const improvementRoutes: FastifyPluginAsync<AppDeps> = async (instance, deps) => {
  const { db } = deps;
  await teamRoutes(instance, deps);
  await storyThemesRoutes(instance, deps);
  // Params and the editor's button validated by route schemas (zod); the forms' fields by the handlers, beside them.
  const app = instance.withTypeProvider<ZodTypeProvider>();
  app.get('/aide/statistiques', PUBLIC, async (request, reply) =>
    sendPage(request, reply, {
      title: 'Comprendre les intervalles de confiance et les évolutions',
      breadcrumb: [{ label: 'Comprendre les intervalles de confiance et les évolutions' }],
      content: statisticsHelp(),
    }),
  );

  // ---- Public ----
  app.get('/defis', PUBLIC, async (request, reply) => {
    const list = await listChallenges(db, { publicOnly: true });
    return sendPage(request, reply, {
      title: 'Défis d’amélioration',
      breadcrumb: [{ label: 'Défis' }],
      content: html`<h1>Défis d’amélioration</h1>
<p class="fr-text--lead">Une équipe prend une démarche aux résultats faibles et travaille à les améliorer ; Vigie mesure l’effet de ses changements.</p>
${
  list.length === 0
    ? html`<p>Aucun défi publié.</p>`
    : html`<ul class="fr-grid-row fr-grid-row--gutters vigie-plain-list">${list.map(
        (c) => html`<li class="fr-col-12 fr-col-md-6">
  <div class="fr-card fr-enlarge-link"><div class="fr-card__body"><div class="fr-card__content">
    <h2 class="fr-card__title"><a href="/defis/${c.slug}">${c.title}</a></h2>
    <p class="fr-card__desc">${c.description}</p>
    <p class="fr-card__detail">${STATUS_LABELS[c.status]}${c.ministry ? ` · ${c.ministry}` : ''}</p>
  </div></div></div></li>`,
      )}</ul>`
}
<p><a href="/aide/statistiques">Comment l’effet d’un défi est mesuré</a></p>`,
    });
  });

  app.get('/defis/:slug', { ...PUBLIC, schema: { params: slugParams } }, async (request, reply) => {
    const c = await getChallenge(db, { slug: request.params.slug });
    if (!c || c.status === 'brouillon') return sendErrorPage(request, reply, 404, 'Défi introuvable', NOT_PUBLISHED);
    const procedures = await challengeProcedures(db, c.procedures);
    const [members, actions] = [await listMembers(db, c.id), await listActions(db, c.id)];
    const effect = await challengeEffect(db, c, procedures);
    return sendPage(request, reply, {
      title: c.title,
      breadcrumb: [...CRUMBS, { label: c.title }],
      content: challengePage(c, procedures, members, actions, effectSection(effect)),
    });
  });

  // ---- Back-office (steering team) ----
  app.get(ADMIN, STEERING, async (request, reply) => {
    const list = await listChallenges(db);
    return sendPage(request, reply, {
      title: 'Gestion des défis',
      breadcrumb: [...CRUMBS, { label: 'Gestion des défis' }],
      content: html`<h1>Gestion des défis</h1>
<ul class="fr-btns-group fr-btns-group--inline-md">
  <li><a class="fr-btn" href="${ADMIN}/nouveau">Nouveau défi</a></li>
  <li><a class="fr-btn fr-btn--secondary" href="${ADMIN}/import">Importer des fichiers</a></li>
  <li><a class="fr-btn fr-btn--secondary" href="${ADMIN}/export.zip">Exporter tous les défis (zip)</a></li>
</ul>
${
  list.length === 0
    ? html`<p>Aucun défi.</p>`
    : html`<div class="fr-table"><table><caption>Défis</caption>
<thead><tr><th scope="col">Défi</th><th scope="col">Statut</th><th scope="col">Mise en service</th><th scope="col">Modifié le</th></tr></thead>
<tbody>${list.map((c) => html`<tr><th scope="row"><a href="${ADMIN}/${c.id}">${c.title}</a></th><td>${STATUS_LABELS[c.status]}</td><td>${c.launch ? formatDate(c.launch) : '–'}</td><td>${formatDate(c.updatedAt)}</td></tr>`)}</tbody></table></div>`
}`,
    });
  });

  function editorPage(
    request: FastifyRequest,
    reply: FastifyReply,
    o: { id: number | null; source: string; errors?: FieldErrors; preview?: ChallengeFile | null },
    status = 200,
  ) {
    const token = reply.generateCsrf();
    const action = o.id === null ? `${ADMIN}/nouveau` : `${ADMIN}/${o.id}/modifier`;
    const title = o.id === null ? 'Nouveau défi' : 'Modifier le défi';
    return sendPage(
      request,
      reply,
      {
        title,
        breadcrumb: [...ADMIN_CRUMBS, { label: title }],
        content: html`<h1>${title}</h1>
${errorSummary(o.errors ?? {})}
<p>Le défi s’écrit comme un fichier : un en-tête entre deux lignes « --- » (titre, slug, description, ministère, direction, lieu, postes à pourvoir,
dates, statut, identifiants stables des démarches, indicateurs suivis), puis le texte en Markdown. Les balises HTML ne sont pas conservées.
Statuts : ${Object.keys(STATUS_LABELS).join(', ')}. Indicateurs : ${EFFECT_INDICATORS.join(', ')}.</p>
<form method="post" action="${action}">
  ${csrfField(token)}
  <div class="fr-input-group${o.errors?.source ? ' fr-input-group--error' : ''}">
    <label class="fr-label" for="champ-source">Fichier du défi (en-tête et Markdown) <span class="vigie-required">(obligatoire)</span></label>
    <textarea class="fr-input vigie-source" id="champ-source" name="source" rows="24" required aria-required="true"${o.errors?.source ? html` aria-invalid="true" aria-describedby="champ-source-erreur"` : ''}>${o.source}</textarea>
    ${o.errors?.source ? html`<p class="fr-error-text" id="champ-source-erreur">${o.errors.source}</p>` : ''}
  </div>
  <ul class="fr-btns-group fr-btns-group--inline-md">
    <li><button type="submit" class="fr-btn fr-btn--secondary" name="action" value="apercu">Prévisualiser</button></li>
    <li><button type="submit" class="fr-btn" name="action" value="enregistrer">Enregistrer</button></li>
  </ul>
</form>
${
  o.preview
    ? html`<section class="fr-mt-4w" aria-labelledby="apercu"><h2 id="apercu">Aperçu</h2>
<div class="fr-callout"><h3 class="fr-callout__title">${o.preview.title}</h3><p class="fr-callout__text">${o.preview.description}</p></div>
${challengeFacts({ ...o.preview, id: 0, isDemo: false, updatedAt: new Date() }, [])}
<div class="vigie-markdown">${renderMarkdown(o.preview.body)}</div></section>`
    : ''
}`,
      },
      status,
    );
  }

  /** Checks a source (format, unknown procedures, slug taken): the file, or the errors in French. */
  async function check(source: string, id: number | null): Promise<{ file: ChallengeFile | null; error: string | null }> {
    let file: ChallengeFile;
    try {
      file = parseChallengeFile(source);
    } catch (error) {
      if (error instanceof ChallengeFileError) return { file: null, error: error.errors.join(' ') };
      throw error;
    }
    const unknown = await unknownProcedures(db, file.procedures);
    if (unknown.length) return { file: null, error: `procedures : démarches inconnues du catalogue : ${unknown.join(', ')}.` };
    if (await slugTaken(db, file.slug, id)) return { file: null, error: `slug : « ${file.slug} » est déjà celui d’un autre défi.` };
    return { file, error: null };
  }

  async function submit(request: FastifyRequest, reply: FastifyReply, body: z.output<typeof editorBody>, id: number | null) {
    const { source } = body;
    const { file, error } = await check(source, id);
    if (!file) return editorPage(request, reply, { id, source, errors: { source: error ?? 'Fichier invalide.' } }, 400);
    if (body.action !== 'enregistrer') return editorPage(request, reply, { id, source, preview: file });
    const saved = await db.transaction((tx) => saveChallenge(tx, file, request.user!, id === null ? {} : { id }));
    return redirectSeeOther(reply, `${ADMIN}/${saved.id}`);
  }

  app.get(`${ADMIN}/nouveau`, STEERING, async (request, reply) => editorPage(request, reply, { id: null, source: TEMPLATE }));
  app.post(`${ADMIN}/nouveau`, { ...STEERING, schema: { body: editorBody } }, async (request, reply) =>
    submit(request, reply, request.body, null),
  );

  async function load(request: FastifyRequest, reply: FastifyReply, id: number): Promise<Challenge | null> {
    const c = await getChallenge(db, { id });
    if (!c) sendErrorPage(request, reply, 404, 'Défi introuvable', 'Ce défi n’existe pas.');
    return c;
  }

  app.get(`${ADMIN}/:id/modifier`, { ...STEERING, schema: { params: challengeParams } }, async (request, reply) => {
    const c = await load(request, reply, request.params.id);
    return c ? editorPage(request, reply, { id: c.id, source: writeChallengeFile(c) }) : reply;
  });
  app.post(`${ADMIN}/:id/modifier`, { ...STEERING, schema: { params: challengeParams, body: editorBody } }, async (request, reply) => {
    const c = await load(request, reply, request.params.id);
    return c ? submit(request, reply, request.body, c.id) : reply;
  });

  async function adminPage(
    request: FastifyRequest,
    reply: FastifyReply,
    c: Challenge,
    errors: FieldErrors = {},
    values: Record<string, string> = {},
    status = 200,
  ) {
    const token = reply.generateCsrf();
    const procedures = await challengeProcedures(db, c.procedures);
    const [members, actions] = [await listMembers(db, c.id), await listActions(db, c.id)];
    return sendPage(
      request,
      reply,
      {
        title: c.title,
        breadcrumb: [...ADMIN_CRUMBS, { label: c.title }],
        content: html`<h1>${c.title}</h1>
${errorSummary(errors)}
<ul class="fr-btns-group fr-btns-group--inline-md">
  <li><a class="fr-btn" href="${ADMIN}/${c.id}/modifier">Modifier le texte</a></li>
  ${c.status !== 'brouillon' ? html`<li><a class="fr-btn fr-btn--secondary" href="/defis/${c.slug}">Page publique</a></li>` : ''}
</ul>
${challengeFacts(c, procedures)}
<h2>Équipe</h2>
${teamList(members)}
<form method="post" action="${ADMIN}/${c.id}/equipe" class="fr-mb-4w">
  ${csrfField(token)}
  <fieldset class="fr-fieldset"><legend class="fr-fieldset__legend">Ajouter un membre</legend>
    <div class="fr-fieldset__element">${input({ name: 'email', label: 'Adresse électronique du compte', type: 'email', required: true, value: values.email, error: errors.email })}</div>
    <div class="fr-fieldset__element">${input({ name: 'role', label: 'Rôle dans le défi', value: values.role, error: errors.role, hint: 'Par exemple : cheffe de projet, designer' })}</div>
    <div class="fr-fieldset__element"><button type="submit" class="fr-btn">Ajouter à l’équipe</button></div>
  </fieldset>
</form>
<h2>Actions</h2>
${actionsTable(actions)}
${actionForms(`${ADMIN}/${c.id}`, token, actions, errors, values)}`,
      },
      status,
    );
  }

  app.get(`${ADMIN}/:id`, { ...STEERING, schema: { params: challengeParams } }, async (request, reply) => {
    const c = await load(request, reply, request.params.id);
    return c ? adminPage(request, reply, c) : reply;
  });

  app.post(`${ADMIN}/:id/equipe`, { ...STEERING, schema: { params: challengeParams, body: formTexts } }, async (request, reply) => {
    const c = await load(request, reply, request.params.id);
    if (!c) return reply;
    const email = (request.body.email ?? '').trim().toLowerCase();
    const role = (request.body.role ?? '').trim();
    const values = { email, role };
    if (role.length > 100) return adminPage(request, reply, c, { role: 'Le rôle : 100 caractères au plus.' }, values, 400);
    const { rows } = email ? await db.query('SELECT id FROM users WHERE lower(email) = $1', [email]) : { rows: [] };
    if (!rows[0]) return adminPage(request, reply, c, { email: 'Aucun compte n’a cette adresse électronique.' }, values, 400);
    const userId = Number(rows[0].id);
    await db.transaction(async (tx) => {
      await tx.query(
        'INSERT INTO challenge_members (challenge_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT (challenge_id, user_id) DO UPDATE SET role = $3',
        [c.id, userId, role],
      );
      await audit(tx, {
        actor: request.user,
        action: 'challenge.member.add',
        entityType: 'challenge',
        entityId: c.id,
        after: { userId, role },
        ipHash: request.ipHash,
      });
    });
    return redirectSeeOther(reply, `${ADMIN}/${c.id}`);
  });

  app.post(`${ADMIN}/:id/actions`, { ...STEERING, schema: { params: challengeParams, body: formTexts } }, async (request, reply) => {
    const c = await load(request, reply, request.params.id);
    if (!c) return reply;
    const outcome = await addAction(db, request, request.body, c.id);
    return outcome.ok ? redirectSeeOther(reply, `${ADMIN}/${c.id}`) : adminPage(request, reply, c, outcome.errors, outcome.values, 400);
  });

  app.post(`${ADMIN}/:id/actions/statut`, { ...STEERING, schema: { params: challengeParams, body: formTexts } }, async (request, reply) => {
    const c = await load(request, reply, request.params.id);
    if (!c) return reply;
    const outcome = await changeActionStatus(db, request, request.body, c.id);
    return outcome.ok ? redirectSeeOther(reply, `${ADMIN}/${c.id}`) : adminPage(request, reply, c, outcome.errors, {}, 400);
  });

  app.get(`${ADMIN}/export.zip`, STEERING, async (_request, reply) => {
    const zip = exportZip(await listChallenges(db));
    return reply.type('application/zip').header('content-disposition', 'attachment; filename="defis.zip"').send(Buffer.from(zip));
  });

  function importPage(request: FastifyRequest, reply: FastifyReply, problems: SafeHtml | null = null, status = 200) {
    const token = reply.generateCsrf();
    return sendPage(
      request,
      reply,
      {
        title: 'Importer des défis',
        breadcrumb: [...ADMIN_CRUMBS, { label: 'Importer' }],
        content: html`<h1>Importer des défis</h1>
${problems ? html`<div class="fr-alert fr-alert--error fr-mb-3w" role="alert"><h2 class="fr-alert__title">Rien n’a été importé</h2>${problems}</div>` : ''}
<p>Un fichier .md (un défi) ou une archive .zip de fichiers .md (un par défi), au format de l’export. Un défi dont le slug existe déjà est remplacé. Tous les fichiers sont vérifiés avant d’écrire quoi que ce soit.</p>
<form method="post" action="${ADMIN}/import?_csrf=${encodeURIComponent(token)}" enctype="multipart/form-data">
  <div class="fr-upload-group fr-mb-3w">
    <label class="fr-label" for="champ-fichier">Fichier <span class="vigie-required">(obligatoire)</span><span class="fr-hint-text">.md ou .zip, ${MAX_UPLOAD_MB} Mo au plus</span></label>
    <input class="fr-upload" type="file" id="champ-fichier" name="fichier" accept=".md,.zip" required aria-required="true">
  </div>
  <button type="submit" class="fr-btn">Importer</button>
</form>`,
      },
      status,
    );
  }

  app.get(`${ADMIN}/import`, STEERING, async (request, reply) => importPage(request, reply));

  await app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: MAX_UPLOAD_MB * 1024 * 1024, files: 1, fields: 5, parts: 6 } });
    scope.post(`${ADMIN}/import`, { ...STEERING, schema: { body: multipartBody } }, async (request, reply) => {
      const fail = (message: string, status = 400) => importPage(request, reply, html`<p>${message}</p>`, status);
      if (!request.isMultipart()) return fail('Choisissez un fichier à importer.');
      let bytes: Buffer;
      let fileName: string;
      try {
        const file = await request.file();
        if (!file || !file.filename) return fail('Choisissez un fichier à importer.');
        fileName = file.filename.slice(0, 200);
        bytes = await file.toBuffer();
      } catch (error) {
        if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') return fail(`Le fichier dépasse ${MAX_UPLOAD_MB} Mo.`, 413);
        throw error;
      }
      const { files, problems } = readUpload(bytes, fileName);
      for (const f of files) {
        const unknown = await unknownProcedures(db, f.challenge.procedures);
        if (unknown.length)
          problems.push({ file: f.name, errors: [`procedures : démarches inconnues du catalogue : ${unknown.join(', ')}.`] });
      }
      if (problems.length) {
        return importPage(request, reply, html`<ul>${problems.map((p) => html`<li>${p.file} : ${p.errors.join(' ')}</li>`)}</ul>`, 400);
      }
      await db.transaction(async (tx) => {
        for (const f of files) await saveChallenge(tx, f.challenge, request.user!);
      });
      return redirectSeeOther(reply, ADMIN);
    });
  });
};
