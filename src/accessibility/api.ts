import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../kernel/web/deps.ts';
import { PUBLIC } from '../kernel/web/access.ts';
import { z } from 'zod';
import { sendProblem, sendPublicJson } from '../kernel/web/openapi.ts';
import { idParam } from '../kernel/web/ids.ts';
import type { ZodTypeProvider } from '../kernel/web/schemas.ts';
import { todayInParis } from '../kernel/web/format.ts';
import { auditConformity } from './audits/queries.ts';
import { declarationByStableId, publishedDeclarations } from './declarations/queries.ts';
import { ACTION_KINDS, ACTION_STATUSES, getPlan, planActions, roadmaps } from './plans/queries.ts';

/**
 * The API's route schemas (zod): they validate the params, and the OpenAPI document is generated from them
 * (src/kernel/web/openapi.ts), answers included; src/accessibility/api.test.ts parses real answers with them.
 */
const TAGS = ['Accessibilité'];
const PUBLIC_TEXT = 'Public, sans clé ; données publiées uniquement.';
const stableParams = z.object({ stableId: z.string().min(1).max(100).describe('Identifiant stable de la démarche') });
/** A malformed id gets the same 404 problem as an unknown one. */
const idParams = (what: string, title: string, message: string) =>
  z.object({ id: idParam(message, title).describe(`Identifiant ${what}`) });
const AUDIT_NOT_FOUND = 'Cet audit n’existe pas ou n’est pas publié.';
const PLAN_NOT_FOUND = 'Ce plan n’existe pas ou n’est pas publié.';
const date = z.string().describe('AAAA-MM-JJ');
const LABELS = ['totalement_conforme', 'partiellement_conforme', 'non_conforme'] as const;

export const declarationList = z
  .object({
    items: z.array(
      z.object({
        procedure: z.string().describe('Identifiant stable de la démarche'),
        title: z.string(),
        label: z.enum(LABELS),
        rate: z.number().int().nullable().describe('Taux affiché (%)'),
        publishedOn: date,
        valid: z.boolean(),
        expiresOn: date,
        url: z.string(),
      }),
    ),
  })
  .describe('Déclarations');

const validity = z.object({
  expiresOn: date,
  reason: z.enum(['duration', 'new_version', 'redesign']),
  valid: z.boolean(),
  daysLeft: z.number().int(),
  expiresSoon: z.boolean(),
});
const nullableText = z.string().nullable();
export const declaration = z
  .object({
    declaration: z.object({
      format: z.literal(1),
      procedure: z.object({ id: z.number().int(), stableId: z.string(), title: z.string() }),
      engagement: z.object({ organisation: z.string(), text: z.string(), multiYearPlanUrl: nullableText, actionPlanUrl: nullableText }),
      scope: z.object({ service: z.string(), url: nullableText }),
      conformity: z.object({
        label: z.enum(LABELS),
        labelText: z.string(),
        mention: z.string(),
        referential: z.string(),
        rgaaVersion: z.string(),
      }),
      results: z.object({
        auditedBy: z.string(),
        rate: z.number().nullable(),
        exactRate: z.number().nullable(),
        respected: z.number().int(),
        applicable: z.number().int(),
        averageRate: z.number().nullable(),
        auditSummaryUrl: z.string(),
      }),
      nonAccessible: z.object({
        nonConformities: z.array(
          z.object({ criterion: z.string(), title: z.string(), pages: z.array(z.string()), items: z.array(z.string()) }),
        ),
        notes: z.array(z.string()),
        derogations: z.array(z.string()),
        exempted: z.array(z.string()),
      }),
      establishment: z.object({
        establishedOn: date,
        updatedOn: date,
        technologies: z.array(z.string()),
        environments: z.array(z.string()),
        tools: z.array(z.string()),
        pages: z.array(z.object({ name: z.string(), url: nullableText })),
      }),
      contact: z.object({ entity: z.string(), email: nullableText, formUrl: nullableText, pageUrl: nullableText }),
      remedies: z.object({ defenseurDesDroits: z.array(z.string()) }),
      audit: z.object({ id: z.number().int(), type: z.string(), rgaaVersion: z.string(), publishedOn: date, finishedOn: date.nullable() }),
    }),
    publishedOn: date,
    redesignedOn: date.nullable(),
    validity,
  })
  .describe('Déclaration d’accessibilité publiée, sections dans l’ordre du format légal, et sa validité');

export const auditSummary = z
  .object({
    id: z.number().int(),
    procedure: z.string(),
    type: z.enum(['fast', 'complementary', 'full']),
    rgaaVersion: z.string(),
    name: z.string(),
    auditedBy: z.string(),
    startedOn: date.nullable(),
    finishedOn: date.nullable(),
    publishedAt: z.string(),
    rate: z.number().nullable().describe('Taux de conformité exact (%)'),
    label: z.enum(LABELS),
    averageRate: z.number().nullable(),
    criteria: z.number().int(),
    applicable: z.number().int(),
    respected: z.number().int(),
    pages: z.number().int(),
  })
  .describe('Résumé d’un audit publié');

const actionKind = z.enum(Object.keys(ACTION_KINDS) as [string, ...string[]]);
const actionStatus = z.enum(Object.keys(ACTION_STATUSES) as [string, ...string[]]);
export const plan = z
  .object({
    id: z.number().int(),
    org: z.object({ kind: z.enum(['ministry', 'administration']), id: z.number().int() }),
    orgName: z.string(),
    title: z.string(),
    startYear: z.number().int(),
    endYear: z.number().int(),
    policy: z.string(),
    publishedAt: z.string().nullable(),
    version: z.number().int(),
    actions: z.array(
      z.object({
        id: z.number().int(),
        year: z.number().int(),
        procedureId: z.number().int().nullable(),
        procedureTitle: nullableText,
        kind: actionKind,
        title: z.string(),
        owner: z.string(),
        startsOn: date.nullable(),
        dueOn: date.nullable(),
        status: actionStatus,
        result: z.string(),
      }),
    ),
  })
  .describe('Schéma pluriannuel publié et ses actions');

export const roadmap = z
  .object({
    procedure: z.string(),
    targetOn: date.nullable(),
    milestones: z.array(
      z.object({
        id: z.number().int(),
        kind: actionKind,
        title: z.string(),
        owner: z.string(),
        dueOn: date,
        status: actionStatus,
        doneOn: date.nullable(),
        overdue: z.boolean(),
      }),
    ),
  })
  .describe('Feuille de route d’accessibilité');

export const problem = z
  .object({ type: z.string().optional(), title: z.string(), status: z.number().int(), detail: z.string().optional() })
  .describe('Erreur (RFC 9457 problem details)');

const doc = <P extends { params?: z.ZodType }>(summary: string, operationId: string, parts: P, answer: z.ZodType) => ({
  ...PUBLIC,
  schema: { summary, description: PUBLIC_TEXT, operationId, tags: TAGS, ...parts, response: { 200: answer, 404: problem } },
});

/** The public, read-only accessibility API: published declarations, published audits' summaries, published plans, roadmaps. */
export async function accessibilityApiRoutes(instance: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const app = instance.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/v1/accessibility/declarations',
    doc('Déclarations d’accessibilité publiées, avec leur validité', 'accessibilityDeclarations', {}, declarationList),
    async (request, reply) => {
      const { rows } = await db.query(
        `SELECT procedure_id FROM accessibility_declarations WHERE published IS NOT NULL ORDER BY procedure_id`,
      );
      const all = await publishedDeclarations(
        db,
        rows.map((r) => Number(r.procedure_id)),
        todayInParis(),
      );
      return sendPublicJson(request, reply, {
        items: [...all.values()].map((d) => ({
          procedure: d.content.procedure.stableId,
          title: d.content.procedure.title,
          label: d.content.conformity.label,
          rate: d.content.results.rate,
          publishedOn: d.publishedOn,
          valid: d.validity.valid,
          expiresOn: d.validity.expiresOn,
          url: `/declarations-accessibilite/${encodeURIComponent(d.content.procedure.stableId)}`,
        })),
      });
    },
  );

  app.get(
    '/api/v1/accessibility/declarations/:stableId',
    doc('Déclaration d’accessibilité publiée d’une démarche', 'accessibilityDeclaration', { params: stableParams }, declaration),
    async (request, reply) => {
      const d = await declarationByStableId(db, request.params.stableId, todayInParis());
      if (!d) return sendProblem(reply, 404, 'Déclaration introuvable', 'Cette démarche n’a pas de déclaration d’accessibilité publiée.');
      return sendPublicJson(request, reply, {
        declaration: d.content,
        publishedOn: d.publishedOn,
        redesignedOn: d.redesignedOn,
        validity: d.validity,
      });
    },
  );

  app.get(
    '/api/v1/accessibility/audits/:id',
    doc(
      'Résumé d’un audit RGAA publié',
      'accessibilityAuditSummary',
      { params: idParams('de l’audit', 'Audit introuvable', AUDIT_NOT_FOUND) },
      auditSummary,
    ),
    async (request, reply) => {
      const { id } = request.params;
      const { rows } = await db.query(
        `SELECT a.id, a.procedure_id, p.stable_id, a.audit_type, a.rgaa_version, a.name, a.audited_by, a.started_on, a.finished_on, a.published_at
         FROM accessibility_audits a JOIN procedures p ON p.id = a.procedure_id
        WHERE a.id = $1 AND a.status = 'published' AND a.deleted_at IS NULL`,
        [id],
      );
      const a = rows[0];
      const c = a ? await auditConformity(db, Number(a.id)) : null;
      if (!a || !c) return sendProblem(reply, 404, 'Audit introuvable', AUDIT_NOT_FOUND);
      return sendPublicJson(request, reply, {
        id: Number(a.id),
        procedure: a.stable_id,
        type: a.audit_type,
        rgaaVersion: a.rgaa_version,
        name: a.name,
        auditedBy: a.audited_by,
        startedOn: a.started_on,
        finishedOn: a.finished_on,
        publishedAt: new Date(a.published_at).toISOString(),
        rate: c.rate,
        label: c.label,
        averageRate: c.averageRate,
        criteria: c.criteria,
        applicable: c.applicable,
        respected: c.respected,
        pages: c.pages.length,
      });
    },
  );

  app.get(
    '/api/v1/accessibility/plans/:id',
    doc(
      'Schéma pluriannuel publié et ses actions',
      'accessibilityPlan',
      { params: idParams('du schéma', 'Plan introuvable', PLAN_NOT_FOUND) },
      plan,
    ),
    async (request, reply) => {
      const found = await getPlan(db, request.params.id);
      if (!found || !found.publishedAt) return sendProblem(reply, 404, 'Plan introuvable', PLAN_NOT_FOUND);
      return sendPublicJson(request, reply, { ...found, actions: await planActions(db, found.id) });
    },
  );

  app.get(
    '/api/v1/accessibility/roadmaps/:stableId',
    doc('Feuille de route d’accessibilité d’une démarche', 'accessibilityRoadmap', { params: stableParams }, roadmap),
    async (request, reply) => {
      const { rows } = await db.query('SELECT id FROM procedures WHERE stable_id = $1', [request.params.stableId]);
      const id = rows[0] ? Number(rows[0].id) : null;
      const roadmap = id === null ? null : (await roadmaps(db, [id], todayInParis())).get(id);
      if (!roadmap)
        return sendProblem(reply, 404, 'Feuille de route introuvable', 'Cette démarche n’a pas de feuille de route d’accessibilité.');
      return sendPublicJson(request, reply, {
        procedure: request.params.stableId,
        targetOn: roadmap.targetOn,
        milestones: roadmap.milestones,
      });
    },
  );
}
