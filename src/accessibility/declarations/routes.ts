import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { inScope, PUBLIC } from '../../kernel/web/access.ts';
import { redirectSeeOther, sendErrorPage, sendPage } from '../../kernel/web/render.ts';
import { todayInParis } from '../../kernel/web/format.ts';
import { html } from '../../kernel/web/html.ts';
import type { FieldErrors } from '../../kernel/web/forms.ts';
import { z } from 'zod';
import { idParams } from '../../kernel/web/ids.ts';
import { formBody, type ZodTypeProvider } from '../../kernel/web/schemas.ts';
import {
  buildDeclarationContent,
  declarationByStableId,
  EDITABLE_FIELDS,
  generateDeclaration,
  getDeclaration,
  latestPublishedFullAudit,
  procedureFacts,
  publishDeclaration,
  publishedDeclarations,
  saveDeclarationDraft,
  setRedesign,
  type DraftFields,
} from './queries.ts';
import { declarationBody, editorPage, footerSnippet } from './views.ts';

/** A text field of a form body (its route schema is formBody): trimmed, '' when absent or repeated. */
export function bodyText(request: { body?: unknown }, name: string): string {
  const body = request.body;
  const v: unknown = typeof body === 'object' && body !== null && Object.hasOwn(body, name) ? Reflect.get(body, name) : undefined;
  return typeof v === 'string' ? v.trim() : '';
}

const MAX_FIELD = 10_000;
const URL_RE = /^https?:\/\/[^\s]+$/i;

/** Checks the team's fields: French messages, nothing written on an error. */
export function checkDraft(fields: DraftFields): FieldErrors {
  const errors: FieldErrors = {};
  for (const f of EDITABLE_FIELDS) if (fields[f].length > MAX_FIELD) errors[f] = `Ce champ est limité à ${MAX_FIELD} caractères.`;
  if (fields.contact_email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(fields.contact_email))
    errors.contact_email = 'Saisissez une adresse électronique valide, par exemple accessibilite@exemple.gouv.fr.';
  for (const f of ['contact_form_url', 'contact_page_url'] as const) {
    if (fields[f] && !URL_RE.test(fields[f]))
      errors[f] = 'Saisissez une adresse commençant par https://, par exemple https://exemple.gouv.fr/contact.';
  }
  return errors;
}

export async function declarationRoutes(instance: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  // The URL's ids and the forms' bodies by route schemas; the fields checked by checkDraft, their messages beside them.
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const NO_DECLARATION = 'Cette démarche n’a pas de déclaration d’accessibilité publiée dans Vigie.';
  const stableIdParams = z.object({
    stableId: z.string().refine((value) => value.length <= 100, { message: NO_DECLARATION, params: { title: 'Déclaration introuvable' } }),
  });

  // The public declaration, at a stable URL per procedure (its stable id).
  app.get('/declarations-accessibilite/:stableId', { ...PUBLIC, schema: { params: stableIdParams } }, async (request, reply) => {
    const d = await declarationByStableId(db, request.params.stableId, todayInParis());
    if (!d) return sendErrorPage(request, reply, 404, 'Déclaration introuvable', NO_DECLARATION);
    const c = d.content;
    return sendPage(request, reply, {
      title: `Déclaration d’accessibilité – ${c.procedure.title}`,
      breadcrumb: [{ label: 'Déclarations d’accessibilité' }, { label: c.procedure.title }],
      content: html`<h1>Déclaration d’accessibilité : ${c.scope.service}</h1>
${declarationBody(c, d.validity)}
<p class="fr-mt-4w"><a href="/api/v1/accessibility/declarations/${c.procedure.stableId}">Cette déclaration en JSON</a></p>`,
    });
  });

  const editor = async (
    request: FastifyRequest,
    reply: FastifyReply,
    opts: { errors?: FieldErrors; fields?: DraftFields; conflict?: boolean; status?: number } = {},
  ) => {
    const procedureId = request.place!.procedureId!;
    const p = (await procedureFacts(db, procedureId))!;
    const row = await getDeclaration(db, procedureId);
    const today = todayInParis();
    const found = await latestPublishedFullAudit(db, procedureId);
    const preview = row ? await buildDeclarationContent(db, row, today) : null;
    const published = (await publishedDeclarations(db, [procedureId], today)).get(procedureId) ?? null;
    const fields = opts.fields ?? (row ? (Object.fromEntries(EDITABLE_FIELDS.map((f) => [f, row[f]])) as DraftFields) : null);
    return sendPage(
      request,
      reply,
      {
        title: `Déclaration d’accessibilité – ${p.title}`,
        breadcrumb: [{ label: 'Accessibilité', href: `/rgaa/demarches/${procedureId}/feuille-de-route` }, { label: 'Déclaration' }],
        content: editorPage({
          procedure: { id: p.id, title: p.title, stableId: p.stableId },
          row,
          fields,
          auditAvailable: found,
          preview,
          published: published ? { content: published.content, validity: published.validity } : null,
          publicUrl: `/declarations-accessibilite/${encodeURIComponent(p.stableId)}`,
          csrf: reply.generateCsrf(),
          errors: opts.errors,
          conflict: opts.conflict,
        }),
      },
      opts.status ?? 200,
    );
  };

  const EDIT = { ...inScope('procedure', 'edit', 'id'), schema: { params: idParams } };
  const FORM = { ...inScope('procedure', 'edit', 'id'), schema: { params: idParams, body: formBody({}) } };
  app.get('/rgaa/demarches/:id/declaration', EDIT, (request, reply) => editor(request, reply));

  app.post('/rgaa/demarches/:id/declaration', FORM, async (request, reply) => {
    const procedureId = request.place!.procedureId!;
    const fields = Object.fromEntries(EDITABLE_FIELDS.map((f) => [f, bodyText(request, f)])) as DraftFields;
    const errors = checkDraft(fields);
    const expected = Number(bodyText(request, 'version'));
    if (!Number.isInteger(expected) || expected < 1) errors.version = 'Formulaire périmé : rechargez la page.';
    if (Object.keys(errors).length) return editor(request, reply, { errors, fields, status: 400 });
    const result = await db.transaction((tx) =>
      saveDeclarationDraft(tx, { procedureId, fields, expectedVersion: expected, actor: request.user! }),
    );
    if (result.outcome === 'missing')
      return editor(request, reply, { errors: { audit: 'Générez d’abord la déclaration depuis un audit complet publié.' }, status: 400 });
    if (result.outcome === 'conflict') return editor(request, reply, { fields, conflict: true, status: 409 });
    return redirectSeeOther(reply, `/rgaa/demarches/${procedureId}/declaration`);
  });

  app.post('/rgaa/demarches/:id/declaration/generer', FORM, async (request, reply) => {
    const procedureId = request.place!.procedureId!;
    const result = await db.transaction((tx) => generateDeclaration(tx, { procedureId, actor: request.user! }));
    if (result.outcome === 'no_audit')
      return editor(request, reply, {
        errors: { audit: 'Aucun audit complet publié pour cette démarche : rien n’a été créé.' },
        status: 400,
      });
    return redirectSeeOther(reply, `/rgaa/demarches/${procedureId}/declaration`);
  });

  app.post('/rgaa/demarches/:id/declaration/publier', FORM, async (request, reply) => {
    const procedureId = request.place!.procedureId!;
    const result = await db.transaction((tx) => publishDeclaration(tx, { procedureId, actor: request.user!, today: todayInParis() }));
    if (result.outcome === 'refused') return editor(request, reply, { errors: result.errors, status: 400 });
    return redirectSeeOther(reply, `/rgaa/demarches/${procedureId}/declaration`);
  });

  app.post('/rgaa/demarches/:id/declaration/refonte', FORM, async (request, reply) => {
    const procedureId = request.place!.procedureId!;
    const on = bodyText(request, 'redesigned_on');
    if (on !== '' && !(/^\d{4}-\d{2}-\d{2}$/.test(on) && !Number.isNaN(Date.parse(`${on}T00:00:00Z`)))) {
      return editor(request, reply, {
        errors: { redesigned_on: 'Saisissez une date au format AAAA-MM-JJ, par exemple 2026-03-01.' },
        status: 400,
      });
    }
    const ok = await db.transaction((tx) => setRedesign(tx, { procedureId, on: on || null, actor: request.user! }));
    if (!ok)
      return editor(request, reply, {
        errors: { redesigned_on: 'La déclaration n’est pas encore publiée : rien n’a été modifié.' },
        status: 400,
      });
    return redirectSeeOther(reply, `/rgaa/demarches/${procedureId}/declaration`);
  });
}

export { footerSnippet };
