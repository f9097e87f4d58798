import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { createTestUser, sessionClient } from '../../test/helpers/users.ts';
import { createTestCatalog, type TestCatalog } from '../catalog/testing.ts';
import { parsePeriod, storyThemes } from './story-themes.ts';

// Three topics written by hand, six stories each, sharing no content word across topics.
const APPOINTMENT = [
  'Aucun rendez-vous disponible en préfecture avant trois mois.',
  'Le site de prise de rendez-vous en préfecture est toujours complet.',
  'J’ai cherché un rendez-vous en préfecture pendant des semaines.',
  'Rendez-vous annulé par la préfecture la veille, sans explication.',
  'Impossible d’obtenir un rendez-vous : la préfecture ne propose aucun créneau.',
  'Créneaux de rendez-vous en préfecture introuvables depuis janvier.',
];
const PASSWORD = [
  'Mon mot de passe est refusé à chaque connexion.',
  'Le lien pour changer le mot de passe ne marche pas.',
  'Bloqué à la connexion : mot de passe oublié, courriel jamais reçu.',
  'La connexion échoue alors que le mot de passe est juste.',
  'Compte verrouillé après trois erreurs de mot de passe à la connexion.',
  'Réinitialiser le mot de passe est impossible, la connexion reste bloquée.',
];
const DOCUMENTS = [
  'Le justificatif de domicile scanné est rejeté sans raison.',
  'Mes pièces justificatives ont été refusées deux fois.',
  'Le téléversement du justificatif échoue, fichier trop lourd.',
  'On me redemande un justificatif déjà envoyé.',
  'Justificatif refusé : photo jugée illisible alors qu’elle est nette.',
  'Le dossier bloque sur les pièces justificatives à téléverser.',
];

for (const target of TEST_TARGETS) {
  describe(`défis: themes of a procedure's stories for its team (${target})`, () => {
    let t: TestApp;
    let c: TestCatalog;
    const topicOf = new Map<number, string>();
    before(async () => {
      t = await createTestApp(target);
      c = await createTestCatalog(t.db, { prefix: 'recits' });
      const insert = async (body: string, publishedAt: string | null, consent = true) =>
        Number(
          (
            await t.db.query<{ id: number }>(
              `INSERT INTO experiences (procedure_id, administration_id, ministry_id, body, search, channels, feeling, solved, consent, status, published_at, due_at)
           SELECT p.id, p.administration_id, a.ministry_id, $2, lower($2), '{en_ligne}', 'plutot_mal', false, $4, 'published', $3::timestamptz, now() + interval '7 days'
             FROM procedures p JOIN administrations a ON a.id = p.administration_id WHERE p.id = $1 RETURNING id`,
              [c.procedures[0], body, publishedAt, consent],
            )
          ).rows[0].id,
        );
      for (const [name, list] of [
        ['appointment', APPOINTMENT],
        ['password', PASSWORD],
        ['documents', DOCUMENTS],
      ] as const) {
        for (const [i, body] of list.entries()) topicOf.set(await insert(body, `2026-${i % 2 ? '10' : '11'}-1${i}T10:00:00Z`), name);
      }
      // Not read: a story without the author's consent, one not published, and one outside the period.
      await insert('Rendez-vous en préfecture introuvable, mot de passe refusé, justificatif rejeté.', '2026-10-20T10:00:00Z', false);
      await insert('Rendez-vous en préfecture introuvable.', null);
      await insert('Rendez-vous en préfecture introuvable.', '2025-01-10T10:00:00Z');
    });
    after(async () => t.close());

    test('the three hand-written topics come out as three themes of six stories, examples from their own topic', async () => {
      const result = await storyThemes(t.db, c.procedures[0], { start: '2026-01-01', end: '2026-12-31' });
      assert.equal(result.stories, 18);
      assert.equal(result.unthemed, 0);
      assert.equal(result.themes.length, 3);
      for (const theme of result.themes) {
        assert.equal(theme.size, 6);
        assert.equal(theme.examples.length, 3);
        assert.equal(new Set(theme.examples.map((e) => topicOf.get(e.id))).size, 1, `examples of « ${theme.terms.join(', ')} » mix topics`);
        // Six stories: three published in October, three in November.
        assert.deepEqual(theme.byMonth, [
          { month: '2026-10', count: 3 },
          { month: '2026-11', count: 3 },
        ]);
      }
      const labels = result.themes.map((theme) => theme.terms.join(' '));
      for (const word of ['prefecture', 'passe', 'justificati'])
        assert.ok(
          labels.some((l) => l.includes(word)),
          `${word} labels a theme: ${labels.join(' | ')}`,
        );
    });

    test('the page, for the procedure’s team only: counts, examples linked to the public stories, counts per month; a bad period falls back', async () => {
      const reader = await sessionClient(
        t.app,
        t.db,
        await createTestUser(t.db, 'lecteur-recits@exemple.gouv.fr', [{ role: 'procedure_reader', procedureId: c.procedures[0] }]),
      );
      const outsider = await sessionClient(
        t.app,
        t.db,
        await createTestUser(t.db, 'autre-recits@exemple.gouv.fr', [{ role: 'procedure_reader', procedureId: c.procedures[1] }]),
      );
      const url = `/defis/demarches/${c.procedures[0]}/themes-des-recits?debut=2026-01-01&fin=2026-12-31`;
      const res = await reader.get(url);
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /18\srécits publiés,\s*18\srécits regroupés en 3\sthèmes/);
      assert.equal((res.body.match(/<h2 id="theme-\d">/g) ?? []).length, 3);
      assert.equal((res.body.match(/6\srécits \(33\s%\sdes récits regroupés\)/g) ?? []).length, 3);
      assert.match(res.body, /<a href="\/temoignages\/\d+">Récit publié le/);
      assert.match(res.body, /<th scope="col">oct\. 2026<\/th><th scope="col">nov\. 2026<\/th><th scope="col">Total<\/th>/);
      assert.doesNotMatch(res.body, /mot de passe refusé, justificatif rejeté/, 'a story without consent is never shown');
      assert.equal((await outsider.get(url)).statusCode, 403);
      const bad = await reader.get(`/defis/demarches/${c.procedures[0]}/themes-des-recits?debut=2026-12-31&fin=2026-01-01`);
      assert.equal(bad.statusCode, 200);
      assert.match(bad.body, /Période invalide/);
      assert.deepEqual(parsePeriod({}, '2026-12-31').window, { start: '2026-01-01', end: '2026-12-31' });
      assert.equal(parsePeriod({ debut: '2026-02-30', fin: '2026-03-01' }).error !== null, true);
    });
  });
}
