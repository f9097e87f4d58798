import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { getRoutePatterns, routeMatcher } from './route-patterns.ts';

test('route patterns are read from the server and concrete URLs are matched to them', async () => {
  const app = Fastify();
  for (const url of [
    '/',
    '/catalogue',
    '/catalogue/nouveau',
    '/catalogue/:id',
    '/catalogue/:id/modifier',
    '/admin/journal',
    '/f/:token/merci',
    '/assets/*',
  ]) {
    app.get(url, async () => '');
  }
  app.post('/deconnexion', async () => '');
  await app.ready();
  const patterns = getRoutePatterns(app);
  assert.deepEqual(patterns.filter((p) => !p.includes('*')).sort(), [
    '/',
    '/admin/journal',
    '/catalogue',
    '/catalogue/:id',
    '/catalogue/:id/modifier',
    '/catalogue/nouveau',
    '/f/:token/merci',
  ]);
  const match = routeMatcher(patterns);
  assert.equal(match('/catalogue/nouveau'), '/catalogue/nouveau');
  assert.equal(match('/catalogue/42'), '/catalogue/:id');
  assert.equal(match('/catalogue/42/modifier'), '/catalogue/:id/modifier');
  assert.equal(match('/f/abc/merci'), '/f/:token/merci');
  assert.equal(match('/deconnexion'), null);
  assert.equal(match('/nulle-part'), null);
  assert.equal(match('/assets/x.css'), null, 'wildcards would lump every page together');
  await app.close();
});
