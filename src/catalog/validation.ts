import { z } from 'zod';
import {
  FRANCECONNECT_LABELS,
  FRANCECONNECT_STATUSES,
  HELP_CHANNEL_KINDS,
  HELP_CHANNEL_LABELS,
  ONLINE_STATUSES,
  ONLINE_STATUS_LABELS,
  USER_CATEGORIES,
  USER_CATEGORY_LABELS,
  slugify,
  type HelpChannel,
  type ProcedureInput,
} from './model.ts';
import type { FieldErrors } from '../kernel/web/forms.ts';

/**
 * One validation for every way a procedure comes in (form, CSV/XLSX/ODS import): raw text fields in, typed
 * values or one French message per field out. Field names are the form names and the import column keys.
 */
export interface RawProcedure {
  stable_id?: string;
  title?: string;
  slug?: string;
  description?: string;
  url?: string;
  info_url?: string;
  user_categories?: string[];
  volume_total?: string;
  volume_online?: string;
  online_status?: string;
  franceconnect?: string;
  in_scope?: string;
  help_channels?: { kind?: string; label?: string; value?: string; hours?: string }[];
}

export const FIELD_LABELS: Record<string, string> = {
  stable_id: 'Identifiant stable',
  title: 'Intitulé',
  slug: 'Slug',
  description: 'Description',
  administration_id: 'Administration',
  url: 'Adresse de la démarche en ligne',
  info_url: 'Page d’information',
  user_categories: 'Publics',
  volume_total: 'Volume annuel total',
  volume_online: 'Volume annuel en ligne',
  online_status: 'Statut de dématérialisation',
  franceconnect: 'FranceConnect',
  in_scope: 'Top 250',
  help_channels: 'Canaux d’aide',
};

/** Lower case, no accents, single spaces: to compare what people type with our codes and labels. */
export function fold(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’']/g, ' ')
    .replace(/[\s_-]+/g, ' ')
    .trim();
}

/** Accepts a code or its label, whatever the case or accents. */
function choice<T extends string>(codes: readonly T[], labels: Record<T, string>, message: string, aliases: Record<string, T> = {}) {
  const lookup = new Map<string, T>();
  for (const code of codes) {
    lookup.set(fold(code), code);
    lookup.set(fold(labels[code]), code);
  }
  for (const [alias, code] of Object.entries(aliases)) lookup.set(fold(alias), code);
  return z.string({ error: message }).transform((value, ctx) => {
    const code = lookup.get(fold(value));
    if (!code) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return code;
  });
}

const VOLUME_MAX = 1e12;
const volume = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const text = (value ?? '').replace(/[\s\u00a0\u202f]/g, '');
    if (!text) return null;
    if (!/^\d+$/.test(text) || Number(text) > VOLUME_MAX) {
      ctx.addIssue({ code: 'custom', message: 'Indiquez un nombre entier positif ou nul, sans décimale (par exemple 125000).' });
      return z.NEVER;
    }
    return Number(text);
  });

const httpUrl = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const text = (value ?? '').trim();
    if (!text) return null;
    let ok = false;
    try {
      const url = new URL(text);
      ok = url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      ok = false;
    }
    if (!ok || text.length > 2000) {
      ctx.addIssue({
        code: 'custom',
        message: 'Indiquez une adresse web complète commençant par https:// (par exemple https://www.service-public.fr/).',
      });
      return z.NEVER;
    }
    return text;
  });

const yesNo = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const text = fold(value ?? '');
    if (['', 'non', 'n', 'no', 'false', 'faux', '0'].includes(text)) return false;
    if (['oui', 'o', 'yes', 'on', 'true', 'vrai', '1', 'x'].includes(text)) return true;
    ctx.addIssue({ code: 'custom', message: 'Indiquez « oui » ou « non ».' });
    return z.NEVER;
  });

const categories = z
  .array(z.string())
  .optional()
  .transform((values, ctx) => {
    const lookup = new Map<string, (typeof USER_CATEGORIES)[number]>();
    for (const code of USER_CATEGORIES) {
      lookup.set(fold(code), code);
      lookup.set(fold(USER_CATEGORY_LABELS[code]), code);
    }
    lookup.set('entreprises', 'professionnels');
    lookup.set('particulier', 'particuliers');
    lookup.set('professionnel', 'professionnels');
    lookup.set('association', 'associations');
    lookup.set('collectivite', 'collectivites');
    const out = new Set<(typeof USER_CATEGORIES)[number]>();
    for (const value of values ?? []) {
      if (!value.trim()) continue;
      const code = lookup.get(fold(value));
      if (!code) {
        ctx.addIssue({
          code: 'custom',
          message: `Public inconnu : « ${value.trim()} ». Valeurs possibles : particuliers, professionnels, associations, collectivités.`,
        });
        return z.NEVER;
      }
      out.add(code);
    }
    return USER_CATEGORIES.filter((c) => out.has(c));
  });

const STABLE_ID_MESSAGE =
  'L’identifiant stable ne peut contenir que des minuscules sans accent, des chiffres, des points, des tirets et des soulignés (par exemple ants-permis-de-conduire).';

const procedureSchema = z.object({
  stable_id: z
    .string({ error: 'L’identifiant stable est obligatoire.' })
    .trim()
    .min(1, 'L’identifiant stable est obligatoire.')
    .max(100, '100 caractères au maximum.')
    .regex(/^[a-z0-9][a-z0-9._-]*$/, STABLE_ID_MESSAGE),
  title: z
    .string({ error: 'L’intitulé est obligatoire.' })
    .trim()
    .min(1, 'L’intitulé est obligatoire.')
    .max(300, '300 caractères au maximum.'),
  slug: z
    .string()
    .trim()
    .max(120, '120 caractères au maximum.')
    .regex(/^([a-z0-9]+(-[a-z0-9]+)*)?$/, 'Le slug ne peut contenir que des minuscules sans accent, des chiffres et des tirets simples.')
    .optional(),
  description: z.string().trim().max(5000, '5000 caractères au maximum.').optional(),
  url: httpUrl,
  info_url: httpUrl,
  user_categories: categories,
  volume_total: volume,
  volume_online: volume,
  online_status: choice(
    ONLINE_STATUSES,
    ONLINE_STATUS_LABELS,
    'Statut inconnu. Valeurs possibles : oui, partiel, non, en_cours, proactive.',
    {
      'en ligne': 'oui',
      partiellement: 'partiel',
      'hors ligne': 'non',
      'en cours de dematerialisation': 'en_cours',
      proactif: 'proactive',
    },
  ),
  franceconnect: choice(
    FRANCECONNECT_STATUSES,
    FRANCECONNECT_LABELS,
    'Valeur inconnue. Valeurs possibles : franceconnect, franceconnect_plus, non, non_applicable.',
    {
      oui: 'franceconnect',
      'france connect': 'franceconnect',
      'franceconnect +': 'franceconnect_plus',
      'france connect plus': 'franceconnect_plus',
      'n/a': 'non_applicable',
      na: 'non_applicable',
    },
  ),
  in_scope: yesNo,
});

const channelKind = choice(
  HELP_CHANNEL_KINDS,
  HELP_CHANNEL_LABELS,
  'Type de canal inconnu. Valeurs possibles : telephone, courriel, formulaire, chat, guichet, courrier, autre.',
  {
    tel: 'telephone',
    mail: 'courriel',
    email: 'courriel',
    'e-mail': 'courriel',
    accueil: 'guichet',
  },
);

/** Help channels; errors are keyed `help_<field>_<index>` so that a form can show them next to the right input. */
function validateChannels(raw: RawProcedure['help_channels'], errors: FieldErrors): HelpChannel[] {
  const channels: HelpChannel[] = [];
  (raw ?? []).forEach((c, i) => {
    const label = (c.label ?? '').trim();
    const value = (c.value ?? '').trim();
    const hours = (c.hours ?? '').trim();
    const kindText = (c.kind ?? '').trim();
    if (!kindText && !label && !value && !hours) return; // an empty row of the form
    const kind = channelKind.safeParse(kindText);
    if (!kind.success) errors[`help_kind_${i}`] = kindText ? kind.error.issues[0].message : 'Choisissez le type de canal.';
    if (!value) errors[`help_value_${i}`] = 'Indiquez le numéro, l’adresse ou le lien du canal.';
    if (value.length > 500) errors[`help_value_${i}`] = '500 caractères au maximum.';
    if (label.length > 200) errors[`help_label_${i}`] = '200 caractères au maximum.';
    if (hours.length > 300) errors[`help_hours_${i}`] = '300 caractères au maximum.';
    if (kind.success) channels.push({ kind: kind.data, label, value, hours });
  });
  return channels;
}

export type ValidatedProcedure = Omit<ProcedureInput, 'administrationId'>;

export function validateProcedure(raw: RawProcedure): { ok: true; data: ValidatedProcedure } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const result = procedureSchema.safeParse({
    ...raw,
    online_status: raw.online_status?.trim() || 'non',
    franceconnect: raw.franceconnect?.trim() || 'non',
  });
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = String(issue.path[0] ?? '_form');
      if (!errors[key]) errors[key] = issue.message;
    }
  }
  const helpChannels = validateChannels(raw.help_channels, errors);
  if (!result.success || Object.keys(errors).length) return { ok: false, errors };
  const d = result.data;
  if (d.volume_total !== null && d.volume_online !== null && d.volume_online > d.volume_total) {
    return { ok: false, errors: { volume_online: 'Le volume en ligne ne peut pas dépasser le volume total.' } };
  }
  return {
    ok: true,
    data: {
      stableId: d.stable_id,
      title: d.title,
      slug: d.slug || slugify(d.stable_id),
      description: d.description ?? '',
      url: d.url,
      infoUrl: d.info_url,
      userCategories: d.user_categories,
      volumeTotal: d.volume_total,
      volumeOnline: d.volume_online,
      onlineStatus: d.online_status,
      franceconnect: d.franceconnect,
      inScope: d.in_scope,
      helpChannels,
    },
  };
}
