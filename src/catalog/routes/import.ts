import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { csvText } from '../../kernel/export/csv.ts';
import type { AppDeps } from '../../kernel/web/deps.ts';
import type { CurrentUser } from '../../kernel/auth/scope.ts';
import { redirectSeeOther, sendPage } from '../../kernel/web/render.ts';
import { BusyError, readUploadedTable } from '../../kernel/spreadsheet/pool.ts';
import { FileError } from '../../kernel/spreadsheet/table.ts';
import { planImport } from '../import/plan.ts';
import { applyImport, StalePreviewError } from '../import/apply.ts';
import { loadPreview, markApplied, savePreview } from '../import/previews.ts';
import { COLUMNS } from '../import/columns.ts';
import { MAX_UPLOAD_MB, importFormPage, importReportPage } from '../views/import.ts';
import { forbidden, notFound } from './guard.ts';
import { MEMBER } from '../../kernel/web/access.ts';
import { z } from 'zod';
import { actionForm, multipartBody, type ZodTypeProvider } from '../../kernel/web/schemas.ts';

/** Importing needs a role that can change something: readers only read. */
function canImport(user: CurrentUser): boolean {
  return user.grants.some((g) => g.role !== 'procedure_reader');
}

class AlreadyAppliedError extends Error {}

/** A preview is named by 32 hexadecimal digits (previews.ts): another value names no preview, a 404. */
const previewParams = {
  params: z.object({
    id: z.string().refine((id) => /^[0-9a-f]{32}$/.test(id), {
      message: 'Cet aperçu d’import n’existe pas ou plus.',
      params: { title: 'Page non trouvée' },
    }),
  }),
};

export async function importRoutes(instance: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const breadcrumb = [{ label: 'Catalogue', href: '/catalogue' }, { label: 'Importer' }];

  const importUser = (request: FastifyRequest, reply: FastifyReply): CurrentUser | null => {
    const user = request.user!;
    if (!canImport(user)) {
      forbidden(request, reply);
      return null;
    }
    return user;
  };

  const formPage = (request: FastifyRequest, reply: FastifyReply, error?: string, status = 200) =>
    sendPage(
      request,
      reply,
      {
        title: error ? 'Erreur : Importer des démarches' : 'Importer des démarches',
        breadcrumb,
        content: importFormPage({ csrfToken: reply.generateCsrf(), error }),
      },
      status,
    );

  app.get('/catalogue/import', MEMBER, async (request, reply) => {
    if (!importUser(request, reply)) return reply;
    return formPage(request, reply);
  });

  app.get('/catalogue/import/modele.csv', MEMBER, async (request, reply) => {
    if (!importUser(request, reply)) return reply;
    const headers = COLUMNS.filter((c) => c.key !== 'ministry' && c.key !== 'archived').map((c) => c.header);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="modele-import-catalogue.csv"')
      .send(csvText([headers]));
  });

  // Files arrive as multipart: its parser and its size limit only on this route.
  await app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: MAX_UPLOAD_MB * 1024 * 1024, files: 1, fields: 10, parts: 12 } });
    // The file is read and checked here (size, format): a missing one shows the form again with its message.
    scope.post('/catalogue/import', { ...MEMBER, schema: { body: multipartBody } }, async (request, reply) => {
      const user = importUser(request, reply);
      if (!user) return reply;
      if (!request.isMultipart()) return formPage(request, reply, 'Choisissez un fichier à importer.', 400);
      let bytes: Buffer;
      let fileName: string;
      try {
        const file = await request.file();
        if (!file || !file.filename) return formPage(request, reply, 'Choisissez un fichier à importer.', 400);
        fileName = file.filename.slice(0, 200);
        bytes = await file.toBuffer();
      } catch (error) {
        if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
          return formPage(request, reply, `Le fichier dépasse ${MAX_UPLOAD_MB} Mo : découpez-le en plusieurs fichiers.`, 413);
        }
        throw error;
      }
      try {
        const { format, table } = await readUploadedTable(bytes, fileName); // in a worker thread, within limits.ts
        const plan = await planImport(db, user, table);
        const id = await savePreview(db, user.id, fileName, format, plan);
        return redirectSeeOther(reply, `/catalogue/import/${id}`);
      } catch (error) {
        if (error instanceof BusyError) reply.header('retry-after', '60');
        if (error instanceof FileError) return formPage(request, reply, error.message, error instanceof BusyError ? 503 : 400);
        throw error;
      }
    });
  });

  app.get('/catalogue/import/:id', { ...MEMBER, schema: previewParams }, async (request, reply) => {
    const user = importUser(request, reply);
    if (!user) return reply;
    const preview = await loadPreview(db, request.params.id, user.id);
    if (!preview) return notFound(request, reply, 'Cet aperçu d’import');
    return sendPage(request, reply, {
      title: preview.applied_at ? 'Import enregistré' : 'Aperçu de l’import',
      breadcrumb: [{ label: 'Catalogue', href: '/catalogue' }, { label: 'Importer', href: '/catalogue/import' }, { label: 'Aperçu' }],
      content: importReportPage({
        id: preview.id,
        report: preview.report,
        csrfToken: reply.generateCsrf(),
        applied: preview.applied_result,
      }),
    });
  });

  app.post('/catalogue/import/:id/confirmer', { ...MEMBER, schema: { ...previewParams, body: actionForm } }, async (request, reply) => {
    const user = importUser(request, reply);
    if (!user) return reply;
    const preview = await loadPreview(db, request.params.id, user.id);
    if (!preview) return notFound(request, reply, 'Cet aperçu d’import');
    if (preview.applied_at) return redirectSeeOther(reply, `/catalogue/import/${preview.id}`);
    const page = (error: string, status: number) =>
      sendPage(
        request,
        reply,
        {
          title: 'Erreur : aperçu de l’import',
          breadcrumb,
          content: importReportPage({ id: preview.id, report: preview.report, csrfToken: reply.generateCsrf(), applied: null, error }),
        },
        status,
      );
    if (preview.report.errors.length) return page('Le fichier contient des erreurs : rien n’a été importé.', 400);
    try {
      await applyImport(db, preview.writes, { actor: user, ipHash: request.ipHash, fileName: preview.file_name }, async (tx, result) => {
        if (!(await markApplied(tx, preview.id, result))) throw new AlreadyAppliedError();
      });
    } catch (error) {
      if (error instanceof AlreadyAppliedError) return redirectSeeOther(reply, `/catalogue/import/${preview.id}`);
      if (error instanceof StalePreviewError) return page(error.message, 409);
      if ((error as { code?: string }).code === '23505')
        return page(
          'Deux démarches se disputent le même slug : relancez l’import pour obtenir un aperçu à jour. Rien n’a été enregistré.',
          409,
        );
      throw error;
    }
    return redirectSeeOther(reply, `/catalogue/import/${preview.id}`);
  });
}
