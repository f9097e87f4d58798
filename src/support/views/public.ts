import { html, type SafeHtml } from '../../kernel/web/html.ts';
import type { Commune, CommuneSearch } from '../geo/communes.ts';
import { CHANNEL_LABELS, POINT_KIND_LABELS, type Channel } from '../model.ts';
import type { NearPoint, PublicProcedure } from '../queries.ts';

const km = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** « 1,2 km », « 850 m » below one kilometre. */
export function formatDistance(distanceKm: number): string {
  if (distanceKm < 1) return `${Math.round(distanceKm * 1000)} m`;
  return `${km.format(distanceKm)} km`;
}

function channelValue(c: Channel): SafeHtml {
  switch (c.kind) {
    case 'phone':
      return html`<a href="tel:${c.value.replace(/[^\d+]/g, '')}">${c.value}</a>`;
    case 'email':
      return html`<a href="mailto:${c.value}">${c.value}</a>`;
    case 'contact_form':
    case 'chat':
    case 'faq':
      return html`<a href="${c.value}" rel="noopener">${c.label || CHANNEL_LABELS[c.kind]}<span class="fr-sr-only"> (${c.value})</span></a>`;
    default:
      return html`${c.value}`;
  }
}

export function channelList(channels: Channel[]): SafeHtml {
  if (channels.length === 0) return html`<p>L’administration n’a pas encore indiqué ses canaux d’aide pour cette démarche.</p>`;
  return html`<ul class="fr-raw-list">${channels.map(
    (
      c,
    ) => html`<li class="fr-mb-2w"><h3 class="fr-h6 fr-mb-1v">${CHANNEL_LABELS[c.kind]}${c.label && c.kind !== 'contact_form' && c.kind !== 'chat' && c.kind !== 'faq' ? html` — ${c.label}` : ''}</h3>
  <p class="fr-mb-0">${channelValue(c)}</p>
  ${c.hours ? html`<p class="fr-mb-0">Horaires : ${c.hours}</p>` : ''}
  ${c.kind === 'phone' ? html`<p class="fr-mb-0">Prix de l’appel : ${c.price || 'non indiqué'}</p>` : c.price ? html`<p class="fr-mb-0">Prix : ${c.price}</p>` : ''}
</li>`,
  )}</ul>`;
}

function pointsTable(points: NearPoint[], commune: Commune): SafeHtml {
  if (points.length === 0) return html`<p>Aucun lieu d’aide n’accompagne encore cette démarche.</p>`;
  return html`<div class="fr-table vigie-table-scroll">
<table>
  <caption>Lieux d’aide les plus proches de ${commune.name}, du plus proche au plus éloigné</caption>
  <thead><tr><th scope="col">Distance</th><th scope="col">Lieu</th><th scope="col">Adresse</th><th scope="col">Horaires</th><th scope="col">Accessibilité du lieu</th></tr></thead>
  <tbody>${points.map(
    (p) => html`<tr>
    <td>${formatDistance(p.distanceKm)}</td>
    <th scope="row">${p.name}<br><span class="fr-text--sm">${POINT_KIND_LABELS[p.kind]}</span>${p.phone ? html`<br><span class="fr-text--sm">Tél. ${p.phone}</span>` : ''}</th>
    <td>${p.address}${p.address ? html`<br>` : ''}${p.postalCode} ${p.communeName}</td>
    <td>${p.openingHours || 'Non indiqués'}</td>
    <td>${p.accessibility || 'Non indiquée'}</td>
  </tr>`,
  )}</tbody>
</table></div>`;
}

export interface PublicHelpContext {
  procedure: PublicProcedure;
  channels: Channel[];
  query: string;
  search: CommuneSearch | null;
  points: NearPoint[] | null;
}

/** The public « Obtenir de l'aide » page: channels, then the search of help points by commune (a GET form, no script). */
export function publicHelpPage(ctx: PublicHelpContext): SafeHtml {
  const { procedure, search } = ctx;
  const action = `/aide/demarches/${procedure.id}`;
  const error = search?.kind === 'none' ? search.message : null;
  return html`<h1>Obtenir de l’aide : ${procedure.title}</h1>
<p>${procedure.administration}${procedure.url ? html` — <a href="${procedure.url}" rel="noopener">faire la démarche en ligne</a>` : ''}</p>
<h2>Contacter l’administration</h2>
${channelList(ctx.channels)}
<h2 id="lieux">Être aidé près de chez vous</h2>
<p>France services, points numériques des préfectures et autres lieux d’aide qui accompagnent cette démarche, classés par distance à vol d’oiseau du centre de votre commune.</p>
<form method="get" action="${action}#lieux" role="search">
  <div class="fr-input-group${error ? ' fr-input-group--error' : ''}">
    <label class="fr-label" for="commune">Votre commune ou votre code postal<span class="fr-hint-text" id="commune-aide">Par exemple : Lyon, Saint-Étienne ou 69003.</span></label>
    <input class="fr-input${error ? ' fr-input--error' : ''}" type="search" id="commune" name="commune" value="${ctx.query}" autocomplete="address-level2" maxlength="100" aria-describedby="commune-aide${error ? ' commune-erreur' : ''}"${error ? html` aria-invalid="true"` : ''}>
    ${error ? html`<p class="fr-error-text" id="commune-erreur">${error}</p>` : ''}
  </div>
  <button class="fr-btn" type="submit">Chercher les lieux d’aide</button>
</form>
${
  search?.kind === 'choose'
    ? html`<div class="fr-mt-3w"><h3 class="fr-h6">Plusieurs communes correspondent : laquelle ?</h3>
<ul>${search.communes.map((c) => html`<li><a href="${action}?commune=${encodeURIComponent(c.code)}#lieux">${c.name} (${c.postalCodes.slice(0, 3).join(', ')}${c.postalCodes.length > 3 ? '…' : ''} — département ${c.department})</a></li>`)}</ul></div>`
    : ''
}
${
  search?.kind === 'found' && ctx.points
    ? html`<div class="fr-mt-3w" id="resultats"><h3 class="fr-h6">${ctx.points.length === 0 ? 'Aucun lieu' : `${ctx.points.length === 1 ? 'Le lieu' : `Les ${ctx.points.length} lieux`} d’aide les plus proches`} de ${search.commune.name} (${search.commune.postalCodes[0] ?? search.commune.code})</h3>
${search.commune.centre === 'c' ? '' : html`<p class="fr-text--sm">Le centre de cette commune est estimé à partir des communes voisines : les distances sont approchées.</p>`}
${pointsTable(ctx.points, search.commune)}</div>`
    : ''
}
<p class="fr-text--sm fr-mt-4w">Communes et codes postaux : découpage administratif (INSEE, La Poste) ; centres des communes : GeoNames (CC BY 4.0).</p>`;
}
