import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../kernel/web/deps.ts';
import { PUBLIC } from '../kernel/web/access.ts';
import { PROBLEM_RESPONSE, addApiPath, addApiSchema, jsonResponse, sendProblem, sendPublicJson, type ApiParameter } from '../kernel/web/openapi.ts';
import { todayInParis } from '../kernel/web/format.ts';
import { parseId } from '../kernel/web/ids.ts';
import { auditConformity } from './audits/queries.ts';
import { declarationByStableId, publishedDeclarations } from './declarations/queries.ts';
import { getPlan, planActions, roadmaps } from './plans/queries.ts';

/** The public, read-only accessibility API: published declarations, published audits' summaries, published plans, roadmaps. */
export async function accessibilityApiRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const API = PUBLIC;

  app.get('/api/v1/accessibility/declarations', API, async (request, reply) => {
    const { rows } = await db.query(`SELECT procedure_id FROM accessibility_declarations WHERE published IS NOT NULL ORDER BY procedure_id`);
    const all = await publishedDeclarations(db, rows.map((r) => Number(r.procedure_id)), todayInParis());
    return sendPublicJson(request, reply, {
      items: [...all.values()].map((d) => ({
        procedure: d.content.procedure.stableId, title: d.content.procedure.title, label: d.content.conformity.label, rate: d.content.results.rate,
        publishedOn: d.publishedOn, valid: d.validity.valid, expiresOn: d.validity.expiresOn, url: `/declarations-accessibilite/${encodeURIComponent(d.content.procedure.stableId)}`,
      })),
    });
  });

  app.get<{ Params: { stableId: string } }>('/api/v1/accessibility/declarations/:stableId', API, async (request, reply) => {
    const d = await declarationByStableId(db, request.params.stableId, todayInParis());
    if (!d) return sendProblem(reply, 404, 'Déclaration introuvable', 'Cette démarche n’a pas de déclaration d’accessibilité publiée.');
    return sendPublicJson(request, reply, { declaration: d.content, publishedOn: d.publishedOn, redesignedOn: d.redesignedOn, validity: d.validity });
  });

  app.get<{ Params: { id: string } }>('/api/v1/accessibility/audits/:id', API, async (request, reply) => {
    const id = parseId(request.params.id);
    const { rows } = id === null ? { rows: [] } : await db.query(
      `SELECT a.id, a.procedure_id, p.stable_id, a.audit_type, a.rgaa_version, a.name, a.audited_by, a.started_on, a.finished_on, a.published_at
         FROM accessibility_audits a JOIN procedures p ON p.id = a.procedure_id
        WHERE a.id = $1 AND a.status = 'published' AND a.deleted_at IS NULL`,
      [id],
    );
    const a = rows[0];
    const c = a ? await auditConformity(db, Number(a.id)) : null;
    if (!a || !c) return sendProblem(reply, 404, 'Audit introuvable', 'Cet audit n’existe pas ou n’est pas publié.');
    return sendPublicJson(request, reply, {
      id: Number(a.id), procedure: a.stable_id, type: a.audit_type, rgaaVersion: a.rgaa_version, name: a.name, auditedBy: a.audited_by,
      startedOn: a.started_on, finishedOn: a.finished_on, publishedAt: new Date(a.published_at).toISOString(),
      rate: c.rate, label: c.label, averageRate: c.averageRate, criteria: c.criteria, applicable: c.applicable, respected: c.respected, pages: c.pages.length,
    });
  });

  app.get<{ Params: { id: string } }>('/api/v1/accessibility/plans/:id', API, async (request, reply) => {
    const id = parseId(request.params.id);
    const plan = id === null ? null : await getPlan(db, id);
    if (!plan || !plan.publishedAt) return sendProblem(reply, 404, 'Plan introuvable', 'Ce plan n’existe pas ou n’est pas publié.');
    return sendPublicJson(request, reply, { ...plan, actions: await planActions(db, plan.id) });
  });

  app.get<{ Params: { stableId: string } }>('/api/v1/accessibility/roadmaps/:stableId', API, async (request, reply) => {
    const { rows } = await db.query('SELECT id FROM procedures WHERE stable_id = $1', [request.params.stableId]);
    const id = rows[0] ? Number(rows[0].id) : null;
    const roadmap = id === null ? null : (await roadmaps(db, [id], todayInParis())).get(id);
    if (!roadmap) return sendProblem(reply, 404, 'Feuille de route introuvable', 'Cette démarche n’a pas de feuille de route d’accessibilité.');
    return sendPublicJson(request, reply, { procedure: request.params.stableId, targetOn: roadmap.targetOn, milestones: roadmap.milestones });
  });
}

const TAG = ['Accessibilité'];
const PUBLIC_TEXT = 'Public, sans clé ; données publiées uniquement.';
const stable: ApiParameter = { name: 'stableId', in: 'path', required: true, description: 'Identifiant stable de la démarche', schema: { type: 'string' } };
const id = (what: string): ApiParameter => ({ name: 'id', in: 'path', required: true, description: `Identifiant ${what}`, schema: { type: 'integer' } });

export function registerAccessibilityApi(): void {
  addApiSchema('AccessibilityDeclaration', {
    type: 'object',
    description: 'Déclaration d’accessibilité publiée, sections dans l’ordre du format légal, et sa validité',
    properties: {
      declaration: { type: 'object' }, publishedOn: { type: 'string', format: 'date' }, redesignedOn: { type: ['string', 'null'], format: 'date' },
      validity: { type: 'object', properties: { expiresOn: { type: 'string', format: 'date' }, reason: { type: 'string', enum: ['duration', 'new_version', 'redesign'] }, valid: { type: 'boolean' }, daysLeft: { type: 'integer' }, expiresSoon: { type: 'boolean' } } },
    },
  });
  addApiSchema('AccessibilityAuditSummary', {
    type: 'object',
    properties: {
      id: { type: 'integer' }, procedure: { type: 'string' }, type: { type: 'string', enum: ['fast', 'complementary', 'full'] }, rgaaVersion: { type: 'string' },
      rate: { type: ['number', 'null'], description: 'Taux de conformité exact (%)' }, label: { type: 'string' }, averageRate: { type: ['number', 'null'] },
      criteria: { type: 'integer' }, applicable: { type: 'integer' }, respected: { type: 'integer' }, pages: { type: 'integer' },
    },
  });
  addApiSchema('AccessibilityPlan', { type: 'object', properties: { id: { type: 'integer' }, title: { type: 'string' }, startYear: { type: 'integer' }, endYear: { type: 'integer' }, actions: { type: 'array', items: { type: 'object' } } } });
  addApiSchema('AccessibilityRoadmap', { type: 'object', properties: { procedure: { type: 'string' }, targetOn: { type: ['string', 'null'], format: 'date' }, milestones: { type: 'array', items: { type: 'object' } } } });
  const errors = { 404: PROBLEM_RESPONSE };
  addApiSchema('AccessibilityDeclarationList', {
    type: 'object',
    properties: { items: { type: 'array', items: { type: 'object', properties: {
      procedure: { type: 'string' }, title: { type: 'string' }, label: { type: 'string' }, rate: { type: ['integer', 'null'] },
      publishedOn: { type: 'string', format: 'date' }, valid: { type: 'boolean' }, expiresOn: { type: 'string', format: 'date' }, url: { type: 'string' },
    } } } },
  });
  addApiPath('/api/v1/accessibility/declarations', 'get', { operationId: 'accessibilityDeclarations', summary: 'Déclarations d’accessibilité publiées, avec leur validité', description: PUBLIC_TEXT, tags: TAG, responses: { 200: jsonResponse('Déclarations', 'AccessibilityDeclarationList') } });
  addApiPath('/api/v1/accessibility/declarations/{stableId}', 'get', { operationId: 'accessibilityDeclaration', summary: 'Déclaration d’accessibilité publiée d’une démarche', description: PUBLIC_TEXT, tags: TAG, parameters: [stable], responses: { 200: jsonResponse('Déclaration', 'AccessibilityDeclaration'), ...errors } });
  addApiPath('/api/v1/accessibility/audits/{id}', 'get', { operationId: 'accessibilityAuditSummary', summary: 'Résumé d’un audit RGAA publié', description: PUBLIC_TEXT, tags: TAG, parameters: [id('de l’audit')], responses: { 200: jsonResponse('Résumé', 'AccessibilityAuditSummary'), ...errors } });
  addApiPath('/api/v1/accessibility/plans/{id}', 'get', { operationId: 'accessibilityPlan', summary: 'Schéma pluriannuel publié et ses actions', description: PUBLIC_TEXT, tags: TAG, parameters: [id('du schéma')], responses: { 200: jsonResponse('Plan', 'AccessibilityPlan'), ...errors } });
  addApiPath('/api/v1/accessibility/roadmaps/{stableId}', 'get', { operationId: 'accessibilityRoadmap', summary: 'Feuille de route d’accessibilité d’une démarche', description: PUBLIC_TEXT, tags: TAG, parameters: [stable], responses: { 200: jsonResponse('Feuille de route', 'AccessibilityRoadmap'), ...errors } });
}
