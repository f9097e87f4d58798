/**
 * Test support for every module: the one catalogue fixture, written with SQL (the catalogue's seed is not needed).
 * Users and sign-in: test/helpers/users.ts. Tests only.
 */
import type { Queryable } from '../kernel/db/db.ts';

/** Two ministries, each with one administration, and their procedures (ids in creation order). */
export interface TestCatalog {
  ministries: [number, number];
  administrations: [number, number];
  procedures: number[];
  procedureStableIds: string[];
}

export interface TestCatalogOptions {
  /** Starts every code and stable id: two catalogues in one database need two prefixes. */
  prefix?: string;
  /** How many procedures (default 2). */
  procedures?: number;
  /**
   * A varied population for lists, filters and scorecards instead of two plain procedures: every procedure in scope,
   * with a URL; procedure i belongs to the first administration when i is even, else to the second; public
   * « particuliers » when i is even, else « professionnels »; not online when i is a multiple of 4; without
   * FranceConnect when i is a multiple of 5; title « Démarche n° 000i », « écologique » added when i is a multiple of 3.
   * The ministries are then « Ministère de l'Écologie » (Direction des routes) and « Ministère de la Santé » (Caisse
   * de santé), codes `<prefix>M1`, `<prefix>A1`…, stable ids `<prefix>-i`.
   */
  varied?: boolean;
}

/**
 * The catalogue a test needs: by default two ministries (« Ministère de test 1 » and « 2 »), each with one
 * administration (« Administration de test n ») and one procedure (« Démarche de test n », stable id `<prefix>-proc-n`)
 * — enough to test in and out of scope; with `procedures`, procedure i sits in administration 1 when i is odd, else 2.
 */
export async function createTestCatalog(db: Queryable, options: TestCatalogOptions = {}): Promise<TestCatalog> {
  const { procedures: count = 2, varied = false } = options;
  const p = options.prefix ?? (varied ? 'T' : 't');
  const names = varied
    ? [
        ["Ministère de l'Écologie", 'Direction des routes'],
        ['Ministère de la Santé', 'Caisse de santé'],
      ]
    : [
        ['Ministère de test 1', 'Administration de test 1'],
        ['Ministère de test 2', 'Administration de test 2'],
      ];
  const ministries: number[] = [];
  const administrations: number[] = [];
  for (const n of [1, 2]) {
    const [ministry, administration] = names[n - 1];
    const m = await db.query<{ id: number }>('INSERT INTO ministries (code, name) VALUES ($1, $2) RETURNING id', [
      varied ? `${p}M${n}` : `${p}-min-${n}`,
      ministry,
    ]);
    ministries.push(Number(m.rows[0].id));
  }
  for (const n of [1, 2]) {
    const a = await db.query<{ id: number }>('INSERT INTO administrations (ministry_id, code, name) VALUES ($1, $2, $3) RETURNING id', [
      ministries[n - 1],
      varied ? `${p}A${n}` : `${p}-adm-${n}`,
      names[n - 1][1],
    ]);
    administrations.push(Number(a.rows[0].id));
  }
  const { rows } = varied
    ? await db.query<{ id: number; stable_id: string }>(
        `INSERT INTO procedures (stable_id, slug, title, administration_id, url, user_categories, online_status, franceconnect, in_scope)
         SELECT $1 || '-' || i, lower($1) || '-demarche-' || i, 'Démarche n° ' || lpad(i::text, 4, '0') || CASE WHEN i % 3 = 0 THEN ' écologique' ELSE '' END,
                CASE WHEN i % 2 = 0 THEN $2::bigint ELSE $3::bigint END, 'https://exemple.gouv.fr/' || i,
                CASE WHEN i % 2 = 0 THEN ARRAY['particuliers'] ELSE ARRAY['professionnels'] END,
                CASE WHEN i % 4 = 0 THEN 'non' ELSE 'oui' END, CASE WHEN i % 5 = 0 THEN 'non' ELSE 'franceconnect' END, true
           FROM generate_series(1, $4::int) i ORDER BY i RETURNING id, stable_id`,
        [p, administrations[0], administrations[1], count],
      )
    : await db.query<{ id: number; stable_id: string }>(
        `INSERT INTO procedures (stable_id, slug, title, administration_id)
         SELECT $1 || '-proc-' || i, $1 || '-proc-' || i, 'Démarche de test ' || i, CASE WHEN i % 2 = 1 THEN $2::bigint ELSE $3::bigint END
           FROM generate_series(1, $4::int) i ORDER BY i RETURNING id, stable_id`,
        [p, administrations[0], administrations[1], count],
      );
  return {
    ministries: ministries as [number, number],
    administrations: administrations as [number, number],
    procedures: rows.map((r) => Number(r.id)),
    procedureStableIds: rows.map((r) => r.stable_id),
  };
}

export async function procedureId(db: Queryable, stableId: string): Promise<number> {
  const { rows } = await db.query<{ id: number }>('SELECT id FROM procedures WHERE stable_id = $1', [stableId]);
  if (!rows[0]) throw new Error(`no procedure ${stableId}`);
  return rows[0].id;
}

export async function auditCount(db: Queryable): Promise<number> {
  return (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log')).rows[0].n;
}
