import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { csrfField, errorSummary, type FieldErrors } from '../../kernel/web/forms.ts';
import { formatDateTime } from '../../kernel/web/format.ts';
import type { GrantRow } from '../users.ts';
import { grantLabel } from './grants.ts';
import { grantFields, type GrantChoices, type GrantValues } from './grant-form.ts';
import { pagination } from '../../kernel/web/pagination.ts';
import { listHref } from './list-pages.ts';

export interface UserListRow {
  id: number;
  email: string;
  display_name: string;
  disabled_at: Date | null;
  locked: boolean;
  email_verified_at: Date | null;
  last_login_at: Date | null;
}

function state(u: UserListRow): string {
  if (u.disabled_at) return 'Désactivé';
  if (u.locked) return 'Bloqué temporairement';
  if (!u.email_verified_at) return 'Adresse non vérifiée';
  return 'Actif';
}

export function userListPage(v: {
  q: string;
  users: UserListRow[];
  grants: Map<number, GrantRow[]>;
  page: number;
  hasNext: boolean;
}): SafeHtml {
  return html`<h1>Utilisateurs</h1>
<p><a class="fr-btn fr-btn--secondary" href="/compte/invitations">Inviter un utilisateur</a></p>
<form method="get" action="/admin/utilisateurs" role="search" class="fr-mb-4w">
  <div class="fr-search-bar" id="recherche-utilisateurs">
    <label class="fr-label" for="champ-q">Rechercher un utilisateur (nom ou adresse)</label>
    <input class="fr-input" type="search" id="champ-q" name="q" value="${v.q}" maxlength="200">
    <button class="fr-btn" type="submit" title="Rechercher">Rechercher</button>
  </div>
</form>
${
  v.users.length === 0
    ? html`<p>Aucun utilisateur ne correspond à cette recherche.</p>`
    : html`<div class="fr-table vigie-table-scroll"><table>
  <caption>Utilisateurs${v.q ? ` correspondant à « ${v.q} »` : ''}, page ${v.page}</caption>
  <thead><tr><th scope="col">Nom</th><th scope="col">Adresse électronique</th><th scope="col">Droits</th><th scope="col">État</th><th scope="col">Dernière connexion</th></tr></thead>
  <tbody>${v.users.map(
    (u) => html`<tr>
      <td><a href="/admin/utilisateurs/${u.id}">${u.display_name || u.email}</a></td>
      <td>${u.email}</td>
      <td>${(v.grants.get(u.id) ?? []).map((g) => html`${grantLabel(g)}<br>`)}</td>
      <td>${state(u)}</td>
      <td>${formatDateTime(u.last_login_at)}</td>
    </tr>`,
  )}</tbody>
</table></div>`
}
${pagination(v.page, { hasNext: v.hasNext }, listHref('/admin/utilisateurs', { q: v.q }))}`;
}

export interface UserDetailView {
  csrf: string;
  user: UserListRow & { created_at: Date; is_demo: boolean };
  grants: GrantRow[];
  sessionCount: number;
  isSelf: boolean;
  choices: GrantChoices;
  values?: GrantValues;
  errors?: FieldErrors;
}

export function userDetailPage(v: UserDetailView): SafeHtml {
  const u = v.user;
  const base = `/admin/utilisateurs/${u.id}`;
  const errors = v.errors ?? {};
  return html`<h1>${u.display_name || u.email}</h1>
<ul>
  <li>Adresse électronique : ${u.email} (${u.email_verified_at ? 'vérifiée' : 'non vérifiée'})</li>
  <li>État : ${state(u)}</li>
  <li>Créé le : ${formatDateTime(u.created_at)}${u.is_demo ? ' (compte de démonstration)' : ''}</li>
  <li>Dernière connexion : ${formatDateTime(u.last_login_at)}</li>
  <li>Sessions ouvertes : ${v.sessionCount}</li>
</ul>
${
  v.isSelf
    ? html`<p class="fr-text--sm">Vous ne pouvez pas désactiver votre propre compte.</p>`
    : u.disabled_at
      ? html`<form method="post" action="${base}/reactiver">${csrfField(v.csrf)}<button class="fr-btn fr-btn--secondary" type="submit">Réactiver le compte</button></form>`
      : html`<form method="post" action="${base}/desactiver">${csrfField(v.csrf)}<button class="fr-btn fr-btn--secondary" type="submit">Désactiver le compte (ferme ses sessions)</button></form>`
}

<h2 class="fr-mt-4w">Droits</h2>
${
  v.grants.length === 0
    ? html`<p>Aucun droit.</p>`
    : html`<div class="fr-table"><table>
  <caption>Droits de ${u.display_name || u.email}</caption>
  <thead><tr><th scope="col">Droit</th><th scope="col">Action</th></tr></thead>
  <tbody>${v.grants.map(
    (g) =>
      html`<tr><td>${grantLabel(g)}</td><td>${
        v.isSelf && g.role === 'admin'
          ? 'Votre propre droit d’administrateur'
          : html`<form method="post" action="${base}/droits/${g.id}/retirer">${csrfField(v.csrf)}<button class="fr-btn fr-btn--sm fr-btn--tertiary" type="submit">Retirer<span class="fr-sr-only"> le droit ${grantLabel(g)}</span></button></form>`
      }</td></tr>`,
  )}</tbody>
</table></div>`
}

<h2 class="fr-mt-4w">Ajouter un droit</h2>
${errorSummary(errors, { role: 'Rôle', ministry_id: 'Ministère', administration_id: 'Administration', procedure: 'Démarche' })}
<form method="post" action="${base}/droits" novalidate>
  ${csrfField(v.csrf)}
  ${grantFields(v.choices, v.values ?? {}, errors)}
  <button class="fr-btn" type="submit">Ajouter le droit</button>
</form>`;
}
