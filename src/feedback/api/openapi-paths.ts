import { PROBLEM_RESPONSE, addApiPath, addApiSchema, jsonResponse, type ApiParameter } from '../../kernel/web/openapi.ts';

const TAG = ['Avis usagers'];
const AUTH = 'Clé d’API dans l’en-tête « Authorization: Bearer <clé> » ; seules les démarches du périmètre de la clé sont accessibles.';
const WINDOW: ApiParameter[] = [
  { name: 'debut', in: 'query', description: 'Début de la période (AAAA-MM-JJ, inclus) ; 365 derniers jours par défaut', schema: { type: 'string', format: 'date' } },
  { name: 'fin', in: 'query', description: 'Fin de la période (AAAA-MM-JJ, incluse)', schema: { type: 'string', format: 'date' } },
  { name: 'intervalle', in: 'query', description: 'Découpage : jour, semaine, mois ou aucun (une seule valeur)', schema: { type: 'string', enum: ['day', 'week', 'month', 'none'] } },
];
const id = (what: string): ApiParameter => ({ name: 'id', in: 'path', required: true, description: `Identifiant ${what}`, schema: { type: 'integer' } });

export function registerFeedbackApi(): void {
  addApiSchema('FeedbackIndicators', {
    type: 'object',
    properties: {
      start: { type: 'string', format: 'date', description: 'Début de l’intervalle' },
      reviews: { type: 'integer' }, verbatims: { type: 'integer' },
      satisfaction: { type: ['number', 'null'], description: 'Sur 10, moyenne pondérée' },
      clarity: { type: ['number', 'null'], description: 'Sur 10' },
      helpReachable: { type: ['number', 'null'], description: '%' },
      helpEfficient: { type: ['number', 'null'], description: 'Sur 10' },
      autonomy: { type: ['number', 'null'], description: '%' },
      answers: { type: 'object', description: 'Nombre de réponses derrière chaque valeur' },
    },
  });
  addApiSchema('FeedbackSeries', {
    type: 'object',
    properties: {
      window: { type: 'object', properties: { start: { type: 'string', format: 'date' }, end: { type: 'string', format: 'date' } } },
      interval: { type: 'string', enum: ['day', 'week', 'month', 'none'] },
      points: { type: 'array', items: { $ref: '#/components/schemas/FeedbackIndicators' } },
    },
  });
  addApiSchema('FeedbackProcedureList', {
    type: 'object',
    properties: { items: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, title: { type: 'string' }, forms: { type: 'array', items: { type: 'object' } } } } } },
  });
  const errors = { 400: PROBLEM_RESPONSE, 401: PROBLEM_RESPONSE, 403: PROBLEM_RESPONSE, 404: PROBLEM_RESPONSE };
  addApiPath('/api/v1/feedback/procedures', 'get', {
    operationId: 'listFeedbackProcedures', summary: 'Démarches du périmètre et leurs formulaires d’avis', description: AUTH, tags: TAG,
    responses: { 200: jsonResponse('Démarches et formulaires', 'FeedbackProcedureList'), 401: PROBLEM_RESPONSE },
  });
  addApiPath('/api/v1/feedback/procedures/{id}/indicators', 'get', {
    operationId: 'feedbackProcedureIndicators', summary: 'Indicateurs et nombres d’avis d’une démarche par intervalle', description: AUTH, tags: TAG,
    parameters: [id('de la démarche'), ...WINDOW], responses: { 200: jsonResponse('Série', 'FeedbackSeries'), ...errors },
  });
  addApiPath('/api/v1/feedback/forms/{id}/indicators', 'get', {
    operationId: 'feedbackFormIndicators', summary: 'Indicateurs et nombres d’avis d’un formulaire par intervalle', description: AUTH, tags: TAG,
    parameters: [id('du formulaire'), ...WINDOW], responses: { 200: jsonResponse('Série', 'FeedbackSeries'), ...errors },
  });
}
