import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { audit } from '../../kernel/audit/audit.ts';
import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { csrfField, errorSummary, fieldId, input, select, type FieldErrors } from '../../kernel/web/forms.ts';
import { editionPhrase, formatDateTime } from '../../kernel/web/format.ts';
import { redirectSeeOther, sendPage } from '../../kernel/web/render.ts';
import { latestPublished } from '../editions/drafts.ts';
import { COLOURS, COLOUR_LABELS, GRAY_STATES } from '../rules/model.ts';
import { listRuleSets, loadIndicators, loadRuleSet, saveRuleSet, type IndicatorDefinition } from '../rules/repository.ts';
import {
  MAX_LEVELS,
  addLevel,
  draftFromBody,
  draftFromRules,
  indicatorField,
  levelField,
  rulesFromDraft,
  type IndicatorDraft,
  type RulesBody,
  type RulesDraft,
} from '../rules/form.ts';
import { previewRuleChange, type RuleChangeImpact } from '../rules/preview.ts';
import { bumpPublicCache } from '../cache/public-cache.ts';
import { STEERING } from '../../kernel/web/access.ts';
import type { ZodTypeProvider } from '../../kernel/web/schemas.ts';
import { z } from 'zod';

/** The rules form's body: every field text or repeated text (levels); another value is the 400 of a route schema. */
const rulesBody = z.record(
  z.string(),
  z.union([z.string(), z.array(z.string())], {
    error: 'Règles de niveaux : un champ du formulaire est mal formé. Rien n’a été enregistré.',
  }),
);

const GRAY_NAMES: Record<string, string> = {
  none: 'Aucune valeur',
  a_venir: 'Pas encore mesuré',
  avis_insuffisants: 'Avis trop peu nombreux',
  non_applicable: 'Non applicable',
};
const PAGE = '/observatoire/admin/regles';
const ADD_PREFIX = 'ajouter:';

function checkbox(name: string, label: string, checked: boolean, hint?: string): SafeHtml {
  const id = fieldId(name);
  return html`<div class="fr-checkbox-group">
  <input type="checkbox" id="${id}" name="${name}" value="oui"${checked ? html` checked` : ''}${hint ? html` aria-describedby="${id}-aide"` : ''}>
  <label class="fr-label" for="${id}">${label}${hint ? html`<span class="fr-hint-text" id="${id}-aide">${hint}</span>` : ''}</label>
</div>`;
}

/** The measure of a numeric indicator: valid range and the informative flag. */
function measureFields(slug: string, d: IndicatorDraft, errors: FieldErrors): SafeHtml {
  if (d.kind !== 'number')
    return html`<p class="fr-text--sm">Indicateur à catégories : chaque niveau liste les valeurs brutes qu’il couvre ; une valeur qu’aucun niveau ne couvre est affichée en gris.</p>`;
  return html`<div class="fr-grid-row fr-grid-row--gutters">
  <div class="fr-col-12 fr-col-md-4">${input({ name: indicatorField(slug, 'min'), label: 'Valeur minimale', value: d.min, error: errors[indicatorField(slug, 'min')], hint: 'Vide : pas de minimum. En dessous : « Valeur hors bornes ».' })}</div>
  <div class="fr-col-12 fr-col-md-4">${input({ name: indicatorField(slug, 'max'), label: 'Valeur maximale', value: d.max, error: errors[indicatorField(slug, 'max')], hint: 'Vide : pas de maximum. Au-dessus : « Valeur hors bornes ».' })}</div>
</div>
${checkbox(indicatorField(slug, 'informative'), 'Indicateur informatif', d.informative, 'Valeur affichée sans niveau ni objectif, jamais comptée dans les scores ; les niveaux ci-dessous sont gardés mais ne servent pas.')}`;
}

function levelRows(def: IndicatorDefinition, d: IndicatorDraft, errors: FieldErrors): SafeHtml {
  return html`${d.levels.map(
    (level, i) => html`<fieldset class="fr-fieldset fr-mb-2w" aria-labelledby="${def.slug}-niveau-${i}">
    <legend class="fr-fieldset__legend fr-text--regular" id="${def.slug}-niveau-${i}">${def.label} : niveau ${i + 1}</legend>
    <div class="fr-fieldset__element fr-fieldset__element--inline">${input({ name: levelField(def.slug, i, 'label'), label: 'Libellé', value: level.label, error: errors[levelField(def.slug, i, 'label')] })}</div>
    <div class="fr-fieldset__element fr-fieldset__element--inline">${select({ name: levelField(def.slug, i, 'colour'), label: 'Couleur', value: level.colour, options: COLOURS.map((c) => ({ value: c, label: COLOUR_LABELS[c] })), error: errors[levelField(def.slug, i, 'colour')] })}</div>
    <div class="fr-fieldset__element fr-fieldset__element--inline">${
      d.kind === 'number'
        ? input({
            name: levelField(def.slug, i, 'from'),
            label: 'À partir de',
            value: level.from,
            error: errors[levelField(def.slug, i, 'from')],
            hint: 'Seuil inclus, plus grand que celui du niveau précédent',
          })
        : input({
            name: levelField(def.slug, i, 'values'),
            label: 'Valeurs couvertes',
            value: level.values,
            error: errors[levelField(def.slug, i, 'values')],
            hint: 'Valeurs brutes séparées par des virgules, chacune dans un seul niveau',
          })
    }</div>
    <div class="fr-fieldset__element fr-fieldset__element--inline">${checkbox(levelField(def.slug, i, 'goal'), 'Objectif atteint', level.goal)}</div>
    <div class="fr-fieldset__element fr-fieldset__element--inline">${checkbox(levelField(def.slug, i, 'remove'), 'Supprimer ce niveau', false, 'Au prochain aperçu ou enregistrement')}</div>
  </fieldset>`,
  )}`;
}

/** « Ajouter un niveau » sends the whole form (nothing is saved) and comes back to this indicator with an empty level. */
function addLevelButton(def: IndicatorDefinition, d: IndicatorDraft, errors: FieldErrors): SafeHtml {
  const name = indicatorField(def.slug, 'levels');
  const id = fieldId(name);
  const error = errors[name];
  return html`<div class="fr-mb-3w">
  ${
    d.levels.length < MAX_LEVELS
      ? html`<button type="submit" class="fr-btn fr-btn--tertiary fr-btn--sm" id="${id}" name="action" value="${ADD_PREFIX}${def.slug}" formaction="${PAGE}#regles-${def.slug}"${error ? html` aria-describedby="${id}-erreur"` : ''}>Ajouter un niveau<span class="fr-sr-only"> à ${def.label}</span></button>`
      : html`<p class="fr-text--sm" id="${id}" tabindex="-1">${MAX_LEVELS} niveaux au maximum.</p>`
  }
  ${error ? html`<p class="fr-error-text" id="${id}-erreur">${error}</p>` : ''}
</div>`;
}

function indicatorSection(def: IndicatorDefinition, draft: RulesDraft, errors: FieldErrors): SafeHtml {
  const d = draft.indicators[def.slug];
  if (!d) return html``;
  return html`<section class="fr-mt-4w" aria-labelledby="regles-${def.slug}">
  <h2 class="fr-h4" id="regles-${def.slug}" tabindex="-1">${def.label}</h2>
  ${measureFields(def.slug, d, errors)}
  ${d.levels.length === 0 ? html`<p>Aucun niveau.</p>` : levelRows(def, d, errors)}
  ${addLevelButton(def, d, errors)}
</section>`;
}

function impactTable(defs: IndicatorDefinition[], impact: Map<string, RuleChangeImpact>, editionName: string): SafeHtml {
  return html`<div class="fr-table" id="apercu"><table>
  <caption>Effet des règles proposées sur l’${editionPhrase(editionName)} (démarches atteignant l’objectif comptées comme sur les tableaux de bord : niveau mesuré, démarche réalisable en ligne)</caption>
  <thead><tr><th scope="col">Indicateur</th><th scope="col">Démarches dont le niveau change</th><th scope="col">Objectif atteint (actuel)</th><th scope="col">Objectif atteint (proposé)</th></tr></thead>
  <tbody>${defs.map((d) => {
    const i = impact.get(d.slug);
    return html`<tr><th scope="row">${d.label}</th><td>${i?.changedLevel ?? 0} sur ${i?.procedures ?? 0}</td><td>${i?.goalBefore ?? 0}</td><td>${i?.goalAfter ?? 0}</td></tr>`;
  })}</tbody>
</table></div>`;
}

export const adminRuleRoutes: FastifyPluginAsync<AppDeps> = async (instance, { db }) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    draft: RulesDraft,
    o: { errors?: FieldErrors; preview?: SafeHtml; note?: string; status?: number } = {},
  ) {
    const [defs, versions, current] = await Promise.all([loadIndicators(db), listRuleSets(db), loadRuleSet(db)]);
    const errors = o.errors ?? {};
    const token = reply.generateCsrf();
    // The preview button comes first in the form as well: it is the one Enter in a field triggers, and it saves nothing.
    const buttons = (withSave: boolean) => html`<ul class="fr-btns-group fr-btns-group--inline-md">
    <li><button type="submit" class="fr-btn fr-btn--secondary" name="action" value="apercu" formaction="${PAGE}#apercu">Aperçu de l’effet</button></li>
    ${withSave ? html`<li><button type="submit" class="fr-btn" name="action" value="enregistrer">Enregistrer une nouvelle version</button></li>` : ''}
  </ul>`;
    return sendPage(
      request,
      reply,
      {
        title: 'Règles de niveaux',
        breadcrumb: [
          { label: 'Observatoire', href: '/observatoire' },
          { label: 'Pilotage', href: '/observatoire/admin' },
          { label: 'Règles de niveaux' },
        ],
        content: html`<h1>Règles de niveaux</h1>
<p>Version en vigueur : ${current.version}. Enregistrer crée une nouvelle version, utilisée par les brouillons et les prochaines éditions ;
les éditions déjà publiées gardent leurs niveaux. « Aperçu » montre l’effet des règles proposées sur la dernière édition publiée, sans rien enregistrer.</p>
${errorSummary(errors)}
${o.preview ?? ''}
<form method="post" action="${PAGE}" novalidate>
  ${csrfField(token)}
  ${buttons(false)}
  ${defs.map((d) => indicatorSection(d, draft, errors))}
  <h2 class="fr-h4 fr-mt-4w">Libellés des états gris</h2>
  ${(['none', ...GRAY_STATES] as const).map((k) => input({ name: `gray.${k}`, label: GRAY_NAMES[k], value: draft.grayLabels[k] ?? '', error: errors[`gray.${k}`] }))}
  ${input({ name: 'note', label: 'Motif du changement', value: o.note ?? '', hint: 'Publié avec la version.' })}
  ${buttons(true)}
</form>
<h2 class="fr-mt-6w">Versions</h2>
<div class="fr-table"><table><caption>Versions des règles de niveaux</caption>
<thead><tr><th scope="col">Version</th><th scope="col">Date</th><th scope="col">Auteur</th><th scope="col">Motif</th></tr></thead>
<tbody>${versions.map((v) => html`<tr><th scope="row"><a href="/api/v1/rule-sets/${v.version}">${v.version}</a></th><td>${formatDateTime(v.createdAt)}</td><td>${v.author ?? 'système'}</td><td>${v.note}</td></tr>`)}</tbody></table></div>`,
      },
      o.status ?? 200,
    );
  }

  app.get(PAGE, STEERING, async (request, reply) => page(request, reply, draftFromRules(await loadRuleSet(db))));

  app.post(PAGE, { ...STEERING, schema: { body: rulesBody } }, async (request, reply) => {
    const body: RulesBody = request.body;
    const action = String(body.action ?? '');
    const current = await loadRuleSet(db);
    const draft = draftFromBody(body, current);
    const note = String(body.note ?? '')
      .trim()
      .slice(0, 500);
    if (action.startsWith(ADD_PREFIX)) {
      // Nothing is validated nor saved: the same form comes back with one more (empty) level.
      addLevel(draft, action.slice(ADD_PREFIX.length));
      return page(request, reply, draft, { note });
    }
    const { rules, errors } = rulesFromDraft(draft);
    if (Object.keys(errors).length) return page(request, reply, draft, { errors, note, status: 400 });
    if (action !== 'enregistrer') {
      const [edition, defs] = await Promise.all([latestPublished(db), loadIndicators(db)]);
      const preview = edition
        ? impactTable(defs, await previewRuleChange(db, edition.id, { version: current.version + 1, ...rules }), edition.name)
        : html`<div class="fr-alert fr-alert--info fr-mb-3w" id="apercu"><p>Aucune édition publiée : pas d’aperçu possible.</p></div>`;
      return page(request, reply, draft, { preview, note });
    }
    await db.transaction(async (tx) => {
      const version = await saveRuleSet(tx, rules, note, request.user!.id);
      await audit(tx, {
        actor: request.user,
        action: 'observatoire.rules.save',
        entityType: 'obs_rule_set',
        entityId: version,
        before: { version: current.version, grayLabels: current.grayLabels, indicators: current.indicators },
        after: { version, ...rules },
        ipHash: request.ipHash,
      });
    });
    bumpPublicCache(db);
    return redirectSeeOther(reply, PAGE);
  });
};
