import type { Queryable } from '../kernel/db/db.ts';
import { draftFromRules, indicatorField, levelField } from './rules/form.ts';
import type { RuleSet } from './rules/model.ts';

/** Test data made with SQL (the catalogue's own seed is not needed): ministries, administrations, procedures in scope. */
export interface Fixture {
  ministries: number[];
  administrations: number[];
  procedures: number[];
}

export async function makeCatalog(db: Queryable, count: number, prefix = 'T'): Promise<Fixture> {
  const m1 = await db.query(`INSERT INTO ministries (code, name) VALUES ($1, 'Ministère de l''Écologie') RETURNING id`, [`${prefix}M1`]);
  const m2 = await db.query(`INSERT INTO ministries (code, name) VALUES ($1, 'Ministère de la Santé') RETURNING id`, [`${prefix}M2`]);
  const ministries = [Number(m1.rows[0].id), Number(m2.rows[0].id)];
  const a1 = await db.query(`INSERT INTO administrations (ministry_id, code, name) VALUES ($1, $2, 'Direction des routes') RETURNING id`, [ministries[0], `${prefix}A1`]);
  const a2 = await db.query(`INSERT INTO administrations (ministry_id, code, name) VALUES ($1, $2, 'Caisse de santé') RETURNING id`, [ministries[1], `${prefix}A2`]);
  const administrations = [Number(a1.rows[0].id), Number(a2.rows[0].id)];
  const { rows } = await db.query(
    `INSERT INTO procedures (stable_id, slug, title, administration_id, url, user_categories, online_status, franceconnect, in_scope)
     SELECT $1 || '-' || i, lower($1) || '-demarche-' || i, 'Démarche n° ' || lpad(i::text, 4, '0') || CASE WHEN i % 3 = 0 THEN ' écologique' ELSE '' END,
            CASE WHEN i % 2 = 0 THEN $2::bigint ELSE $3::bigint END, 'https://exemple.gouv.fr/' || i,
            CASE WHEN i % 2 = 0 THEN ARRAY['particuliers'] ELSE ARRAY['professionnels'] END,
            CASE WHEN i % 4 = 0 THEN 'non' ELSE 'oui' END, CASE WHEN i % 5 = 0 THEN 'non' ELSE 'franceconnect' END, true
       FROM generate_series(1, $4::int) i ORDER BY i RETURNING id`,
    [prefix, administrations[0], administrations[1], count],
  );
  return { ministries, administrations, procedures: rows.map((r) => Number(r.id)) };
}

/** Sets live values for an indicator: `values[i]` goes to procedure i. */
export async function setLiveValues(db: Queryable, procedureIds: number[], indicator: string, values: (string | number)[]): Promise<void> {
  await db.query(
    `INSERT INTO obs_live_values (procedure_id, indicator, value) SELECT unnest($1::bigint[]), $2, unnest($3::text[])
     ON CONFLICT (procedure_id, indicator) DO UPDATE SET value = excluded.value`,
    [procedureIds.slice(0, values.length), indicator, values.map(String)],
  );
}

/** The rules editor's form as a browser would send it for these rules (what the page shows, unchanged). */
export function rulesForm(rules: RuleSet): Record<string, string> {
  const body: Record<string, string> = {};
  for (const [slug, d] of Object.entries(draftFromRules(rules).indicators)) {
    if (d.min) body[indicatorField(slug, 'min')] = d.min;
    if (d.max) body[indicatorField(slug, 'max')] = d.max;
    if (d.informative) body[indicatorField(slug, 'informative')] = 'oui';
    d.levels.forEach((l, i) => {
      body[levelField(slug, i, 'label')] = l.label;
      body[levelField(slug, i, 'colour')] = l.colour;
      if (l.goal) body[levelField(slug, i, 'goal')] = 'oui';
      if (l.from) body[levelField(slug, i, 'from')] = l.from;
      if (l.values) body[levelField(slug, i, 'values')] = l.values;
    });
  }
  for (const [k, v] of Object.entries(rules.grayLabels)) body[`gray.${k}`] = v;
  return body;
}
