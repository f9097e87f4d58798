/**
 * Experiences benchmark (issue 14): 1 million stories over 2 000 procedures (200 administrations, 20 ministries).
 * Targets: a procedure's public page p99 < 50 ms, search p99 < 100 ms, the answer-delay figures of every administration
 * < 1 s. Requests go through the real server (app.inject: routing, access, rendering). PostgreSQL when
 * TEST_DATABASE_URL is set, else PGlite; EXPERIENCES_N changes the number of stories.
 * Writes bench/results/experiences.md. Run: `TEST_DATABASE_URL=… npm run bench -- bench/experiences.bench.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestApp } from '../test/helpers/app.ts';
import { delayFigures } from '../src/experiences/delays.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ms = (started: number) => performance.now() - started;
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)];

const PHRASES = [
  'Je n’ai pas réussi à finir la démarche seul',
  'le site refusait mon justificatif de domicile',
  'mon lecteur d’écran ne lit pas le bouton valider',
  'impossible de joindre le centre de contact au téléphone',
  'le point numérique de la préfecture m’a aidé',
  'le paiement par carte a été refusé trois fois',
  'j’ai attendu trois semaines sans nouvelle',
  'la démarche en ligne était simple et rapide',
  'le captcha est impossible à passer au clavier',
  'France services m’a accompagné pour tout remplir',
  'le courrier de confirmation n’est jamais arrivé',
  'mon dossier est bloqué en cours d’instruction',
];

export async function run(): Promise<void> {
  const engine = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';
  const n = Number(process.env.EXPERIENCES_N ?? 1_000_000);
  const procedures = 2_000;
  const t = await createTestApp(engine);
  const lines = [
    `# Experiences (issue 14)`,
    '',
    `${new Date().toISOString()}, ${engine}, Node ${process.version}, ${os.cpus()[0]?.model ?? ''}, ${os.cpus().length} cores, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
    '',
  ];
  try {
    let started = performance.now();
    await t.db.query(`INSERT INTO ministries (code, name) SELECT 'bench-m-' || i, 'Ministère ' || i FROM generate_series(1, 20) i`);
    await t.db.query(`INSERT INTO administrations (ministry_id, code, name) SELECT m.id, 'bench-a-' || i, 'Administration ' || i
      FROM generate_series(1, 200) i JOIN ministries m ON m.code = 'bench-m-' || (1 + i % 20)`);
    await t.db.query(
      `INSERT INTO procedures (stable_id, slug, title, administration_id) SELECT 'bench-p-' || i, 'bench-p-' || i, 'Démarche ' || i, a.id
      FROM generate_series(1, $1::int) i JOIN administrations a ON a.code = 'bench-a-' || (1 + i % 200)`,
      [procedures],
    );
    // A bulk load, as a restore would do it: the trigram index takes its rows in a pending list, merged by the VACUUM below.
    await t.db.query('ALTER INDEX experiences_search SET (fastupdate = on)');
    const batch = 100_000;
    for (let from = 0; from < n; from += batch) {
      // Stories spread over two years; 95 % moderated (3 % refused), 97 % with consent, 60 % of the published answered
      // after 0 to 20 days; bodies of two or three phrases. g picks the procedure, k (g / 2000) the story's facts, so
      // that every procedure gets the same mix.
      await t.db.query(
        `WITH s AS (
           SELECT g, g / ${procedures} AS k, p.id AS procedure_id, p.administration_id, a.ministry_id,
                  (ARRAY[$3::text[]])[1][1 + (g * 7) % 12] || ', ' || (ARRAY[$3::text[]])[1][1 + (g * 13) % 12] || CASE WHEN g % 3 = 0 THEN ', ' || (ARRAY[$3::text[]])[1][1 + (g * 5) % 12] ELSE '' END || ' (récit ' || g || ').' AS body,
                  now() - make_interval(mins => (g * 1051) % (730 * 1440)) AS created
             FROM generate_series($1::int, $2::int) g
             JOIN procedures p ON p.stable_id = 'bench-p-' || (1 + g % ${procedures})
             JOIN administrations a ON a.id = p.administration_id
         )
         INSERT INTO experiences (procedure_id, administration_id, ministry_id, body, search, channels, feeling, solved, consent, accessibility, status,
                                  refusal_reason, created_at, published_at, target_days, due_at, first_answer_at)
         SELECT procedure_id, administration_id, ministry_id, body, search_text(body),
                (ARRAY[ARRAY['en_ligne','telephone'], ARRAY['en_ligne','guichet'], ARRAY['telephone','courrier'], ARRAY['en_ligne','autre']])[1 + k % 4][1:1 + k % 2],
                (ARRAY['tres_mal','plutot_mal','neutre','plutot_bien','tres_bien'])[1 + k % 5], k % 4 = 0, k % 33 <> 0, k % 9 = 0,
                CASE WHEN k % 20 = 0 THEN 'received' WHEN k % 33 = 1 THEN 'refused' WHEN k % 5 < 3 THEN 'answered' ELSE 'published' END,
                CASE WHEN k % 20 <> 0 AND k % 33 = 1 THEN 'hors_sujet' END,
                created, CASE WHEN k % 20 <> 0 AND k % 33 <> 1 THEN created + interval '12 hours' END, 7,
                CASE WHEN k % 20 <> 0 AND k % 33 <> 1 THEN created + interval '12 hours' + interval '7 days' END,
                CASE WHEN k % 20 <> 0 AND k % 33 <> 1 AND k % 5 < 3 THEN created + interval '12 hours' + make_interval(hours => (g * 37) % (20 * 24)) END
           FROM s`,
        [from + 1, Math.min(n, from + batch), PHRASES],
      );
    }
    // As autovacuum would: the visibility map lets the delay figures read their index alone.
    await t.db.query('VACUUM ANALYZE experiences');
    await t.db.query('ALTER INDEX experiences_search SET (fastupdate = off)');
    const load = ms(started);
    const count = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM experiences')).rows[0].n;
    lines.push(`${count.toLocaleString('fr-FR')} stories over ${procedures} procedures, loaded in ${(load / 1000).toFixed(0)} s.`, '');
    console.log(lines.at(-2));

    const { rows: procs } = await t.db.query<{ id: number; administration_id: number }>(
      `SELECT id, administration_id FROM procedures WHERE stable_id LIKE 'bench-p-%'`,
    );
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
    async function measure(label: string, urls: () => string, runs: number): Promise<void> {
      for (let i = 0; i < 20; i++) await t.app.inject(urls()); // warm-up
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const url = urls();
        started = performance.now();
        const res = await t.app.inject(url);
        times.push(ms(started));
        if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
      }
      lines.push(`| ${label} | ${runs} | ${percentile(times, 50).toFixed(1)} | ${percentile(times, 99).toFixed(1)} |`);
      console.log(lines.at(-1));
    }
    lines.push('| request (through the server) | runs | median ms | p99 ms |', '|---|---|---|---|');
    await measure('procedure public page, page 1', () => `/temoignages/demarches/${pick(procs).id}`, 300);
    const deep = Math.max(2, Math.min(10, Math.floor(n / procedures / 20 / 2)));
    await measure(`procedure public page, page ${deep}`, () => `/temoignages/demarches/${pick(procs).id}?page=${deep}`, 300);
    await measure(
      'procedure page, filters channel + feeling + answered',
      () => `/temoignages/demarches/${pick(procs).id}?canal=telephone&ressenti=tres_mal&reponse=oui`,
      300,
    );
    await measure('search in a procedure (« ecran »)', () => `/temoignages/demarches/${pick(procs).id}?q=ecran`, 300);
    await measure('search in a procedure, no match (« introuvable »)', () => `/temoignages/demarches/${pick(procs).id}?q=introuvable`, 300);
    await measure(
      'search in an administration (« prefecture »)',
      () => `/temoignages/administrations/${pick(procs).administration_id}?q=prefecture`,
      200,
    );
    const figures: number[] = [];
    let administrations = 0;
    for (let i = 0; i < 5; i++) {
      started = performance.now();
      administrations = (await delayFigures(t.db)).length;
      figures.push(ms(started));
    }
    lines.push(
      `| delay figures of every administration (${administrations}), delayFigures() | 5 | ${percentile(figures, 50).toFixed(0)} | ${percentile(figures, 99).toFixed(0)} |`,
    );
    console.log(lines.at(-1));
    await measure('/temoignages/delais (figures page)', () => '/temoignages/delais', 5);
    lines.push(
      '',
      `Load average at the end: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}.`,
    );
    // The plan of the figures (the same SQL as delayFigures, all administrations): it should read the covering index alone.
    const { rows: plan } = await t.db.query(
      `EXPLAIN (ANALYZE, BUFFERS) SELECT e.administration_id, count(*), count(e.first_answer_at),
         percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM e.first_answer_at - e.published_at) / 86400) FILTER (WHERE e.first_answer_at IS NOT NULL),
         count(*) FILTER (WHERE e.first_answer_at IS NOT NULL AND e.first_answer_at <= e.due_at),
         count(*) FILTER (WHERE e.first_answer_at IS NOT NULL OR e.due_at < now()),
         count(*) FILTER (WHERE e.first_answer_at IS NULL AND e.status = 'published' AND e.due_at < now())
       FROM experiences e WHERE e.published_at IS NOT NULL AND e.status <> 'refused' GROUP BY e.administration_id`,
    );
    lines.push('', '```', ...plan.map((r) => String(Object.values(r)[0])), '```');
    console.log(lines.slice(-12).join('\n'));
    // The plans of a procedure's page: its 20 ids from the list index (index-only), its total from the counters.
    const proc = procs[0].id;
    const { rows: pagePlan } = await t.db.query(
      `EXPLAIN (ANALYZE, BUFFERS) WITH page AS (SELECT e.id FROM experiences e WHERE e.published_at IS NOT NULL AND e.status <> 'refused' AND e.consent
         AND e.procedure_id = $1 AND 'telephone' = ANY(e.channels) AND e.feeling = 'tres_mal' ORDER BY e.published_at DESC, e.id DESC LIMIT 20 OFFSET 20)
       SELECT e.id, e.body FROM experiences e WHERE e.id IN (SELECT id FROM page) ORDER BY e.published_at DESC, e.id DESC`,
      [proc],
    );
    const { rows: countPlan } = await t.db.query(
      `EXPLAIN (ANALYZE, BUFFERS) SELECT coalesce(sum(c.stories), 0) FROM experience_public_counts c WHERE c.procedure_id = $1`,
      [proc],
    );
    const admin = procs[0].administration_id;
    const { rows: searchPlan } = await t.db.query(
      `EXPLAIN (ANALYZE, BUFFERS) SELECT count(*) FROM (SELECT 1 FROM experiences e WHERE e.published_at IS NOT NULL AND e.status <> 'refused' AND e.consent
         AND e.administration_id = $1 AND e.search LIKE '%ecran%' LIMIT 5001) x`,
      [admin],
    );
    const { rows: procSearchPlan } = await t.db.query(
      `EXPLAIN (ANALYZE, BUFFERS) SELECT count(*) FROM (SELECT 1 FROM (SELECT e.search FROM experiences e WHERE e.published_at IS NOT NULL AND e.status <> 'refused' AND e.consent
         AND e.procedure_id = $1 OFFSET 0) e WHERE e.search LIKE '%ecran%' LIMIT 5001) x`,
      [proc],
    );
    for (const [title, p] of [
      ['A procedure page (filtered: channel + feeling), page 2', pagePlan],
      ['Its total, from the counters', countPlan],
      ["A search in a procedure (capped count, the procedure's stories first)", procSearchPlan],
      ['A search in an administration (capped count)', searchPlan],
    ] as const) {
      lines.push('', title + ':', '', '```', ...p.map((r) => String(Object.values(r)[0])), '```');
    }
  } finally {
    await t.close();
  }
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(path.join(ROOT, 'bench/results/experiences.md'), lines.join('\n') + '\n');
}
