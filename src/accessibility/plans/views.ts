import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { timelineChart } from '../../kernel/web/charts.ts';
import { csrfField, errorSummary, input, select } from '../../kernel/web/forms.ts';
import { formatDate } from '../../kernel/web/format.ts';
import { pagination } from '../../kernel/web/pagination.ts';
import {
  ACTION_KINDS,
  ACTION_STATUSES,
  DASHBOARD_PAGE_SIZE,
  LABEL_TEXT,
  type Dashboard,
  type Milestone,
  type Plan,
  type PlanAction,
  type Roadmap,
} from './queries.ts';

const opts = (r: Record<string, string>) => Object.entries(r).map(([value, label]) => ({ value, label }));
const paragraphs = (text: string) =>
  text
    .split(/\r?\n\s*\r?\n|\r?\n/)
    .filter((l) => l.trim())
    .map((l) => html`<p>${l}</p>`);
const pct = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part * 1000) / whole) / 10);
const fr = (n: number) => String(n).replace('.', ',');

export function actionsTable(caption: string, actions: PlanAction[], withResult: boolean): SafeHtml {
  if (actions.length === 0) return html`<p>${caption} : aucune action.</p>`;
  return html`<div class="fr-table"><table><caption>${caption}</caption>
<thead><tr><th scope="col">Action</th><th scope="col">Type</th><th scope="col">Démarche</th><th scope="col">Responsable</th><th scope="col">Dates</th><th scope="col">Statut</th>${withResult ? html`<th scope="col">Résultat</th>` : ''}</tr></thead>
<tbody>${actions.map(
    (a) => html`<tr><td>${a.title}</td><td>${ACTION_KINDS[a.kind]}</td><td>${a.procedureTitle ?? '–'}</td><td>${a.owner || '–'}</td>
<td>${a.startsOn ? `du ${formatDate(a.startsOn)} ` : ''}${a.dueOn ? `au ${formatDate(a.dueOn)}` : ''}</td><td>${ACTION_STATUSES[a.status]}</td>${withResult ? html`<td>${a.result || '–'}</td>` : ''}</tr>`,
  )}</tbody></table></div>`;
}

/** The public multi-year plan: policy, the years it covers and a link to each year's action plan. */
export function publicPlanPage(plan: Plan, actions: PlanAction[]): SafeHtml {
  const years = Array.from({ length: plan.endYear - plan.startYear + 1 }, (_, i) => plan.startYear + i);
  return html`<h1>${plan.title}</h1>
<p>Schéma pluriannuel de mise en accessibilité de ${plan.orgName}, ${plan.startYear}–${plan.endYear}.</p>
${paragraphs(plan.policy)}
<h2>Plans d’action annuels</h2>
<ul>${years.map((y) => html`<li><a href="/plans-accessibilite/${plan.id}/plan-annuel/${y}">Plan d’action ${y}</a> (${actions.filter((a) => a.year === y).length} actions)</li>`)}</ul>`;
}

/** A year's action plan, with the results of the previous year's actions (« bilan »). */
export function publicYearPage(plan: Plan, year: number, actions: PlanAction[]): SafeHtml {
  const previous = actions.filter((a) => a.year === year - 1);
  const done = previous.filter((a) => a.status === 'done').length;
  return html`<h1>Plan d’action ${year} : ${plan.orgName}</h1>
<p>Ce plan annuel met en œuvre le <a href="/plans-accessibilite/${plan.id}">schéma pluriannuel ${plan.startYear}–${plan.endYear}</a>.</p>
${actionsTable(
  `Actions prévues en ${year}`,
  actions.filter((a) => a.year === year),
  false,
)}
<h2>Bilan des actions de ${year - 1}</h2>
${previous.length ? html`<p>${done} action${done > 1 ? 's' : ''} réalisée${done > 1 ? 's' : ''} sur ${previous.length}.</p>` : ''}
${actionsTable(`Actions de ${year - 1} et leurs résultats`, previous, true)}`;
}

/** Milestones' colours: green done, red overdue, gray cancelled, blue planned or in progress; the target date a diamond. */
const milestoneColour = (m: Milestone) =>
  m.status === 'done' ? '#18753c' : m.overdue ? '#ce0500' : m.status === 'cancelled' ? '#929292' : '#000091';

/**
 * The timeline of every procedure's roadmap, drawn by the kernel's timeline chart (server-rendered SVG, no script): one
 * row per procedure, its milestones as dots, its target date as a diamond, today as a vertical line. The table beside
 * it says the same in text (`timelineTable`); the SVG is an image named by its title.
 */
export function timelineSvg(items: { title: string; roadmap: Roadmap }[], today: string): SafeHtml {
  const rows = items.filter((i) => i.roadmap.targetOn || i.roadmap.milestones.length);
  if (rows.length === 0) return html`<p>Aucune feuille de route.</p>`;
  return timelineChart(
    'frise',
    'Frise des feuilles de route : jalons réalisés en vert, en retard en rouge, prévus en bleu, date cible en losange ; le détail est dans le tableau qui suit.',
    rows.map((r) => ({
      label: r.title,
      marks: [
        ...r.roadmap.milestones.map((m) => ({ on: m.dueOn, colour: milestoneColour(m) })),
        ...(r.roadmap.targetOn ? [{ on: r.roadmap.targetOn, colour: '#6a6af4', shape: 'diamond' as const }] : []),
      ],
    })),
    {
      today,
      caption:
        'Frise des feuilles de route (jalons : vert réalisé, rouge en retard, bleu prévu ; losange : date cible de conformité totale).',
    },
  );
}

export function timelineTable(items: { id: number; title: string; roadmap: Roadmap }[], linkBase: string | null): SafeHtml {
  const rows = items.filter((i) => i.roadmap.targetOn || i.roadmap.milestones.length);
  if (rows.length === 0) return html``;
  return html`<div class="fr-table"><table><caption>Feuilles de route (alternative textuelle de la frise)</caption>
<thead><tr><th scope="col">Démarche</th><th scope="col">Date cible</th><th scope="col">Jalons</th></tr></thead>
<tbody>${rows.map(
    (
      r,
    ) => html`<tr><th scope="row">${linkBase ? html`<a href="${linkBase}/${r.id}/feuille-de-route">${r.title}</a>` : r.title}</th><td>${r.roadmap.targetOn ? formatDate(r.roadmap.targetOn) : '–'}</td>
<td><ul>${r.roadmap.milestones.map((m) => html`<li>${formatDate(m.dueOn)} : ${ACTION_KINDS[m.kind]}, ${m.title} (${ACTION_STATUSES[m.status]}${m.overdue ? html`, <strong>en retard</strong>` : ''})</li>`)}</ul></td></tr>`,
  )}</tbody></table></div>`;
}

/**
 * An organisation's dashboard: its figures over every procedure, then one page of procedures (`d.listed`) in the
 * timeline and the tables, with a pagination whose links `pageHref` builds.
 */
export function dashboardView(
  name: string,
  d: Dashboard,
  today: string,
  canEdit: boolean,
  pageHref: (page: number) => string = (n) => `?page=${n}`,
): SafeHtml {
  const share = pct(d.withValidDeclaration, d.counted);
  const conformShare = pct(d.totallyConforming, d.counted);
  const items = d.listed.procedures.filter((p) => p.roadmap).map((p) => ({ id: p.id, title: p.title, roadmap: p.roadmap! }));
  const range =
    d.listed.pages > 1
      ? ` (démarches ${(d.listed.page - 1) * DASHBOARD_PAGE_SIZE + 1} à ${(d.listed.page - 1) * DASHBOARD_PAGE_SIZE + d.listed.procedures.length} sur ${d.procedures.length}, par ordre alphabétique)`
      : '';
  const soon = d.procedures.filter((p) => p.expiresSoon);
  return html`<h2>Tableau de bord de l’accessibilité</h2>
<ul>
  <li>Démarches du périmètre (Top 250) : ${d.counted}</li>
  <li>Avec une déclaration d’accessibilité valide : ${d.withValidDeclaration} (${fr(share)} %)</li>
  <li>Taux moyen de conformité des déclarations valides : ${d.averageRate === null ? '–' : `${fr(Math.round(d.averageRate * 10) / 10)} %`}</li>
  <li>Totalement conformes : ${d.totallyConforming} (${fr(conformShare)} %) ; objectif ${d.goals.first} %${d.goals.firstDate ? ` au ${formatDate(d.goals.firstDate)}` : ''}, puis ${d.goals.final} %${d.goals.finalDate ? ` au ${formatDate(d.goals.finalDate)}` : ''}</li>
</ul>
<p><label for="progres-80">Progression vers l’objectif de ${d.goals.first} %</label> <progress id="progres-80" max="${d.goals.first}" value="${Math.min(conformShare, d.goals.first)}">${fr(conformShare)} %</progress></p>
<p><label for="progres-100">Progression vers l’objectif de ${d.goals.final} %</label> <progress id="progres-100" max="${d.goals.final}" value="${Math.min(conformShare, d.goals.final)}">${fr(conformShare)} %</progress></p>
<div class="fr-table"><table><caption>Démarches du périmètre par état de conformité</caption>
<thead><tr><th scope="col">État</th><th scope="col">Démarches</th></tr></thead>
<tbody>${(Object.keys(d.labels) as (keyof Dashboard['labels'])[]).map((k) => html`<tr><td>${LABEL_TEXT[k]}</td><td>${d.labels[k]}</td></tr>`)}</tbody></table></div>
${soon.length ? html`<div class="fr-alert fr-alert--warning fr-mb-3w"><h3 class="fr-alert__title">Déclarations à renouveler</h3><ul>${soon.map((p) => html`<li>${p.title} : expire le ${formatDate(p.expiresOn!)}</li>`)}</ul></div>` : ''}
${d.overdue.length ? html`<div class="fr-alert fr-alert--error fr-mb-3w"><h3 class="fr-alert__title">Jalons en retard</h3><ul>${d.overdue.map((o) => html`<li>${canEdit ? html`<a href="/rgaa/demarches/${o.procedureId}/feuille-de-route">${o.title}</a>` : o.title} : ${o.milestone.title}, prévu le ${formatDate(o.milestone.dueOn)}</li>`)}</ul></div>` : ''}
<h2 id="feuilles-de-route">Feuilles de route et déclarations${range}</h2>
${timelineSvg(items, today)}
${timelineTable(items, canEdit ? '/rgaa/demarches' : null)}
<div class="fr-table"><table><caption>Déclarations des démarches</caption>
<thead><tr><th scope="col">Démarche</th><th scope="col">Identifiant</th><th scope="col">État</th><th scope="col">Taux</th><th scope="col">Validité</th></tr></thead>
<tbody>${d.listed.procedures.map((p) => html`<tr><td>${canEdit ? html`<a href="/rgaa/demarches/${p.id}/declaration">${p.title}</a>` : p.title}</td><td>${p.stableId}</td><td>${p.validDeclaration ? LABEL_TEXT[p.label!] : LABEL_TEXT.none}</td><td>${p.rate === null ? '–' : `${p.rate} %`}</td><td>${p.expiresOn ? `${p.validDeclaration ? 'jusqu’au' : 'expirée le'} ${formatDate(p.expiresOn)}` : '–'}</td></tr>`)}</tbody></table></div>
${pagination(d.listed.page, { pages: d.listed.pages }, pageHref)}
<p class="fr-hint-text">${name}</p>`;
}

/** Above this many procedures, an action names its procedure by its identifier instead of a list of every one. */
export const PROCEDURE_SELECT_MAX = 200;

export function planForms(
  base: string,
  plans: Plan[],
  csrf: string,
  procedures: { id: number; title: string }[],
  actionsByPlan: Map<number, PlanAction[]>,
): SafeHtml {
  return html`<h2>Schémas pluriannuels et plans d’action</h2>
${plans.map((p) => {
  const actions = actionsByPlan.get(p.id) ?? [];
  return html`<section class="fr-mb-4w"><h3>${p.title} (${p.startYear}–${p.endYear})</h3>
<p>${p.publishedAt ? html`Publié : <a href="/plans-accessibilite/${p.id}">page publique</a>.` : 'Non publié.'}</p>
${actionsTable(`Actions du plan « ${p.title} »`, actions, true)}
${actions.length ? html`<details><summary>Modifier une action de ce plan</summary><ul>${actions.map((x) => html`<li><a href="${base}/plans/actions/modifier?action=${x.id}">${x.year} – ${x.title}</a></li>`)}</ul></details>` : ''}
${
  actions.length
    ? html`<form method="post" action="${base}/plans/actions/statut" class="fr-mb-2w">${csrfField(csrf)}<input type="hidden" name="plan_id" value="${p.id}">
${select({ name: `action_id`, label: 'Action', options: actions.map((a) => ({ value: String(a.id), label: `${a.year} – ${a.title}` })) })}
${select({ name: 'status', label: 'Nouveau statut', options: opts(ACTION_STATUSES) })}
${input({ name: 'result', label: 'Résultat (repris dans le bilan de l’année suivante)' })}
<button class="fr-btn fr-btn--secondary" type="submit">Mettre à jour l’action</button></form>`
    : ''
}
<details><summary>Ajouter une action à ce plan</summary>
<form method="post" action="${base}/plans/actions">${csrfField(csrf)}<input type="hidden" name="plan_id" value="${p.id}">
${input({ name: 'year', label: 'Année', type: 'number', value: p.startYear, attrs: html` min="${p.startYear}" max="${p.endYear}"` })}
${input({ name: 'title', label: 'Intitulé', required: true })}
${select({ name: 'kind', label: 'Type', options: opts(ACTION_KINDS) })}
${
  procedures.length <= PROCEDURE_SELECT_MAX
    ? select({
        name: 'procedure_id',
        label: 'Démarche',
        placeholder: 'Aucune (action transverse)',
        options: procedures.map((x) => ({ value: String(x.id), label: x.title })),
      })
    : input({
        name: 'procedure_id',
        label: 'Démarche : son identifiant (colonne « Identifiant » du tableau des déclarations) ; vide pour une action transverse',
      })
}
${input({ name: 'owner', label: 'Responsable' })}
${input({ name: 'starts_on', label: 'Début', type: 'date' })}
${input({ name: 'due_on', label: 'Échéance', type: 'date' })}
${select({ name: 'status', label: 'Statut', options: opts(ACTION_STATUSES) })}
<button class="fr-btn" type="submit">Ajouter l’action</button></form></details></section>`;
})}
<details><summary>Créer un schéma pluriannuel</summary>
<form method="post" action="${base}/plans">${csrfField(csrf)}
${input({ name: 'title', label: 'Titre', required: true })}
${input({ name: 'start_year', label: 'Première année', type: 'number', required: true })}
${input({ name: 'end_year', label: 'Dernière année (trois ans au plus)', type: 'number', required: true })}
${input({ name: 'policy', label: 'Politique d’accessibilité (stratégie, référent, moyens, formation, organisation)', textarea: true })}
<div class="fr-checkbox-group fr-mb-2w"><input type="checkbox" id="champ-publish" name="publish" value="oui"><label class="fr-label" for="champ-publish">Publier le schéma et ses plans annuels</label></div>
<button class="fr-btn" type="submit">Créer le schéma</button></form></details>`;
}

export function roadmapPage(
  p: { id: number; title: string },
  roadmap: Roadmap | null,
  today: string,
  csrf: string,
  errors: Record<string, string> = {},
): SafeHtml {
  const base = `/rgaa/demarches/${p.id}/feuille-de-route`;
  const ms = roadmap?.milestones ?? [];
  return html`<h1>Feuille de route d’accessibilité : ${p.title}</h1>
<p><a href="/rgaa/demarches/${p.id}/declaration">Déclaration d’accessibilité de la démarche</a></p>
${ms.some((m) => m.overdue) ? html`<div class="fr-alert fr-alert--error fr-mb-3w"><h2 class="fr-alert__title">Jalons en retard</h2><ul>${ms.filter((m) => m.overdue).map((m) => html`<li>${m.title}, prévu le ${formatDate(m.dueOn)}</li>`)}</ul></div>` : ''}
${roadmap ? timelineSvg([{ title: p.title, roadmap }], today) : ''}
${roadmap ? timelineTable([{ id: p.id, title: p.title, roadmap }], null) : ''}
<h2>Date cible de conformité totale</h2>
<form method="post" action="${base}" novalidate>${csrfField(csrf)}
${input({ name: 'target_on', label: 'Date cible', type: 'date', value: roadmap?.targetOn ?? '', error: errors.target_on })}
${input({ name: 'notes', label: 'Notes', textarea: true, value: roadmap?.notes ?? '' })}
<button class="fr-btn" type="submit">Enregistrer</button></form>
${ms.length ? html`<h2>Modifier un jalon</h2><ul>${ms.map((m) => html`<li><a href="${base}/jalons/modifier?jalon=${m.id}">${formatDate(m.dueOn)} – ${m.title}</a></li>`)}</ul>` : ''}
${
  ms.length
    ? html`<h2>Statut d’un jalon</h2><form method="post" action="${base}/jalons/statut">${csrfField(csrf)}
${select({ name: 'milestone_id', label: 'Jalon', options: ms.map((m) => ({ value: String(m.id), label: `${formatDate(m.dueOn)} – ${m.title}` })) })}
${select({ name: 'status', label: 'Statut', options: opts(ACTION_STATUSES) })}
<button class="fr-btn fr-btn--secondary" type="submit">Mettre à jour</button></form>`
    : ''
}
<h2>Ajouter un jalon</h2>
<form method="post" action="${base}/jalons" novalidate>${csrfField(csrf)}
${input({ name: 'title', label: 'Intitulé', required: true, error: errors.title })}
${select({ name: 'kind', label: 'Type', options: opts(ACTION_KINDS) })}
${input({ name: 'owner', label: 'Responsable' })}
${input({ name: 'due_on', label: 'Date prévue', type: 'date', required: true, error: errors.due_on })}
${select({ name: 'status', label: 'Statut', options: opts(ACTION_STATUSES) })}
<button class="fr-btn" type="submit">Ajouter le jalon</button></form>`;
}

export interface ActionFormValues {
  year?: string;
  title?: string;
  kind?: string;
  procedure_id?: string;
  owner?: string;
  starts_on?: string;
  due_on?: string;
  status?: string;
}

/** The form changing an action of a plan after its creation. */
export function actionEditPage(o: {
  base: string;
  plan: Plan;
  action: PlanAction;
  values: ActionFormValues;
  errors: Record<string, string>;
  procedures: { id: number; title: string }[];
  csrf: string;
}): SafeHtml {
  const v = o.values;
  const e = o.errors;
  return html`<h1>Modifier l’action « ${o.action.title} »</h1>
<p>Plan « ${o.plan.title} » (${o.plan.startYear}–${o.plan.endYear}). Le résultat de l’action se saisit avec son statut, sur le tableau de bord.</p>
${errorSummary(e, { year: 'Année', title: 'Intitulé', kind: 'Type', procedure_id: 'Démarche', starts_on: 'Début', due_on: 'Échéance', status: 'Statut' })}
<form method="post" action="${o.base}/plans/actions/modifier" novalidate>${csrfField(o.csrf)}<input type="hidden" name="plan_id" value="${o.plan.id}"><input type="hidden" name="action_id" value="${o.action.id}">
${input({ name: 'year', label: 'Année', type: 'number', value: v.year, error: e.year, attrs: html` min="${o.plan.startYear}" max="${o.plan.endYear}"` })}
${input({ name: 'title', label: 'Intitulé', required: true, value: v.title, error: e.title })}
${select({ name: 'kind', label: 'Type', value: v.kind, error: e.kind, options: opts(ACTION_KINDS) })}
${
  o.procedures.length <= PROCEDURE_SELECT_MAX
    ? select({
        name: 'procedure_id',
        label: 'Démarche',
        placeholder: 'Aucune (action transverse)',
        value: v.procedure_id,
        error: e.procedure_id,
        options: o.procedures.map((x) => ({ value: String(x.id), label: x.title })),
      })
    : input({
        name: 'procedure_id',
        label: 'Démarche : son numéro ou son identifiant ; vide pour une action transverse',
        value: v.procedure_id,
        error: e.procedure_id,
      })
}
${input({ name: 'owner', label: 'Responsable', value: v.owner })}
${input({ name: 'starts_on', label: 'Début', type: 'date', value: v.starts_on, error: e.starts_on })}
${input({ name: 'due_on', label: 'Échéance', type: 'date', value: v.due_on, error: e.due_on })}
${select({ name: 'status', label: 'Statut', value: v.status, error: e.status, options: opts(ACTION_STATUSES) })}
<ul class="fr-btns-group fr-btns-group--inline"><li><button class="fr-btn" type="submit">Enregistrer l’action</button></li><li><a class="fr-btn fr-btn--secondary" href="${o.base}">Annuler</a></li></ul></form>`;
}

export interface MilestoneFormValues {
  title?: string;
  kind?: string;
  owner?: string;
  due_on?: string;
  status?: string;
}

/** The form changing a roadmap's milestone after its creation. */
export function milestoneEditPage(o: {
  procedure: { id: number; title: string };
  milestone: Milestone;
  values: MilestoneFormValues;
  errors: Record<string, string>;
  csrf: string;
}): SafeHtml {
  const base = `/rgaa/demarches/${o.procedure.id}/feuille-de-route`;
  const v = o.values;
  const e = o.errors;
  return html`<h1>Modifier le jalon « ${o.milestone.title} »</h1>
<p>Feuille de route d’accessibilité : ${o.procedure.title}.</p>
${errorSummary(e, { title: 'Intitulé', kind: 'Type', due_on: 'Date prévue', status: 'Statut' })}
<form method="post" action="${base}/jalons/modifier" novalidate>${csrfField(o.csrf)}<input type="hidden" name="milestone_id" value="${o.milestone.id}">
${input({ name: 'title', label: 'Intitulé', required: true, value: v.title, error: e.title })}
${select({ name: 'kind', label: 'Type', value: v.kind, error: e.kind, options: opts(ACTION_KINDS) })}
${input({ name: 'owner', label: 'Responsable', value: v.owner })}
${input({ name: 'due_on', label: 'Date prévue', type: 'date', required: true, value: v.due_on, error: e.due_on })}
${select({ name: 'status', label: 'Statut', value: v.status, error: e.status, options: opts(ACTION_STATUSES) })}
<ul class="fr-btns-group fr-btns-group--inline"><li><button class="fr-btn" type="submit">Enregistrer le jalon</button></li><li><a class="fr-btn fr-btn--secondary" href="${base}">Annuler</a></li></ul></form>`;
}
