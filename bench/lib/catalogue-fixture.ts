import type { Db } from '../../src/kernel/db/db.ts';
import { SESSION_COOKIE, createSession } from '../../src/kernel/auth/session.ts';

/**
 * Tops the catalogue up to `count` procedures (whatever the demo data already holds) and opens a session for a
 * steering admin; returns the Cookie header that signs a client in as that admin.
 */
export async function prepareCatalogue(db: Db, count: number): Promise<{ cookie: string; procedures: number }> {
  return db.transaction(async (tx) => {
    const { rows: existing } = await tx.query<{ n: number }>('SELECT count(*)::bigint AS n FROM procedures');
    const missing = Math.max(0, count - existing[0].n);
    if (missing > 0) {
      const { rows: ministries } = await tx.query<{ id: number }>(
        `INSERT INTO ministries (code, name, short_name) VALUES ('BENCH', 'Ministère du banc d’essai', 'Banc') RETURNING id`,
      );
      const administrationIds: number[] = [];
      for (let a = 1; a <= 10; a++) {
        const { rows } = await tx.query<{ id: number }>(
          `INSERT INTO administrations (ministry_id, code, name) VALUES ($1, $2, $3) RETURNING id`,
          [ministries[0].id, `BENCH-${a}`, `Direction d’essai n° ${a}`],
        );
        administrationIds.push(rows[0].id);
      }
      await tx.query(
        `INSERT INTO procedures (stable_id, slug, title, description, administration_id, url, volume_total, volume_online, online_status, in_scope)
         SELECT 'BENCH-' || i, 'demarche-essai-' || i, 'Démarche d’essai n° ' || i, 'Démarche créée par le banc d’essai.',
                ($1::bigint[])[1 + (i % 10)], 'https://exemple.gouv.fr/demarche-' || i, 1000 * i, 700 * i,
                (ARRAY['oui', 'partiel', 'non'])[1 + (i % 3)], true
           FROM generate_series(1, $2::int) AS i`,
        [administrationIds, missing],
      );
    }
    const { rows: users } = await tx.query<{ id: number }>(
      `INSERT INTO users (email, display_name, email_verified_at) VALUES ('banc-essai@vigie.test', 'Banc d’essai', now())
       ON CONFLICT (lower(email)) DO UPDATE SET display_name = EXCLUDED.display_name RETURNING id`,
    );
    await tx.query(`DELETE FROM grants WHERE user_id = $1`, [users[0].id]);
    await tx.query(`INSERT INTO grants (user_id, role) VALUES ($1, 'admin')`, [users[0].id]);
    const token = await createSession(tx, users[0].id, 'bench');
    const { rows: total } = await tx.query<{ n: number }>('SELECT count(*)::bigint AS n FROM procedures');
    return { cookie: `${SESSION_COOKIE}=${token}`, procedures: total[0].n };
  });
}
