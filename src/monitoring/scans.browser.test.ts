import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestDb, TEST_TARGETS, type TestDb } from '../../test/helpers/db.ts';
import { startFixtureServer, type FixtureServer } from './testing-server.ts';
import { BrowserScanner } from './scanner/scanner.ts';
import { scanChanges, scanFindingsReader, ScanWorker } from './scans.ts';
import { createTestCatalog, type TestCatalog } from '../catalog/testing.ts';

for (const target of TEST_TARGETS) {
  describe(`scans saved, compared and read by the audits' interface (${target})`, () => {
    let db: TestDb;
    let c: TestCatalog;
    let f: FixtureServer;
    let worker: ScanWorker;
    before(async () => {
      db = await openTestDb(target);
      c = await createTestCatalog(db, { prefix: 'scan' });
      f = await startFixtureServer();
      worker = new ScanWorker(db, new BrowserScanner({ pageTimeoutMs: 5000, allowedRanges: '127.0.0.0/8' }), 'paris', 60);
    });
    after(async () => {
      await worker.stop();
      await f.close();
      await db.destroy();
    });

    test('a scan: findings by RGAA criterion, declaration mention, page load; the next scan says what was fixed', async () => {
      await db.query(`INSERT INTO monitoring_targets (procedure_id, kind, url) VALUES ($1, 'start', $2)`, [
        c.procedures[0],
        `${f.url}/a11y`,
      ]);
      const first = await worker.once(new Date('2026-06-01T10:00:00Z'));
      assert.ok(first);
      assert.equal(await worker.once(new Date('2026-06-01T11:00:00Z')), null, 'scanned daily: nothing due an hour later');
      const { rows } = await db.query(
        `SELECT declaration_mention, declaration_link, error, finding_count FROM monitoring_scans WHERE id = $1`,
        [first],
      );
      assert.equal(rows[0].error, null);
      assert.equal(rows[0].declaration_mention, 'non');
      assert.equal(rows[0].declaration_link, `${f.url}/declaration`);
      const reader = scanFindingsReader(db);
      const latest = await reader.latestScans(c.procedures[0]);
      assert.equal(latest.length, 1);
      assert.equal(latest[0].pageUrl, `${f.url}/a11y`);
      const findings = await reader.findings(first!);
      const image = findings.find((x) => x.ruleId === 'image-alt')!;
      assert.equal(image.criterion, '1.1');
      assert.equal(image.verdict, 'non-conforme');
      assert.match(image.elements[0].html, /<img/);
      assert.ok(findings.some((x) => x.ruleId === 'label' && x.criterion === '11.1'));
      const { rows: loads } = await db.query(`SELECT load_ms, error FROM monitoring_page_loads`);
      assert.equal(loads.length, 1);
      assert.ok(loads[0].load_ms >= 0 && loads[0].error === null);
      // The team fixes the image; on demand (or a day later) the next scan says so.
      f.state.altFixed = true;
      await db.query(`UPDATE monitoring_targets SET scan_requested = true`);
      const second = await worker.once(new Date('2026-06-01T12:00:00Z'));
      const changes = await scanChanges(db, second!);
      assert.deepEqual(changes.fixed, ['image-alt 1.1 non-conforme']);
      assert.deepEqual(changes.added, []);
    });
  });
}
