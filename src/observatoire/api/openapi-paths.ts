import { PROBLEM_RESPONSE, addApiPath, addApiSchema, jsonResponse, type ApiParameter } from '../../kernel/web/openapi.ts';
import { ONLINE_STATUSES, ONLINE_STATUS_SHORT_LABELS, USER_CATEGORIES, USER_CATEGORY_LABELS } from '../../catalog/index.ts';
import { COLOURS } from '../rules/model.ts';

const TAG = ['Observatoire'];
/** « code : libellé » for each code of a vocabulary, so the API's readers see what the codes mean. */
const codes = (labels: Record<string, string>): string => Object.entries(labels).map(([code, label]) => `${code} : ${label}`).join(' ; ');
const editionId: ApiParameter = { name: 'id', in: 'path', required: true, description: "Identifiant de l'édition, ou « latest » pour la dernière publiée", schema: { type: 'string' } };

/** The table's filters, the same as in the public page's URL. */
export const LIST_PARAMETERS: ApiParameter[] = [
  { name: 'q', in: 'query', description: 'Recherche dans le titre (accents et majuscules ignorés)', schema: { type: 'string' } },
  { name: 'ministere', in: 'query', description: 'Identifiant du ministère', schema: { type: 'integer' } },
  { name: 'administration', in: 'query', description: "Identifiant de l'administration", schema: { type: 'integer' } },
  { name: 'categorie', in: 'query', description: `Catégorie d'usagers (${codes(USER_CATEGORY_LABELS)})`, schema: { type: 'string', enum: [...USER_CATEGORIES] } },
  { name: 'en_ligne', in: 'query', description: `Statut « réalisable en ligne » (${codes(ONLINE_STATUS_SHORT_LABELS)})`, schema: { type: 'string', enum: [...ONLINE_STATUSES] } },
  { name: 'indicateur', in: 'query', description: 'Indicateur filtré par niveau (avec « niveau »)', schema: { type: 'string' } },
  { name: 'niveau', in: 'query', description: "Couleur du niveau de l'indicateur filtré", schema: { type: 'string', enum: [...COLOURS] } },
  { name: 'tri', in: 'query', description: "Tri : « titre », « ministere » ou l'identifiant d'un indicateur (valeurs grises toujours en dernier)", schema: { type: 'string' } },
  { name: 'ordre', in: 'query', description: 'Ordre du tri', schema: { type: 'string', enum: ['asc', 'desc'] } },
  { name: 'page', in: 'query', description: 'Numéro de page (à partir de 1)', schema: { type: 'integer', minimum: 1 } },
  { name: 'par_page', in: 'query', description: 'Lignes par page (50 par défaut, 200 au plus)', schema: { type: 'integer', minimum: 1, maximum: 200 } },
];

const cell = {
  type: ['object', 'null'],
  properties: {
    value: { description: 'Valeur brute : nombre, catégorie ou état gris (a_venir, avis_insuffisants, non_applicable)', type: ['number', 'string', 'null'] },
    label: { type: 'string', description: 'Libellé du niveau' },
    colour: { type: 'string', enum: [...COLOURS] },
    goalReached: { type: ['boolean', 'null'], description: 'Objectif atteint ; null si non mesuré (gris)' },
  },
};

export function registerObservatoireApi(): void {
  addApiSchema('Edition', {
    type: 'object',
    properties: {
      id: { type: 'integer' }, name: { type: 'string' }, period: { type: 'string' },
      feedbackWindow: { type: 'object', properties: { start: { type: 'string', format: 'date' }, end: { type: 'string', format: 'date' } } },
      ruleSetVersion: { type: 'integer' }, publishedAt: { type: 'string', format: 'date-time' },
    },
  });
  addApiSchema('EditionList', { type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Edition' } } } });
  addApiSchema('EditionDetail', {
    allOf: [{ $ref: '#/components/schemas/Edition' }, { type: 'object', properties: { revisions: { type: 'array', items: { type: 'object' } } } }],
  });
  addApiSchema('ProcedureRow', {
    type: 'object',
    properties: {
      stableId: { type: 'string' }, title: { type: 'string' }, url: { type: ['string', 'null'] },
      ministry: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } },
      administration: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } },
      userCategories: { type: 'array', items: { type: 'string' } },
      indicators: { type: 'object', additionalProperties: cell },
    },
  });
  addApiSchema('ProcedurePage', {
    type: 'object',
    properties: {
      edition: { $ref: '#/components/schemas/Edition' }, total: { type: 'integer' }, page: { type: 'integer' }, perPage: { type: 'integer' },
      items: { type: 'array', items: { $ref: '#/components/schemas/ProcedureRow' } },
      links: { type: 'object', properties: { self: { type: 'string' }, next: { type: ['string', 'null'] }, prev: { type: ['string', 'null'] } } },
    },
  });
  addApiSchema('Indicator', {
    type: 'object',
    properties: {
      slug: { type: 'string' }, label: { type: 'string' }, unit: { type: 'string' }, source: { type: 'string' },
      description: { type: 'string' }, method: { type: 'string' }, help: { type: 'string' },
      nationalGoalPercent: { type: ['number', 'null'] }, rules: { type: 'object' },
    },
  });
  addApiSchema('IndicatorList', { type: 'object', properties: { ruleSetVersion: { type: 'integer' }, items: { type: 'array', items: { $ref: '#/components/schemas/Indicator' } } } });
  addApiSchema('RuleSet', { type: 'object', properties: { version: { type: 'integer' }, note: { type: 'string' }, createdAt: { type: 'string' }, grayLabels: { type: 'object' }, indicators: { type: 'object' } } });
  addApiSchema('RuleSetList', { type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { version: { type: 'integer' }, note: { type: 'string' }, createdAt: { type: 'string' } } } } } });
  addApiSchema('Scorecards', {
    type: 'object',
    properties: {
      edition: { $ref: '#/components/schemas/Edition' }, previousEdition: { type: ['object', 'null'] }, group: { type: 'string' },
      definition: { type: 'string' },
      items: { type: 'array', items: { type: 'object', properties: { id: { type: ['integer', 'string', 'null'], description: 'Identifiant du ministère ou de l’administration, code de la catégorie d’usagers, null pour l’ensemble' }, name: { type: 'string' }, procedures: { type: 'integer' }, indicators: { type: 'object' } } } },
    },
  });
  addApiSchema('History', { type: 'object', properties: { stableId: { type: 'string' }, items: { type: 'array', items: { type: 'object' } } } });

  addApiPath('/api/v1/editions', 'get', { operationId: 'listEditions', summary: 'Éditions publiées, de la plus récente à la plus ancienne', tags: TAG, responses: { 200: jsonResponse('Liste des éditions', 'EditionList') } });
  addApiPath('/api/v1/editions/{id}', 'get', { operationId: 'getEdition', summary: 'Une édition publiée et ses corrections', tags: TAG, parameters: [editionId], responses: { 200: jsonResponse('Édition', 'EditionDetail'), 404: PROBLEM_RESPONSE } });
  addApiPath('/api/v1/editions/{id}/procedures', 'get', {
    operationId: 'listEditionProcedures', summary: "Démarches d'une édition avec la valeur et le niveau de chaque indicateur",
    description: 'Mêmes filtres, tri et pagination que le tableau public.', tags: TAG,
    parameters: [editionId, ...LIST_PARAMETERS], responses: { 200: jsonResponse('Une page de démarches', 'ProcedurePage'), 400: PROBLEM_RESPONSE, 404: PROBLEM_RESPONSE },
  });
  addApiPath('/api/v1/editions/{id}/scorecards', 'get', {
    operationId: 'getScorecards', summary: "Taux d'atteinte de l'objectif par indicateur : national, par ministère, par administration ou par catégorie d'usagers", tags: TAG,
    parameters: [editionId, { name: 'groupe', in: 'query', description: 'Regroupement', schema: { type: 'string', enum: ['national', 'ministere', 'administration', 'categorie'] } }],
    responses: { 200: jsonResponse('Tableaux de bord', 'Scorecards'), 400: PROBLEM_RESPONSE, 404: PROBLEM_RESPONSE },
  });
  addApiPath('/api/v1/indicators', 'get', { operationId: 'listIndicators', summary: 'Définitions des indicateurs, règles de niveaux en vigueur et objectifs nationaux', tags: TAG, responses: { 200: jsonResponse('Indicateurs', 'IndicatorList') } });
  addApiPath('/api/v1/rule-sets', 'get', { operationId: 'listRuleSets', summary: 'Versions des règles de niveaux', tags: TAG, responses: { 200: jsonResponse('Versions', 'RuleSetList') } });
  addApiPath('/api/v1/rule-sets/{version}', 'get', {
    operationId: 'getRuleSet', summary: 'Une version des règles de niveaux', tags: TAG,
    parameters: [{ name: 'version', in: 'path', required: true, description: 'Numéro de version', schema: { type: 'integer' } }],
    responses: { 200: jsonResponse('Règles', 'RuleSet'), 404: PROBLEM_RESPONSE },
  });
  addApiPath('/api/v1/procedures/{stableId}/history', 'get', {
    operationId: 'getProcedureHistory', summary: "Historique d'une démarche à travers les éditions (par identifiant stable)", tags: TAG,
    parameters: [{ name: 'stableId', in: 'path', required: true, description: 'Identifiant stable de la démarche', schema: { type: 'string' } }],
    responses: { 200: jsonResponse('Historique', 'History'), 404: PROBLEM_RESPONSE },
  });
  addApiPath('/api/v1/editions/{id}/statistics', 'get', {
    operationId: 'getEditionStatistics', summary: "Intervalles de confiance à 95 % et nombre de réponses de chaque valeur mesurée d'une édition", tags: TAG,
    parameters: [{ name: 'id', in: 'path', required: true, description: "Identifiant de l'édition ou latest", schema: { type: 'string' } }],
    responses: { 200: { description: 'Statistiques : value, lower, upper, n, method (wilson ou t), uncertain', content: { 'application/json': { schema: { type: 'object' } } } }, 404: PROBLEM_RESPONSE },
  });
  addApiPath('/api/v1/comparisons', 'get', {
    operationId: 'compareEditions', summary: 'Évolutions entre deux éditions : écart, intervalle, p-value, p-value ajustée (Benjamini–Hochberg) et significativité', tags: TAG,
    parameters: [
      { name: 'de', in: 'query', required: true, description: "Édition de départ (identifiant ou latest)", schema: { type: 'string' } },
      { name: 'a', in: 'query', required: true, description: "Édition d'arrivée (identifiant ou latest)", schema: { type: 'string' } },
    ],
    responses: { 200: { description: 'Évolutions testées', content: { 'application/json': { schema: { type: 'object' } } } }, 400: PROBLEM_RESPONSE },
  });
}
