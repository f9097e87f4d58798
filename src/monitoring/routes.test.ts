import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { clientWithGrants } from '../../test/helpers/users.ts';
import { TestClient } from '../../test/helpers/client.ts';
import { createTestCatalog, type TestCatalog } from '../catalog/testing.ts';
import { loadMonitoringConfig } from '../kernel/config.ts';

// The fixture pages are on loopback: the tests allow it (MONITORING_ALLOWED_RANGES), as an internal deployment would.
const monitoring = loadMonitoringConfig({ MONITORING_ALLOWED_RANGES: '127.0.0.0/8' });

for (const target of TEST_TARGETS) {
  describe(`monitoring back-office and status page (${target})`, () => {
    let t: TestApp;
    let c: TestCatalog;
    before(async () => {
      t = await createTestApp(target, { config: { monitoring } });
      c = await createTestCatalog(t.db, { prefix: 'monr' });
      await t.db.query(`UPDATE procedures SET url = 'http://127.0.0.1:9/demarche', info_url = 'http://127.0.0.1:9/info' WHERE id = $1`, [
        c.procedures[0],
      ]);
    });
    after(() => t.close());

    const count = async (table: string) => Number((await t.db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n);

    test('an editor adds targets; private addresses are refused with a French message and nothing is written', async () => {
      const editor = await clientWithGrants(t.app, t.db, [{ role: 'procedure_editor', procedureId: c.procedures[0] }]);
      const page = await editor.get(`/surveillance/demarches/${c.procedures[0]}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Aucune page surveillée/);
      const url = `/surveillance/demarches/${c.procedures[0]}/cibles`;
      for (const bad of ['http://10.0.0.1/', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]/', 'ftp://exemple.fr/']) {
        const res = await editor.post(url, { url: bad, kind: 'start', interval: '5', expectedStatus: '200' });
        assert.equal(res.statusCode, 400, bad);
        assert.match(res.body, /ne peut pas être surveillée|http ou https/);
      }
      const badInterval = await editor.post(url, { url: 'http://127.0.0.1:9/x', kind: 'start', interval: '0' });
      assert.equal(badInterval.statusCode, 400);
      assert.match(badInterval.body, /Entre 1 et 1 440 minutes/);
      assert.equal(await count('monitoring_targets'), 0);
      const ok = await editor.post(url, {
        url: 'http://127.0.0.1:9/etape-2',
        kind: 'step',
        label: 'Étape 2',
        interval: '10',
        expectedStatus: '200',
        expectedText: 'Bienvenue',
      });
      assert.equal(ok.statusCode, 303);
      const { rows } = await t.db.query(`SELECT kind, interval_seconds, expected_text FROM monitoring_targets`);
      assert.deepEqual(rows, [{ kind: 'step', interval_seconds: 600, expected_text: 'Bienvenue' }]);
      // Bulk from the catalogue's URLs: the start page and the information page, default 5 minutes.
      assert.equal((await editor.post(`${url}/catalogue`)).statusCode, 303);
      const { rows: all } = await t.db.query(`SELECT kind, url, interval_seconds FROM monitoring_targets ORDER BY id`);
      assert.deepEqual(all.slice(1), [
        { kind: 'start', url: 'http://127.0.0.1:9/demarche', interval_seconds: 300 },
        { kind: 'step', url: 'http://127.0.0.1:9/info', interval_seconds: 300 },
      ]);
      const { rows: journal } = await t.db.query(`SELECT action FROM audit_log WHERE action LIKE 'monitoring.%' ORDER BY id`);
      assert.deepEqual(
        journal.map((r) => r.action),
        ['monitoring.target.create', 'monitoring.targets.from_catalog'],
      );
      // Maintenance: end before start refused; a weekly one accepted.
      const m = `/surveillance/demarches/${c.procedures[0]}/maintenances`;
      const wrong = await editor.post(m, { startsAt: '2026-07-01T10:00', endsAt: '2026-07-01T09:00', recurrence: 'none' });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /La fin doit suivre le début/);
      assert.equal(
        (await editor.post(m, { startsAt: '2026-07-01T22:00', endsAt: '2026-07-01T23:30', recurrence: 'weekly', label: 'Mise à jour' }))
          .statusCode,
        303,
      );
      const { rows: w } = await t.db.query(`SELECT starts_at FROM monitoring_maintenance`);
      // 22:00 in Paris in July (UTC+2) is 20:00 UTC.
      assert.equal(new Date(w[0].starts_at).toISOString(), '2026-07-01T20:00:00.000Z');
    });

    test('a reader sees the page without forms; out of scope is refused', async () => {
      const reader = await clientWithGrants(t.app, t.db, [{ role: 'procedure_reader', procedureId: c.procedures[0] }]);
      // The catalogue's procedure page (same read scope) links to it.
      const catalogue = await reader.get(`/catalogue/demarches/${c.procedures[0]}`);
      assert.equal(catalogue.statusCode, 200);
      assert.ok(
        catalogue.body.includes(`<a class="fr-link" href="/surveillance/demarches/${c.procedures[0]}">Surveillance de la démarche`),
      );
      const page = await reader.get(`/surveillance/demarches/${c.procedures[0]}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Étape 2/);
      assert.doesNotMatch(page.body, /Ajouter une page à surveiller/);
      assert.equal(
        (await reader.post(`/surveillance/demarches/${c.procedures[0]}/cibles`, { url: 'http://127.0.0.1:9/y', kind: 'start' })).statusCode,
        403,
      );
      assert.equal((await reader.get(`/surveillance/demarches/${c.procedures[1]}`)).statusCode, 403);
    });

    test('scans shown to the team: non-conforming criteria, à vérifier, declaration mention; analysis on demand', async () => {
      const editor = await clientWithGrants(t.app, t.db, [{ role: 'procedure_editor', procedureId: c.procedures[0] }]);
      const { rows } = await t.db.query(`SELECT id, url FROM monitoring_targets WHERE procedure_id = $1 ORDER BY id LIMIT 1`, [
        c.procedures[0],
      ]);
      const scan = await t.db.query(
        `INSERT INTO monitoring_scans (target_id, procedure_id, page_url, location, declaration_mention, declared_rate, finding_count) VALUES ($1, $2, $3, 'paris', 'partiellement', 75.5, 3) RETURNING id`,
        [rows[0].id, c.procedures[0], rows[0].url],
      );
      await t.db.query(
        `INSERT INTO monitoring_scan_findings (scan_id, criterion, tests, verdict, rule_id, message, elements) VALUES
           ($1, '11.1', '{11.1.1}', 'non-conforme', 'label', 'Champ sans étiquette', '[]'), ($1, '1.1', '{1.1.1}', 'non-conforme', 'image-alt', 'Image sans alternative', '[]'),
           ($1, '3.2', '{3.2.1}', 'a-verifier', 'color-contrast', 'Contraste', '[]')`,
        [scan.rows[0].id],
      );
      const page = await editor.get(`/surveillance/demarches/${c.procedures[0]}`);
      assert.match(page.body, /<td>1\.1, 11\.1<\/td><td>1<\/td>/);
      assert.match(page.body, /partiellement conforme \(taux déclaré 75,5 %\)/);
      assert.match(page.body, /Vigie ne détient pas de déclaration publiée pour cette démarche/);
      // The declaration Vigie holds says « totalement conforme », 100 %: the page's mention and rate differ.
      const published = {
        conformity: { label: 'totalement_conforme' },
        results: { rate: 100, exactRate: 100 },
        establishment: { establishedOn: '2026-03-03', updatedOn: '2026-03-03' },
      };
      await t.db.query(
        `INSERT INTO accessibility_declarations (procedure_id, published, published_at, first_published_at) VALUES ($1, $2, now(), now())`,
        [c.procedures[0], JSON.stringify(published)],
      );
      const compared = await editor.get(`/surveillance/demarches/${c.procedures[0]}`);
      assert.ok(
        compared.body.includes(
          `<strong>Écart avec la déclaration de Vigie</strong> sur ${rows[0].url} : statut « partiellement conforme » sur la page, « totalement conforme » dans Vigie ; taux « 75,5 % » sur la page, « 100 % » dans Vigie.`,
        ),
      );
      assert.match(
        compared.body,
        /Déclaration publiée dans Vigie : « Accessibilité : totalement conforme », taux 100 %, établie le 03\/03\/2026/,
      );
      await t.db.query(`DELETE FROM accessibility_declarations WHERE procedure_id = $1`, [c.procedures[0]]);
      assert.equal((await editor.post(`/surveillance/demarches/${c.procedures[0]}/analyses`)).statusCode, 303);
      const { rows: requested } = await t.db.query(`SELECT count(*)::int AS n FROM monitoring_targets WHERE scan_requested`);
      assert.equal(requested[0].n, 3);
    });

    test('public status page: uptime by period, 90 daily bars with their table, incidents', async () => {
      const { rows } = await t.db.query(`SELECT id FROM monitoring_targets ORDER BY id LIMIT 1`);
      const now = Date.now();
      await t.db.query(`UPDATE monitoring_targets SET monitored_since = $1`, [new Date(now - 10 * 86_400_000)]);
      // No maintenance (the first test's weekly one is removed), one incident of 1 h 12 min three days ago: over
      // 7 days, 72 min of 10 080 are down.
      await t.db.query(`DELETE FROM monitoring_maintenance`);
      await t.db.query(`INSERT INTO monitoring_incidents (target_id, started_at, ended_at, cause) VALUES ($1, $2, $3, '5xx')`, [
        rows[0].id,
        new Date(now - 3 * 86_400_000),
        new Date(now - 3 * 86_400_000 + 72 * 60_000),
      ]);
      const page = await new TestClient(t.app).get(`/disponibilite/${c.procedureStableIds[0]}`);
      assert.equal(page.statusCode, 200);
      assert.equal((page.body.match(/<rect /g) ?? []).length, 90);
      assert.match(page.body, /Tableau jour par jour/);
      assert.match(page.body, /Erreur du serveur \(5xx\)/);
      assert.match(page.body, /1 h 12 min/);
      const expected7d = (((10080 - 72) / 10080) * 100).toLocaleString('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      assert.ok(page.body.includes(`${expected7d} %`), `7 days: ${expected7d}`);
      assert.doesNotMatch(page.body, /<script(?![^>]*src=)/, 'no inline script');
      assert.equal((await new TestClient(t.app).get('/disponibilite/inconnu')).statusCode, 404);
    });
  });
}
