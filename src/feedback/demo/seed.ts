import { createHash } from 'node:crypto';
import type { Db } from '../../kernel/db/db.ts';
import { todayInParis } from '../backoffice/window.ts';
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

/** A stable pseudo-random number in [0, 1) per key: the demo's profiles are the same on every machine. */
function unit(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * What the review generator is given for one procedure: probabilities, never results. The figures on screen are
 * computed by the product from the reviews drawn with them.
 */
export interface ReviewProfile {
  /** Reviews a year. */
  perYear: number;
  /** Satisfaction: chance of « Très bien » and of « Pas bien » (the rest is « Moyen »), at the end of the period. */
  good: number;
  bad: number;
  /** How much `good` grew in a year (older reviews are drawn with less): editions move from one to the next. */
  trend: number;
  /** Chance that the information was found hard (« pas clair » or « pas clair du tout »). */
  hard: number;
  /** Among reviews that answer the help question, the chance of having needed help. */
  needHelp: number;
  /** Chance of reaching the administration on a channel tried. */
  reach: number;
  /** Quality of the help received, 0 (poor) to 1 (excellent). */
  helpQuality: number;
  /**
   * A défi's changes going live (improvement module's demo): from the launch day (`demoLaunch`), these amounts are added
   * to the chances above. Still probabilities: the effect the défi page shows is computed from the reviews drawn.
   */
  step?: { good: number; bad: number; hard: number; needHelp: number };
}

/**
 * The launch day of the demo's défis: the first day of the current quarter (Paris), so that the published demo
 * editions (closed quarters) keep the documented figures and the after window is the current quarter.
 */
export function demoLaunch(today = todayInParis()): string {
  const [y, m] = today.split('-').map(Number) as [number, number];
  return `${y}-${String(Math.floor((m - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
}

/**
 * The two real cases Vigie serves (PRODUCT.md): vehicle registration, of ~4 000 respondents 51 % satisfied, 34 %
 * negative, one third found it hard, 53 % needed help; fines payment, a mass procedure that works.
 */
export const REAL_CASES: Record<string, ReviewProfile> = {
  'ants-immatriculation-autres-demandes': {
    perYear: 4000,
    good: 0.51,
    bad: 0.34,
    trend: 0.01,
    hard: 0.33,
    needHelp: 0.53,
    reach: 0.55,
    helpQuality: 0.45,
    step: { good: 0.14, bad: -0.12, hard: -0.12, needHelp: -0.12 },
  },
  'dgfip-paiement-amendes': {
    perYear: 600,
    good: 0.8,
    bad: 0.07,
    trend: 0.02,
    hard: 0.12,
    needHelp: 0.18,
    reach: 0.88,
    helpQuality: 0.8,
    step: { good: 0.04, bad: -0.03, hard: -0.06, needHelp: -0.08 },
  },
};

/** The profile of a demo procedure: the real cases as documented, the others drawn from their stable id. */
export function reviewProfile(stableId: string, rank: number): ReviewProfile {
  const real = REAL_CASES[stableId];
  if (real) return real;
  const u = (k: string) => unit(`${stableId}:${k}`);
  const good = 0.35 + 0.55 * u('good');
  return {
    // One procedure in ten stays under the observatoire's minimum of 100 reviews a window.
    perYear: rank % 10 === 9 ? 60 : Math.round(80 + 150 * u('volume')),
    good,
    bad: (1 - good) * (0.25 + 0.5 * u('bad')),
    trend: (u('trend') - 0.35) * 0.2,
    hard: 0.05 + 0.4 * (1 - good) * u('hard') + 0.1 * u('hard2'),
    needHelp: 0.15 + 0.5 * u('help'),
    reach: 0.5 + 0.48 * u('reach'),
    helpQuality: 0.3 + 0.65 * u('quality'),
  };
}

export interface DemoSpan {
  /** First and last day of the reviews, YYYY-MM-DD. */
  start: string;
  end: string;
}

function lastDays(days: number): DemoSpan {
  const end = todayInParis();
  return { start: new Date(Date.parse(`${end}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10), end };
}

/**
 * Demo feedback: a form and a button on the demo procedures in scope, with reviews drawn day by day over `span` from
 * each procedure's profile, inserted in bulk and rolled up in SQL (the same rollup rows the questionnaire maintains).
 * Idempotent.
 */
export async function seedFeedbackDemo(db: Db, procedureCount = 60, span: DemoSpan = lastDays(400)): Promise<void> {
  await db.transaction(async (tx) => {
    const { rows: done } = await tx.query('SELECT 1 FROM feedback_forms WHERE is_demo LIMIT 1');
    if (done.length) return;
    await tx.query('SELECT setseed(0.42)');
    const { rows: forms } = await tx.query<{ id: number; procedure_id: number; stable_id: string }>(
      `INSERT INTO feedback_forms (procedure_id, template, name, published_version, is_demo)
       SELECT id, 'default', 'Avis en fin de démarche', 1, true FROM procedures
        WHERE is_demo AND archived_at IS NULL ORDER BY in_scope DESC, volume_total DESC NULLS LAST, id LIMIT $1
       RETURNING id, procedure_id, (SELECT stable_id FROM procedures p WHERE p.id = procedure_id) AS stable_id`,
      [procedureCount],
    );
    if (!forms.length) return;
    forms.sort((a, b) => Number(a.id) - Number(b.id));
    const formIds = forms.map((f) => Number(f.id));
    await tx.query(
      `INSERT INTO feedback_form_versions (form_id, version, settings, status, published_at)
       SELECT id, 1, $2, 'published', $3::date - interval '20 days' FROM unnest($1::bigint[]) AS id`,
      [formIds, JSON.stringify(DEFAULT_SETTINGS), span.start],
    );
    await tx.query(
      `INSERT INTO feedback_buttons (form_id, public_key, name, placement)
       SELECT id, 'demo-' || id, 'Page de confirmation', 'après l’envoi du dossier' FROM unnest($1::bigint[]) AS id`,
      [formIds],
    );
    const profiles = forms.map((f, i) => reviewProfile(f.stable_id, i));
    const column = (k: Exclude<keyof ReviewProfile, 'step'>) => profiles.map((p) => p[k]);
    const step = (k: keyof NonNullable<ReviewProfile['step']>) => profiles.map((p) => p.step?.[k] ?? 0);
    await tx.query(
      `CREATE TEMP TABLE demo_profiles ON COMMIT DROP AS
       SELECT f.id AS form_id, b.id AS button_id, f.procedure_id, u.per_year, u.good, u.bad, u.trend, u.hard, u.need_help, u.reach, u.help_quality,
              u.step_good, u.step_bad, u.step_hard, u.step_need, $14::date AS step_day
         FROM unnest($1::bigint[], $2::float8[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::float8[],
                     $10::float8[], $11::float8[], $12::float8[], $13::float8[])
           AS u(form_id, per_year, good, bad, trend, hard, need_help, reach, help_quality, step_good, step_bad, step_hard, step_need)
         JOIN feedback_forms f ON f.id = u.form_id JOIN feedback_buttons b ON b.form_id = f.id`,
      [
        formIds,
        column('perYear'),
        column('good'),
        column('bad'),
        column('trend'),
        column('hard'),
        column('needHelp'),
        column('reach'),
        column('helpQuality'),
        step('good'),
        step('bad'),
        step('hard'),
        step('needHelp'),
        demoLaunch(span.end),
      ],
    );
    // One row per review: its day, and its chances of the day (older reviews drawn with the profile `trend` years back).
    await tx.query(
      `CREATE TEMP TABLE demo_reviews ON COMMIT DROP AS
       SELECT y.*, greatest(0.02, least(0.98, y.good - y.trend * y.years + CASE WHEN y.day >= y.step_day THEN y.step_good ELSE 0 END)) AS g,
              greatest(0.0, least(0.98, y.bad + 0.6 * y.trend * y.years + CASE WHEN y.day >= y.step_day THEN y.step_bad ELSE 0 END)) AS b,
              greatest(0.01, y.hard + CASE WHEN y.day >= y.step_day THEN y.step_hard ELSE 0 END) AS hard_now,
              greatest(0.01, y.need_help + CASE WHEN y.day >= y.step_day THEN y.step_need ELSE 0 END) AS need_now
         FROM (SELECT x.*, 'demo-' || x.form_id || '-' || x.n AS nonce, ($2::date - x.day) / 365.0 AS years
                 FROM (SELECT p.*, g.n, $1::date + floor(random() * ($2::date - $1::date + 1))::int AS day,
                              random() AS u_sat, random() AS u_clarity, random() AS u_clear, random() AS u_help, random() AS u_need, random() AS u_verbatim
                         FROM demo_profiles p
                         CROSS JOIN LATERAL generate_series(1, round(p.per_year * ($2::date - $1::date + 1) / 365.0)::int) AS g(n)) x) y`,
      [span.start, span.end],
    );
    await tx.query(
      `INSERT INTO feedback_reviews (form_id, form_version, button_id, procedure_id, nonce, day, created_at, verbatim)
       SELECT form_id, 1, button_id, procedure_id, nonce, day, day + interval '12 hours',
              CASE WHEN u_verbatim < 0.15 THEN ($1::text[])[1 + floor(u_verbatim / 0.15 * 8)::int] END
         FROM demo_reviews ORDER BY day, form_id, n`,
      [VERBATIMS],
    );
    await tx.query(
      `CREATE TEMP TABLE demo_answered ON COMMIT DROP AS
       SELECT r.id, d.* FROM feedback_reviews r JOIN demo_reviews d ON d.nonce = r.nonce`,
    );
    // Help: 60 % answer the question; those who needed help tick a channel of the administration, sometimes more.
    await tx.query(
      `CREATE TEMP TABLE demo_ticks ON COMMIT DROP AS
       SELECT a.id, a.day, a.reach, a.help_quality, c.channel
         FROM demo_answered a
         CROSS JOIN LATERAL (
           SELECT CASE WHEN a.u_need < a.need_now * 0.6 THEN 'phone' WHEN a.u_need < a.need_now * 0.85 THEN 'email' ELSE 'counter' END
           UNION ALL SELECT 'websites' WHERE a.u_help < 0.18
           UNION ALL SELECT 'relative' WHERE a.u_help > 0.48) c(channel)
        WHERE a.u_help < 0.6 AND a.u_need < a.need_now`,
    );
    await tx.query(
      `CREATE TEMP TABLE demo_reached ON COMMIT DROP AS
       SELECT id, day, channel, help_quality, random() < reach AS yes, random() AS u_quality
         FROM demo_ticks WHERE channel IN ('phone', 'email', 'counter')`,
    );
    await tx.query(
      // In day order: consecutive rows go to the same monthly partition and the same index pages.
      `INSERT INTO feedback_answers (day, review_id, question, sub, option_id)
       SELECT * FROM (
       SELECT day, id, 'satisfaction', '', CASE WHEN u_sat < g THEN 'good' WHEN u_sat >= 1 - b THEN 'bad' ELSE 'medium' END
         FROM demo_answered
       UNION ALL
       SELECT day, id, 'clarity', '',
              CASE WHEN u_clear < hard_now * 0.4 THEN 'very_bad' WHEN u_clear < hard_now THEN 'bad' WHEN u_clear < hard_now * 1.6 THEN 'medium'
                   WHEN u_clear < hard_now * 1.6 + (1 - hard_now * 1.6) * 0.35 THEN 'good' ELSE 'very_good' END
         FROM demo_answered WHERE u_clarity < 0.75
       UNION ALL
       SELECT day, id, 'help_tried', '', 'none' FROM demo_answered WHERE u_help < 0.6 AND u_need >= need_now
       UNION ALL
       SELECT day, id, 'help_tried', '', channel FROM demo_ticks
       UNION ALL
       SELECT day, id, 'help_reached', channel, CASE WHEN yes THEN 'yes' ELSE 'no' END FROM demo_reached
       UNION ALL
       SELECT day, id, 'help_quality', channel,
              CASE WHEN u_quality < (1 - help_quality) * 0.2 THEN 'very_bad' WHEN u_quality < (1 - help_quality) * 0.5 THEN 'bad'
                   WHEN u_quality < (1 - help_quality) * 0.5 + 0.2 THEN 'medium'
                   WHEN u_quality < (1 - help_quality) * 0.5 + 0.2 + (0.8 - (1 - help_quality) * 0.5) * 0.55 THEN 'good' ELSE 'excellent' END
         FROM demo_reached WHERE yes) a (day, review_id, question, sub, option_id)
       ORDER BY day, review_id`,
    );
    await rebuildRollups(tx, formIds);
  });
}

/** Recomputes the rollups of some forms from their answers (demo data, repairs): plain joins, one aggregation, rows in key order. */
export async function rebuildRollups(tx: { query: Db['query'] }, formIds: number[]): Promise<void> {
  await tx.query('DELETE FROM feedback_rollups WHERE form_id = ANY($1::bigint[])', [formIds]);
  await tx.query(
    `WITH r AS (SELECT id, procedure_id, form_id, button_id, day, verbatim FROM feedback_reviews WHERE form_id = ANY($1::bigint[]) AND deleted_at IS NULL)
     INSERT INTO feedback_rollups (procedure_id, form_id, button_id, day, question, option_id, count)
     SELECT procedure_id, form_id, button_id, day, question, option_id, count(*)
       FROM (SELECT r.procedure_id, r.form_id, r.button_id, r.day, a.question, a.option_id
               FROM r JOIN feedback_answers a ON a.day = r.day AND a.review_id = r.id
             UNION ALL SELECT procedure_id, form_id, button_id, day, '_review', 'all' FROM r
             UNION ALL SELECT procedure_id, form_id, button_id, day, '_verbatim', 'yes' FROM r WHERE verbatim IS NOT NULL
             UNION ALL SELECT r.procedure_id, r.form_id, r.button_id, r.day, 'help_tried', '_answered' FROM r
              WHERE EXISTS (SELECT 1 FROM feedback_answers h WHERE h.day = r.day AND h.review_id = r.id AND h.question = 'help_tried')) x
      GROUP BY 1, 2, 3, 4, 5, 6
      ORDER BY form_id, day, button_id, question, option_id`,
    [formIds],
  );
}
