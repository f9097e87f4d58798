import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { inScope, publicStatic, PUBLIC, sendForbidden } from '../../kernel/web/access.ts';
import { redirectSeeOther, sendErrorPage, sendPage } from '../../kernel/web/render.ts';
import { idParam, idParamsOr404, parseId, queryId } from '../../kernel/web/ids.ts';
import { actionForm, formBody, formTexts, multipartBody, type ZodTypeProvider } from '../../kernel/web/schemas.ts';
import { validateForm, type FieldErrors } from '../../kernel/web/forms.ts';
import { canEditProcedure } from '../../kernel/auth/scope.ts';
import { hashToken, newToken } from '../../kernel/auth/session.ts';
import { audit } from '../../kernel/audit/audit.ts';
import { AUDIT_TYPES, type AuditType } from '../rgaa/referential.ts';
import { RESULT_STATUSES, type ResultStatus } from '../conformity/rate.ts';
import type { Queryable } from '../../kernel/db/db.ts';
import type { ScanFindingsReader } from '../../monitoring/index.ts';
import { IMPACTS, missingMandatoryKinds, PAGE_KINDS, type PageKind } from './model.ts';
import { auditConformity, saveResult } from './queries.ts';
import {
  addAuditor,
  addEnvironment,
  addItem,
  addProcess,
  addSamplePage,
  applyToUntestedPages,
  auditFootprint,
  deleteAudit,
  movePage,
  updatePage,
  AuditLockedError,
  changeItem,
  changesSincePrevious,
  createAuditWith,
  getAudit,
  itemImage,
  listProcedureAudits,
  loadCell,
  loadCells,
  publishAudit,
  removeAuditor,
  removeEnvironment,
  removePage,
  rgaaOf,
  startReaudit,
  updateAuditFields,
  type AuditDetail,
  type AuditFields,
  type ItemInput,
} from './work.ts';
import {
  auditPage,
  auditsListPage,
  BASE,
  cellPage,
  conflictPage,
  auditorInvitationPage,
  deleteAuditPage,
  pageEditPage,
  gridPage,
  INVITATION_BASE,
  newAuditPage,
  reportPage,
  scansPage,
  STANDARD_ENVIRONMENTS,
  STATUS_LABELS,
  type AuditFormValues,
  type ItemFormValues,
} from './views.ts';
import { exportAudit, EXPORT_FORMATS, type ExportFormat } from './export.ts';
import { importAuditFile } from './import.ts';
import { importScanFindings, matchScans } from './scans.ts';
import { imageTypeOf, MAX_IMAGE_BYTES } from './images.ts';
import {
  acceptAuditorInvitation,
  AUDITOR_INVITATION_DAYS,
  cancelAuditorInvitation,
  findAuditorInvitation,
  inviteAuditor,
  pendingAuditorInvitations,
} from './invitations.ts';
import { queueMail } from '../../kernel/mail/queue.ts';
import { accessibilityStories } from '../../experiences/index.ts';
import { accessibilityVerbatims } from '../../feedback/index.ts';
import {
  createInvitedAccount,
  findUserIdByEmail,
  hashPassword,
  loginUrl,
  newPasswordPair,
  setSessionCookie,
  SIGN_UP_RATE_LIMIT,
} from '../../accounts/index.ts';

const newAccountSchema = newPasswordPair.and(
  z.object({ display_name: z.string().trim().max(100, 'Le nom affiché doit contenir au plus 100 caractères.').optional().default('') }),
);

class InvitationGoneError extends Error {}

const assets = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');

/** An exported grid to import back: 20 MB is far above a full audit of 50 pages with every item. */
const MAX_GRID_FILE_MB = 20;
/** Above this many criteria (a full audit), the grid shows one theme at a time unless all are asked for. */
const GRID_ALL_THEMES_MAX = 50;

export { imageTypeOf, MAX_IMAGE_BYTES };

const optionalDate = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : null))
  .refine((v) => v === null || (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v))), 'Saisissez une date au format AAAA-MM-JJ.');
const optionalUrl = z
  .string()
  .trim()
  .max(2000, '2 000 caractères au maximum.')
  .optional()
  .transform((v) => (v ? v : null))
  .refine((v) => v === null || /^https?:\/\/[^\s]+$/i.test(v), 'Saisissez une adresse commençant par http:// ou https://.');

const fieldsSchema = z
  .object({
    name: z
      .string({ error: 'Saisissez le nom de l’audit.' })
      .trim()
      .min(1, 'Saisissez le nom de l’audit.')
      .max(200, '200 caractères au maximum.'),
    site_url: optionalUrl,
    audited_by: z.string().trim().max(200, '200 caractères au maximum.').optional().default(''),
    tools: z.string().trim().max(1000, '1 000 caractères au maximum.').optional().default(''),
    started_on: optionalDate,
    finished_on: optionalDate,
  })
  .refine((v) => !v.started_on || !v.finished_on || v.finished_on >= v.started_on, {
    message: 'La fin de l’audit ne peut pas précéder son début.',
    path: ['finished_on'],
  });

function fieldsOf(d: z.infer<typeof fieldsSchema>): AuditFields {
  return {
    name: d.name,
    siteUrl: d.site_url,
    auditedBy: d.audited_by,
    tools: d.tools
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean)
      .slice(0, 30),
    startedOn: d.started_on,
    finishedOn: d.finished_on,
  };
}

const envSchema = z.object({
  env_at: z.string().trim().max(100, '100 caractères au maximum.').optional().default(''),
  env_browser: z.string().trim().max(100, '100 caractères au maximum.').optional().default(''),
  env_os: z.string().trim().max(100, '100 caractères au maximum.').optional().default(''),
});

/** The free environment of a form: null when left empty; an error when only partly filled. */
function freeEnvironment(
  body: unknown,
  errors: FieldErrors,
): { assistiveTechnology: string | null; browser: string; operatingSystem: string } | null {
  const r = validateForm(envSchema, body);
  if (!r.ok) {
    Object.assign(errors, r.errors);
    return null;
  }
  const { env_at, env_browser, env_os } = r.data;
  if (!env_at && !env_browser && !env_os) return null;
  if (!env_browser) errors.env_browser = 'Saisissez le navigateur de cet environnement.';
  if (!env_os) errors.env_os = 'Saisissez le système d’exploitation de cet environnement.';
  if (!env_browser || !env_os) return null;
  return { assistiveTechnology: env_at || null, browser: env_browser, operatingSystem: env_os };
}

/** An audit form as typed, shown again next to its errors. */
function formValues(b: Record<string, unknown>, environments: string[] = []): AuditFormValues {
  const s = (k: string) => {
    const v = b[k];
    return typeof v === 'string' ? v : undefined;
  };
  return {
    name: s('name'),
    type: s('type'),
    site_url: s('site_url'),
    audited_by: s('audited_by'),
    tools: s('tools'),
    started_on: s('started_on'),
    finished_on: s('finished_on'),
    environments,
    env_at: s('env_at'),
    env_browser: s('env_browser'),
    env_os: s('env_os'),
  };
}

function valuesOf(a: AuditDetail): AuditFormValues {
  return {
    name: a.name,
    site_url: a.siteUrl ?? '',
    audited_by: a.auditedBy,
    tools: a.tools.join(', '),
    started_on: a.startedOn ?? '',
    finished_on: a.finishedOn ?? '',
  };
}

const wantsJson = (request: FastifyRequest) => String(request.headers.accept ?? '').includes('application/json');

const MESSAGES: Record<string, string> = {
  cree: 'Audit créé. Ajoutez les pages de l’échantillon, puis remplissez la grille.',
  enregistre: 'Enregistré.',
  page: 'Page ajoutée à l’échantillon.',
  'page-retiree': 'Page retirée de l’échantillon.',
  'page-modifiee': 'Page modifiée.',
  'page-deplacee': 'Page déplacée.',
  'audit-supprime': 'Audit supprimé.',
  processus: 'Processus ajouté.',
  environnement: 'Environnement ajouté.',
  'environnement-retire': 'Environnement retiré.',
  auditeur: 'Droit d’auditeur donné ; la personne a reçu un courriel.',
  'auditeur-deja': 'Cette personne est déjà auditeur de cet audit.',
  'auditeur-retire': 'Droit d’auditeur retiré.',
  'auditeur-invite':
    'Cette adresse n’a pas encore de compte Vigie : une invitation lui a été envoyée par courriel (lien valable 7 jours, une seule fois). Elle recevra le droit d’auditeur sur cet audit en créant son compte.',
  'invitation-annulee': 'Invitation annulée : son lien ne fonctionne plus.',
  'invitation-acceptee': 'Bienvenue : vous êtes auditeur de cet audit.',
  publie: 'Audit publié : il ne peut plus être modifié.',
  'lien-revoque': 'Lien révoqué : il ne donne plus accès au rapport.',
  anomalie: 'Anomalie enregistrée.',
  'anomalie-supprimee': 'Anomalie supprimée.',
  'anomalie-confirmee': 'Anomalie confirmée.',
  importe: 'Grille importée : vérifiez l’audit créé.',
};

/**
 * The notice of a page after a redirect: `?message=<one of MESSAGES>` or `?importes=<n>` (scan findings imported). A
 * hand-edited or repeated value shows no notice, never an error.
 */
const noticeFields = {
  message: z
    .unknown()
    .optional()
    .transform((v) => (typeof v === 'string' && Object.hasOwn(MESSAGES, v) ? MESSAGES[v] : null)),
  importes: z
    .unknown()
    .optional()
    .transform((v) => (typeof v === 'string' && /^\d{1,6}$/.test(v) ? Number(v) : null)),
};
const auditNoticeQuery = z.looseObject(noticeFields);
type Notice = { type: 'success'; text: string } | null;

function noticeOf(query: { message: string | null; importes: number | null }): Notice {
  const imported = query.importes;
  if (imported !== null) {
    const s = imported > 1 ? 's' : '';
    return { type: 'success', text: `${imported} anomalie${s} automatique${s} importée${s}, à confirmer ou écarter dans la grille.` };
  }
  return query.message ? { type: 'success', text: query.message } : null;
}

/** A text of the query (`?critere=`): null when absent or repeated. */
const queryText = z
  .unknown()
  .optional()
  .transform((v) => (typeof v === 'string' ? v : null));

const gridQuery = z.looseObject({
  ...noticeFields,
  page: queryId,
  // A theme number (1 to 13), « toutes » for every theme; anything else: the default theme.
  theme: z
    .unknown()
    .optional()
    .transform((v) => {
      if (v === 'toutes') return 'toutes' as const;
      const n = typeof v === 'string' ? Number(v) : Number.NaN;
      return Number.isInteger(n) && n >= 1 && n <= 13 ? n : null;
    }),
  statut: z
    .unknown()
    .optional()
    .transform((v) => RESULT_STATUSES.find((s) => s === v) ?? null),
});
const cellQuery = z.looseObject({ ...noticeFields, page: queryId, critere: queryText });
const pageQuery = z.looseObject({ page: queryId });
const imageQuery = z.looseObject({ item: queryId });

const procedureParams = idParamsOr404('Page non trouvée', 'Cette démarche n’existe pas ou plus.');
const auditParams = idParamsOr404('Page non trouvée', 'Cet audit n’existe pas ou plus.');

// The bodies of the action forms: a hidden id or choice that is not one (a hand-edited form) is a 400 with its French
// message, nothing written; an id of the right shape that names nothing is the handler's 404.
const newAuditForm = formBody({
  environments: z
    .union([z.string(), z.array(z.string())], { error: 'Choisissez des environnements de la liste.' })
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
});
const environmentRemoval = formBody({ environment_id: idParam('Cet environnement n’existe pas ou plus. Rien n’a été retiré.') });
const invitationCancel = formBody({ invitation_id: idParam('Cette invitation n’existe pas ou plus. Rien n’a été annulé.') });
const auditorRemoval = formBody({ user_id: idParam('Cet auditeur n’existe pas ou plus. Rien n’a été retiré.') });
const pageRemoval = formBody({ page_id: idParam('Cette page n’existe pas ou plus. Rien n’a été retiré.') });
const pageMove = formBody({
  page_id: idParam('Cette page n’existe pas ou plus. Rien n’a été déplacé.'),
  sens: z.enum(['haut', 'bas'], { error: 'Sens du déplacement inconnu : haut ou bas. Rien n’a été déplacé.' }),
});
const auditDeletion = formBody({
  confirme: z.string({ error: 'Confirmation : une seule valeur est attendue. Rien n’a été supprimé.' }).optional(),
});
const itemAction = formBody({
  item_id: idParam('Cette anomalie n’existe pas ou plus. Rien n’a été modifié.'),
  version: z
    .string({ error: 'Version de l’anomalie invalide : rechargez la page. Rien n’a été modifié.' })
    .regex(/^\d{1,9}$/, 'Version de l’anomalie invalide : rechargez la page. Rien n’a été modifié.')
    .transform(Number),
});
const reauditForm = formBody({
  name: z.string({ error: 'Nom du ré-audit : une seule valeur est attendue. Rien n’a été enregistré.' }).optional(),
});
const linkRevocation = formBody({ link_id: idParam('Ce lien n’existe pas ou plus. Rien n’a été révoqué.') });
const scanImport = formBody({ scan_id: idParam('Ce scan n’existe pas ou plus. Rien n’a été importé.') });

const invitationToken = z.object({
  token: z.string().refine((value) => value.length <= 100, {
    message:
      'Ce lien d’invitation n’est plus valable : il a déjà servi, il a expiré, il a été annulé ou il est incomplet. Rien n’a été enregistré. Demandez une nouvelle invitation à l’équipe de la démarche.',
    params: { title: 'Invitation invalide ou expirée' },
  }),
});

const NOT_PART = 'Cette page ou ce critère ne fait pas partie de l’audit.';
const STALE_VERSION = 'Version du critère invalide : rechargez la grille.';
/**
 * A cell of the grid, saved at each change (the hot path: bench/accessibility.bench.ts): plain checks, no query. Its
 * refusal is the route's own (attachValidation): JSON for the grid's script, the error page otherwise.
 */
const cellForm = formBody({
  page_id: idParam(NOT_PART),
  criterion: z.string({ error: NOT_PART }).regex(/^\d{1,2}\.\d{1,2}$/, NOT_PART),
  status: z.enum(RESULT_STATUSES, { error: 'Choisissez un statut : conforme, non conforme, non applicable ou non testé.' }),
  note: z
    .string({ error: 'Note : une seule valeur est attendue.' })
    .max(5000, 'La note fait 5 000 caractères au maximum.')
    .optional()
    .default(''),
  version: z
    .string({ error: STALE_VERSION })
    .regex(/^[1-9]\d{0,8}$/, STALE_VERSION)
    .transform(Number),
  retour: z.string().optional(),
  all_pages: z.string().optional(),
});

export interface AuditRouteOptions {
  /** Automated scans (monitoring), read through the app's database: null when no scanner is wired. */
  scanFindings: ((db: Queryable) => ScanFindingsReader) | null;
}

/** A request of a route `…/:id…` of one audit: the id parsed by the route schema. */
type AuditRequest = FastifyRequest<{ Params: z.output<typeof auditParams> }>;
/** A request of a route `…/demarches/:id…`: the procedure's id parsed by the route schema. */
type ProcedureRequest = FastifyRequest<{ Params: z.output<typeof procedureParams> }>;
/** A request of the invitation link, its token checked by the route schema. */
type InvitationRequest = FastifyRequest<{ Params: z.output<typeof invitationToken> }>;

export function auditRoutes(options: AuditRouteOptions) {
  return async function register(instance: FastifyInstance, deps: AppDeps): Promise<void> {
    const { db } = deps;
    // The ids and tokens of the URL by route schemas (one that cannot be one is the route's 404, like an unknown one).
    const app = instance.withTypeProvider<ZodTypeProvider>();
    const reportToken = z.object({
      token: z
        .string()
        .refine((value) => value.length <= 100, { message: 'Ce rapport n’existe pas ou plus.', params: { title: 'Page non trouvée' } }),
    });
    const exportParams = z.object({
      id: auditParams.shape.id,
      format: z
        .string()
        .refine((value) => (EXPORT_FORMATS as readonly string[]).includes(value), {
          message: 'Ce format d’export n’existe pas ou plus.',
          params: { title: 'Page non trouvée' },
        })
        .transform((value) => value as ExportFormat),
    });
    const scanReader = options.scanFindings ? options.scanFindings(db) : null;
    await app.register(publicStatic, {
      files: { root: assets, prefix: '/assets/accessibilite-audits/', maxAge: '1h', decorateReply: false },
    });

    const notFound = (request: FastifyRequest, reply: FastifyReply, what = 'Cet audit') =>
      sendErrorPage(request, reply, 404, 'Page non trouvée', `${what} n’existe pas ou plus.`);
    const locked = (request: FastifyRequest, reply: FastifyReply) =>
      sendErrorPage(request, reply, 409, 'Audit publié', new AuditLockedError().message);
    const auditId = (request: AuditRequest) => request.params.id;
    /** The team of the procedure (not an outside auditor alone), for the audit page: what it shows them (the actions are `TEAM_ONLY`). */
    const isTeam = (request: FastifyRequest) => {
      const p = request.place!;
      return canEditProcedure(request.user, {
        procedureId: p.procedureId!,
        administrationId: p.administrationId!,
        ministryId: p.ministryId,
      });
    };

    const procedureTitle = async (id: number) =>
      (await db.query<{ title: string }>('SELECT title FROM procedures WHERE id = $1', [id])).rows[0]?.title ?? null;

    // ——— Procedure level: list, create, import ———

    const listPage = async (request: ProcedureRequest, reply: FastifyReply, o: { importErrors?: string[]; notice?: Notice } = {}) => {
      const { importErrors } = o;
      const procedureId = request.params.id;
      const title = await procedureTitle(procedureId);
      if (title === null) return notFound(request, reply, 'Cette démarche');
      const p = request.place!;
      const canEdit = canEditProcedure(request.user, { procedureId, administrationId: p.administrationId!, ministryId: p.ministryId });
      // The procedure's accessibility view also gathers what users say (the themes page's policy: procedure, read).
      const [audits, stories, verbatims] = await Promise.all([
        listProcedureAudits(db, procedureId),
        accessibilityStories(db, procedureId, { limit: 5 }),
        accessibilityVerbatims(db, procedureId, { limit: 5 }),
      ]);
      return sendPage(
        request,
        reply,
        {
          title: importErrors ? 'Erreur : audits d’accessibilité' : 'Audits d’accessibilité',
          breadcrumb: [
            { label: 'Catalogue', href: '/catalogue' },
            { label: title, href: `/catalogue/demarches/${procedureId}` },
            { label: 'Audits d’accessibilité' },
          ],
          notice: o.notice ?? null,
          content: auditsListPage({
            procedureId,
            procedureTitle: title,
            audits,
            canEdit,
            csrfToken: reply.generateCsrf(),
            importErrors,
            voices: { stories, verbatims },
          }),
        },
        importErrors ? 400 : 200,
      );
    };

    app.get(
      `${BASE}/demarches/:id`,
      { ...inScope('procedure', 'read'), schema: { params: procedureParams, querystring: auditNoticeQuery } },
      (request, reply) => listPage(request, reply, { notice: noticeOf(request.query) }),
    );

    const newPage = async (request: ProcedureRequest, reply: FastifyReply, values: AuditFormValues, errors: FieldErrors = {}) => {
      const procedureId = request.params.id;
      const title = await procedureTitle(procedureId);
      if (title === null) return notFound(request, reply, 'Cette démarche');
      const failed = Object.keys(errors).length > 0;
      return sendPage(
        request,
        reply,
        {
          title: failed ? 'Erreur : nouvel audit d’accessibilité' : 'Nouvel audit d’accessibilité',
          breadcrumb: [{ label: 'Audits d’accessibilité', href: `${BASE}/demarches/${procedureId}` }, { label: 'Nouvel audit' }],
          content: newAuditPage({ procedureId, procedureTitle: title, values, errors, csrfToken: reply.generateCsrf() }),
        },
        failed ? 400 : 200,
      );
    };

    app.get(`${BASE}/demarches/:id/nouveau`, { ...inScope('procedure', 'edit'), schema: { params: procedureParams } }, (request, reply) =>
      newPage(request, reply, { type: 'full', environments: ['NVDA|Firefox|Windows', 'VoiceOver (macOS)|Safari|macOS'] }),
    );

    app.post(
      `${BASE}/demarches/:id/nouveau`,
      { ...inScope('procedure', 'edit'), schema: { params: procedureParams, body: newAuditForm } },
      async (request, reply) => {
        const procedureId = request.params.id;
        const values = formValues(request.body, request.body.environments);
        const errors: FieldErrors = {};
        const fields = validateForm(fieldsSchema, request.body);
        if (!fields.ok) Object.assign(errors, fields.errors);
        const type = AUDIT_TYPES.find((t) => t === values.type);
        if (!type) errors.type = 'Choisissez le type d’audit.';
        const chosen = (values.environments ?? []).filter((e) => STANDARD_ENVIRONMENTS.includes(e));
        if (chosen.length !== (values.environments ?? []).length) errors.environments = 'Choisissez des environnements de la liste.';
        const free = freeEnvironment(request.body, errors);
        if (Object.keys(errors).length || !fields.ok || !type) return newPage(request, reply, values, errors);
        const environments = chosen.map((e) => {
          const [at, browser, os] = e.split('|');
          return { assistiveTechnology: at || null, browser, operatingSystem: os };
        });
        if (free) environments.push(free);
        const id = await db.transaction((tx) =>
          createAuditWith(tx, { ...fieldsOf(fields.data), procedureId, type, environments, actor: request.user! }),
        );
        return redirectSeeOther(reply, `${BASE}/${id}?message=cree`);
      },
    );

    await app.register(async (plain) => {
      const scope = plain.withTypeProvider<ZodTypeProvider>();
      await scope.register(multipart, { limits: { fileSize: MAX_GRID_FILE_MB * 1024 * 1024, files: 1, fields: 5, parts: 6 } });
      scope.post(
        `${BASE}/demarches/:id/importer`,
        { ...inScope('procedure', 'edit'), schema: { params: procedureParams, body: multipartBody } },
        async (request, reply) => {
          const procedureId = request.params.id;
          const refuse = (importErrors: string[]) => listPage(request, reply, { importErrors });
          if (!request.isMultipart()) return refuse(['Choisissez un fichier à importer.']);
          let bytes: Buffer;
          let fileName: string;
          try {
            const file = await request.file();
            if (!file || !file.filename) return refuse(['Choisissez un fichier à importer.']);
            fileName = file.filename.slice(0, 200);
            bytes = await file.toBuffer();
          } catch (error) {
            if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
              return refuse([`Le fichier dépasse ${MAX_GRID_FILE_MB} Mo.`]);
            throw error;
          }
          const result = await importAuditFile(db, { procedureId, bytes, fileName, actor: request.user! });
          if (!result.ok) return refuse(result.errors);
          return redirectSeeOther(reply, `${BASE}/${result.auditId}?message=importe`);
        },
      );
    });

    // ——— One audit ———

    const EDIT_ACCESS = inScope('procedure', 'edit', 'id', 'audit');
    const READ_ACCESS = inScope('procedure', 'read', 'id', 'audit');
    /** The procedure's own team only, not an outside auditor granted the audit alone: auditors, publishing, share links, deletion. */
    const TEAM_ACCESS = inScope('procedure', 'edit', 'id', 'audit', { objectGrants: false });
    /** A page of an audit: the id of the URL, the notice after a redirect. */
    const EDIT = { ...EDIT_ACCESS, schema: { params: auditParams, querystring: auditNoticeQuery } };
    const READ = { ...READ_ACCESS, schema: { params: auditParams } };
    const TEAM_ONLY = { ...TEAM_ACCESS, schema: { params: auditParams } };
    /** A form of an audit that shows its errors beside its fields: every field as text, checked by validateForm. */
    const EDIT_FORM = { ...EDIT_ACCESS, schema: { params: auditParams, body: formTexts } };
    const TEAM_FORM = { ...TEAM_ACCESS, schema: { params: auditParams, body: formTexts } };
    /** An action of an audit, with the body it states. */
    const edit = <B extends z.ZodType>(body: B) => ({ ...EDIT_ACCESS, schema: { params: auditParams, body } });
    const team = <B extends z.ZodType>(body: B) => ({ ...TEAM_ACCESS, schema: { params: auditParams, body } });

    const showAudit = async (
      request: AuditRequest,
      reply: FastifyReply,
      o: { values?: AuditFormValues; errors?: FieldErrors; newLink?: string; notice?: Notice } = {},
    ) => {
      const a = await getAudit(db, auditId(request));
      if (!a) return notFound(request, reply);
      const [conformity, links, changes, invitations] = await Promise.all([
        auditConformity(db, a.id),
        db.query(`SELECT id, created_at, revoked_at FROM accessibility_report_links WHERE audit_id = $1 ORDER BY created_at, id`, [a.id]),
        a.previousAuditId ? changesSincePrevious(db, a.id, a.previousAuditId) : Promise.resolve(null),
        isTeam(request) ? pendingAuditorInvitations(db, a.id) : Promise.resolve([]),
      ]);
      const errors = o.errors ?? {};
      const failed = Object.keys(errors).length > 0;
      return sendPage(
        request,
        reply,
        {
          title: failed ? `Erreur : ${a.name}` : a.name,
          breadcrumb: [{ label: 'Audits d’accessibilité', href: `${BASE}/demarches/${a.procedureId}` }, { label: a.name }],
          notice: o.notice ?? null,
          content: auditPage({
            audit: a,
            conformity: conformity!,
            csrfToken: reply.generateCsrf(),
            canManage: isTeam(request),
            missingKinds: missingMandatoryKinds(a.pages.map((p) => p.kind)),
            values: o.values ?? valuesOf(a),
            errors,
            changes,
            links: links.rows.map((l) => ({
              id: Number(l.id),
              createdAt: new Date(l.created_at),
              revokedAt: l.revoked_at ? new Date(l.revoked_at) : null,
            })),
            newLink: o.newLink ?? null,
            scansAvailable: scanReader !== null,
            invitations,
          }),
        },
        failed ? 400 : 200,
      );
    };

    app.get(`${BASE}/:id`, EDIT, (request, reply) => showAudit(request, reply, { notice: noticeOf(request.query) }));

    /** Runs a change; a published audit answers the 409 page. */
    const change = async (request: FastifyRequest, reply: FastifyReply, fn: () => Promise<FastifyReply>) => {
      try {
        return await fn();
      } catch (error) {
        if (error instanceof AuditLockedError) {
          if (wantsJson(request)) return reply.code(409).send({ outcome: 'refused', message: error.message });
          return locked(request, reply);
        }
        throw error;
      }
    };

    app.post(`${BASE}/:id/modifier`, EDIT_FORM, (request, reply) =>
      change(request, reply, async () => {
        const fields = validateForm(fieldsSchema, request.body);
        if (!fields.ok) return showAudit(request, reply, { values: formValues(request.body), errors: fields.errors });
        const version = Number(request.body.version ?? '');
        const ok = await db.transaction((tx) =>
          updateAuditFields(tx, auditId(request), fieldsOf(fields.data), Number.isInteger(version) ? version : 0, request.user!),
        );
        if (!ok)
          return showAudit(request, reply, {
            values: formValues(request.body),
            errors: {
              name: 'Quelqu’un a modifié ces informations entre-temps : les voici à jour. Vos changements ne sont pas enregistrés ; saisissez-les de nouveau.',
            },
          });
        return redirectSeeOther(reply, `${BASE}/${auditId(request)}?message=enregistre`);
      }),
    );

    app.post(`${BASE}/:id/environnements`, EDIT_FORM, (request, reply) =>
      change(request, reply, async () => {
        const errors: FieldErrors = {};
        const env = freeEnvironment(request.body, errors);
        if (!env && !Object.keys(errors).length) errors.env_browser = 'Saisissez le navigateur et le système de l’environnement.';
        if (!env) return showAudit(request, reply, { errors });
        await db.transaction((tx) => addEnvironment(tx, auditId(request), env, request.user!));
        return redirectSeeOther(reply, `${BASE}/${auditId(request)}?message=environnement`);
      }),
    );

    app.post(`${BASE}/:id/environnements/retirer`, edit(environmentRemoval), (request, reply) =>
      change(request, reply, async () => {
        const envId = request.body.environment_id;
        if (!(await db.transaction((tx) => removeEnvironment(tx, auditId(request), envId, request.user!))))
          return notFound(request, reply, 'Cet environnement');
        return redirectSeeOther(reply, `${BASE}/${auditId(request)}?message=environnement-retire`);
      }),
    );

    app.post(`${BASE}/:id/auditeurs`, TEAM_FORM, (request, reply) =>
      change(request, reply, async () => {
        const email = (request.body.email ?? '').trim();
        if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email) || email.length > 254)
          return showAudit(request, reply, { errors: { email: 'Saisissez une adresse électronique valide, par exemple nom@exemple.fr.' } });
        const id = auditId(request);
        const inviter = request.user!.displayName || request.user!.email;
        // The grant and its mail go together: the mail is queued in the transaction (kernel outbox), sent once committed.
        const a = await getAudit(db, id);
        if (!a) return notFound(request, reply);
        const outcome = await db.transaction(async (tx) => {
          const added = await addAuditor(tx, id, email, request.user!);
          if (added === 'added') {
            await queueMail(
              deps,
              {
                to: email,
                subject: `Vigie : vous êtes auditeur de « ${a.name} »`,
                text: `Bonjour,\n\n${inviter} vous a donné le droit d’auditeur sur l’audit d’accessibilité « ${a.name} » (${a.procedureTitle}).\nCe droit porte sur cet audit seulement.\n\nOuvrir l’audit : ${deps.config.publicUrl}${BASE}/${id}\n`,
              },
              { tx },
            );
          }
          if (added !== 'unknown') return added;
          // No account has this address: an invitation whose link lets the person create one, for this audit only.
          const { token } = await inviteAuditor(tx, id, email, request.user!);
          await queueMail(
            deps,
            {
              to: email,
              subject: `Vigie : invitation à auditer « ${a.name} »`,
              text: `Bonjour,\n\n${inviter} vous invite à réaliser l’audit d’accessibilité « ${a.name} » de la démarche « ${a.procedureTitle} » dans Vigie, l’outil de l’État pour la qualité des démarches en ligne.\nLe droit d’auditeur porte sur cet audit seulement.\n\nPour accepter, créez votre compte avec ce lien (valable ${AUDITOR_INVITATION_DAYS} jours, une seule fois) :\n${deps.config.publicUrl}${INVITATION_BASE}/${token}\n\nSi vous ne vous attendiez pas à ce message, ignorez-le : sans votre action, aucun compte n’est créé.\n`,
            },
            { tx },
          );
          return 'invited' as const;
        });
        return redirectSeeOther(
          reply,
          `${BASE}/${id}?message=${outcome === 'added' ? 'auditeur' : outcome === 'invited' ? 'auditeur-invite' : 'auditeur-deja'}`,
        );
      }),
    );

    app.post(`${BASE}/:id/auditeurs/invitations/annuler`, team(invitationCancel), async (request, reply) => {
      const invitationId = request.body.invitation_id;
      if (!(await db.transaction((tx) => cancelAuditorInvitation(tx, auditId(request), invitationId, request.user!))))
        return notFound(request, reply, 'Cette invitation');
      return redirectSeeOther(reply, `${BASE}/${auditId(request)}?message=invitation-annulee`);
    });

    // ——— The link of an invitation (public: the person has no account yet) ———

    const invitationOf = async (request: InvitationRequest, reply: FastifyReply) => {
      const { token } = request.params;
      const invitation = await findAuditorInvitation(db, token);
      if (!invitation || !invitation.usable) {
        sendErrorPage(
          request,
          reply,
          404,
          'Invitation invalide ou expirée',
          'Ce lien d’invitation n’est plus valable : il a déjà servi, il a expiré, il a été annulé ou il est incomplet. Rien n’a été enregistré. Demandez une nouvelle invitation à l’équipe de la démarche.',
        );
        return null;
      }
      return { token, invitation, accountId: await findUserIdByEmail(db, invitation.email) };
    };
    const showInvitation = (
      request: FastifyRequest,
      reply: FastifyReply,
      found: NonNullable<Awaited<ReturnType<typeof invitationOf>>>,
      extra: { values?: { display_name?: string }; errors?: FieldErrors } = {},
      status = 200,
    ) => {
      const path = `${INVITATION_BASE}/${encodeURIComponent(found.token)}`;
      const failed = Object.keys(extra.errors ?? {}).length > 0;
      return sendPage(
        request,
        reply,
        {
          title: `${failed ? 'Erreur : ' : ''}Invitation à auditer « ${found.invitation.auditName} »`,
          breadcrumb: [{ label: 'Invitation' }],
          content: auditorInvitationPage({
            invitation: found.invitation,
            token: found.token,
            csrfToken: reply.generateCsrf(),
            accountExists: found.accountId !== null,
            signedInAsInvitee: found.accountId !== null && request.user?.id === found.accountId,
            loginHref: loginUrl(path),
            ...extra,
          }),
        },
        status,
      );
    };

    app.get(`${INVITATION_BASE}/:token`, { ...PUBLIC, schema: { params: invitationToken } }, async (request, reply) => {
      const found = await invitationOf(request, reply);
      return found ? showInvitation(request, reply, found) : reply;
    });

    app.post(
      `${INVITATION_BASE}/:token`,
      { config: { access: 'public', rateLimit: SIGN_UP_RATE_LIMIT }, schema: { params: invitationToken, body: formTexts } },
      async (request, reply) => {
        const found = await invitationOf(request, reply);
        if (!found) return reply;
        const { token, invitation, accountId } = found;
        const expired = () =>
          sendErrorPage(
            request,
            reply,
            404,
            'Invitation invalide ou expirée',
            'Ce lien d’invitation n’est plus valable : il a déjà servi, il a expiré ou il a été annulé. Rien n’a été enregistré.',
          );
        if (accountId !== null) {
          // The address has an account: its signed-in owner accepts (the link proves the address).
          if (request.user?.id !== accountId)
            return sendForbidden(
              request,
              reply,
              'Connectez-vous avec le compte de l’adresse invitée pour accepter cette invitation. Rien n’a été modifié.',
            );
          const accepted = await db.transaction((tx) => acceptAuditorInvitation(tx, token, accountId, request.user!));
          if (!accepted) return expired();
          return redirectSeeOther(reply, `${BASE}/${accepted.auditId}?message=invitation-acceptee`);
        }
        const form = validateForm(newAccountSchema, request.body);
        if (!form.ok)
          return showInvitation(
            request,
            reply,
            found,
            { values: { display_name: (request.body.display_name ?? '').slice(0, 300) }, errors: form.errors },
            400,
          );
        const passwordHash = await hashPassword(form.data.password);
        const done = await db
          .transaction(async (tx) => {
            const account = await createInvitedAccount(tx, request, {
              email: invitation.email,
              displayName: form.data.display_name,
              passwordHash,
              via: 'invitation-auditeur',
            });
            const accepted = await acceptAuditorInvitation(tx, token, account.userId, { id: account.userId, email: invitation.email });
            // Used meanwhile (a second click, another tab): roll the account back, nothing written.
            if (!accepted) throw new InvitationGoneError();
            return { ...account, auditId: accepted.auditId };
          })
          .catch((error) => {
            if (error instanceof InvitationGoneError) return null;
            throw error;
          });
        if (!done) return expired();
        setSessionCookie(reply, deps.config, done.sessionToken);
        return redirectSeeOther(reply, `${BASE}/${done.auditId}?message=invitation-acceptee`);
      },
    );

    app.post(`${BASE}/:id/auditeurs/retirer`, team(auditorRemoval), async (request, reply) => {
      const userId = request.body.user_id;
      if (!(await db.transaction((tx) => removeAuditor(tx, auditId(request), userId, request.user!))))
        return notFound(request, reply, 'Cet auditeur');
      return redirectSeeOther(reply, `${BASE}/${auditId(request)}?message=auditeur-retire`);
    });

    app.post(`${BASE}/:id/processus`, EDIT_FORM, (request, reply) =>
      change(request, reply, async () => {
        const name = (request.body.process_name ?? '').trim();
        if (!name || name.length > 200)
          return showAudit(request, reply, {
            errors: { process_name: name ? '200 caractères au maximum.' : 'Saisissez le nom du processus.' },
          });
        const created = await db.transaction((tx) => addProcess(tx, auditId(request), name, request.user!));
        if (created === null)
          return showAudit(request, reply, { errors: { process_name: 'Un processus de cet audit porte déjà ce nom.' } });
        return redirectSeeOther(reply, `${BASE}/${auditId(request)}?message=processus#echantillon`);
      }),
    );

    const pageSchema = z.object({
      page_name: z
        .string({ error: 'Saisissez le nom de la page.' })
        .trim()
        .min(1, 'Saisissez le nom de la page.')
        .max(200, '200 caractères au maximum.'),
      page_url: optionalUrl,
      kind: z.enum(PAGE_KINDS.map((k) => k.kind) as [PageKind, ...PageKind[]], { error: 'Choisissez le type de page.' }),
      process_id: z
        .string()
        .optional()
        .transform((v) => (v ? v : null)),
    });

    app.post(`${BASE}/:id/pages`, EDIT_FORM, (request, reply) =>
      change(request, reply, async () => {
        const id = auditId(request);
        const r = validateForm(pageSchema, request.body);
        if (!r.ok) return showAudit(request, reply, { errors: r.errors });
        const a = await getAudit(db, id);
        if (!a) return notFound(request, reply);
        const processId = r.data.process_id === null ? null : parseId(r.data.process_id);
        if (r.data.process_id !== null && (processId === null || !a.processes.some((p) => p.id === processId)))
          return showAudit(request, reply, { errors: { process_id: 'Choisissez un processus de cet audit.' } });
        if (r.data.kind === 'transverse' && processId !== null)
          return showAudit(request, reply, { errors: { process_id: 'Les éléments transverses n’appartiennent à aucun processus.' } });
        if (r.data.kind === 'transverse' && a.pages.some((p) => p.kind === 'transverse'))
          return showAudit(request, reply, { errors: { kind: 'L’échantillon a déjà sa page « Éléments transverses ».' } });
        await db.transaction((tx) =>
          addSamplePage(tx, {
            auditId: id,
            name: r.data.page_name,
            url: r.data.page_url,
            kind: r.data.kind,
            processId,
            actor: request.user!,
          }),
        );
        return redirectSeeOther(reply, `${BASE}/${id}?message=page`);
      }),
    );

    app.post(`${BASE}/:id/pages/retirer`, edit(pageRemoval), (request, reply) =>
      change(request, reply, async () => {
        const pageId = request.body.page_id;
        if (!(await db.transaction((tx) => removePage(tx, auditId(request), pageId, request.user!))))
          return notFound(request, reply, 'Cette page');
        return redirectSeeOther(reply, `${BASE}/${auditId(request)}?message=page-retiree`);
      }),
    );

    const editPageForm = async (
      request: AuditRequest,
      reply: FastifyReply,
      pageIdRaw: unknown,
      values?: Record<string, string>,
      errors: FieldErrors = {},
    ) => {
      const a = await getAudit(db, auditId(request));
      if (!a) return notFound(request, reply);
      if (a.status !== 'in_progress') return locked(request, reply);
      const pageId = parseId(pageIdRaw);
      const page = a.pages.find((p) => p.id === pageId);
      if (!page) return notFound(request, reply, 'Cette page');
      const failed = Object.keys(errors).length > 0;
      return sendPage(
        request,
        reply,
        {
          title: `${failed ? 'Erreur : ' : ''}Modifier la page ${page.name} – ${a.name}`,
          breadcrumb: [
            { label: 'Audits d’accessibilité', href: `${BASE}/demarches/${a.procedureId}` },
            { label: a.name, href: `${BASE}/${a.id}` },
            { label: 'Modifier une page' },
          ],
          content: pageEditPage({
            audit: a,
            page,
            values: values ?? {
              page_name: page.name,
              page_url: page.url ?? '',
              kind: page.kind,
              process_id: page.processId === null ? '' : String(page.processId),
            },
            errors,
            csrfToken: reply.generateCsrf(),
          }),
        },
        failed ? 400 : 200,
      );
    };

    app.get(`${BASE}/:id/pages/modifier`, { ...EDIT_ACCESS, schema: { params: auditParams, querystring: pageQuery } }, (request, reply) =>
      editPageForm(request, reply, request.query.page),
    );

    app.post(`${BASE}/:id/pages/modifier`, EDIT_FORM, (request, reply) =>
      change(request, reply, async () => {
        const id = auditId(request);
        const b = request.body;
        const values = {
          page_name: (b.page_name ?? '').slice(0, 300),
          page_url: (b.page_url ?? '').slice(0, 2100),
          kind: b.kind ?? '',
          process_id: b.process_id ?? '',
        };
        const r = validateForm(pageSchema, request.body);
        if (!r.ok) return editPageForm(request, reply, b.page_id, values, r.errors);
        const a = await getAudit(db, id);
        const pageId = parseId(b.page_id);
        if (!a || !pageId || !a.pages.some((p) => p.id === pageId)) return notFound(request, reply, 'Cette page');
        const processId = r.data.process_id === null ? null : parseId(r.data.process_id);
        const invalid = (field: string, message: string) => editPageForm(request, reply, pageId, values, { [field]: message });
        if (r.data.process_id !== null && (processId === null || !a.processes.some((p) => p.id === processId)))
          return invalid('process_id', 'Choisissez un processus de cet audit.');
        if (r.data.kind === 'transverse' && processId !== null)
          return invalid('process_id', 'Les éléments transverses n’appartiennent à aucun processus.');
        if (r.data.kind === 'transverse' && a.pages.some((p) => p.kind === 'transverse' && p.id !== pageId))
          return invalid('kind', 'L’échantillon a déjà sa page « Éléments transverses ».');
        await db.transaction((tx) =>
          updatePage(tx, {
            auditId: id,
            pageId,
            name: r.data.page_name,
            url: r.data.page_url,
            kind: r.data.kind,
            processId,
            actor: request.user!,
          }),
        );
        return redirectSeeOther(reply, `${BASE}/${id}?message=page-modifiee#echantillon`);
      }),
    );

    app.post(`${BASE}/:id/pages/deplacer`, edit(pageMove), (request, reply) =>
      change(request, reply, async () => {
        const id = auditId(request);
        const { page_id: pageId, sens } = request.body;
        const moved = await db.transaction((tx) => movePage(tx, id, pageId, sens === 'haut' ? 'up' : 'down', request.user!));
        if (!moved) return notFound(request, reply, 'Cette page');
        return redirectSeeOther(reply, `${BASE}/${id}?message=page-deplacee#echantillon`);
      }),
    );

    // ——— Deleting an audit (in progress; the team only; a confirmation page that says what goes) ———

    const deletePage = async (request: AuditRequest, reply: FastifyReply) => {
      const a = await getAudit(db, auditId(request));
      const footprint = a ? await auditFootprint(db, a.id) : null;
      if (!a || !footprint) return notFound(request, reply);
      return sendPage(
        request,
        reply,
        {
          title: `Supprimer l’audit ${a.name}`,
          breadcrumb: [
            { label: 'Audits d’accessibilité', href: `${BASE}/demarches/${a.procedureId}` },
            { label: a.name, href: `${BASE}/${a.id}` },
            { label: 'Supprimer' },
          ],
          content: deleteAuditPage({ audit: a, footprint, csrfToken: reply.generateCsrf() }),
        },
        footprint.blocker ? 409 : 200,
      );
    };

    app.get(`${BASE}/:id/supprimer`, TEAM_ONLY, (request, reply) => deletePage(request, reply));

    app.post(`${BASE}/:id/supprimer`, team(auditDeletion), async (request, reply) => {
      // Only from the confirmation page's form: anything else shows that page, nothing deleted.
      if (request.body.confirme !== 'oui') return deletePage(request, reply);
      const a = await getAudit(db, auditId(request));
      if (!a) return notFound(request, reply);
      const outcome = await db.transaction((tx) => deleteAudit(tx, a.id, request.user!));
      if (outcome === 'missing') return notFound(request, reply);
      if (outcome === 'blocked') return deletePage(request, reply);
      return redirectSeeOther(reply, `${BASE}/demarches/${a.procedureId}?message=audit-supprime`);
    });

    // ——— The grid ———

    app.get(`${BASE}/:id/grille`, { ...EDIT_ACCESS, schema: { params: auditParams, querystring: gridQuery } }, async (request, reply) => {
      const a = await getAudit(db, auditId(request));
      if (!a) return notFound(request, reply);
      if (a.pages.length === 0) return redirectSeeOther(reply, `${BASE}/${a.id}#echantillon`);
      const q = request.query;
      const page = a.pages.find((p) => p.id === q.page) ?? a.pages[0];
      const status = q.statut;
      const rgaa = rgaaOf(a.rgaaVersion);
      const [cells, conformity] = await Promise.all([loadCells(db, a.id, [page.id]), auditConformity(db, a.id)]);
      const criteria = rgaa.auditCriteria(a.type).map((id) => rgaa.criterion(id)!);
      // A large grid (a full audit: 106 criteria, ~390 KB for them all) opens on one theme: the first with a criterion
      // not yet tested on this page (else the first); « theme=toutes » shows them all, as smaller grids do by default.
      const pageCells = cells.get(page.id) ?? new Map();
      const theme =
        typeof q.theme === 'number'
          ? q.theme
          : q.theme === 'toutes' || criteria.length <= GRID_ALL_THEMES_MAX
            ? null
            : (criteria.find((c) => (pageCells.get(c.id)?.status ?? 'NT') === 'NT') ?? criteria[0]).themeNumber;
      return sendPage(request, reply, {
        title: `Grille : ${page.name} – ${a.name}`,
        breadcrumb: [
          { label: 'Audits d’accessibilité', href: `${BASE}/demarches/${a.procedureId}` },
          { label: a.name, href: `${BASE}/${a.id}` },
          { label: 'Grille' },
        ],
        notice: noticeOf(q),
        content: gridPage({
          audit: a,
          rgaa,
          criteria,
          filters: { page, theme, status },
          cells: pageCells,
          conformity: conformity!,
          csrfToken: reply.generateCsrf(),
        }),
      });
    });

    // The body's schema (cellForm) refuses in the route's own words: attachValidation hands its error to the handler,
    // which answers JSON to the grid's script (its message shown beside the criterion) and the error page otherwise.
    app.post(`${BASE}/:id/grille`, { ...edit(cellForm), attachValidation: true }, (request, reply) =>
      change(request, reply, async () => {
        const refuse = (message: string, status = 400) =>
          wantsJson(request)
            ? reply.code(status).send({ outcome: 'refused', message })
            : sendErrorPage(request, reply, status, 'Critère non enregistré', `${message} Rien n’a été enregistré.`);
        const invalid = request.validationError;
        if (invalid) {
          // The URL's id is checked first (the access hook answers 404 for one that cannot be an id).
          if (invalid.validationContext === 'params') return notFound(request, reply);
          return refuse(invalid.validation[0]?.message ?? 'Le formulaire envoyé est illisible : rechargez la grille.');
        }
        const id = auditId(request);
        const form = request.body;
        // The hot path (every change in the grid): access and session (kernel), then one statement that saves the cell
        // and its journal entry. The cell row exists only for a page of this audit and a criterion of its type, so the
        // update itself checks both; the whole audit is read only for a conflict page.
        const pageId = form.page_id;
        const criterionId = form.criterion;
        const page = { id: pageId };
        const version = form.version;
        const note = form.note.trim();
        const returnTo =
          form.retour && form.retour.startsWith(`${BASE}/${id}/`) && !form.retour.includes('//', 1)
            ? form.retour
            : `${BASE}/${id}/grille?page=${page.id}`;
        const input = {
          pageId,
          criterion: criterionId,
          status: form.status,
          note,
          expectedVersion: version,
          actor: request.user!,
          auditId: id,
        };
        const applyAll = Boolean(form.all_pages) && form.status !== 'NT';
        const { saved, applied } = applyAll
          ? await db.transaction(async (tx) => {
              const saved = await saveResult(tx, input);
              if (saved.outcome !== 'saved') return { saved, applied: null };
              return {
                saved,
                applied: await applyToUntestedPages(tx, {
                  auditId: id,
                  fromPageId: pageId,
                  criterion: criterionId,
                  status: form.status,
                  actor: request.user!,
                }),
              };
            })
          : { saved: await saveResult(db, input), applied: null };
        if (saved.outcome === 'missing') return refuse(NOT_PART);
        if (saved.outcome === 'refused') throw new AuditLockedError();
        if (saved.outcome === 'conflict') {
          const theirs = (await loadCell(db, id, page.id, criterionId))!;
          if (wantsJson(request))
            return reply.code(409).send({
              outcome: 'conflict',
              current: { status: theirs.status, note: theirs.note, version: theirs.version, updatedBy: theirs.updatedBy },
            });
          const a = await getAudit(db, id);
          const fullPage = a?.pages.find((p) => p.id === page.id);
          const criterion = a ? rgaaOf(a.rgaaVersion).criterion(criterionId) : undefined;
          if (!a || !fullPage || !criterion) return notFound(request, reply);
          return sendPage(
            request,
            reply,
            {
              title: `Conflit : critère ${criterion.id} – ${a.name}`,
              breadcrumb: [{ label: a.name, href: `${BASE}/${a.id}` }, { label: 'Grille', href: returnTo }, { label: 'Conflit' }],
              content: conflictPage({
                audit: a,
                page: fullPage,
                criterion,
                mine: { status: form.status, note },
                theirs,
                csrfToken: reply.generateCsrf(),
                returnTo,
              }),
            },
            409,
          );
        }
        const message = applied
          ? `Appliqué à ${applied.changed} autre${applied.changed > 1 ? 's' : ''} page${applied.changed > 1 ? 's' : ''}${applied.kept ? `, ${applied.kept} déjà testée${applied.kept > 1 ? 's' : ''} laissée${applied.kept > 1 ? 's' : ''} telle${applied.kept > 1 ? 's' : ''} quelle${applied.kept > 1 ? 's' : ''}` : ''}.`
          : '';
        if (wantsJson(request))
          return reply.send({
            outcome: 'saved',
            version: saved.version,
            status: form.status,
            label: STATUS_LABELS[form.status],
            message,
          });
        const [base, hash] = [returnTo.split('#')[0], `critere-${criterionId.replace('.', '-')}`];
        return redirectSeeOther(reply, `${base}${base.includes('?') ? '&' : '?'}message=enregistre#${hash}`);
      }),
    );

    // ——— One cell and its items ———

    const cellOf = async (request: AuditRequest, pageIdRaw: unknown, criterionRaw: unknown) => {
      const a = await getAudit(db, auditId(request));
      if (!a) return null;
      const rgaa = rgaaOf(a.rgaaVersion);
      const pageId = parseId(pageIdRaw);
      const page = a.pages.find((p) => p.id === pageId);
      const criterion = typeof criterionRaw === 'string' ? rgaa.criterion(criterionRaw) : undefined;
      if (!page || !criterion || !rgaa.auditCriteria(a.type).includes(criterion.id)) return null;
      const cell = await loadCell(db, a.id, page.id, criterion.id);
      return cell ? { a, rgaa, page, criterion, cell } : null;
    };

    const showCell = async (
      request: AuditRequest,
      reply: FastifyReply,
      pageIdRaw: unknown,
      criterionRaw: unknown,
      o: { values?: ItemFormValues; errors?: FieldErrors; status?: number; notice?: Notice } = {},
    ) => {
      const found = await cellOf(request, pageIdRaw, criterionRaw);
      if (!found) return notFound(request, reply, 'Ce critère');
      const { a, rgaa, page, criterion, cell } = found;
      const { values = {}, errors = {}, status } = o;
      const failed = Object.keys(errors).length > 0;
      return sendPage(
        request,
        reply,
        {
          title: `${failed ? 'Erreur : ' : ''}Critère ${criterion.id}, ${page.name} – ${a.name}`,
          breadcrumb: [
            { label: a.name, href: `${BASE}/${a.id}` },
            { label: 'Grille', href: `${BASE}/${a.id}/grille?page=${page.id}` },
            { label: `Critère ${criterion.id}` },
          ],
          notice: o.notice ?? null,
          content: cellPage({ audit: a, rgaa, page, criterion, cell, csrfToken: reply.generateCsrf(), values, errors }),
        },
        status ?? (failed ? 400 : 200),
      );
    };

    app.get(`${BASE}/:id/cellule`, { ...EDIT_ACCESS, schema: { params: auditParams, querystring: cellQuery } }, (request, reply) =>
      showCell(request, reply, request.query.page, request.query.critere, { notice: noticeOf(request.query) }),
    );

    /** Reads a multipart item form: fields and an optional image, its type checked from its bytes. */
    const readItemForm = async (
      request: AuditRequest,
    ): Promise<{ fields: Record<string, string>; image: { contentType: string; bytes: Buffer } | null; errors: FieldErrors }> => {
      const fields: Record<string, string> = {};
      const errors: FieldErrors = {};
      let image: { contentType: string; bytes: Buffer } | null = null;
      // Without JavaScript or a file, the same fields may come as an ordinary form: every field as text.
      if (!request.isMultipart()) return { fields: formTexts.safeParse(request.body ?? {}).data ?? {}, image, errors };
      try {
        for await (const part of request.parts()) {
          if (part.type === 'file') {
            const bytes = await part.toBuffer();
            if (bytes.length === 0) continue;
            const type = imageTypeOf(bytes);
            if (!type) errors.image = 'La capture doit être une image PNG, JPEG, GIF ou WebP (le contenu du fichier n’en est pas une).';
            else image = { contentType: type, bytes };
          } else if (typeof part.value === 'string') {
            // The edit forms prefix their fields with the item (i12-description).
            fields[part.fieldname.replace(/^i\d+-/, '')] = part.value;
          }
        }
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'FST_REQ_FILE_TOO_LARGE') errors.image = 'La capture dépasse 2 Mo : réduisez-la ou recadrez-la.';
        else if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_FILES_LIMIT')
          errors.description = 'Le formulaire envoyé contient trop de champs ou de fichiers.';
        else throw error;
        image = null;
      }
      return { fields, image, errors };
    };

    const itemSchema = z.object({
      description: z
        .string({ error: 'Décrivez l’anomalie.' })
        .trim()
        .min(1, 'Décrivez l’anomalie.')
        .max(5000, '5 000 caractères au maximum.'),
      impact: z
        .string()
        .optional()
        .transform((v) => (v ? v : null))
        .refine((v) => v === null || IMPACTS.some((i) => i.impact === v), 'Choisissez un impact : mineur, majeur ou bloquant.'),
      quick_win: z.string().optional(),
      recommendation: z.string().trim().max(5000, '5 000 caractères au maximum.').optional().default(''),
      image_alt: z.string().trim().max(500, '500 caractères au maximum.').optional().default(''),
    });

    const itemInput = (d: z.infer<typeof itemSchema>, image: { contentType: string; bytes: Buffer } | null): ItemInput => ({
      description: d.description,
      impact: d.impact as ItemInput['impact'],
      quickWin: d.quick_win === '1',
      recommendation: d.recommendation,
      image: image ? { ...image, alt: d.image_alt } : null,
    });

    await app.register(async (plain) => {
      const scope = plain.withTypeProvider<ZodTypeProvider>();
      await scope.register(multipart, { limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 12, parts: 13 } });

      scope.post(`${BASE}/:id/anomalies`, edit(multipartBody), (request, reply) =>
        change(request, reply, async () => {
          const { fields, image, errors } = await readItemForm(request);
          const r = validateForm(itemSchema, fields);
          if (!r.ok) Object.assign(errors, r.errors);
          if (!r.ok || Object.keys(errors).length)
            return showCell(request, reply, fields.page_id, fields.criterion, { values: fields, errors });
          const found = await cellOf(request, fields.page_id, fields.criterion);
          if (!found) return notFound(request, reply, 'Ce critère');
          await db.transaction((tx) =>
            addItem(tx, {
              auditId: found.a.id,
              pageId: found.page.id,
              criterion: found.criterion.id,
              ...itemInput(r.data, image),
              actor: request.user!,
            }),
          );
          return redirectSeeOther(
            reply,
            `${BASE}/${found.a.id}/cellule?page=${found.page.id}&critere=${found.criterion.id}&message=anomalie`,
          );
        }),
      );

      scope.post(`${BASE}/:id/anomalies/modifier`, edit(multipartBody), (request, reply) =>
        change(request, reply, async () => {
          const { fields, image, errors } = await readItemForm(request);
          const version = Number(fields.version);
          return itemChange(request, reply, parseId(fields.item_id), Number.isInteger(version) ? version : null, async () => {
            const r = validateForm(itemSchema, fields);
            if (!r.ok) Object.assign(errors, r.errors);
            if (!r.ok || Object.keys(errors).length) return { errors };
            return { change: { action: 'update' as const, item: itemInput(r.data, image) } };
          });
        }),
      );
    });

    /** Finds the item's cell, applies the change with the cell's version; a stale one shows the cell as it is now. */
    const itemChange = async (
      request: AuditRequest,
      reply: FastifyReply,
      itemId: number | null,
      version: number | null,
      prepare: () => Promise<
        { errors: FieldErrors } | { change: { action: 'update'; item: ItemInput } | { action: 'delete' } | { action: 'confirm' } }
      >,
    ) => {
      const id = auditId(request);
      const { rows } = itemId
        ? await db.query(
            `SELECT i.page_id, i.criterion FROM accessibility_nc_items i JOIN accessibility_audit_pages p ON p.id = i.page_id WHERE i.id = $1 AND p.audit_id = $2`,
            [itemId, id],
          )
        : { rows: [] };
      if (!rows[0] || itemId === null || version === null) return notFound(request, reply, 'Cette anomalie');
      const prepared = await prepare();
      if ('errors' in prepared) return showCell(request, reply, rows[0].page_id, rows[0].criterion, { errors: prepared.errors });
      const result = await db.transaction((tx) =>
        changeItem(tx, { auditId: id, itemId, expectedVersion: version, actor: request.user!, ...prepared.change }),
      );
      if (result.outcome === 'missing') return notFound(request, reply, 'Cette anomalie');
      if (result.outcome === 'conflict') {
        return showCell(request, reply, rows[0].page_id, rows[0].criterion, {
          errors: {
            description:
              'Quelqu’un a modifié ce critère entre-temps : voici ses anomalies à jour. Votre changement n’est pas enregistré ; refaites-le si besoin.',
          },
          status: 409,
        });
      }
      const message =
        prepared.change.action === 'delete'
          ? 'anomalie-supprimee'
          : prepared.change.action === 'confirm'
            ? 'anomalie-confirmee'
            : 'anomalie';
      return redirectSeeOther(reply, `${BASE}/${id}/cellule?page=${rows[0].page_id}&critere=${rows[0].criterion}&message=${message}`);
    };

    for (const [path, action] of [
      ['supprimer', 'delete'],
      ['confirmer', 'confirm'],
    ] as const) {
      app.post(`${BASE}/:id/anomalies/${path}`, edit(itemAction), (request, reply) =>
        change(request, reply, () =>
          itemChange(request, reply, request.body.item_id, request.body.version, async () => ({ change: { action } })),
        ),
      );
    }

    app.get(
      `${BASE}/:id/anomalies/image`,
      { ...READ_ACCESS, schema: { params: auditParams, querystring: imageQuery } },
      async (request, reply) => {
        const itemId = request.query.item;
        const image = itemId ? await itemImage(db, auditId(request), itemId) : null;
        if (!image) return notFound(request, reply, 'Cette capture');
        return reply
          .type(image.contentType)
          .header('content-disposition', 'inline')
          .header('x-content-type-options', 'nosniff')
          .send(image.bytes);
      },
    );

    // ——— Publish, re-audit ———

    app.post(`${BASE}/:id/publier`, team(actionForm), (request, reply) =>
      change(request, reply, async () => {
        const outcome = await db.transaction((tx) => publishAudit(tx, auditId(request), request.user!));
        if (outcome === 'incomplete')
          return sendErrorPage(
            request,
            reply,
            409,
            'Audit incomplet',
            'L’audit reste « en cours » tant que toutes les cellules de la grille ne sont pas testées : il n’a pas été publié.',
          );
        return redirectSeeOther(reply, `${BASE}/${auditId(request)}?message=publie`);
      }),
    );

    app.post(`${BASE}/:id/reauditer`, team(reauditForm), async (request, reply) => {
      const a = await getAudit(db, auditId(request));
      if (!a) return notFound(request, reply);
      if (a.status !== 'published')
        return sendErrorPage(request, reply, 409, 'Audit en cours', 'Un ré-audit part d’un audit publié : publiez d’abord celui-ci.');
      const name = (request.body.name ?? '').trim().slice(0, 200) || `Ré-audit — ${a.name}`.slice(0, 200);
      const id = await db.transaction((tx) => startReaudit(tx, a.id, name, request.user!));
      return redirectSeeOther(reply, `${BASE}/${id}?message=cree`);
    });

    // ——— Report and share links ———

    const report = async (request: FastifyRequest, reply: FastifyReply, id: number, shared: boolean) => {
      const a = await getAudit(db, id);
      if (!a) return notFound(request, reply, 'Ce rapport');
      const rgaa = rgaaOf(a.rgaaVersion);
      const [conformity, cells] = await Promise.all([auditConformity(db, a.id), loadCells(db, a.id)]);
      const criteria = rgaa.auditCriteria(a.type).map((c) => rgaa.criterion(c)!);
      return sendPage(request, reply, {
        title: `Rapport d’audit : ${a.name}`,
        breadcrumb: shared
          ? [{ label: 'Rapport d’audit d’accessibilité' }]
          : [{ label: a.name, href: `${BASE}/${a.id}` }, { label: 'Rapport' }],
        content: reportPage({ audit: a, rgaa, criteria, conformity: conformity!, cells, shared }),
      });
    };

    app.get(`${BASE}/:id/rapport`, READ, (request, reply) => report(request, reply, auditId(request), false));

    app.get('/rapports-accessibilite/:token', { ...PUBLIC, schema: { params: reportToken } }, async (request, reply) => {
      const { token } = request.params;
      const { rows } = await db.query<{ audit_id: number; status: string }>(
        `SELECT l.audit_id, a.status FROM accessibility_report_links l JOIN accessibility_audits a ON a.id = l.audit_id
          WHERE l.token_hash = $1 AND l.revoked_at IS NULL AND a.deleted_at IS NULL`,
        [hashToken(token)],
      );
      if (!rows[0]) return notFound(request, reply, 'Ce lien de partage');
      if (rows[0].status !== 'published')
        return sendErrorPage(
          request,
          reply,
          404,
          'Rapport pas encore publié',
          'Ce rapport sera consultable par ce lien une fois l’audit publié.',
        );
      return report(request, reply, Number(rows[0].audit_id), true);
    });

    app.post(`${BASE}/:id/liens`, team(actionForm), async (request, reply) => {
      const id = auditId(request);
      const token = newToken();
      await db.transaction(async (tx) => {
        const { rows } = await tx.query<{ id: number }>(
          `INSERT INTO accessibility_report_links (audit_id, token_hash, created_by) VALUES ($1, $2, $3) RETURNING id`,
          [id, hashToken(token), request.user!.id],
        );
        await audit(tx, {
          actor: request.user!,
          action: 'accessibility.report_link.create',
          entityType: 'accessibility_audit',
          entityId: id,
          after: { linkId: Number(rows[0].id) },
        });
      });
      return showAudit(request, reply, { newLink: `${deps.config.publicUrl}/rapports-accessibilite/${token}` });
    });

    app.post(`${BASE}/:id/liens/revoquer`, team(linkRevocation), async (request, reply) => {
      const id = auditId(request);
      const linkId = request.body.link_id;
      const done = await db.transaction(async (tx) => {
        const { rowCount } = await tx.query(
          `UPDATE accessibility_report_links SET revoked_at = now(), revoked_by = $3 WHERE id = $1 AND audit_id = $2 AND revoked_at IS NULL`,
          [linkId, id, request.user!.id],
        );
        if (rowCount)
          await audit(tx, {
            actor: request.user!,
            action: 'accessibility.report_link.revoke',
            entityType: 'accessibility_audit',
            entityId: id,
            before: { linkId },
          });
        return rowCount > 0;
      });
      if (!done) return notFound(request, reply, 'Ce lien');
      return redirectSeeOther(reply, `${BASE}/${id}?message=lien-revoque`);
    });

    // ——— Exports ———

    app.get(`${BASE}/:id/export/:format`, { ...EDIT, schema: { params: exportParams } }, async (request, reply) => {
      const { format } = request.params;
      const file = await exportAudit(db, auditId(request), format);
      if (!file) return notFound(request, reply);
      return reply.type(file.contentType).header('content-disposition', `attachment; filename="${file.fileName}"`).send(file.body);
    });

    // ——— Automated scans ———

    app.get(`${BASE}/:id/scans`, EDIT, async (request, reply) => {
      const a = await getAudit(db, auditId(request));
      if (!a) return notFound(request, reply);
      const scans = scanReader ? await matchScans(scanReader, a) : [];
      return sendPage(request, reply, {
        title: `Scans automatiques – ${a.name}`,
        breadcrumb: [{ label: a.name, href: `${BASE}/${a.id}` }, { label: 'Scans automatiques' }],
        notice: noticeOf(request.query),
        content: scansPage({ audit: a, scans, csrfToken: reply.generateCsrf() }),
      });
    });

    app.post(`${BASE}/:id/scans/importer`, edit(scanImport), (request, reply) =>
      change(request, reply, async () => {
        const a = await getAudit(db, auditId(request));
        if (!a) return notFound(request, reply);
        const scanId = request.body.scan_id;
        if (!scanReader) return notFound(request, reply, 'Ce scan');
        const result = await db.transaction((tx) => importScanFindings(tx, scanReader, a, scanId, request.user!));
        if (!result) return notFound(request, reply, 'Ce scan');
        return redirectSeeOther(reply, `${BASE}/${a.id}/scans?importes=${result.items}`);
      }),
    );
  };
}
