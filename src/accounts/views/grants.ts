import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { ROLE_LABELS } from '../../kernel/auth/scope.ts';
import type { GrantRow } from '../users.ts';

export function grantLabel(g: Pick<GrantRow, 'role' | 'scope_label'>): string {
  return g.scope_label ? `${ROLE_LABELS[g.role]} : ${g.scope_label}` : ROLE_LABELS[g.role];
}

export function grantList(grants: GrantRow[]): SafeHtml {
  if (grants.length === 0) return html`<p>Aucun droit pour le moment.</p>`;
  return html`<ul>${grants.map((g) => html`<li>${grantLabel(g)}</li>`)}</ul>`;
}
