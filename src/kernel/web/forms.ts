import { z } from 'zod';
import { html, type SafeHtml } from './html.ts';

export type FieldErrors = Record<string, string>;

export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

/** The summary at the top of a form with errors: one link per field in error. */
export function errorSummary(errors: FieldErrors, labels: Record<string, string> = {}): SafeHtml {
  const entries = Object.entries(errors);
  if (entries.length === 0) return html``;
  return html`<div class="fr-alert fr-alert--error fr-mb-4w" role="alert" id="resume-erreurs" tabindex="-1">
  <h2 class="fr-alert__title">${entries.length === 1 ? 'Le formulaire contient une erreur' : `Le formulaire contient ${entries.length} erreurs`}</h2>
  <ul>${entries.map(([field, message]) => html`<li><a href="#${fieldId(field)}">${labels[field] ? `${labels[field]} : ` : ''}${message}</a></li>`)}</ul>
</div>`;
}

export function fieldId(name: string): string {
  return `champ-${name.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
}

interface InputOptions {
  name: string;
  label: string;
  value?: string | number | null;
  error?: string;
  hint?: string;
  type?: 'text' | 'email' | 'password' | 'number' | 'url' | 'date' | 'search' | 'tel';
  required?: boolean;
  autocomplete?: string;
  textarea?: boolean;
  attrs?: SafeHtml;
}

export function input(o: InputOptions): SafeHtml {
  const id = fieldId(o.name);
  const describedBy = [o.hint ? `${id}-aide` : '', o.error ? `${id}-erreur` : ''].filter(Boolean).join(' ');
  const common = html`id="${id}" name="${o.name}"${o.required ? html` required aria-required="true"` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}${o.error ? html` aria-invalid="true"` : ''}${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''}${o.attrs ?? ''}`;
  const control = o.textarea
    ? html`<textarea class="fr-input${o.error ? ' fr-input--error' : ''}" ${common} rows="4">${o.value ?? ''}</textarea>`
    : html`<input class="fr-input${o.error ? ' fr-input--error' : ''}" type="${o.type ?? 'text'}" ${common} value="${o.value ?? ''}">`;
  return html`<div class="fr-input-group${o.error ? ' fr-input-group--error' : ''}">
  <label class="fr-label" for="${id}">${o.label}${o.required ? html` <span class="vigie-required">(obligatoire)</span>` : ''}${o.hint ? html`<span class="fr-hint-text" id="${id}-aide">${o.hint}</span>` : ''}</label>
  ${control}
  ${o.error ? html`<p class="fr-error-text" id="${id}-erreur">${o.error}</p>` : ''}
</div>`;
}

interface SelectOptions {
  name: string;
  label: string;
  options: { value: string; label: string }[];
  value?: string | null;
  error?: string;
  hint?: string;
  required?: boolean;
  placeholder?: string;
}

export function select(o: SelectOptions): SafeHtml {
  const id = fieldId(o.name);
  const describedBy = [o.hint ? `${id}-aide` : '', o.error ? `${id}-erreur` : ''].filter(Boolean).join(' ');
  return html`<div class="fr-select-group${o.error ? ' fr-select-group--error' : ''}">
  <label class="fr-label" for="${id}">${o.label}${o.required ? html` <span class="vigie-required">(obligatoire)</span>` : ''}${o.hint ? html`<span class="fr-hint-text" id="${id}-aide">${o.hint}</span>` : ''}</label>
  <select class="fr-select${o.error ? ' fr-select--error' : ''}" id="${id}" name="${o.name}"${o.required ? html` required aria-required="true"` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}${o.error ? html` aria-invalid="true"` : ''}>
    ${o.placeholder !== undefined ? html`<option value="">${o.placeholder}</option>` : ''}
    ${o.options.map((opt) => html`<option value="${opt.value}"${opt.value === (o.value ?? '') ? html` selected` : ''}>${opt.label}</option>`)}
  </select>
  ${o.error ? html`<p class="fr-error-text" id="${id}-erreur">${o.error}</p>` : ''}
</div>`;
}

interface CheckboxGroupOptions {
  name: string;
  legend: string;
  options: { value: string; label: string }[];
  values: string[];
  error?: string;
  hint?: string;
}

export function checkboxGroup(o: CheckboxGroupOptions): SafeHtml {
  const id = fieldId(o.name);
  return html`<fieldset class="fr-fieldset${o.error ? ' fr-fieldset--error' : ''}" id="${id}"${o.error ? html` aria-labelledby="${id}-legende ${id}-erreur"` : ''}>
  <legend class="fr-fieldset__legend" id="${id}-legende">${o.legend}${o.hint ? html`<span class="fr-hint-text">${o.hint}</span>` : ''}</legend>
  ${o.options.map(
    (opt, i) => html`<div class="fr-fieldset__element"><div class="fr-checkbox-group">
      <input type="checkbox" id="${id}-${i}" name="${o.name}" value="${opt.value}"${o.values.includes(opt.value) ? html` checked` : ''}>
      <label class="fr-label" for="${id}-${i}">${opt.label}</label>
    </div></div>`,
  )}
  ${o.error ? html`<div class="fr-messages-group"><p class="fr-message fr-message--error" id="${id}-erreur">${o.error}</p></div>` : ''}
</fieldset>`;
}

/** Validates a form body with a zod schema; returns the data or one French message per field. */
export function validateForm<S extends z.ZodType>(
  schema: S,
  body: unknown,
): { ok: true; data: z.infer<S> } | { ok: false; errors: FieldErrors } {
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : '_form';
    if (!errors[key]) errors[key] = issue.message;
  }
  return { ok: false, errors };
}

/** Form fields arrive as strings, or arrays when repeated: these helpers read them the same way everywhere. */
export const formText = (message = 'Ce champ est obligatoire.', max = 500) =>
  z.string({ error: message }).trim().min(1, message).max(max, `${max} caractères au maximum.`);
export const optionalText = (max = 2000) =>
  z
    .string()
    .trim()
    .max(max, `${max} caractères au maximum.`)
    .optional()
    .transform((v) => (v ? v : null));
export const formList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
