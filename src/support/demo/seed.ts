import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../../kernel/db/db.ts';
import { run, sql } from '../../kernel/db/sql.ts';
import { todayInParis } from '../../kernel/web/format.ts';
import { communeByCode, parseCommunes } from '../geo/communes.ts';
import { saveChannels, upsertVolume } from '../queries.ts';
import type { Channel, ChannelKind } from '../model.ts';

/** The vehicle registration procedure of the demo catalogue (PRODUCT.md's real case). */
export const VEHICLE_REGISTRATION = 'ants-immatriculation-autres-demandes';
/** ANTS contact centre, one year (issue 14): 2 729 737 calls and 602 723 mails. */
export const ANTS_YEAR = { calls: 2_729_737, mails: 602_723 };
/** Seasonal weights of the months (January first): demo, not measured. */
const SEASON = [1.08, 1.02, 1.1, 1.0, 0.95, 1.0, 0.88, 0.72, 1.05, 1.1, 1.05, 1.05];

function unit(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32;
}

/** Splits `total` over the months in proportion to their weights, in whole numbers that add up exactly to `total`. */
export function splitByWeights(total: number, weights: number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const parts = weights.map((w) => Math.floor((total * w) / sum));
  parts[parts.length - 1] += total - parts.reduce((s, p) => s + p, 0);
  return parts;
}

/** The twelve months before the current one, oldest first, as 'YYYY-MM-01'. */
export function lastTwelveMonths(today: string, back = 0): string[] {
  const [y, m] = today.split('-').map(Number);
  const months: string[] = [];
  for (let k = 12 + back; k > back; k--) {
    const d = new Date(Date.UTC(y, m - 1 - k, 1));
    months.push(d.toISOString().slice(0, 10));
  }
  return months;
}

const ANTS_CHANNELS: Channel[] = [
  {
    kind: 'phone',
    label: 'Centre de contact de l’ANTS',
    value: '34 00',
    hours: 'Du lundi au vendredi, de 8 h à 18 h (données de démonstration)',
    price: 'Service gratuit + prix d’un appel',
  },
  { kind: 'contact_form', label: 'Formulaire de contact de l’ANTS', value: 'https://ants.gouv.fr/nous-contacter', hours: '', price: '' },
  { kind: 'faq', label: 'Questions fréquentes sur l’immatriculation', value: 'https://ants.gouv.fr/aide', hours: '', price: '' },
  {
    kind: 'in_person',
    label: 'Points numériques et France services',
    value:
      'Un médiateur numérique vous aide à faire la démarche en ligne, dans les points numériques des préfectures et les espaces France services.',
    hours: 'Selon le lieu',
    price: '',
  },
];

const CATALOGUE_KINDS: Record<string, ChannelKind> = {
  telephone: 'phone',
  courriel: 'email',
  formulaire: 'contact_form',
  chat: 'chat',
  guichet: 'in_person',
};

/**
 * Demo data of the support module (docs/support.md « Demo data »): the ANTS figures for vehicle registration (twelve
 * months adding up to 2 729 737 calls and 602 723 mails, the year before 8 % higher), its channels, the catalogue's help
 * channels of the other demo procedures copied as support channels, and a few hundred help points: 313 points
 * numériques in real prefecture and sub-prefecture communes, and France services in 250 real mid-sized communes. The
 * points' names, addresses, hours and accessibility are made up. Idempotent.
 */
export async function seedSupportDemo(db: Db, today = todayInParis()): Promise<void> {
  const { rows: ants } = await run(db, sql`SELECT id FROM procedures WHERE stable_id = ${VEHICLE_REGISTRATION}`);
  if (!ants[0]) return; // no demo catalogue
  const antsId = Number(ants[0].id);
  await db.transaction(async (tx) => {
    const { rows: existing } = await run(tx, sql`SELECT count(*) AS n FROM support_channels WHERE procedure_id = ${antsId}`);
    if (Number(existing[0].n) === 0) await saveChannels(tx, antsId, ANTS_CHANNELS, true);
    await copyCatalogueChannels(tx);
    await seedVolumes(tx, antsId, today);
  });
  await seedPoints(db);
}

async function copyCatalogueChannels(db: Queryable): Promise<void> {
  const { rows } = await run(
    db,
    sql`SELECT p.id, p.help_channels FROM procedures p
    WHERE p.is_demo AND jsonb_array_length(p.help_channels) > 0 AND NOT EXISTS (SELECT 1 FROM support_channels c WHERE c.procedure_id = p.id)`,
  );
  for (const r of rows) {
    const channels: Channel[] = [];
    for (const c of r.help_channels as { kind: string; label: string; value: string; hours: string }[]) {
      const kind = Object.hasOwn(CATALOGUE_KINDS, c.kind) ? CATALOGUE_KINDS[c.kind] : null;
      if (!kind || !c.value) continue;
      channels.push({
        kind,
        label: c.label ?? '',
        value: c.value,
        hours: c.hours ?? '',
        price: kind === 'phone' ? 'Service gratuit + prix d’un appel' : '',
      });
    }
    if (channels.length) await saveChannels(db, Number(r.id), channels, true);
  }
}

async function seedVolumes(db: Queryable, procedureId: number, today: string): Promise<void> {
  for (const [back, factor] of [
    [0, 1],
    [12, 1.08],
  ] as const) {
    const months = lastTwelveMonths(today, back);
    const weights = months.map((m) => SEASON[Number(m.slice(5, 7)) - 1]);
    const calls = splitByWeights(Math.round(ANTS_YEAR.calls * factor), weights);
    const mails = splitByWeights(Math.round(ANTS_YEAR.mails * factor), weights);
    for (const [i, month] of months.entries()) {
      const u = unit(`ants:${month}`);
      await upsertVolume(
        db,
        procedureId,
        {
          month,
          callsReceived: calls[i],
          callsAnswered: Math.round(calls[i] * (0.52 + 0.12 * u)),
          mailsReceived: mails[i],
          mailsAnswered: Math.round(mails[i] * (0.88 + 0.08 * u)),
          meanWaitSeconds: Math.round(420 + 480 * u),
        },
        true,
      );
    }
  }
}

const STREETS = [
  'rue de la République',
  'place de la Préfecture',
  'boulevard Gambetta',
  'rue Victor-Hugo',
  'avenue Jean-Jaurès',
  'rue Pasteur',
  'place du Général-de-Gaulle',
  'rue de la Mairie',
];
const ACCESS = [
  'Accès de plain-pied, boucle magnétique à l’accueil.',
  'Ascenseur, place de stationnement réservée devant l’entrée.',
  'Accès par une rampe, accueil en langue des signes sur rendez-vous.',
  'Entrée avec deux marches : sonnette à hauteur de fauteuil.',
];

interface DemoPoint {
  identifier: string;
  name: string;
  kind: string;
  address: string;
  postal_code: string;
  commune_code: string;
  commune_name: string;
  latitude: number;
  longitude: number;
  opening_hours: string;
  accessibility: string;
  phone: string;
  all_procedures: boolean;
}

function point(code: string, kind: 'point_numerique' | 'france_services', detail: string): DemoPoint | null {
  const c = communeByCode(code);
  if (!c) return null;
  const u = (k: string) => unit(`${kind}:${code}:${k}`);
  // A few hundred metres from the commune's centre, so that two points of one commune have distinct distances.
  const dLat = (u('lat') - 0.5) * 0.01;
  const dLon = (u('lon') - 0.5) * 0.014;
  return {
    identifier: `demo-${kind === 'point_numerique' ? 'pn' : 'fs'}-${code}`,
    name:
      kind === 'point_numerique'
        ? `Point numérique de la ${detail === 'prefecture' ? 'préfecture' : 'sous-préfecture'} de ${c.name}`
        : `France services ${c.name}`,
    kind,
    address: `${1 + Math.floor(u('n') * 40)} ${STREETS[Math.floor(u('s') * STREETS.length)]}`,
    postal_code: c.postalCodes[0] ?? '',
    commune_code: c.code,
    commune_name: c.name,
    latitude: Math.round((c.latitude + dLat) * 1e5) / 1e5,
    longitude: Math.round((c.longitude + dLon) * 1e5) / 1e5,
    opening_hours:
      kind === 'point_numerique'
        ? 'Du lundi au vendredi, de 9 h à 12 h et de 13 h 30 à 16 h 30'
        : 'Lundi, mardi, jeudi et vendredi, de 9 h à 12 h et de 14 h à 17 h ; mercredi matin',
    accessibility: ACCESS[Math.floor(u('a') * ACCESS.length)],
    phone: '',
    all_procedures: kind === 'france_services',
  };
}

/** Which communes get demo points: the list of src/support/demo/points-numeriques.tsv, and 250 communes of 5 000 to 40 000 inhabitants. */
export function demoPoints(): DemoPoint[] {
  const pn = readFileSync(new URL('./points-numeriques.tsv', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'));
  const points = pn.map(([code, type]) => point(code, 'point_numerique', type)).filter((p): p is DemoPoint => p !== null);
  const communes = parseCommunes(readFileSync(new URL('../geo/communes.tsv', import.meta.url), 'utf8'))
    .filter((c) => c.population >= 5000 && c.population <= 40000 && c.centre === 'c')
    .sort((a, b) => a.code.localeCompare(b.code));
  const step = communes.length / 250;
  for (let i = 0; i < 250 && Math.floor(i * step) < communes.length; i++) {
    const p = point(communes[Math.floor(i * step)].code, 'france_services', '');
    if (p) points.push(p);
  }
  return points;
}

async function seedPoints(db: Db): Promise<void> {
  const points = demoPoints();
  await db.transaction(async (tx) => {
    await run(
      tx,
      sql`INSERT INTO support_points (identifier, name, kind, address, postal_code, commune_code, commune_name, latitude, longitude, opening_hours, accessibility, phone, all_procedures, is_demo)
      SELECT identifier, name, kind, address, postal_code, commune_code, commune_name, latitude, longitude, opening_hours, accessibility, phone, all_procedures, true
        FROM jsonb_to_recordset(${JSON.stringify(points)}::jsonb) AS x(identifier text, name text, kind text, address text, postal_code text, commune_code text,
          commune_name text, latitude double precision, longitude double precision, opening_hours text, accessibility text, phone text, all_procedures boolean)
      ON CONFLICT (identifier) DO NOTHING`,
    );
    // The points numériques help with the ANTS procedures (vehicle registration, driving licences, identity papers).
    await run(
      tx,
      sql`INSERT INTO support_point_procedures (point_id, procedure_id)
      SELECT sp.id, p.id FROM support_points sp JOIN procedures p ON p.stable_id LIKE 'ants-%'
       WHERE sp.is_demo AND sp.kind = 'point_numerique' ON CONFLICT DO NOTHING`,
    );
  });
}
