import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { audit } from '../../kernel/audit/audit.ts';
import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { csrfField, errorSummary, fieldId, input, select, type FieldErrors } from '../../kernel/web/forms.ts';
import { formatDateTime } from '../../kernel/web/format.ts';
import { redirectSeeOther, sendPage } from '../../kernel/web/render.ts';
import { latestPublished } from '../editions/drafts.ts';
import { COLOURS, COLOUR_LABELS, GRAY_STATES, type RuleSet } from '../rules/model.ts';
import { listRuleSets, loadIndicators, loadRuleSet, saveRuleSet, type IndicatorDefinition } from '../rules/repository.ts';
import { MAX_LEVELS, levelField, rulesFromForm, type RulesBody } from '../rules/form.ts';
import { previewRuleChange, type RuleChangeImpact } from '../rules/preview.ts';
import { refuseUnlessAdmin } from './guards.ts';
import { bumpPublicCache } from '../cache/public-cache.ts';

const GRAY_NAMES: Record<string, string> = { none: 'Aucune valeur', a_venir: 'Pas encore mesuré', avis_insuffisants: 'Avis trop peu nombreux', non_applicable: 'Non applicable' };

function levelRows(def: IndicatorDefinition, rules: RuleSet, errors: FieldErrors): SafeHtml {
  const r = rules.indicators[def.slug];
  if (!r) return html``;
  if (r.informative) return html`<p>Indicateur informatif : pas de niveau.</p>`;
  const rows = [...r.levels, ...Array.from({ length: Math.max(1, Math.min(2, MAX_LEVELS - r.levels.length)) }, () => null)].slice(0, MAX_LEVELS);
  return html`${rows.map((level, i) => {
    const goalId = fieldId(levelField(def.slug, i, 'goal'));
    return html`<fieldset class="fr-fieldset fr-mb-2w" aria-labelledby="${def.slug}-niveau-${i}">
    <legend class="fr-fieldset__legend fr-text--regular" id="${def.slug}-niveau-${i}">${def.label} : niveau ${i + 1}${level ? '' : ' (nouveau, facultatif)'}</legend>
    <div class="fr-fieldset__element fr-fieldset__element--inline">${input({ name: levelField(def.slug, i, 'label'), label: 'Libellé', value: level?.label ?? '', error: errors[levelField(def.slug, i, 'label')] })}</div>
    <div class="fr-fieldset__element fr-fieldset__element--inline">${select({ name: levelField(def.slug, i, 'colour'), label: 'Couleur', value: level?.colour ?? 'gray', options: COLOURS.map((c) => ({ value: c, label: COLOUR_LABELS[c] })), error: errors[levelField(def.slug, i, 'colour')] })}</div>
    <div class="fr-fieldset__element fr-fieldset__element--inline">${r.kind === 'number'
      ? input({ name: levelField(def.slug, i, 'from'), label: 'À partir de', value: level?.from ?? '', error: errors[levelField(def.slug, i, 'from')], hint: 'Seuil inclus' })
      : input({ name: levelField(def.slug, i, 'values'), label: 'Valeurs couvertes', value: level?.values?.join(', ') ?? '', error: errors[levelField(def.slug, i, 'values')], hint: 'Séparées par des virgules' })}</div>
    <div class="fr-fieldset__element fr-fieldset__element--inline"><div class="fr-checkbox-group">
      <input type="checkbox" id="${goalId}" name="${levelField(def.slug, i, 'goal')}" value="oui"${level?.goal ? html` checked` : ''}>
      <label class="fr-label" for="${goalId}">Objectif atteint</label>
    </div></div>
  </fieldset>`;
  })}`;
}

function impactTable(defs: IndicatorDefinition[], impact: Map<string, RuleChangeImpact>, editionName: string): SafeHtml {
  return html`<div class="fr-table" id="apercu"><table>
  <caption>Effet des règles proposées sur l’édition ${editionName}</caption>
  <thead><tr><th scope="col">Indicateur</th><th scope="col">Démarches dont le niveau change</th><th scope="col">Objectif atteint (actuel)</th><th scope="col">Objectif atteint (proposé)</th></tr></thead>
  <tbody>${defs.map((d) => {
    const i = impact.get(d.slug);
    return html`<tr><th scope="row">${d.label}</th><td>${i?.changedLevel ?? 0} sur ${i?.procedures ?? 0}</td><td>${i?.goalBefore ?? 0}</td><td>${i?.goalAfter ?? 0}</td></tr>`;
  })}</tbody>
</table></div>`;
}

export const adminRuleRoutes: FastifyPluginAsync<AppDeps> = async (app, { db }) => {
  async function page(request: FastifyRequest, reply: FastifyReply, shown: RuleSet, o: { errors?: FieldErrors; preview?: SafeHtml; note?: string; status?: number } = {}) {
    const [defs, versions, current] = await Promise.all([loadIndicators(db), listRuleSets(db), loadRuleSet(db)]);
    const errors = o.errors ?? {};
    const token = reply.generateCsrf();
    return sendPage(request, reply, {
      title: 'Règles de niveaux',
      breadcrumb: [{ label: 'Observatoire', href: '/observatoire' }, { label: 'Pilotage', href: '/observatoire/admin' }, { label: 'Règles de niveaux' }],
      content: html`<h1>Règles de niveaux</h1>
<p>Version en vigueur : ${current.version}. Enregistrer crée une nouvelle version, utilisée par les brouillons et les prochaines éditions ;
les éditions déjà publiées gardent leurs niveaux. « Aperçu » montre l’effet des règles proposées sur la dernière édition publiée, sans rien enregistrer.</p>
${errorSummary(errors)}
${o.preview ?? ''}
<form method="post" action="/observatoire/admin/regles" novalidate>
  ${csrfField(token)}
  ${defs.map((d) => html`<h2 class="fr-h4 fr-mt-4w">${d.label}</h2>${levelRows(d, shown, errors)}`)}
  <h2 class="fr-h4 fr-mt-4w">Libellés des états gris</h2>
  ${(['none', ...GRAY_STATES] as const).map((k) => input({ name: `gray.${k}`, label: GRAY_NAMES[k], value: shown.grayLabels[k], error: errors[`gray.${k}`] }))}
  ${input({ name: 'note', label: 'Motif du changement', value: o.note ?? '', hint: 'Publié avec la version.' })}
  <ul class="fr-btns-group fr-btns-group--inline-md">
    <li><button type="submit" class="fr-btn fr-btn--secondary" name="action" value="apercu">Aperçu de l’effet</button></li>
    <li><button type="submit" class="fr-btn" name="action" value="enregistrer">Enregistrer une nouvelle version</button></li>
  </ul>
</form>
<h2 class="fr-mt-6w">Versions</h2>
<div class="fr-table"><table><caption>Versions des règles de niveaux</caption>
<thead><tr><th scope="col">Version</th><th scope="col">Date</th><th scope="col">Auteur</th><th scope="col">Motif</th></tr></thead>
<tbody>${versions.map((v) => html`<tr><th scope="row"><a href="/api/v1/rule-sets/${v.version}">${v.version}</a></th><td>${formatDateTime(v.createdAt)}</td><td>${v.author ?? 'système'}</td><td>${v.note}</td></tr>`)}</tbody></table></div>`,
    }, o.status ?? 200);
  }

  app.get('/observatoire/admin/regles', async (request, reply) => refuseUnlessAdmin(request, reply) ?? page(request, reply, await loadRuleSet(db)));

  app.post('/observatoire/admin/regles', async (request, reply) => {
    const refused = refuseUnlessAdmin(request, reply);
    if (refused) return refused;
    const body = (request.body ?? {}) as RulesBody;
    const current = await loadRuleSet(db);
    const { rules, errors } = rulesFromForm(body, current);
    const note = String(body.note ?? '').trim().slice(0, 500);
    const proposed: RuleSet = { version: current.version + 1, ...rules };
    if (Object.keys(errors).length) return page(request, reply, proposed, { errors, note, status: 400 });
    if (body.action === 'apercu') {
      const [edition, defs] = await Promise.all([latestPublished(db), loadIndicators(db)]);
      const preview = edition
        ? impactTable(defs, await previewRuleChange(db, edition.id, proposed), edition.name)
        : html`<div class="fr-alert fr-alert--info fr-mb-3w"><p>Aucune édition publiée : pas d’aperçu possible.</p></div>`;
      return page(request, reply, proposed, { preview, note });
    }
    await db.transaction(async (tx) => {
      const version = await saveRuleSet(tx, rules, note, request.user!.id);
      await audit(tx, { actor: request.user, action: 'observatoire.rules.save', entityType: 'obs_rule_set', entityId: version, before: { version: current.version }, after: rules, ipHash: request.ipHash });
    });
    bumpPublicCache(db);
    return redirectSeeOther(reply, '/observatoire/admin/regles');
  });
};
