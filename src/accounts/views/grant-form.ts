import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { input, select, type FieldErrors } from '../../kernel/web/forms.ts';
import { countOf } from '../../kernel/web/format.ts';
import { ROLE_LABELS, type Role } from '../../kernel/auth/scope.ts';
import { MATCHES_SHOWN, type ProcedureMatch } from '../grant-scope.ts';

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
  procedure_id?: string;
  /** Procedures whose title matches what was typed in `procedure`, to choose from. */
  procedureMatches?: ProcedureMatch[];
}

/** The procedure field: words of the title (or the stable id), a search button, and the matches as radio buttons. */
function procedureField(values: GrantValues, errors: FieldErrors): SafeHtml {
  const matches = values.procedureMatches ?? [];
  const shown = matches.slice(0, MATCHES_SHOWN);
  return html`${input({ name: 'procedure', label: 'Démarche (équipe de démarche)', value: values.procedure, error: errors.procedure, hint: 'Quelques mots de son titre, par exemple « immatriculation », ou son identifiant stable ; « Chercher la démarche » liste celles qui correspondent.' })}
  <button class="fr-btn fr-btn--secondary fr-btn--sm fr-mb-2w" type="submit" name="chercher" value="1">Chercher la démarche</button>
  ${
    shown.length === 0
      ? ''
      : html`<fieldset class="fr-fieldset" id="champ-procedure_id" aria-labelledby="champ-procedure_id-legende">
    <legend class="fr-fieldset__legend fr-text--regular" id="champ-procedure_id-legende">${matches.length > MATCHES_SHOWN ? `Plus de ${MATCHES_SHOWN} démarches correspondent, voici les ${MATCHES_SHOWN} premières (précisez le titre pour les autres) : choisissez la démarche` : `${countOf(shown.length, 'démarche')} ${shown.length < 2 ? 'correspond' : 'correspondent'} : choisissez la démarche`}</legend>
    ${shown.map(
      (m) => html`<div class="fr-fieldset__element"><div class="fr-radio-group">
      <input type="radio" id="champ-procedure_id-${m.id}" name="procedure_id" value="${String(m.id)}"${values.procedure_id === String(m.id) ? html` checked` : ''}>
      <label class="fr-label" for="champ-procedure_id-${m.id}">${m.title}<span class="fr-hint-text">${m.administration_name} · ${m.stable_id}</span></label>
    </div></div>`,
    )}
  </fieldset>`
  }`;
}

/** Role, then the one scope field that role needs (the others are ignored): works without JavaScript. */
export function grantFields(choices: GrantChoices, values: GrantValues, errors: FieldErrors): SafeHtml {
  return html`${select({ name: 'role', label: 'Rôle', required: true, placeholder: 'Choisir un rôle', value: values.role, error: errors.role, options: choices.roles.map((r) => ({ value: r, label: ROLE_LABELS[r] })) })}
<fieldset class="fr-fieldset">
  <legend class="fr-fieldset__legend">Périmètre<span class="fr-hint-text">Renseignez seulement le champ qui correspond au rôle choisi (aucun pour l’équipe de pilotage).</span></legend>
  <div class="fr-fieldset__element">${select({ name: 'ministry_id', label: 'Ministère (référent ministériel)', placeholder: 'Aucun', value: values.ministry_id, error: errors.ministry_id, options: choices.ministries.map((m) => ({ value: String(m.id), label: m.name })) })}</div>
  <div class="fr-fieldset__element">${select({ name: 'administration_id', label: 'Administration (membre d’une administration)', placeholder: 'Aucune', value: values.administration_id, error: errors.administration_id, options: choices.administrations.map((a) => ({ value: String(a.id), label: `${a.name} (${a.ministry_name})` })) })}</div>
  <div class="fr-fieldset__element">${procedureField(values, errors)}</div>
</fieldset>`;
}

export function grantValuesFrom(body: unknown): GrantValues {
  const b = (body ?? {}) as Record<string, unknown>;
  const s = (v: unknown) => (typeof v === 'string' ? v.slice(0, 300) : '');
  return {
    role: s(b.role),
    ministry_id: s(b.ministry_id),
    administration_id: s(b.administration_id),
    procedure: s(b.procedure),
    procedure_id: s(b.procedure_id),
  };
}
