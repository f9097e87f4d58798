import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.ts';

const base = { VIGIE_DATA_DIR: '.test-cache/config', SESSION_SECRET: 'un-secret-de-test-assez-long' };

test('a valid environment gives the configuration, with its defaults', () => {
  const config = loadConfig({ ...base, PORT: '8080', TRUST_PROXY: 'true', VIGIE_DEMO: 'false', FEEDBACK_RATE_LIMIT: '120' });
  assert.equal(config.port, 8080);
  assert.equal(config.publicUrl, 'http://localhost:8080');
  assert.equal(config.trustProxy, true);
  assert.equal(config.seedDemo, false);
  assert.equal(config.runJobs, true);
  assert.equal(config.feedbackRateLimit, 120);
  assert.equal(loadConfig(base).feedbackRateLimit, 30);
  // The public version is read every second; an hour under the test runner; or as set.
  assert.equal(loadConfig(base).publicCacheCheckMs, 1000);
  assert.equal(loadConfig({ ...base, NODE_ENV: 'test' }).publicCacheCheckMs, 3_600_000);
  assert.equal(loadConfig({ ...base, VIGIE_CACHE_CHECK_MS: '250' }).publicCacheCheckMs, 250);
  // The monitoring module's variables are read here too (docs/monitoring.md: defaults 2, 2, 90 days, 10 s, 14 days, 60 pages, 30 s).
  assert.deepEqual(loadConfig(base).monitoring, {
    allowedRanges: '',
    openAfter: 2,
    closeAfter: 2,
    rawDays: 90,
    timeoutMs: 10_000,
    certWarningDays: 14,
    serverLocation: null,
    scanPagesPerHour: 60,
    scanPageTimeoutMs: 30_000,
  });
  const set = loadConfig({
    ...base,
    MONITORING_ALLOWED_RANGES: '10.20.0.0/16',
    MONITORING_RAW_DAYS: '30',
    MONITORING_SERVER_LOCATION: 'paris',
    MONITORING_SCAN_PAGES_PER_HOUR: '0',
  }).monitoring;
  assert.deepEqual([set.allowedRanges, set.rawDays, set.serverLocation, set.scanPagesPerHour], ['10.20.0.0/16', 30, 'paris', 0]);
});

test('a wrong monitoring variable stops the start, named', () => {
  assert.throws(() => loadConfig({ ...base, MONITORING_TIMEOUT_MS: '50' }), /MONITORING_TIMEOUT_MS : entre 100 et 120000/);
  assert.throws(
    () => loadConfig({ ...base, MONITORING_SERVER_LOCATION: 'Paris Nord' }),
    /MONITORING_SERVER_LOCATION : un nom en minuscules/,
  );
});

test('a wrong value stops the start with a message naming each variable, in French and English', () => {
  assert.throws(
    () => loadConfig({ ...base, PORT: 'trois-mille' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /PORT : un numéro de port est attendu \(0 à 65535\) \/ expected a port number/);
      return true;
    },
  );
  assert.throws(() => loadConfig({ ...base, PORT: '70000' }), /PORT/);
  assert.throws(
    () => loadConfig({ ...base, VIGIE_CACHE_CHECK_MS: 'une seconde' }),
    /VIGIE_CACHE_CHECK_MS : un nombre entier positif de millisecondes est attendu/,
  );
  assert.throws(
    () =>
      loadConfig({
        ...base,
        PUBLIC_URL: 'vigie.gouv.fr',
        VIGIE_JOBS: 'peut-être',
        DATABASE_URL: 'mysql://x',
        LOG_LEVEL: 'bavard',
        FEEDBACK_RATE_LIMIT: '0',
      }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(
        error.problems.map((p) => p.split(' ')[0]),
        ['DATABASE_URL', 'PUBLIC_URL', 'LOG_LEVEL', 'VIGIE_JOBS', 'FEEDBACK_RATE_LIMIT'],
      );
      return true;
    },
  );
});
