import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { formatInteger } from '../../kernel/web/format.ts';
import { csrfField } from '../../kernel/web/forms.ts';
import { CLEAR_MARKER, COLUMNS, EXPORT_ONLY } from '../import/columns.ts';
import type { ImportReport } from '../import/previews.ts';

export const MAX_UPLOAD_MB = 20;
const SHOWN = 500;

export function importFormPage(o: { csrfToken: string; error?: string }): SafeHtml {
  return html`<h1>Importer des démarches</h1>
<p>Ajoutez ou mettez à jour des démarches à partir d’un fichier CSV, XLSX ou ODS. L’import se fait en deux temps :
un <strong>aperçu</strong> qui vérifie chaque ligne et montre ce qui changerait, sans rien enregistrer, puis votre <strong>confirmation</strong>,
qui enregistre tout ou rien.</p>
${o.error ? html`<div class="fr-alert fr-alert--error fr-mb-3w" role="alert"><h2 class="fr-alert__title">Le fichier n’a pas pu être lu</h2><p>${o.error}</p></div>` : ''}
<form method="post" action="/catalogue/import?_csrf=${encodeURIComponent(o.csrfToken)}" enctype="multipart/form-data" class="fr-mb-6w">
  <div class="fr-upload-group${o.error ? ' fr-upload-group--error' : ''}">
    <label class="fr-label" for="champ-fichier">Fichier à importer <span class="vigie-required">(obligatoire)</span>
      <span class="fr-hint-text">Formats acceptés : CSV (UTF-8), XLSX, ODS. Taille maximale : ${MAX_UPLOAD_MB} Mo.</span></label>
    <input class="fr-upload" type="file" id="champ-fichier" name="fichier" accept=".csv,.txt,.xlsx,.ods" required aria-required="true"${o.error ? html` aria-describedby="champ-fichier-erreur" aria-invalid="true"` : ''}>
    ${o.error ? html`<p class="fr-error-text" id="champ-fichier-erreur">${o.error}</p>` : ''}
  </div>
  <button type="submit" class="fr-btn fr-mt-3w">Vérifier le fichier (aperçu)</button>
</form>
<h2>Format du fichier</h2>
<p>La première ligne porte les noms des colonnes, dans n’importe quel ordre. Seule la colonne « Identifiant » est obligatoire ;
une colonne absente <strong>ou une cellule vide</strong> laisse la valeur actuelle inchangée. Pour effacer une valeur,
écrivez <code>${CLEAR_MARKER}</code> dans la cellule. Les codes (administration, publics, statuts, types de canaux) sont
reconnus sans tenir compte des majuscules ni des accents (« ANTS » vaut « ants »). <a href="/catalogue/import/modele.csv">Télécharger un modèle CSV</a>
ou <a href="/catalogue/export.xlsx">l’export du catalogue</a>, qui se réimporte tel quel.</p>
<div class="fr-table"><table>
  <caption>Colonnes reconnues</caption>
  <thead><tr><th scope="col">Colonne</th><th scope="col">Autres noms acceptés</th></tr></thead>
  <tbody>${COLUMNS.map(
    (c) =>
      html`<tr><td>${c.header}${EXPORT_ONLY.includes(c.key) ? ' (ignorée à l’import)' : ''}</td><td>${[c.key, ...c.aliases].join(', ')}</td></tr>`,
  )}</tbody>
</table></div>
<p class="fr-text--sm">Publics : particuliers, professionnels, associations, collectivités, séparés par des virgules.
Statut en ligne : oui, partiel, non, en_cours, proactive. FranceConnect : franceconnect, franceconnect_plus, non, non_applicable.
Top 250 : oui ou non. Canaux d’aide : un canal par ligne de la cellule, sous la forme « type | libellé | coordonnées | horaires »
(types : telephone, courriel, formulaire, chat, guichet, courrier, autre).</p>`;
}

const ACTION_LABELS = { create: 'Création', update: 'Modification', unchanged: 'Inchangée' } as const;

export function importReportPage(o: {
  id: string;
  report: ImportReport;
  csrfToken: string;
  applied: { created: number; updated: number } | null;
  error?: string;
}): SafeHtml {
  const r = o.report;
  const writes = r.counts.create + r.counts.update;
  const changes = r.changes.filter((c) => c.action !== 'unchanged');
  const errorRows = r.errorRows ?? new Set(r.errors.map((e) => e.line)).size;
  return html`<h1>${o.applied ? 'Import enregistré' : 'Aperçu de l’import'}</h1>
<p>Fichier « ${r.fileName} » (${r.format.toUpperCase()}) : ${formatInteger(r.rows)} ligne${r.rows > 1 ? 's' : ''} lue${r.rows > 1 ? 's' : ''}.</p>
${o.error ? html`<div class="fr-alert fr-alert--error fr-mb-3w" role="alert"><p>${o.error}</p></div>` : ''}
${
  o.applied
    ? html`<div class="fr-alert fr-alert--success fr-mb-3w" role="status"><p>${formatInteger(o.applied.created)} démarche(s) créée(s), ${formatInteger(o.applied.updated)} modifiée(s).</p></div>`
    : ''
}
<ul>
  <li>${formatInteger(r.counts.create)} démarche(s) à créer</li>
  <li>${formatInteger(r.counts.update)} démarche(s) à modifier</li>
  <li>${formatInteger(r.counts.unchanged)} démarche(s) inchangée(s)</li>
  <li>${errorRows === 0 ? 'aucune ligne en erreur' : `${formatInteger(errorRows)} ligne${errorRows > 1 ? 's' : ''} en erreur`}</li>
</ul>
${r.ignoredColumns.length ? html`<p class="fr-text--sm">Colonnes non reconnues, ignorées : ${r.ignoredColumns.map((c) => `« ${c} »`).join(', ')}.</p>` : ''}
${
  r.errors.length
    ? html`<div class="fr-alert fr-alert--error fr-mb-3w"><h2 class="fr-alert__title">Le fichier contient des erreurs : rien ne sera importé</h2>
    <p>Corrigez les lignes ci-dessous puis importez de nouveau le fichier. L’import se fait tout ou rien.</p></div>
  <div class="fr-table vigie-table-scroll"><table>
    <caption>Erreurs par ligne${r.errors.length > SHOWN ? ` (les ${SHOWN} premières sur ${formatInteger(r.errors.length)})` : ''}</caption>
    <thead><tr><th scope="col">Ligne</th><th scope="col">Colonne</th><th scope="col">Erreur</th></tr></thead>
    <tbody>${r.errors.slice(0, SHOWN).map((e) => html`<tr><td>${e.line}</td><td>${e.column || '—'}</td><td>${e.message}</td></tr>`)}</tbody>
  </table></div>`
    : ''
}
${
  !o.applied && !r.errors.length && writes > 0
    ? html`<form method="post" action="/catalogue/import/${o.id}/confirmer" class="fr-mb-4w">${csrfField(o.csrfToken)}
    <ul class="fr-btns-group fr-btns-group--inline-md">
      <li><button type="submit" class="fr-btn">Confirmer l’import</button></li>
      <li><a class="fr-btn fr-btn--secondary" href="/catalogue/import">Annuler</a></li>
    </ul></form>`
    : ''
}
${!r.errors.length && writes === 0 && !o.applied ? html`<p>Le fichier ne change rien au catalogue.</p>` : ''}
${
  changes.length
    ? html`<div class="fr-table vigie-table-scroll"><table>
    <caption>Changements${o.applied ? ' enregistrés' : ' prévus'}${changes.length > SHOWN ? ` (les ${SHOWN} premiers sur ${formatInteger(changes.length)})` : ''}</caption>
    <thead><tr><th scope="col">Ligne</th><th scope="col">Identifiant</th><th scope="col">Intitulé</th><th scope="col">Action</th><th scope="col">Changements (avant → après)</th></tr></thead>
    <tbody>${changes
      .slice(0, SHOWN)
      .map(
        (c) =>
          html`<tr><td>${c.line}</td><td><code>${c.stableId}</code></td><td>${c.title}</td><td>${ACTION_LABELS[c.action]}</td><td>${
            c.diffs?.length
              ? html`<ul class="vigie-diffs">${c.diffs.map((d) => html`<li><strong>${d.field}</strong> : <span class="vigie-before">${d.before}</span> → <span class="vigie-after">${d.after}</span></li>`)}</ul>`
              : c.fields.join(', ')
          }</td></tr>`,
      )}</tbody>
  </table></div>`
    : ''
}
<p><a class="fr-link" href="/catalogue/import">Importer un autre fichier</a> · <a class="fr-link" href="/catalogue">Retour au catalogue</a></p>`;
}
