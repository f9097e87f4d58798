import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { checkboxGroup, csrfField, errorSummary, input, select, type FieldErrors } from '../../kernel/web/forms.ts';
import { FRANCECONNECT_LABELS, HELP_CHANNEL_LABELS, ONLINE_STATUS_LABELS, USER_CATEGORY_LABELS, options } from '../model.ts';
import { FIELD_LABELS, type RawProcedure } from '../validation.ts';

export interface ProcedureFormValues extends RawProcedure {
  administration_id?: string;
}

export interface ProcedureFormContext {
  action: string;
  title: string;
  values: ProcedureFormValues;
  errors: FieldErrors;
  administrations: { id: number; name: string; ministryName: string }[];
  csrfToken: string;
  cancelHref: string;
  /** Once created, a procedure keeps its stable id: the field is shown read-only. */
  stableIdLocked?: boolean;
}

type RawChannel = NonNullable<RawProcedure['help_channels']>[number];
const isEmptyChannel = (c: RawChannel) => !c.kind?.trim() && !c.label?.trim() && !c.value?.trim() && !c.hours?.trim();

/** The channels of the form ending with `empty` blank rows at least, so that one can be added without JavaScript. */
export function withEmptyRows(channels: RawChannel[], empty = 1): RawChannel[] {
  const out = [...channels];
  let trailing = 0;
  for (let i = out.length - 1; i >= 0 && isEmptyChannel(out[i]); i--) trailing++;
  for (; trailing < empty; trailing++) out.push({});
  return out;
}

/** One row per help channel (the route adds the blank rows). */
function channelRows(values: ProcedureFormValues, errors: FieldErrors): SafeHtml {
  const channels = values.help_channels ?? [];
  return html`${channels.map((c, i) => {
    const n = i + 1;
    return html`<fieldset class="fr-fieldset" id="canal-${n}" aria-labelledby="canal-${n}-legende">
  <legend class="fr-fieldset__legend fr-text--regular" id="canal-${n}-legende">Canal d’aide n° ${n}</legend>
  <div class="fr-fieldset__element fr-col-12 fr-col-md-3">${select({ name: `help_kind_${i}`, label: 'Type', options: options(HELP_CHANNEL_LABELS), value: c.kind ?? '', placeholder: '— Choisir —', error: errors[`help_kind_${i}`] })}</div>
  <div class="fr-fieldset__element fr-col-12 fr-col-md-3">${input({ name: `help_label_${i}`, label: 'Libellé', value: c.label ?? '', error: errors[`help_label_${i}`] })}</div>
  <div class="fr-fieldset__element fr-col-12 fr-col-md-3">${input({ name: `help_value_${i}`, label: 'Numéro, adresse ou lien', value: c.value ?? '', error: errors[`help_value_${i}`] })}</div>
  <div class="fr-fieldset__element fr-col-12 fr-col-md-3">${input({ name: `help_hours_${i}`, label: 'Horaires', value: c.hours ?? '', error: errors[`help_hours_${i}`] })}</div>
</fieldset>`;
  })}
<input type="hidden" name="help_rows" value="${channels.length}">`;
}

export function procedureFormPage(ctx: ProcedureFormContext): SafeHtml {
  const v = ctx.values;
  const e = ctx.errors;
  const labels: Record<string, string> = { ...FIELD_LABELS };
  for (const key of Object.keys(e)) {
    const m = /^help_(kind|label|value|hours)_(\d+)$/.exec(key);
    if (m) labels[key] = `Canal d’aide n° ${Number(m[2]) + 1}`;
  }
  return html`<h1>${ctx.title}</h1>
${errorSummary(e, labels)}
<p class="fr-hint-text">Les champs marqués « obligatoire » doivent être remplis.</p>
<form method="post" action="${ctx.action}" novalidate>
  ${csrfField(ctx.csrfToken)}
  <div class="fr-grid-row"><div class="fr-col-12 fr-col-lg-8">
  <h2>Identification</h2>
  ${input({ name: 'title', label: 'Intitulé', value: v.title, error: e.title, required: true })}
  ${
    ctx.stableIdLocked
      ? input({
          name: 'stable_id',
          label: 'Identifiant stable',
          value: v.stable_id,
          hint: 'Ne change jamais : il relie la démarche aux imports, aux avis et aux indicateurs.',
          attrs: html` readonly`,
        })
      : input({
          name: 'stable_id',
          label: 'Identifiant stable',
          value: v.stable_id,
          error: e.stable_id,
          required: true,
          hint: 'Ne change jamais : il relie la démarche aux imports, aux avis et aux indicateurs. Minuscules, chiffres, tirets (par exemple ants-passeport).',
        })
  }
  ${input({ name: 'slug', label: 'Slug', value: v.slug, error: e.slug, hint: 'Utilisé dans les adresses publiques. Laissez vide pour le déduire de l’identifiant.' })}
  ${select({ name: 'administration_id', label: 'Administration', options: ctx.administrations.map((a) => ({ value: String(a.id), label: `${a.name} (${a.ministryName})` })), value: v.administration_id ?? '', placeholder: '— Choisir une administration —', error: e.administration_id, required: true })}
  ${input({ name: 'description', label: 'Description', value: v.description, error: e.description, textarea: true })}
  <h2>Accès en ligne</h2>
  ${input({ name: 'url', label: 'Adresse de la démarche en ligne', type: 'url', value: v.url, error: e.url, hint: 'Adresse complète, par exemple https://ants.gouv.fr/' })}
  ${input({ name: 'info_url', label: 'Page d’information', type: 'url', value: v.info_url, error: e.info_url, hint: 'Par exemple la fiche Service-Public.fr' })}
  ${checkboxGroup({ name: 'user_categories', legend: 'Publics', options: options(USER_CATEGORY_LABELS), values: v.user_categories ?? [], error: e.user_categories })}
  ${select({ name: 'online_status', label: 'Statut de dématérialisation', options: options(ONLINE_STATUS_LABELS), value: v.online_status ?? 'non', error: e.online_status, required: true })}
  ${select({ name: 'franceconnect', label: 'FranceConnect', options: options(FRANCECONNECT_LABELS), value: v.franceconnect ?? 'non', error: e.franceconnect, required: true })}
  <h2>Volumes annuels</h2>
  ${input({ name: 'volume_total', label: 'Volume annuel total', value: v.volume_total, error: e.volume_total, hint: 'Nombre de démarches réalisées par an, tous canaux confondus. Nombre entier.', attrs: html` inputmode="numeric"` })}
  ${input({ name: 'volume_online', label: 'Volume annuel en ligne', value: v.volume_online, error: e.volume_online, hint: 'Nombre de démarches réalisées en ligne par an. Nombre entier.', attrs: html` inputmode="numeric"` })}
  ${checkboxGroup({ name: 'in_scope', legend: 'Observatoire', options: [{ value: 'oui', label: 'Démarche du Top 250 (suivie par l’observatoire)' }], values: v.in_scope === 'oui' ? ['oui'] : [], error: e.in_scope })}
  </div></div>
  <h2>Canaux d’aide</h2>
  <p class="fr-hint-text">Laissez une ligne vide pour ne rien ajouter. « Ajouter une ligne » ajoute un canal sans enregistrer.</p>
  ${channelRows(v, e)}
  <ul class="fr-btns-group fr-btns-group--inline-md">
    <li><button type="submit" class="fr-btn">Enregistrer</button></li>
    <li><button type="submit" class="fr-btn fr-btn--secondary" name="_action" value="ajouter-canal">Ajouter une ligne</button></li>
    <li><a class="fr-btn fr-btn--tertiary" href="${ctx.cancelHref}">Annuler</a></li>
  </ul>
</form>`;
}

/** Reads the form body (strings or repeated strings) into raw values, help channels included. */
export function readProcedureForm(body: unknown): ProcedureFormValues {
  const b = (body ?? {}) as Record<string, unknown>;
  const str = (key: string) =>
    typeof b[key] === 'string' ? (b[key] as string) : Array.isArray(b[key]) ? String((b[key] as unknown[])[0] ?? '') : '';
  const list = (key: string) =>
    Array.isArray(b[key]) ? (b[key] as unknown[]).map(String) : typeof b[key] === 'string' ? [b[key] as string] : [];
  const rows = Math.min(50, Math.max(0, Number.parseInt(str('help_rows'), 10) || 0));
  const channels: NonNullable<RawProcedure['help_channels']> = [];
  for (let i = 0; i < rows; i++) {
    channels.push({
      kind: str(`help_kind_${i}`),
      label: str(`help_label_${i}`),
      value: str(`help_value_${i}`),
      hours: str(`help_hours_${i}`),
    });
  }
  return {
    stable_id: str('stable_id'),
    title: str('title'),
    slug: str('slug'),
    description: str('description'),
    administration_id: str('administration_id'),
    url: str('url'),
    info_url: str('info_url'),
    user_categories: list('user_categories'),
    volume_total: str('volume_total'),
    volume_online: str('volume_online'),
    online_status: str('online_status'),
    franceconnect: str('franceconnect'),
    in_scope: list('in_scope').includes('oui') ? 'oui' : 'non',
    help_channels: channels,
  };
}
