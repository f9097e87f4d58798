import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { csrfField, errorSummary, input, type FieldErrors } from '../../kernel/web/forms.ts';
import { formatDateTime, formatInteger } from '../../kernel/web/format.ts';

export interface ApiKeyRow {
  id: number;
  name: string;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  call_count: number;
  revoked_at: Date | null;
}

export function apiKeysPage(v: {
  csrf: string;
  keys: ApiKeyRow[];
  created?: { name: string; key: string } | null;
  name?: string;
  errors?: FieldErrors;
}): SafeHtml {
  const errors = v.errors ?? {};
  return html`<h1>Mes clés d’API</h1>
<p>Une clé d’API permet à un programme d’appeler l’API de Vigie en votre nom, avec vos droits du moment.
Envoyez-la dans l’en-tête <code>Authorization: Bearer &lt;clé&gt;</code>. Révoquez une clé dont vous n’avez plus l’usage.</p>
${
  v.created
    ? html`<div class="fr-alert fr-alert--success fr-mb-4w" role="status"><h2 class="fr-alert__title">Clé « ${v.created.name} » créée</h2>
  <p>Copiez-la maintenant : elle ne sera plus jamais affichée.</p>
  <p><code id="nouvelle-cle">${v.created.key}</code></p></div>`
    : ''
}
<h2>Créer une clé</h2>
${errorSummary(errors, { name: 'Nom de la clé' })}
<form method="post" action="/compte/cles-api" novalidate>
  ${csrfField(v.csrf)}
  ${input({ name: 'name', label: 'Nom de la clé', value: v.name, error: errors.name, required: true, hint: 'Pour la reconnaître, par exemple « Import nocturne ». 100 caractères au maximum.' })}
  <button class="fr-btn" type="submit">Créer la clé</button>
</form>
<h2 class="fr-mt-6w">Mes clés</h2>
${
  v.keys.length === 0
    ? html`<p>Vous n’avez aucune clé d’API.</p>`
    : html`<div class="fr-table vigie-table-scroll"><table>
  <caption>Mes clés d’API</caption>
  <thead><tr><th scope="col">Nom</th><th scope="col">Début de la clé</th><th scope="col">Créée le</th><th scope="col">Dernier appel</th><th scope="col">Appels</th><th scope="col">État</th></tr></thead>
  <tbody>${v.keys.map(
    (
      k,
    ) => html`<tr><td>${k.name}</td><td><code>${k.prefix}…</code></td><td>${formatDateTime(k.created_at)}</td><td>${formatDateTime(k.last_used_at)}</td><td>${formatInteger(k.call_count)}</td>
      <td>${
        k.revoked_at
          ? `Révoquée le ${formatDateTime(k.revoked_at)}`
          : html`<form method="post" action="/compte/cles-api/${k.id}/revoquer">${csrfField(v.csrf)}<button class="fr-btn fr-btn--sm fr-btn--tertiary" type="submit">Révoquer<span class="fr-sr-only"> la clé ${k.name}</span></button></form>`
      }</td></tr>`,
  )}</tbody>
</table></div>`
}`;
}
