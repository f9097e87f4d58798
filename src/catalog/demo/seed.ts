import { createHash } from 'node:crypto';
import type { Db } from '../../kernel/db/db.ts';
import { DEMO_ADMINISTRATIONS, DEMO_MINISTRIES } from './organisations.ts';
import { DEMO_PROCEDURES } from './procedures.ts';
import { USER_CATEGORIES, type HelpChannel } from '../model.ts';

const SITES: Record<string, string> = {
  ants: 'https://ants.gouv.fr',
  antai: 'https://www.antai.gouv.fr',
  dgef: 'https://administration-etrangers-en-france.interieur.gouv.fr',
  dgfip: 'https://www.impots.gouv.fr',
  dgddi: 'https://www.douane.gouv.fr',
  'france-travail': 'https://www.francetravail.fr',
  cnaf: 'https://www.caf.fr',
  cnam: 'https://www.ameli.fr',
  cnav: 'https://www.lassuranceretraite.fr',
  urssaf: 'https://www.urssaf.fr',
  crous: 'https://www.messervices.etudiant.gouv.fr',
  dfae: 'https://france-visas.gouv.fr',
  inpi: 'https://procedures.inpi.fr',
};

/** A stable pseudo-random number in [0, 1) per procedure: the demo is the same on every machine. */
function unit(seed: string): number {
  return createHash('sha256').update(seed).digest().readUInt32BE(0) / 2 ** 32;
}

function onlineVolume(stableId: string, total: number, status: string): number {
  const r = unit(stableId);
  const share = { oui: 0.8 + r * 0.18, partiel: 0.3 + r * 0.4, en_cours: r * 0.1, non: 0, proactive: 1 }[status] ?? 0;
  return Math.round(total * share);
}

const PUBLICS: Record<string, (typeof USER_CATEGORIES)[number]> = {
  p: 'particuliers',
  e: 'professionnels',
  a: 'associations',
  c: 'collectivites',
};
const FRANCECONNECT: Record<string, string> = { fc: 'franceconnect', 'fc+': 'franceconnect_plus', non: 'non', na: 'non_applicable' };

/** The demo procedures as rows ready for the database; exported for the tests that check their consistency. */
export function demoProcedureRows() {
  const administrations = new Map(DEMO_ADMINISTRATIONS.map((a) => [a.code, a]));
  return DEMO_PROCEDURES.map(([administration, suffix, title, volume, publics, online, fc]) => {
    const stableId = `${administration}-${suffix}`;
    const help: HelpChannel[] = administrations
      .get(administration)!
      .help.map(([kind, label, value, hours]) => ({ kind: kind as HelpChannel['kind'], label, value, hours }));
    const site = SITES[administration];
    return {
      stable_id: stableId,
      slug: stableId,
      title,
      description: '',
      administration_code: administration,
      url: site && online !== 'non' ? site : null,
      info_url: `https://www.service-public.fr/particuliers/recherche?keyword=${encodeURIComponent(title.slice(0, 60))}`,
      user_categories: [...publics].map((p) => PUBLICS[p]),
      volume_total: volume,
      volume_online: onlineVolume(stableId, volume, online),
      online_status: online,
      franceconnect: FRANCECONNECT[fc],
      // The « Top 250 » follows the most used procedures; the smallest stay in the catalogue only.
      in_scope: volume >= 20000,
      help_channels: help,
    };
  });
}

/**
 * Loads the demo catalogue in one transaction. Idempotent: what exists (same code or stable id) is left as it is,
 * so that running it again, or after edits, changes nothing.
 */
export async function seedCatalogDemo(db: Db): Promise<{ ministries: number; administrations: number; procedures: number }> {
  return db.transaction(async (tx) => {
    const ministries = await tx.query(
      `INSERT INTO ministries (code, name, short_name, is_demo)
       SELECT code, name, "shortName", true FROM jsonb_to_recordset($1::jsonb) AS r(code text, name text, "shortName" text)
       ON CONFLICT (code) DO NOTHING`,
      [JSON.stringify(DEMO_MINISTRIES)],
    );
    const administrations = await tx.query(
      `INSERT INTO administrations (ministry_id, code, name, kind, is_demo)
       SELECT m.id, r.code, r.name, r.kind, true
         FROM jsonb_to_recordset($1::jsonb) AS r(code text, ministry text, name text, kind text) JOIN ministries m ON m.code = r.ministry
       ON CONFLICT (code) DO NOTHING`,
      [JSON.stringify(DEMO_ADMINISTRATIONS.map(({ help, ...a }) => a))],
    );
    const procedures = await tx.query(
      `INSERT INTO procedures (stable_id, slug, title, description, administration_id, url, info_url, user_categories, volume_total,
         volume_online, online_status, franceconnect, in_scope, help_channels, is_demo)
       SELECT r.stable_id, r.slug, r.title, r.description, a.id, r.url, r.info_url, r.user_categories, r.volume_total,
         r.volume_online, r.online_status, r.franceconnect, r.in_scope, r.help_channels, true
         FROM jsonb_to_recordset($1::jsonb) AS r(stable_id text, slug text, title text, description text, administration_code text,
           url text, info_url text, user_categories text[], volume_total bigint, volume_online bigint, online_status text,
           franceconnect text, in_scope boolean, help_channels jsonb)
         JOIN administrations a ON a.code = r.administration_code
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(demoProcedureRows())],
    );
    return { ministries: ministries.rowCount, administrations: administrations.rowCount, procedures: procedures.rowCount };
  });
}
