import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { csrfField, errorSummary, input, select, type FieldErrors } from '../../kernel/web/forms.ts';
import { countOf, formatInteger } from '../../kernel/web/format.ts';
import { lineChart } from '../../kernel/web/charts.ts';
import { CHANNEL_LABELS, CHANNEL_VALUE_LABELS, POINT_KIND_LABELS, type Channel, type VolumeMonth } from '../model.ts';
import { channelList } from './public.ts';
import type { ImportPlan, RowError } from '../import.ts';

const one = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
const MONTHS = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'];
export const monthLabel = (month: string) => `${MONTHS[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
const pct = (a: number, b: number) => (b > 0 ? `${one.format((a / b) * 100)} %` : '–');
const wait = (s: number | null) =>
  s === null ? '–' : s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;

export const MAX_UPLOAD_MB = 20;

function uploadForm(action: string, csrfToken: string, what: string, template: string): SafeHtml {
  return html`<form method="post" action="${action}?_csrf=${encodeURIComponent(csrfToken)}" enctype="multipart/form-data">
  <div class="fr-upload-group fr-mb-2w">
    <label class="fr-label" for="fichier-${what}">Fichier CSV, XLSX ou ODS<span class="fr-hint-text">${MAX_UPLOAD_MB} Mo au plus, une ligne d’en-têtes. <a href="${template}">Modèle CSV</a>.</span></label>
    <input class="fr-upload" type="file" id="fichier-${what}" name="fichier" accept=".csv,.xlsx,.ods,text/csv">
  </div>
  <fieldset class="fr-fieldset" id="mode-${what}">
    <legend class="fr-fieldset__legend fr-text--regular">Que faire du fichier ?</legend>
    <div class="fr-fieldset__element"><div class="fr-radio-group"><input type="radio" id="mode-${what}-verifier" name="mode" value="verifier" checked><label class="fr-label" for="mode-${what}-verifier">Vérifier seulement (rien n’est enregistré)</label></div></div>
    <div class="fr-fieldset__element"><div class="fr-radio-group"><input type="radio" id="mode-${what}-importer" name="mode" value="importer"><label class="fr-label" for="mode-${what}-importer">Importer (tout ou rien : une seule erreur et rien n’est enregistré)</label></div></div>
  </fieldset>
  <button class="fr-btn fr-btn--secondary" type="submit">Envoyer le fichier</button>
</form>`;
}

export function importReport<T>(plan: ImportPlan<T> | null, applied: boolean, fileError: string | null, noun: [string, string]): SafeHtml {
  if (fileError)
    return html`<div class="fr-alert fr-alert--error fr-mb-3w" role="alert"><h2 class="fr-alert__title">Fichier refusé</h2><p>${fileError} Rien n’a été enregistré.</p></div>`;
  if (!plan) return html``;
  if (plan.errors.length) {
    return html`<div class="fr-alert fr-alert--error fr-mb-3w" role="alert" id="rapport-import" tabindex="-1"><h2 class="fr-alert__title">${plan.errors.length === 1 ? 'Le fichier contient une erreur' : `Le fichier contient ${plan.errors.length} erreurs`} : rien n’a été enregistré</h2>
<ul>${plan.errors.slice(0, 200).map((e: RowError) => html`<li>Ligne ${e.line} — ${e.message}</li>`)}</ul>
${plan.errors.length > 200 ? html`<p>… et ${plan.errors.length - 200} autres.</p>` : ''}</div>`;
  }
  const counts = applied
    ? `${countOf(plan.created, noun[0], noun[1])} créé${plan.created > 1 ? 's' : ''}, ${formatInteger(plan.updated)} mis à jour`
    : `${countOf(plan.created, noun[0], noun[1])} à créer, ${formatInteger(plan.updated)} à mettre à jour`;
  return html`<div class="fr-alert fr-alert--${applied ? 'success' : 'info'} fr-mb-3w" role="status" id="rapport-import" tabindex="-1">
<h2 class="fr-alert__title">${applied ? 'Import enregistré' : 'Vérification réussie : rien n’a encore été enregistré'}</h2>
<p>${applied ? `${counts}.` : `${counts}. Choisissez « Importer » et renvoyez le fichier pour l’enregistrer.`}</p>
${plan.ignored.length ? html`<p>Colonnes ignorées : ${plan.ignored.join(', ')}.</p>` : ''}</div>`;
}

export interface HelpIndicators {
  reachable: number | string | null;
  autonomy: number | string | null;
}

const indicatorText = (v: number | string | null) =>
  typeof v === 'number' ? `${one.format(v)} %` : v === 'avis_insuffisants' ? 'nombre d’avis insuffisant' : 'non mesuré';

export interface SupportPageContext {
  procedure: { id: number; title: string; volumeOnline: number | null };
  channels: Channel[];
  volumes: VolumeMonth[];
  canEdit: boolean;
  csrfToken: string;
  help: HelpIndicators;
  /** Contacts per 1 000 online uses over the last 12 months of volumes. */
  rate: { value: number | null; months: number; contacts: number };
  volumeForm?: { values: Record<string, string>; errors: FieldErrors };
  report?: SafeHtml;
}

export function supportPage(ctx: SupportPageContext): SafeHtml {
  const p = ctx.procedure;
  const v = ctx.volumes;
  const last = v.slice(-24);
  const vf = ctx.volumeForm ?? { values: {}, errors: {} };
  return html`<h1>Aide aux usagers : ${p.title}</h1>
${ctx.report ?? ''}
<p><a href="/aide/demarches/${p.id}">Page publique « Obtenir de l’aide »</a></p>
<h2>Les deux côtés de l’aide</h2>
<div class="fr-grid-row fr-grid-row--gutters">
  <div class="fr-col-12 fr-col-md-4"><div class="fr-tile"><div class="fr-tile__body"><h3 class="fr-tile__title">Contacts pour 1 000 démarches</h3>
    <p class="fr-tile__desc">${ctx.rate.value === null ? 'Non calculé' : one.format(ctx.rate.value)}</p>
    <p class="fr-tile__detail">${ctx.rate.value === null ? (p.volumeOnline ? 'Aucun volume saisi.' : 'Volume en ligne inconnu du catalogue.') : `${formatInteger(ctx.rate.contacts)} appels et courriels sur ${ctx.rate.months} mois, ${formatInteger(p.volumeOnline)} démarches en ligne par an`}</p></div></div></div>
  <div class="fr-col-12 fr-col-md-4"><div class="fr-tile"><div class="fr-tile__body"><h3 class="fr-tile__title">Aide joignable (avis usagers)</h3>
    <p class="fr-tile__desc">${indicatorText(ctx.help.reachable)}</p><p class="fr-tile__detail">Usagers ayant réussi à joindre l’administration, 365 derniers jours</p></div></div></div>
  <div class="fr-col-12 fr-col-md-4"><div class="fr-tile"><div class="fr-tile__body"><h3 class="fr-tile__title">Autonomie (avis usagers)</h3>
    <p class="fr-tile__desc">${indicatorText(ctx.help.autonomy)}</p><p class="fr-tile__detail">Usagers n’ayant pas eu besoin d’aide, 365 derniers jours</p></div></div></div>
</div>
<h2 class="fr-mt-4w">Canaux d’aide</h2>
${channelList(ctx.channels)}
${ctx.canEdit ? html`<p><a class="fr-btn fr-btn--secondary" href="/support/demarches/${p.id}/canaux">Modifier les canaux d’aide</a></p>` : ''}
<h2 class="fr-mt-4w">Volumes du centre de contact</h2>
${
  last.length === 0
    ? html`<p>Aucun volume saisi.</p>`
    : html`<figure class="fr-my-3w">${lineChart(
        'graphique-appels',
        'Appels reçus par mois',
        last.map((m) => ({ label: monthLabel(m.month), value: m.callsReceived })),
        { min: 0, max: Math.max(1, ...last.map((m) => m.callsReceived)) },
        (n) => formatInteger(Math.round(n)),
      )}
<figcaption class="fr-text--sm">Appels reçus par mois (les chiffres sont repris dans le tableau qui suit).</figcaption></figure>
<figure class="fr-my-3w">${lineChart(
        'graphique-courriels',
        'Courriels reçus par mois',
        last.map((m) => ({ label: monthLabel(m.month), value: m.mailsReceived })),
        { min: 0, max: Math.max(1, ...last.map((m) => m.mailsReceived)) },
        (n) => formatInteger(Math.round(n)),
      )}
<figcaption class="fr-text--sm">Courriels reçus par mois (les chiffres sont repris dans le tableau qui suit).</figcaption></figure>
<div class="fr-table vigie-table-scroll"><table>
<caption>Volumes mensuels du centre de contact</caption>
<thead><tr><th scope="col">Mois</th><th scope="col">Appels reçus</th><th scope="col">Appels traités</th><th scope="col">Taux de décroché</th><th scope="col">Courriels reçus</th><th scope="col">Courriels traités</th><th scope="col">Attente moyenne</th></tr></thead>
<tbody>${last.map((m) => html`<tr><th scope="row">${monthLabel(m.month)}</th><td>${formatInteger(m.callsReceived)}</td><td>${formatInteger(m.callsAnswered)}</td><td>${pct(m.callsAnswered, m.callsReceived)}</td><td>${formatInteger(m.mailsReceived)}</td><td>${formatInteger(m.mailsAnswered)}</td><td>${wait(m.meanWaitSeconds)}</td></tr>`)}</tbody>
</table></div>`
}
${
  ctx.canEdit
    ? html`<h3 class="fr-mt-4w">Saisir un mois</h3>
${errorSummary(vf.errors, { month: 'Mois', calls_received: 'Appels reçus', calls_answered: 'Appels traités', mails_received: 'Courriels reçus', mails_answered: 'Courriels traités', mean_wait_seconds: 'Attente moyenne' })}
<form method="post" action="/support/demarches/${p.id}/volumes">
  ${csrfField(ctx.csrfToken)}
  <div class="fr-grid-row fr-grid-row--gutters">
    <div class="fr-col-12 fr-col-md-4">${input({ name: 'month', label: 'Mois', hint: 'AAAA-MM, par exemple 2026-03. Un mois déjà saisi est remplacé.', value: vf.values.month, error: vf.errors.month, required: true })}</div>
    <div class="fr-col-12 fr-col-md-4">${input({ name: 'calls_received', label: 'Appels reçus', value: vf.values.calls_received, error: vf.errors.calls_received, attrs: html` inputmode="numeric"` })}</div>
    <div class="fr-col-12 fr-col-md-4">${input({ name: 'calls_answered', label: 'Appels traités', value: vf.values.calls_answered, error: vf.errors.calls_answered, attrs: html` inputmode="numeric"` })}</div>
    <div class="fr-col-12 fr-col-md-4">${input({ name: 'mails_received', label: 'Courriels reçus', value: vf.values.mails_received, error: vf.errors.mails_received, attrs: html` inputmode="numeric"` })}</div>
    <div class="fr-col-12 fr-col-md-4">${input({ name: 'mails_answered', label: 'Courriels traités', value: vf.values.mails_answered, error: vf.errors.mails_answered, attrs: html` inputmode="numeric"` })}</div>
    <div class="fr-col-12 fr-col-md-4">${input({ name: 'mean_wait_seconds', label: 'Attente moyenne au téléphone (secondes)', hint: 'Laisser vide si elle n’est pas mesurée.', value: vf.values.mean_wait_seconds, error: vf.errors.mean_wait_seconds, attrs: html` inputmode="numeric"` })}</div>
  </div>
  <button class="fr-btn" type="submit">Enregistrer le mois</button>
</form>
<h3 class="fr-mt-4w">Importer des volumes</h3>
<p>Colonnes : demarche (identifiant stable de la démarche), mois, appels_recus, appels_traites, courriels_recus, courriels_traites, attente_moyenne_secondes.</p>
${uploadForm(`/support/demarches/${p.id}/volumes/import`, ctx.csrfToken, 'volumes', '/support/modeles/volumes.csv')}`
    : ''
}`;
}

export function channelsFormPage(o: {
  procedure: { id: number; title: string };
  rows: Partial<Channel>[];
  errors: FieldErrors;
  csrfToken: string;
}): SafeHtml {
  const labels: Record<string, string> = {};
  for (const key of Object.keys(o.errors)) {
    const m = /_(\d+)$/.exec(key);
    if (m) labels[key] = `Canal n° ${Number(m[1]) + 1}`;
  }
  const kindOptions = Object.entries(CHANNEL_LABELS).map(([value, label]) => ({ value, label }));
  return html`<h1>Canaux d’aide : ${o.procedure.title}</h1>
${errorSummary(o.errors, labels)}
<p>Une ligne par canal ; laissez une ligne vide pour ne rien ajouter. Le numéro, l’adresse ou le lien dépend du type : ${Object.values(CHANNEL_VALUE_LABELS).join(' ; ')}.</p>
<form method="post" action="/support/demarches/${o.procedure.id}/canaux">
  ${csrfField(o.csrfToken)}
  ${o.rows.map(
    (c, i) => html`<fieldset class="fr-fieldset" aria-labelledby="canal-${i}-legende">
    <legend class="fr-fieldset__legend" id="canal-${i}-legende">Canal n° ${i + 1}</legend>
    <div class="fr-fieldset__element">${select({ name: `kind_${i}`, label: 'Type', options: kindOptions, value: c.kind ?? '', placeholder: '— Aucun —', error: o.errors[`kind_${i}`] })}</div>
    <div class="fr-fieldset__element">${input({ name: `value_${i}`, label: 'Numéro, adresse ou lien', value: c.value ?? '', error: o.errors[`value_${i}`] })}</div>
    <div class="fr-fieldset__element">${input({ name: `label_${i}`, label: 'Libellé (facultatif)', value: c.label ?? '', error: o.errors[`label_${i}`] })}</div>
    <div class="fr-fieldset__element">${input({ name: `hours_${i}`, label: 'Horaires', hint: 'Par exemple : du lundi au vendredi, de 8 h à 18 h.', value: c.hours ?? '', error: o.errors[`hours_${i}`] })}</div>
    <div class="fr-fieldset__element">${input({ name: `price_${i}`, label: 'Prix (téléphone)', hint: 'Par exemple : service gratuit + prix d’un appel.', value: c.price ?? '', error: o.errors[`price_${i}`] })}</div>
  </fieldset>`,
  )}
  <input type="hidden" name="rows" value="${o.rows.length}">
  <ul class="fr-btns-group fr-btns-group--inline">
    <li><button class="fr-btn" type="submit">Enregistrer les canaux</button></li>
    <li><a class="fr-btn fr-btn--secondary" href="/support/demarches/${o.procedure.id}">Annuler</a></li>
  </ul>
</form>`;
}

export interface PointRow {
  id: number;
  identifier: string;
  name: string;
  kind: keyof typeof POINT_KIND_LABELS;
  communeName: string;
  postalCode: string;
  procedures: number;
  allProcedures: boolean;
}

export function pointsListPage(o: {
  points: PointRow[];
  total: number;
  byKind: { kind: string; n: number }[];
  page: number;
  pages: number;
  csrfToken: string;
  report?: SafeHtml;
}): SafeHtml {
  return html`<h1>Lieux d’aide</h1>
${o.report ?? ''}
<p>${countOf(o.total, 'lieu', 'lieux')}${o.total ? ' : ' : '.'}${o.byKind.map((k) => `${formatInteger(k.n)} ${POINT_KIND_LABELS[k.kind as keyof typeof POINT_KIND_LABELS] ?? k.kind}`).join(', ')}${o.total ? '.' : ''}</p>
<p><a class="fr-btn fr-btn--secondary" href="/lieux-aide/nouveau">Ajouter un lieu</a></p>
<h2>Importer des lieux</h2>
<p>Fichiers de données ouvertes (France services, points numériques…) : une ligne par lieu, identifiées par la colonne « identifiant ». Un lieu déjà connu est mis à jour ; l’import peut être rejoué sans doublon. Colonnes obligatoires : identifiant, nom, type, code_commune, latitude, longitude ; facultatives : adresse, code_postal, commune, horaires, accessibilite, telephone, demarches (identifiants stables séparés par des virgules, ou « toutes »).</p>
${uploadForm('/lieux-aide/import', o.csrfToken, 'lieux', '/support/modeles/lieux.csv')}
<h2 class="fr-mt-4w">Liste</h2>
<div class="fr-table vigie-table-scroll"><table>
<caption>Lieux d’aide, page ${o.page} sur ${Math.max(1, o.pages)}</caption>
<thead><tr><th scope="col">Nom</th><th scope="col">Type</th><th scope="col">Commune</th><th scope="col">Démarches</th><th scope="col">Identifiant</th></tr></thead>
<tbody>${o.points.map((p) => html`<tr><th scope="row"><a href="/lieux-aide/${p.id}">${p.name}</a></th><td>${POINT_KIND_LABELS[p.kind]}</td><td>${p.postalCode} ${p.communeName}</td><td>${p.allProcedures ? 'Toutes' : formatInteger(p.procedures)}</td><td>${p.identifier}</td></tr>`)}</tbody>
</table></div>
${
  o.pages > 1
    ? html`<nav class="fr-pagination" aria-label="Pagination"><ul class="fr-pagination__list">
${o.page > 1 ? html`<li><a class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label" href="/lieux-aide?page=${o.page - 1}">Page précédente</a></li>` : ''}
<li><a class="fr-pagination__link" aria-current="page" href="/lieux-aide?page=${o.page}" title="Page ${o.page}">${o.page}</a></li>
${o.page < o.pages ? html`<li><a class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" href="/lieux-aide?page=${o.page + 1}">Page suivante</a></li>` : ''}
</ul></nav>`
    : ''
}`;
}

export const POINT_LABELS: Record<string, string> = {
  identifier: 'Identifiant',
  name: 'Nom',
  kind: 'Type',
  address: 'Adresse',
  postal_code: 'Code postal',
  commune_code: 'Code commune (INSEE)',
  commune_name: 'Commune',
  latitude: 'Latitude',
  longitude: 'Longitude',
  opening_hours: 'Horaires d’ouverture',
  accessibility: 'Accessibilité du lieu',
  phone: 'Téléphone',
  procedures: 'Démarches servies',
};

export function pointFormPage(o: { id: number | null; values: Record<string, string>; errors: FieldErrors; csrfToken: string }): SafeHtml {
  const f = (name: string, extra: Partial<Parameters<typeof input>[0]> = {}) =>
    input({ name, label: POINT_LABELS[name], value: o.values[name] ?? '', error: o.errors[name], ...extra });
  return html`<h1>${o.id ? `Lieu d’aide : ${o.values.name ?? ''}` : 'Ajouter un lieu d’aide'}</h1>
${errorSummary(o.errors, POINT_LABELS)}
<form method="post" action="${o.id ? `/lieux-aide/${o.id}` : '/lieux-aide'}">
  ${csrfField(o.csrfToken)}
  ${f('identifier', { required: true, hint: 'L’identifiant du fichier de données ouvertes : un import met à jour le lieu qui porte le même.' })}
  ${f('name', { required: true })}
  ${select({ name: 'kind', label: POINT_LABELS.kind, options: Object.entries(POINT_KIND_LABELS).map(([value, label]) => ({ value, label })), value: o.values.kind ?? '', placeholder: '— Choisir —', error: o.errors.kind, required: true })}
  ${f('address')}
  ${f('postal_code', { attrs: html` inputmode="numeric"` })}
  ${f('commune_code', { required: true, hint: '5 caractères, par exemple 69123 ou 2A004.' })}
  ${f('commune_name')}
  ${f('latitude', { required: true, hint: 'Degrés décimaux, par exemple 45,7640.' })}
  ${f('longitude', { required: true, hint: 'Degrés décimaux, par exemple 4,8357.' })}
  ${f('opening_hours', { textarea: true })}
  ${f('accessibility', { textarea: true, hint: 'Par exemple : accès de plain-pied, boucle magnétique, place de stationnement réservée.' })}
  ${f('phone', { type: 'tel' })}
  ${f('procedures', { hint: 'Identifiants stables des démarches servies, séparés par des virgules, ou « toutes ».' })}
  <ul class="fr-btns-group fr-btns-group--inline">
    <li><button class="fr-btn" type="submit">Enregistrer</button></li>
    <li><a class="fr-btn fr-btn--secondary" href="/lieux-aide">Annuler</a></li>
  </ul>
</form>`;
}

export function supportIndexPage(
  rows: { id: number; title: string; administration: string; channels: number; months: number }[],
): SafeHtml {
  return html`<h1>Aide aux usagers</h1>
<p>Canaux d’aide, volumes des centres de contact et avis des usagers sur l’aide, pour les démarches de votre périmètre.</p>
<div class="fr-table vigie-table-scroll"><table>
<caption>Démarches de votre périmètre</caption>
<thead><tr><th scope="col">Démarche</th><th scope="col">Administration</th><th scope="col">Canaux d’aide</th><th scope="col">Mois de volumes</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><th scope="row"><a href="/support/demarches/${r.id}">${r.title}</a></th><td>${r.administration}</td><td>${r.channels}</td><td>${r.months}</td></tr>`)}</tbody>
</table></div>`;
}
