import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { input, select, type FieldErrors } from '../../kernel/web/forms.ts';
import { ROLE_LABELS, type Role } from '../../kernel/auth/scope.ts';

export interface GrantChoices {
  roles: readonly Role[];
  ministries: { id: number; name: string }[];
  administrations: { id: number; name: string; ministry_name: string }[];
}

export interface GrantValues {
  role?: string;
  ministry_id?: string;
  administration_id?: string;
  procedure?: string;
}

/** Role, then the one scope field that role needs (the others are ignored): works without JavaScript. */
export function grantFields(choices: GrantChoices, values: GrantValues, errors: FieldErrors): SafeHtml {
  return html`${select({ name: 'role', label: 'Rôle', required: true, placeholder: 'Choisir un rôle', value: values.role, error: errors.role, options: choices.roles.map((r) => ({ value: r, label: ROLE_LABELS[r] })) })}
<fieldset class="fr-fieldset">
  <legend class="fr-fieldset__legend">Périmètre<span class="fr-hint-text">Renseignez seulement le champ qui correspond au rôle choisi (aucun pour l’équipe de pilotage).</span></legend>
  <div class="fr-fieldset__element">${select({ name: 'ministry_id', label: 'Ministère (référent ministériel)', placeholder: 'Aucun', value: values.ministry_id, error: errors.ministry_id, options: choices.ministries.map((m) => ({ value: String(m.id), label: m.name })) })}</div>
  <div class="fr-fieldset__element">${select({ name: 'administration_id', label: 'Administration (membre d’une administration)', placeholder: 'Aucune', value: values.administration_id, error: errors.administration_id, options: choices.administrations.map((a) => ({ value: String(a.id), label: `${a.name} (${a.ministry_name})` })) })}</div>
  <div class="fr-fieldset__element">${input({ name: 'procedure', label: 'Identifiant de la démarche (équipe de démarche)', value: values.procedure, error: errors.procedure, hint: 'L’identifiant stable indiqué dans le catalogue, par exemple ants-immatriculation-autres-demandes.' })}</div>
</fieldset>`;
}

export function grantValuesFrom(body: unknown): GrantValues {
  const b = (body ?? {}) as Record<string, unknown>;
  const s = (v: unknown) => (typeof v === 'string' ? v.slice(0, 300) : '');
  return { role: s(b.role), ministry_id: s(b.ministry_id), administration_id: s(b.administration_id), procedure: s(b.procedure) };
}
