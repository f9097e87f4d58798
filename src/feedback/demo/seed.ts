import type { Db } from '../../kernel/db/db.ts';
import { DEFAULT_SETTINGS } from '../forms/settings.ts';

const VERBATIMS = [
  'Démarche simple et rapide, merci.',
  'Le délai de traitement est beaucoup trop long.',
  'Impossible de joindre quelqu’un au téléphone.',
  'Les explications sont claires, le formulaire aussi.',
  'Le site plante au moment de joindre les pièces justificatives.',
  'Très bon accueil au guichet, conseillère à l’écoute.',
  'Je ne comprends pas pourquoi on me redemande des documents déjà fournis.',
  'Rien à redire, tout s’est bien passé.',
];

/**
 * Demo feedback: a form and a button on the demo procedures in scope, with reviews spread over the last 400 days,
 * inserted in bulk and rolled up in SQL (the same rollup rows the questionnaire maintains). Idempotent.
 */
export async function seedFeedbackDemo(db: Db, procedureCount = 60): Promise<void> {
  await db.transaction(async (tx) => {
    const { rows: done } = await tx.query('SELECT 1 FROM feedback_forms WHERE is_demo LIMIT 1');
    if (done.length) return;
    await tx.query('SELECT setseed(0.42)');
    const { rows: forms } = await tx.query<{ id: number; procedure_id: number }>(
      `INSERT INTO feedback_forms (procedure_id, template, name, published_version, is_demo)
       SELECT id, 'default', 'Avis en fin de démarche', 1, true FROM procedures
        WHERE is_demo AND archived_at IS NULL ORDER BY in_scope DESC, volume_total DESC NULLS LAST, id LIMIT $1
       RETURNING id, procedure_id`,
      [procedureCount],
    );
    if (!forms.length) return;
    const formIds = forms.map((f) => Number(f.id));
    await tx.query(
      `INSERT INTO feedback_form_versions (form_id, version, settings, status, published_at)
       SELECT id, 1, $2, 'published', now() - interval '420 days' FROM unnest($1::bigint[]) AS id`,
      [formIds, JSON.stringify(DEFAULT_SETTINGS)],
    );
    await tx.query(
      `INSERT INTO feedback_buttons (form_id, public_key, name, placement)
       SELECT id, 'demo-' || id, 'Page de confirmation', 'après l’envoi du dossier' FROM unnest($1::bigint[]) AS id`,
      [formIds],
    );
    // Each procedure gets its own quality (q) and volume; the first few stay under the 100-review minimum.
    await tx.query(
      `CREATE TEMP TABLE demo_reviews ON COMMIT DROP AS
       SELECT r.*, random() AS u1, random() AS u2, random() AS u3, random() AS u4
         FROM (SELECT f.id AS form_id, b.id AS button_id, f.procedure_id, 0.35 + 0.6 * random() AS q, g.n
                 FROM feedback_forms f JOIN feedback_buttons b ON b.form_id = f.id,
                      LATERAL generate_series(1, CASE WHEN f.id % 10 = 0 THEN 40 ELSE 150 + (f.id * 37) % 450 END) AS g(n)
                WHERE f.id = ANY($1::bigint[])) r`,
      [formIds],
    );
    await tx.query(
      `INSERT INTO feedback_reviews (form_id, form_version, button_id, procedure_id, nonce, day, created_at, verbatim)
       SELECT form_id, 1, button_id, procedure_id, 'demo-' || form_id || '-' || n, d, d + interval '12 hours',
              CASE WHEN u4 < 0.15 THEN ($1::text[])[1 + floor(u4 / 0.15 * 8)::int] END
         FROM (SELECT *, current_date - floor(u3 * 400)::int AS d FROM demo_reviews) x`,
      [VERBATIMS],
    );
    await tx.query(
      `INSERT INTO feedback_answers (day, review_id, question, sub, option_id)
       SELECT r.day, r.id, 'satisfaction', '', CASE WHEN d.u1 < d.q * 0.8 THEN 'good' WHEN d.u1 < d.q THEN 'medium' ELSE 'bad' END
         FROM feedback_reviews r JOIN demo_reviews d ON r.nonce = 'demo-' || d.form_id || '-' || d.n
       UNION ALL
       SELECT r.day, r.id, 'clarity', '', (ARRAY['very_bad','bad','medium','good','very_good'])[1 + least(4, floor(d.u2 * d.q * 6.5))::int]
         FROM feedback_reviews r JOIN demo_reviews d ON r.nonce = 'demo-' || d.form_id || '-' || d.n WHERE d.u2 < 0.7
       UNION ALL
       SELECT r.day, r.id, 'help_tried', '', CASE WHEN d.u2 < 0.3 THEN 'none' ELSE 'phone' END
         FROM feedback_reviews r JOIN demo_reviews d ON r.nonce = 'demo-' || d.form_id || '-' || d.n WHERE d.u2 < 0.55
       UNION ALL
       SELECT r.day, r.id, 'help_reached', 'phone', CASE WHEN d.u1 < d.q THEN 'yes' ELSE 'no' END
         FROM feedback_reviews r JOIN demo_reviews d ON r.nonce = 'demo-' || d.form_id || '-' || d.n WHERE d.u2 >= 0.3 AND d.u2 < 0.55
       UNION ALL
       SELECT r.day, r.id, 'help_quality', 'phone', (ARRAY['very_bad','bad','medium','good','excellent'])[1 + least(4, floor(d.u3 * d.q * 6.5))::int]
         FROM feedback_reviews r JOIN demo_reviews d ON r.nonce = 'demo-' || d.form_id || '-' || d.n WHERE d.u2 >= 0.3 AND d.u2 < 0.55 AND d.u1 < d.q`,
    );
    await rebuildRollups(tx, formIds);
  });
}

/** Recomputes the rollups of some forms from their answers (demo data, repairs). */
export async function rebuildRollups(tx: { query: Db['query'] }, formIds: number[]): Promise<void> {
  await tx.query('DELETE FROM feedback_rollups WHERE form_id = ANY($1::bigint[])', [formIds]);
  await tx.query(
    `INSERT INTO feedback_rollups (procedure_id, form_id, button_id, day, question, option_id, count)
     SELECT r.procedure_id, r.form_id, r.button_id, r.day, x.question, x.option_id, count(*)
       FROM feedback_reviews r
       CROSS JOIN LATERAL (
         SELECT a.question, a.option_id FROM feedback_answers a WHERE a.day = r.day AND a.review_id = r.id
         UNION ALL SELECT '_review', 'all'
         UNION ALL SELECT '_verbatim', 'yes' WHERE r.verbatim IS NOT NULL
         UNION ALL SELECT 'help_tried', '_answered' WHERE EXISTS (SELECT 1 FROM feedback_answers h WHERE h.day = r.day AND h.review_id = r.id AND h.question = 'help_tried')
       ) x
      WHERE r.form_id = ANY($1::bigint[]) AND r.deleted_at IS NULL
      GROUP BY 1, 2, 3, 4, 5, 6`,
    [formIds],
  );
}
