/**
 * Verbatim themes benchmark (issue 15, « Verbatim themes »): themes of 50 000 verbatims (target < 10 s), and a
 * procedure's last 365 days through the cache (target p99 < 2 s), computed and then read from the cache, on PGlite.
 * Writes bench/results/themes.md. Run: `npm run bench -- bench/themes.bench.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findThemes, type ThemeText } from '../src/kernel/text/themes.ts';
import { formThemes } from '../src/feedback/analytics/themes.ts';
import { createTestApp } from '../test/helpers/app.ts';
import { createFeedbackFixture } from '../src/feedback/testing.ts';
import { todayInParis } from '../src/kernel/web/format.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Sentences of the kind users write at the end of the two procedures Vigie serves, mixed at random.
const OPENINGS = ['Franchement', 'Bonjour', 'Encore une fois', 'Depuis trois semaines', 'Honnêtement', 'Hier soir', 'Ce matin'];
const TOPICS = [
  ['le paiement par carte bancaire est refusé', 'la banque bloque le paiement de l’amende', 'erreur au moment de payer en ligne'],
  ['impossible de joindre un conseiller au téléphone', 'le numéro de téléphone sonne dans le vide', 'attente téléphonique interminable'],
  [
    'mon lecteur d’écran ne lit pas le formulaire',
    'les boutons ne sont pas accessibles au clavier',
    'le contraste est trop faible pour moi',
  ],
  [
    'le certificat d’immatriculation n’arrive pas',
    'mon dossier de carte grise est bloqué depuis un mois',
    'délai de traitement du dossier trop long',
  ],
  ['la connexion avec FranceConnect échoue', 'mon compte est bloqué après le mot de passe', 'identifiant refusé à la connexion'],
  ['le site est clair et rapide', 'démarche simple, bravo', 'tout s’est bien passé en ligne'],
];
const ENDINGS = [
  '',
  'merci de corriger',
  'c’est inadmissible',
  'j’ai dû aller en préfecture',
  'un point numérique m’a aidé',
  'très pénible',
];

function verbatims(n: number): ThemeText[] {
  let seed = 42;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  return Array.from({ length: n }, (_, i) => {
    const topic = pick(TOPICS);
    const text = [pick(OPENINGS), pick(topic), random() < 0.4 ? pick(pick(TOPICS)) : '', pick(ENDINGS)].filter(Boolean).join(', ') + '.';
    return { id: i + 1, text, month: `2026-${String(1 + (i % 12)).padStart(2, '0')}` };
  });
}

const ms = (started: number) => performance.now() - started;
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)];

export async function run(): Promise<void> {
  const lines = [
    `# Verbatim themes (issue 15)`,
    '',
    `${new Date().toISOString()}, Node ${process.version}, ${os.cpus()[0]?.model ?? ''}, ${os.cpus().length} cores, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
    '',
  ];

  lines.push('## Themes of n verbatims (findThemes, one thread)', '', '| verbatims | ms | themes | largest themes |', '|---|---|---|---|');
  for (const n of [5_000, 20_000, 50_000]) {
    const texts = verbatims(n);
    const started = performance.now();
    const result = findThemes(texts);
    const took = ms(started);
    lines.push(
      `| ${n} | ${took.toFixed(0)} | ${result.themes.length} | ${result.themes
        .slice(0, 3)
        .map((t) => `${t.size} « ${t.terms.slice(0, 3).join(', ')} »`)
        .join(' ; ')} |`,
    );
    console.log(lines.at(-1));
  }

  const t = await createTestApp('pglite');
  try {
    const f = await createFeedbackFixture(t.db, 'bench');
    const n = 20_000;
    const texts = verbatims(n).map((v) => v.text);
    const end = todayInParis();
    await t.db.query(
      `INSERT INTO feedback_reviews (form_id, form_version, button_id, procedure_id, nonce, day, verbatim)
       SELECT $1, 1, $2, $3, 'bench-' || i, $4::date - (i % 365), ($5::text[])[i]
         FROM generate_series(1, $6::int) i`,
      [f.formId, f.button.id, f.catalog.procedures[0], end, texts, n],
    );
    const window = { start: new Date(Date.parse(`${end}T00:00:00Z`) - 364 * 86_400_000).toISOString().slice(0, 10), end };
    const computed: number[] = [];
    for (let i = 0; i < 3; i++) {
      await t.db.query('DELETE FROM feedback_theme_cache');
      const started = performance.now();
      await formThemes(t.db, f.formId, window);
      computed.push(ms(started));
    }
    const cached: number[] = [];
    for (let i = 0; i < 100; i++) {
      const started = performance.now();
      const result = await formThemes(t.db, f.formId, window);
      if (result.fresh) throw new Error('expected the cache');
      cached.push(ms(started));
    }
    lines.push(
      '',
      `## A procedure's last 365 days (${n.toLocaleString('fr-FR')} verbatims, PGlite)`,
      '',
      '| reading | runs | median ms | p99 ms |',
      '|---|---|---|---|',
    );
    lines.push(`| computed (cache emptied) | 3 | ${percentile(computed, 50).toFixed(0)} | ${percentile(computed, 99).toFixed(0)} |`);
    lines.push(`| from the cache | 100 | ${percentile(cached, 50).toFixed(1)} | ${percentile(cached, 99).toFixed(1)} |`);
    console.log(lines.slice(-2).join('\n'));
  } finally {
    await t.close();
  }
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(path.join(ROOT, 'bench/results/themes.md'), lines.join('\n') + '\n');
}
