import type { FieldErrors } from '../kernel/web/forms.ts';
import { CHANNEL_KINDS, POINT_KINDS, type Channel, type ChannelKind, type HelpPoint, type PointKind, type VolumeMonth } from './model.ts';

const str = (b: Record<string, unknown>, key: string): string => {
  const v = b[key];
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
};

const isUrl = (v: string) => {
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
};

/** A French phone number as written (digits, spaces, dots, a leading +): 10 digits, or +33 and 9, or a short number. */
export function isPhone(v: string): boolean {
  const digits = v.replace(/[\s.\-()]/g, '');
  return /^(\+\d{6,15}|0\d{9}|\d{4})$/.test(digits);
}

export const MAX_CHANNELS = 20;

/** The channels of the form (rows `kind_i`, `label_i`, …; blank rows skipped), or one French message per field. */
export function readChannels(body: unknown): { channels: Channel[]; raw: Partial<Channel>[]; errors: FieldErrors } {
  const b = (body ?? {}) as Record<string, unknown>;
  const rows = Math.min(MAX_CHANNELS, Math.max(0, Number.parseInt(str(b, 'rows'), 10) || 0));
  const channels: Channel[] = [];
  const raw: Partial<Channel>[] = [];
  const errors: FieldErrors = {};
  for (let i = 0; i < rows; i++) {
    const kind = str(b, `kind_${i}`).trim();
    const label = str(b, `label_${i}`).trim();
    const value = str(b, `value_${i}`).trim();
    const hours = str(b, `hours_${i}`).trim();
    const price = str(b, `price_${i}`).trim();
    raw.push({ kind: kind as ChannelKind, label, value, hours, price });
    if (!kind && !label && !value && !hours && !price) continue;
    if (!(CHANNEL_KINDS as readonly string[]).includes(kind)) {
      errors[`kind_${i}`] = kind ? 'Ce type de canal n’existe pas.' : 'Choisissez le type de canal.';
      continue;
    }
    const k = kind as ChannelKind;
    if (!value) errors[`value_${i}`] = 'Indiquez le numéro, l’adresse ou le lien du canal.';
    else if (value.length > 500) errors[`value_${i}`] = '500 caractères au maximum.';
    else if (k === 'phone' && !isPhone(value))
      errors[`value_${i}`] =
        'Numéro de téléphone invalide : 10 chiffres (01 23 45 67 89), un numéro international (+33 …) ou un numéro court à 4 chiffres.';
    else if (k === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value))
      errors[`value_${i}`] = 'Adresse électronique invalide (exemple : contact@exemple.gouv.fr).';
    else if ((k === 'contact_form' || k === 'chat' || k === 'faq') && !isUrl(value))
      errors[`value_${i}`] = 'Adresse invalide : elle commence par https://.';
    if (label.length > 200) errors[`label_${i}`] = '200 caractères au maximum.';
    if (hours.length > 300) errors[`hours_${i}`] = '300 caractères au maximum.';
    if (price.length > 200) errors[`price_${i}`] = '200 caractères au maximum.';
    channels.push({ kind: k, label, value, hours, price });
  }
  return { channels, raw, errors };
}

/** A month typed as « 2026-03 » or « 03/2026 » → '2026-03-01'; null when it is not one. */
export function parseMonth(text: string): string | null {
  const t = text.trim();
  let m = /^(\d{4})-(\d{1,2})(?:-01)?$/.exec(t);
  let year: number, month: number;
  if (m) [year, month] = [Number(m[1]), Number(m[2])];
  else if ((m = /^(\d{1,2})\/(\d{4})$/.exec(t))) [year, month] = [Number(m[2]), Number(m[1])];
  else return null;
  if (month < 1 || month > 12 || year < 2000 || year > 2100) return null;
  return `${year}-${String(month).padStart(2, '0')}-01`;
}

/** A whole number ≥ 0 as typed (spaces as thousands separators allowed); empty is 0 unless `optional`. */
function count(text: string, optional = false): number | null | 'bad' {
  const t = text.replace(/[\s\u00a0\u202f]/g, '');
  if (t === '') return optional ? null : 0;
  if (!/^\d{1,12}$/.test(t)) return 'bad';
  return Number(t);
}

export const VOLUME_FIELDS = [
  'month',
  'calls_received',
  'calls_answered',
  'mails_received',
  'mails_answered',
  'mean_wait_seconds',
] as const;

/** One month of volumes from form fields or an imported row; French messages by field. */
export function validateVolume(
  v: Record<(typeof VOLUME_FIELDS)[number], string>,
): { ok: true; data: VolumeMonth } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const month = parseMonth(v.month ?? '');
  if (!month) errors.month = 'Mois invalide : écrivez-le AAAA-MM (par exemple 2026-03).';
  const numbers: Record<string, number | null> = {};
  for (const key of ['calls_received', 'calls_answered', 'mails_received', 'mails_answered', 'mean_wait_seconds'] as const) {
    const n = count(v[key] ?? '', key === 'mean_wait_seconds');
    if (n === 'bad') errors[key] = 'Un nombre entier positif est attendu.';
    else numbers[key] = n;
  }
  if (!errors.calls_answered && !errors.calls_received && numbers.calls_answered! > numbers.calls_received!)
    errors.calls_answered = 'Les appels traités ne peuvent pas dépasser les appels reçus.';
  if (!errors.mails_answered && !errors.mails_received && numbers.mails_answered! > numbers.mails_received!)
    errors.mails_answered = 'Les courriels traités ne peuvent pas dépasser les courriels reçus.';
  if (!errors.mean_wait_seconds && numbers.mean_wait_seconds !== null && numbers.mean_wait_seconds! > 86_400)
    errors.mean_wait_seconds = 'Une attente moyenne de plus d’un jour (86 400 secondes) n’est pas plausible.';
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    data: {
      month: month!,
      callsReceived: numbers.calls_received!,
      callsAnswered: numbers.calls_answered!,
      mailsReceived: numbers.mails_received!,
      mailsAnswered: numbers.mails_answered!,
      meanWaitSeconds: numbers.mean_wait_seconds ?? null,
    },
  };
}

export const POINT_FIELDS = [
  'identifier',
  'name',
  'kind',
  'address',
  'postal_code',
  'commune_code',
  'commune_name',
  'latitude',
  'longitude',
  'opening_hours',
  'accessibility',
  'phone',
  'procedures',
] as const;
export type PointFields = Record<(typeof POINT_FIELDS)[number], string>;

/** A decimal number as typed (« 45,76 » or « 45.76 »). */
function decimal(text: string): number | null {
  const t = text.trim().replace(',', '.');
  if (!/^-?\d{1,3}(\.\d{1,10})?$/.test(t)) return null;
  return Number(t);
}

/** Kind written as in open-data files: the code, or its French label, or a few usual spellings. */
export function pointKind(text: string): PointKind | null {
  const t = text
    .trim()
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\s_-]+/g, ' ');
  if ((POINT_KINDS as readonly string[]).includes(t.replace(/ /g, '_'))) return t.replace(/ /g, '_') as PointKind;
  if (t === 'france services' || t === 'maison france services' || t === 'msap') return 'france_services';
  if (t.startsWith('point numerique')) return 'point_numerique';
  if (t === 'mairie') return 'mairie';
  if (t === 'association') return 'association';
  if (t === 'autre' || t === 'autre lieu d aide' || t === 'autre lieu d’aide') return 'other';
  return null;
}

/**
 * A help point from form fields or an imported row. `procedures`: « toutes » (every procedure), or the stable ids of
 * the procedures served, separated by commas or semicolons (checked against the catalogue by the caller).
 */
export function validatePoint(v: PointFields): { ok: true; data: HelpPoint } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const t = (k: keyof PointFields) => (v[k] ?? '').trim();
  const identifier = t('identifier');
  if (!identifier) errors.identifier = 'L’identifiant est obligatoire : il permet de mettre le lieu à jour par un nouvel import.';
  else if (identifier.length > 100) errors.identifier = '100 caractères au maximum.';
  const name = t('name');
  if (!name) errors.name = 'Le nom du lieu est obligatoire.';
  else if (name.length > 300) errors.name = '300 caractères au maximum.';
  const kind = pointKind(t('kind'));
  if (!kind)
    errors.kind = t('kind')
      ? `Type de lieu inconnu « ${t('kind').slice(0, 50)} » : France services, point numérique, mairie, association ou autre.`
      : 'Le type de lieu est obligatoire.';
  const postalCode = t('postal_code');
  if (postalCode && !/^\d{5}$/.test(postalCode)) errors.postal_code = 'Le code postal a 5 chiffres.';
  const communeCode = t('commune_code').toUpperCase();
  if (!/^[0-9][0-9AB]\d{3}$/.test(communeCode))
    errors.commune_code = communeCode
      ? 'Le code commune (INSEE) a 5 caractères, par exemple 69123 ou 2A004.'
      : 'Le code commune (INSEE) est obligatoire.';
  const latitude = decimal(t('latitude'));
  if (latitude === null || latitude < -90 || latitude > 90)
    errors.latitude = 'Latitude invalide : un nombre décimal entre -90 et 90 (par exemple 45,7640).';
  const longitude = decimal(t('longitude'));
  if (longitude === null || longitude < -180 || longitude > 180)
    errors.longitude = 'Longitude invalide : un nombre décimal entre -180 et 180 (par exemple 4,8357).';
  for (const [key, max] of [
    ['address', 500],
    ['commune_name', 200],
    ['opening_hours', 1000],
    ['accessibility', 1000],
    ['phone', 50],
  ] as const) {
    if (t(key).length > max) errors[key] = `${max} caractères au maximum.`;
  }
  if (t('phone') && !errors.phone && !isPhone(t('phone')))
    errors.phone = 'Numéro de téléphone invalide : 10 chiffres, ou +33 suivi de 9 chiffres.';
  const procText = t('procedures');
  const all = /^(toutes?|\*|tout)$/i.test(procText);
  const procedures = all
    ? []
    : [
        ...new Set(
          procText
            .split(/[;,\s]+/)
            .map((s) => s.trim())
            .filter(Boolean),
        ),
      ];
  if (procedures.length > 500) errors.procedures = '500 démarches au plus par lieu.';
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    data: {
      identifier,
      name,
      kind: kind!,
      address: t('address'),
      postalCode,
      communeCode,
      communeName: t('commune_name'),
      latitude: latitude!,
      longitude: longitude!,
      openingHours: t('opening_hours'),
      accessibility: t('accessibility'),
      phone: t('phone'),
      allProcedures: all,
      procedures,
    },
  };
}
