import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { AppDeps } from '../kernel/web/deps.ts';
import { MEMBER, PUBLIC, STEERING, inScope } from '../kernel/web/access.ts';
import { redirectSeeOther, sendErrorPage, sendPage } from '../kernel/web/render.ts';
import { idParams, idParamsOr404 } from '../kernel/web/ids.ts';
import { formBody, multipartBody, pageParam, type ZodTypeProvider } from '../kernel/web/schemas.ts';
import { z } from 'zod';
import { audit } from '../kernel/audit/audit.ts';
import { canEditProcedure, procedureScope } from '../kernel/auth/scope.ts';
import { run, sql } from '../kernel/db/sql.ts';
import { csvText } from '../kernel/export/csv.ts';
import { todayInParis } from '../kernel/web/format.ts';
import { BusyError, readUploadedTable } from '../kernel/spreadsheet/pool.ts';
import { FileError } from '../kernel/spreadsheet/table.ts';
import { registeredSources, registerIndicatorSource } from '../observatoire/index.ts';
import type { SafeHtml } from '../kernel/web/html.ts';
import { communeByCode, searchCommune, type CommuneSearch } from './geo/communes.ts';
import {
  contactsPer1000,
  listChannels,
  listVolumes,
  nearestPoints,
  publicProcedure,
  saveChannels,
  upsertVolume,
  type NearPoint,
} from './queries.ts';
import { readChannels, validatePoint, validateVolume, POINT_FIELDS, VOLUME_FIELDS, type PointFields } from './validate.ts';
import {
  applyVolumes,
  planPointImport,
  planVolumeImport,
  upsertPoint,
  POINT_TEMPLATE_HEADERS,
  VOLUME_TEMPLATE_HEADERS,
  type ImportPlan,
} from './import.ts';
import { publicHelpPage } from './views/public.ts';
import {
  channelsFormPage,
  importReport,
  MAX_UPLOAD_MB,
  pointFormPage,
  pointsListPage,
  supportIndexPage,
  supportPage,
  type HelpIndicators,
} from './views/backoffice.ts';
import { supportIndicatorSource } from './observatoire-source.ts';
import type { Queryable } from '../kernel/db/db.ts';

registerIndicatorSource(supportIndicatorSource);

const NEAREST = 10;
const POINTS_PER_PAGE = 100;

/** The feedback's help indicators of a procedure (« aide joignable », « autonomie »), through the observatoire's sources. */
async function helpIndicators(db: Queryable, procedureId: number): Promise<HelpIndicators> {
  const end = todayInParis();
  const start = new Date(Date.parse(`${end}T00:00:00Z`) - 364 * 86_400_000).toISOString().slice(0, 10);
  const out: HelpIndicators = { reachable: null, autonomy: null };
  for (const source of registeredSources()) {
    if (!source.indicators.includes('help_reachable') && !source.indicators.includes('help_used')) continue;
    const values = (await source.valuesFor(db, [procedureId], { start, end })).get(procedureId) ?? {};
    const num = (v: unknown) =>
      typeof v === 'number' ? v : typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? Number(v) : ((v as string | null) ?? null);
    if ('help_reachable' in values) out.reachable = num(values.help_reachable);
    if ('help_used' in values) out.autonomy = num(values.help_used);
  }
  return out;
}

/**
 * An import form's parts, as @fastify/multipart attaches them (`attachFieldsToBody`; the file as { filename, content }
 * by onFile), or nothing: the route's body is `multipartBody`, so that a missing file answers « Choisissez un fichier ».
 */
const uploadParts = z
  .object({
    fichier: z
      .object({ filename: z.string(), content: z.instanceof(Buffer) })
      .optional()
      .catch(undefined),
    mode: z.unknown().optional(),
  })
  .catch({ fichier: undefined, mode: undefined });

async function readUpload(
  body: unknown,
): Promise<
  | { ok: true; table: Awaited<ReturnType<typeof readUploadedTable>>['table']; apply: boolean; fileName: string }
  | { ok: false; error: string; status: number }
> {
  const b = uploadParts.parse(body ?? {});
  const file = b.fichier;
  if (!file || !file.filename || !file.content.length) return { ok: false, error: 'Choisissez un fichier à importer.', status: 400 };
  try {
    const { table } = await readUploadedTable(file.content, file.filename.slice(0, 200)); // worker thread, kernel limits
    return { ok: true, table, apply: b.mode === 'importer', fileName: file.filename.slice(0, 200) };
  } catch (error) {
    if (error instanceof BusyError) return { ok: false, error: error.message, status: 503 };
    if (error instanceof FileError) return { ok: false, error: error.message, status: 400 };
    throw error;
  }
}

function pointValues(b: Record<string, unknown>): PointFields {
  return Object.fromEntries(
    POINT_FIELDS.map((f) => {
      const v = b[f];
      return [f, typeof v === 'string' ? v : ''];
    }),
  ) as PointFields;
}

export const supportRoutes: FastifyPluginAsync<AppDeps> = async (instance, { db }) => {
  // Ids of the URL, queries and form bodies by route schemas (an id that cannot be one is the route's 404); the forms'
  // fields checked below, their messages beside them.
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const helpPageParams = idParamsOr404('Page non trouvée', 'Cette démarche n’existe pas ou n’est plus proposée.');
  const pointParams = idParamsOr404('Page non trouvée', 'Ce lieu d’aide n’existe pas.');
  const communeQuery = z.looseObject({
    commune: z
      .unknown()
      .optional()
      .transform((value) => (typeof value === 'string' ? value.slice(0, 200) : '')),
  });
  // ——— Public « Obtenir de l'aide » page ———
  app.get('/aide/demarches/:id', { ...PUBLIC, schema: { params: helpPageParams, querystring: communeQuery } }, async (request, reply) => {
    const { id } = request.params;
    const procedure = await publicProcedure(db, id);
    if (!procedure) return sendErrorPage(request, reply, 404, 'Page non trouvée', 'Cette démarche n’existe pas ou n’est plus proposée.');
    const query = request.query.commune;
    let search: CommuneSearch | null = null;
    let points: NearPoint[] | null = null;
    if (query.trim()) {
      search = searchCommune(query);
      if (search.kind === 'found')
        points = await nearestPoints(db, procedure.id, search.commune.latitude, search.commune.longitude, NEAREST);
    }
    const channels = await listChannels(db, procedure.id);
    const status = search?.kind === 'none' ? 400 : 200;
    return sendPage(
      request,
      reply,
      {
        title: search?.kind === 'none' ? `Erreur : Obtenir de l’aide — ${procedure.title}` : `Obtenir de l’aide — ${procedure.title}`,
        breadcrumb: [{ label: 'Obtenir de l’aide' }],
        content: publicHelpPage({ procedure, channels, query, search, points }),
      },
      status,
    );
  });

  // ——— Back-office: one procedure ———
  app.get('/support', MEMBER, async (request, reply) => {
    const user = request.user!;
    const { rows } = await run(
      db,
      sql`SELECT p.id, p.title, a.name AS administration,
        (SELECT count(*) FROM support_channels c WHERE c.procedure_id = p.id) AS channels,
        (SELECT count(*) FROM support_volumes v WHERE v.procedure_id = p.id) AS months
      FROM procedures p JOIN administrations a ON a.id = p.administration_id
      WHERE p.archived_at IS NULL AND ${procedureScope(user)} ORDER BY p.title, p.id LIMIT 500`,
    );
    return sendPage(request, reply, {
      title: 'Aide aux usagers',
      breadcrumb: [{ label: 'Aide aux usagers' }],
      content: supportIndexPage(
        rows.map((r) => ({
          id: Number(r.id),
          title: r.title,
          administration: r.administration,
          channels: Number(r.channels),
          months: Number(r.months),
        })),
      ),
    });
  });

  const procedurePage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    extra: { volumeForm?: { values: Record<string, string>; errors: Record<string, string> }; report?: SafeHtml } = {},
    status = 200,
  ) => {
    const procedure = (await publicProcedure(db, id))!;
    const [channels, volumes, help] = [await listChannels(db, id), await listVolumes(db, id), await helpIndicators(db, id)];
    const lastYear = volumes.slice(-12);
    const contacts = lastYear.reduce((s, m) => s + m.callsReceived + m.mailsReceived, 0);
    return sendPage(
      request,
      reply,
      {
        title: `${Object.keys(extra.volumeForm?.errors ?? {}).length || status >= 400 ? 'Erreur : ' : ''}Aide aux usagers — ${procedure.title}`,
        breadcrumb: [{ label: 'Aide aux usagers', href: '/support' }, { label: procedure.title }],
        content: supportPage({
          procedure,
          channels,
          volumes,
          help,
          csrfToken: reply.generateCsrf(),
          canEdit: canEditProcedure(request.user, request.place as never),
          rate: { value: contactsPer1000(contacts, lastYear.length, procedure.volumeOnline), months: lastYear.length, contacts },
          ...extra,
        }),
      },
      status,
    );
  };

  app.get('/support/demarches/:id', { ...inScope('procedure', 'read'), schema: { params: idParams } }, async (request, reply) =>
    procedurePage(request, reply, request.params.id),
  );

  app.get('/support/demarches/:id/canaux', { ...inScope('procedure', 'edit'), schema: { params: idParams } }, async (request, reply) => {
    const { id } = request.params;
    const procedure = (await publicProcedure(db, id))!;
    const channels = await listChannels(db, id);
    return sendPage(request, reply, {
      title: `Canaux d’aide — ${procedure.title}`,
      breadcrumb: [
        { label: 'Aide aux usagers', href: '/support' },
        { label: procedure.title, href: `/support/demarches/${id}` },
        { label: 'Canaux d’aide' },
      ],
      content: channelsFormPage({ procedure, rows: [...channels, {}, {}], errors: {}, csrfToken: reply.generateCsrf() }),
    });
  });

  app.post(
    '/support/demarches/:id/canaux',
    { ...inScope('procedure', 'edit'), schema: { params: idParams, body: formBody({}) } },
    async (request, reply) => {
      const { id } = request.params;
      const procedure = (await publicProcedure(db, id))!;
      const { channels, raw, errors } = readChannels(request.body);
      if (Object.keys(errors).length) {
        return sendPage(
          request,
          reply,
          {
            title: `Erreur : Canaux d’aide — ${procedure.title}`,
            breadcrumb: [
              { label: 'Aide aux usagers', href: '/support' },
              { label: procedure.title, href: `/support/demarches/${id}` },
              { label: 'Canaux d’aide' },
            ],
            content: channelsFormPage({ procedure, rows: raw.length ? raw : [{}], errors, csrfToken: reply.generateCsrf() }),
          },
          400,
        );
      }
      await db.transaction(async (tx) => {
        const before = await listChannels(tx, id);
        await saveChannels(tx, id, channels);
        await audit(tx, {
          actor: request.user!,
          action: 'support.channels.update',
          entityType: 'procedure',
          entityId: id,
          before: { canaux: before.map(({ id: _, ...c }) => c) },
          after: { canaux: channels },
          ipHash: request.ipHash,
        });
      });
      return redirectSeeOther(reply, `/support/demarches/${id}`);
    },
  );

  app.post(
    '/support/demarches/:id/volumes',
    { ...inScope('procedure', 'edit'), schema: { params: idParams, body: formBody({}) } },
    async (request, reply) => {
      const { id } = request.params;
      const b = request.body;
      const values = Object.fromEntries(
        VOLUME_FIELDS.map((f) => {
          const v = b[f];
          return [f, typeof v === 'string' ? v.slice(0, 100) : ''];
        }),
      ) as Record<(typeof VOLUME_FIELDS)[number], string>;
      const result = validateVolume(values);
      if (!result.ok) return procedurePage(request, reply, id, { volumeForm: { values, errors: result.errors } }, 400);
      await db.transaction(async (tx) => {
        await upsertVolume(tx, id, result.data);
        await audit(tx, {
          actor: request.user!,
          action: 'support.volumes.update',
          entityType: 'procedure',
          entityId: id,
          after: result.data,
          ipHash: request.ipHash,
        });
      });
      return redirectSeeOther(reply, `/support/demarches/${id}`);
    },
  );

  app.get('/support/modeles/volumes.csv', MEMBER, async (_request, reply) =>
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="modele-volumes-aide.csv"')
      .send(
        csvText([
          VOLUME_TEMPLATE_HEADERS,
          ['ants-immatriculation-autres-demandes', '2026-01', '227478', '150000', '50227', '48000', '540'],
        ]),
      ),
  );

  app.get('/support/modeles/lieux.csv', STEERING, async (_request, reply) =>
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="modele-lieux-aide.csv"')
      .send(
        csvText([
          POINT_TEMPLATE_HEADERS,
          [
            'fs-69123-01',
            'France services Lyon 3e',
            'France services',
            '12 rue Exemple',
            '69003',
            '69123',
            'Lyon',
            '45,7597',
            '4,8422',
            'Lundi–vendredi 9 h–17 h',
            'Accès de plain-pied',
            '04 00 00 00 00',
            'toutes',
          ],
        ]),
      ),
  );

  // ——— Help points (steering team) ———
  const pointsList = async (request: FastifyRequest, reply: FastifyReply, report?: SafeHtml, status = 200, page = 1) => {
    const { rows } = await run(
      db,
      sql`SELECT sp.id, sp.identifier, sp.name, sp.kind, sp.commune_name, sp.postal_code, sp.all_procedures,
        (SELECT count(*) FROM support_point_procedures spp WHERE spp.point_id = sp.id) AS procedures
      FROM support_points sp ORDER BY sp.name, sp.id LIMIT ${POINTS_PER_PAGE} OFFSET ${(page - 1) * POINTS_PER_PAGE}`,
    );
    const { rows: kinds } = await run(db, sql`SELECT kind, count(*) AS n FROM support_points GROUP BY kind ORDER BY count(*) DESC, kind`);
    const total = kinds.reduce((s, k) => s + Number(k.n), 0);
    return sendPage(
      request,
      reply,
      {
        title: `${status >= 400 ? 'Erreur : ' : ''}Lieux d’aide`,
        breadcrumb: [{ label: 'Lieux d’aide' }],
        content: pointsListPage({
          points: rows.map((r) => ({
            id: Number(r.id),
            identifier: r.identifier,
            name: r.name,
            kind: r.kind,
            communeName: r.commune_name,
            postalCode: r.postal_code,
            procedures: Number(r.procedures),
            allProcedures: r.all_procedures,
          })),
          total,
          byKind: kinds.map((k) => ({ kind: k.kind, n: Number(k.n) })),
          page,
          pages: Math.ceil(total / POINTS_PER_PAGE),
          csrfToken: reply.generateCsrf(),
          report,
        }),
      },
      status,
    );
  };

  app.get('/lieux-aide', { ...STEERING, schema: { querystring: z.looseObject({ page: pageParam }) } }, async (request, reply) =>
    pointsList(request, reply, undefined, 200, request.query.page),
  );

  const pointForm = (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number | null,
    values: Record<string, string>,
    errors: Record<string, string>,
    status = 200,
  ) =>
    sendPage(
      request,
      reply,
      {
        title: `${Object.keys(errors).length ? 'Erreur : ' : ''}${id ? 'Modifier un lieu d’aide' : 'Ajouter un lieu d’aide'}`,
        breadcrumb: [{ label: 'Lieux d’aide', href: '/lieux-aide' }, { label: id ? values.name || 'Lieu' : 'Ajouter' }],
        content: pointFormPage({ id, values, errors, csrfToken: reply.generateCsrf() }),
      },
      status,
    );

  app.get('/lieux-aide/nouveau', STEERING, async (request, reply) => pointForm(request, reply, null, {}, {}));

  app.get('/lieux-aide/:id', { ...STEERING, schema: { params: pointParams } }, async (request, reply) => {
    const { id } = request.params;
    const { rows } = await run(
      db,
      sql`SELECT sp.*, (SELECT string_agg(p.stable_id, ', ' ORDER BY p.stable_id) FROM support_point_procedures spp JOIN procedures p ON p.id = spp.procedure_id WHERE spp.point_id = sp.id) AS stable_ids FROM support_points sp WHERE sp.id = ${id}`,
    );
    const r = rows[0];
    if (!r) return sendErrorPage(request, reply, 404, 'Page non trouvée', 'Ce lieu d’aide n’existe pas.');
    const values = {
      identifier: r.identifier,
      name: r.name,
      kind: r.kind,
      address: r.address,
      postal_code: r.postal_code,
      commune_code: r.commune_code,
      commune_name: r.commune_name,
      latitude: String(r.latitude).replace('.', ','),
      longitude: String(r.longitude).replace('.', ','),
      opening_hours: r.opening_hours,
      accessibility: r.accessibility,
      phone: r.phone,
      procedures: r.all_procedures ? 'toutes' : (r.stable_ids ?? ''),
    };
    return pointForm(request, reply, id, values, {});
  });

  const savePoint = async (request: FastifyRequest<{ Body: Record<string, unknown> }>, reply: FastifyReply, id: number | null) => {
    const values = pointValues(request.body);
    const result = validatePoint(values);
    if (!result.ok) return pointForm(request, reply, id, values, result.errors, 400);
    const point = result.data;
    const errors: Record<string, string> = {};
    if (point.procedures.length) {
      const { rows } = await run(db, sql`SELECT stable_id FROM procedures WHERE stable_id = ANY(${point.procedures}::text[])`);
      const known = new Set(rows.map((r) => r.stable_id));
      const unknown = point.procedures.filter((p) => !known.has(p));
      if (unknown.length) errors.procedures = `Identifiant inconnu du catalogue : ${unknown.slice(0, 5).join(', ')}.`;
    }
    const { rows: same } = await run(db, sql`SELECT id FROM support_points WHERE identifier = ${point.identifier}`);
    if (same[0] && Number(same[0].id) !== id) errors.identifier = 'Un autre lieu porte déjà cet identifiant.';
    if (!point.communeName) point.communeName = communeByCode(point.communeCode)?.name ?? '';
    if (Object.keys(errors).length) return pointForm(request, reply, id, values, errors, 400);
    if (id) {
      const { rows } = await run(db, sql`SELECT id FROM support_points WHERE id = ${id}`);
      if (!rows[0]) return sendErrorPage(request, reply, 404, 'Page non trouvée', 'Ce lieu d’aide n’existe pas.');
    }
    await db.transaction(async (tx) => {
      if (id) await run(tx, sql`UPDATE support_points SET identifier = ${point.identifier} WHERE id = ${id}`);
      const saved = await upsertPoint(tx, point);
      await audit(tx, {
        actor: request.user!,
        action: id ? 'support.point.update' : 'support.point.create',
        entityType: 'support_point',
        entityId: saved,
        after: point,
        ipHash: request.ipHash,
      });
    });
    return redirectSeeOther(reply, '/lieux-aide');
  };

  app.post('/lieux-aide', { ...STEERING, schema: { body: formBody({}) } }, async (request, reply) => savePoint(request, reply, null));
  app.post('/lieux-aide/:id', { ...STEERING, schema: { params: pointParams, body: formBody({}) } }, async (request, reply) => {
    return savePoint(request, reply, request.params.id);
  });

  // ——— Imports: the kernel's reader (worker threads, limits), dry run or all-or-nothing ———
  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    await scope.register(multipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: MAX_UPLOAD_MB * 1024 * 1024, files: 1, fields: 5, parts: 6 },
      async onFile(part) {
        (part as any).value = { filename: part.filename, content: await part.toBuffer() };
      },
    });

    scope.post('/lieux-aide/import', { ...STEERING, schema: { body: multipartBody } }, async (request, reply) => {
      const upload = await readUpload(request.body);
      if (!upload.ok) {
        if (upload.status === 503) reply.header('retry-after', '60');
        return pointsList(request, reply, importReport(null, false, upload.error, ['lieu', 'lieux']), upload.status);
      }
      const plan = await planPointImport(db, upload.table);
      if (plan.errors.length || !upload.apply)
        return pointsList(request, reply, importReport(plan, false, null, ['lieu', 'lieux']), plan.errors.length ? 400 : 200);
      await db.transaction(async (tx) => {
        for (const point of plan.rows) {
          if (!point.communeName) point.communeName = communeByCode(point.communeCode)?.name ?? '';
          await upsertPoint(tx, point);
        }
        await audit(tx, {
          actor: request.user!,
          action: 'support.points.import',
          entityType: 'support_points',
          after: { fichier: upload.fileName, créés: plan.created, mis_à_jour: plan.updated },
          ipHash: request.ipHash,
        });
      });
      return pointsList(request, reply, importReport(plan, true, null, ['lieu', 'lieux']));
    });

    scope.post(
      '/support/demarches/:id/volumes/import',
      { ...inScope('procedure', 'edit'), schema: { params: idParams, body: multipartBody } },
      async (request, reply) => {
        const { id } = request.params;
        const upload = await readUpload(request.body);
        if (!upload.ok) {
          if (upload.status === 503) reply.header('retry-after', '60');
          return procedurePage(request, reply, id, { report: importReport(null, false, upload.error, ['mois', 'mois']) }, upload.status);
        }
        const plan: ImportPlan<unknown> & Awaited<ReturnType<typeof planVolumeImport>> = await planVolumeImport(db, upload.table, id);
        if (plan.errors.length || !upload.apply)
          return procedurePage(
            request,
            reply,
            id,
            { report: importReport(plan, false, null, ['mois', 'mois']) },
            plan.errors.length ? 400 : 200,
          );
        await db.transaction(async (tx) => {
          await applyVolumes(tx, plan.rows);
          await audit(tx, {
            actor: request.user!,
            action: 'support.volumes.import',
            entityType: 'procedure',
            entityId: id,
            after: { fichier: upload.fileName, créés: plan.created, mis_à_jour: plan.updated },
            ipHash: request.ipHash,
          });
        });
        return procedurePage(request, reply, id, { report: importReport(plan, true, null, ['mois', 'mois']) });
      },
    );
  });
};
