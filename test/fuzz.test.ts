/**
 * Fuzz over the real route table (issue 10, « Bad input must never give a 500 »): every route Fastify registered
 * (`app.routeTable`, collected by an onRoute hook — no hand list) receives bad values from a fixed corpus in its path
 * parameters, in query parameters and in form and JSON bodies, as an anonymous visitor, a scoped user and an
 * administrator (with a valid CSRF token, so that POSTs reach their handlers). The cases of each route and role are a
 * seeded sample of (field × value): the same requests on every run, about 2 900 in all, about a minute on PGlite.
 * - No answer is a 5xx.
 * - Values that are never acceptable (NUL, bytes that are not UTF-8, a prototype name as a key, JSON nested too deep)
 *   are refused with a 4xx and write nothing.
 * - Any refusal (4xx) writes nothing: row counts of the business tables and the audit log are compared around it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../src/kernel/random.ts';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { TEST_TARGETS } from './helpers/db.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';
import { TestClient } from './helpers/client.ts';
import { createTestUser, sessionClient } from './helpers/users.ts';
import { createFeedbackFixture, type FeedbackFixture } from '../src/feedback/testing.ts';
import { createDraft } from '../src/observatoire/editions/drafts.ts';
import { publishEdition } from '../src/observatoire/editions/publish.ts';

/**
 * A refusal: a 4xx, or the sign-in redirect that the declared access (src/kernel/web/access.ts) answers before the
 * body is read when the caller is signed out (a session closed by an earlier request of the fuzz, or anonymous).
 */
function isRefusal(res: LightMyRequestResponse): boolean {
  return (
    (res.statusCode >= 400 && res.statusCode < 500) ||
    (res.statusCode === 303 && String(res.headers.location).startsWith('/connexion?retour='))
  );
}

interface BadValue {
  label: string;
  /** Already percent-encoded, as it goes into a URL or a form body. */
  encoded: string;
  /** Never acceptable anywhere: must be refused (4xx). */
  refused: boolean;
}

const enc = encodeURIComponent;
const nestedJson = '{"a":'.repeat(40) + '1' + '}'.repeat(40);
const CORPUS: BadValue[] = [
  { label: 'NUL', encoded: '%00', refused: true },
  { label: 'NUL inside', encoded: 'abc%00def', refused: true },
  { label: 'invalid UTF-8', encoded: '%FF%FE', refused: true },
  { label: 'truncated UTF-8', encoded: 'caf%C3', refused: true },
  { label: '__proto__', encoded: '__proto__', refused: false },
  { label: 'constructor', encoded: 'constructor', refused: false },
  { label: 'constructor:x', encoded: enc('constructor:x'), refused: false },
  { label: 'toString', encoded: 'toString', refused: false },
  { label: 'prototype', encoded: 'prototype', refused: false },
  { label: 'huge integer', encoded: '99999999999999999999999999', refused: false },
  { label: 'bigint overflow', encoded: '9223372036854775808', refused: false },
  { label: 'negative', encoded: '-1', refused: false },
  { label: 'float exponent', encoded: '1e308', refused: false },
  { label: 'NaN', encoded: 'NaN', refused: false },
  { label: 'long string', encoded: 'a'.repeat(20_000), refused: false },
  { label: 'long accented string', encoded: enc('é'.repeat(3_000)), refused: false },
  { label: 'nested JSON text', encoded: enc(nestedJson), refused: false },
  { label: 'SQL-ish', encoded: enc("1' OR '1'='1"), refused: false },
  { label: 'empty', encoded: '', refused: false },
  { label: 'date far away', encoded: '99999-12-31', refused: false },
];

/** Field names of Vigie's forms and query strings, read from the sources (so new fields are fuzzed too). */
function fieldVocabulary(): string[] {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        const text = readFileSync(full, 'utf8');
        for (const m of text.matchAll(/(?:query|body)\??\.([a-z_][a-z0-9_]*)|name: '([a-z_][a-z0-9_.]*)'|name="([a-z_][a-z0-9_]*)"/g)) {
          const name = m[1] ?? m[2] ?? m[3];
          if (!name.startsWith('_')) names.add(name);
        }
      }
    }
  };
  walk('src');
  return [...names].sort();
}

type Role = 'anonymous' | 'scoped' | 'admin';
const ROLES: Role[] = ['anonymous', 'scoped', 'admin'];
const CASES_PER_ROUTE_AND_ROLE = 6;

/** Tables whose rows change on a refusal by design: counters of refusals and limits, sessions, visits, jobs. */
const BOOKKEEPING = /^(feedback_rate|feedback_blocked|feedback_visits|sessions|rate_limit.*|app_settings|mail_outbox|pgboss.*|job.*)$/;

for (const target of TEST_TARGETS) {
  describe(`fuzz: every route, bad values, every role (${target})`, () => {
    let t: TestApp;
    let f: FeedbackFixture;
    const clients = new Map<Role, TestClient>();
    let valid: Record<string, string>;
    let tables: string[];

    before(async () => {
      t = await createTestApp(target);
      // A user first, so that `/admin/utilisateurs/1/…` acts on nobody the fuzz signs in with.
      await createTestUser(t.db, 'victime-fuzz@exemple.gouv.fr');
      f = await createFeedbackFixture(t.db, 'fuzz');
      await t.db.query('UPDATE procedures SET in_scope = true');
      const edition = await createDraft(
        t.db,
        { name: 'Édition du fuzz', period: 'T1', windowStart: '2026-01-01', windowEnd: '2026-03-31' },
        null,
      );
      await publishEdition(t.db, edition, null);
      clients.set('anonymous', new TestClient(t.app, { remoteAddress: '198.51.100.1' }));
      clients.set(
        'scoped',
        await sessionClient(
          t.app,
          t.db,
          await createTestUser(t.db, undefined, [{ role: 'administration_member', administrationId: f.catalog.administrations[0] }]),
          { remoteAddress: '198.51.100.2' },
        ),
      );
      clients.set(
        'admin',
        await sessionClient(t.app, t.db, await createTestUser(t.db, undefined, [{ role: 'admin' }]), { remoteAddress: '198.51.100.3' }),
      );
      for (const [role, client] of clients) await client.csrf(role === 'anonymous' ? '/connexion' : '/compte');
      const { rows: stable } = await t.db.query<{ stable_id: string }>('SELECT stable_id FROM procedures WHERE id = $1', [
        f.catalog.procedures[0],
      ]);
      valid = {
        id: '1',
        grantId: '1',
        key: f.button.publicKey,
        stableId: stable[0].stable_id,
        n: '1',
        format: 'csv',
        version: '1',
        slug: 'satisfaction',
        code: 'particuliers',
        token: 'jeton-inconnu',
        action: 'fermer',
        file: 'x',
        '*': 'dsfr.min.css',
      };
      const schema = t.db.schema ?? 'public';
      const { rows } = await t.db.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`,
        [schema],
      );
      tables = rows.map((r) => r.table_name).filter((name) => !BOOKKEEPING.test(name));
    });
    after(() => t.close());

    /** Row counts of the business tables, the audit log included (every change writes it). */
    async function fingerprint(): Promise<string> {
      // A function takes at most 100 arguments: the counts are joined by groups of 50.
      const parts = tables.map((name) => `'${name}=' || (SELECT count(*) FROM "${name}")`);
      const groups: string[] = [];
      for (let i = 0; i < parts.length; i += 50) groups.push(`concat_ws(' ', ${parts.slice(i, i + 50).join(', ')})`);
      const { rows } = await t.db.query<{ counts: string }>(`SELECT concat_ws(' ', ${groups.join(', ')}) AS counts`);
      return rows[0].counts;
    }

    function pathWith(pattern: string, fuzzed: string | null, value: string): string {
      return pattern
        .replace(/:([A-Za-z]+)(?=\/|\.|$)/g, (_m, name: string) => (name === fuzzed ? value : enc(valid[name] ?? '1')))
        .replace(/\*$/, fuzzed === '*' ? value : valid['*']);
    }

    test('no route answers 5xx; bad values are refused and refusals write nothing', async (context) => {
      const routes = t.app.routeTable.filter((r) => r.method === 'GET' || r.method === 'POST');
      assert.ok(routes.length > 80, `${routes.length} routes found in the route table`);
      const vocabulary = fieldVocabulary();
      // FUZZ_SEED explores another sample (by hand); the suite always runs the same one.
      const next = seededRandom(Number(process.env.FUZZ_SEED ?? 20261203));
      const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)];
      const failures: string[] = [];
      let sent = 0;
      const started = Date.now();

      for (const route of routes) {
        const params = [...route.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]).concat(route.url.endsWith('*') ? ['*'] : []);
        for (const role of ROLES) {
          const client = clients.get(role)!;
          for (let i = 0; i < CASES_PER_ROUTE_AND_ROLE; i++) {
            const value = pick(CORPUS);
            // Where the value goes: a path parameter, a query parameter, a form field, or a JSON body.
            const places = [...params.map((p) => `param:${p}`), 'query', ...(route.method === 'POST' ? ['form', 'json'] : [])];
            const place = pick(places);
            const field = pick(vocabulary);
            let url = pathWith(route.url, place.startsWith('param:') ? place.slice(6) : null, value.encoded);
            if (place === 'query') url += `?${field}=${value.encoded}`;
            const csrf = client.lastCsrf ?? '';
            const before = route.method === 'POST' ? await fingerprint() : '';
            let res: LightMyRequestResponse;
            if (route.method === 'GET') {
              res = await client.get(url);
            } else if (place === 'json') {
              const body =
                value.label === 'nested JSON text'
                  ? `{"_csrf":${JSON.stringify(csrf)},"${field}":${nestedJson}}`
                  : `{"_csrf":${JSON.stringify(csrf)},"${field}":${JSON.stringify(decodeSafely(value.encoded))}}`;
              res = await client.request({
                method: 'POST',
                url,
                headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
                payload: value.refused ? rawJson(csrf, field, value.encoded) : body,
              });
            } else {
              const payload = `_csrf=${enc(csrf)}${place === 'form' ? `&${field}=${value.encoded}` : ''}`;
              res = await client.request({
                method: 'POST',
                url,
                headers: { 'content-type': 'application/x-www-form-urlencoded' },
                payload,
              });
            }
            sent++;
            const what = `${role} ${route.method} ${route.url} — ${value.label} in ${place === 'query' || place === 'form' || place === 'json' ? `${place} ${field}` : place} → ${res.statusCode}`;
            const refusedHere = value.refused;
            if (res.statusCode >= 500) failures.push(`${what}: ${res.body.slice(0, 120).replace(/\s+/g, ' ')}`);
            else if (refusedHere && !isRefusal(res)) failures.push(`${what}: not refused`);
            if (route.method === 'POST' && isRefusal(res)) {
              const after = await fingerprint();
              if (after !== before) failures.push(`${what}: refused but wrote (${diff(before, after)})`);
            }
          }
        }
      }
      // The prototype names as *keys*, and JSON too deep, on every POST route as the administrator.
      const admin = clients.get('admin')!;
      for (const route of routes.filter((r) => r.method === 'POST')) {
        const url = pathWith(route.url, null, '');
        const csrf = admin.lastCsrf ?? '';
        const before = await fingerprint();
        for (const [label, payload, type] of [
          ['__proto__ key', `_csrf=${enc(csrf)}&__proto__%5Bx%5D=1`, 'application/x-www-form-urlencoded'],
          ['constructor key', `_csrf=${enc(csrf)}&constructor=1`, 'application/x-www-form-urlencoded'],
          ['deep JSON', `{"_csrf":${JSON.stringify(csrf)},"a":${'['.repeat(5_000)}${']'.repeat(5_000)}}`, 'application/json'],
        ] as const) {
          const res = await admin.request({ method: 'POST', url, headers: { 'content-type': type, 'x-csrf-token': csrf }, payload });
          sent++;
          // 400 from the guard; a route's own earlier refusal (429 of a rate limit, 413) is a refusal too.
          if (!isRefusal(res)) failures.push(`admin POST ${route.url} — ${label} → ${res.statusCode}: not refused`);
        }
        const after = await fingerprint();
        if (after !== before) failures.push(`admin POST ${route.url} — prototype keys / deep JSON: wrote (${diff(before, after)})`);
      }
      const seconds = (Date.now() - started) / 1000;
      context.diagnostic(`${sent} requests over ${routes.length} routes × ${ROLES.length} roles in ${seconds.toFixed(1)} s`);
      assert.deepEqual(failures, [], `${failures.length} failures out of ${sent} requests`);
      assert.ok(sent > 2000, `${sent} requests in ${seconds.toFixed(1)} s`);
    });
  });
}

/** The text a percent-encoded value stands for, when it is valid UTF-8 (JSON bodies carry text, not bytes). */
function decodeSafely(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}

/** A JSON body carrying the raw bytes of a never-acceptable value (NUL as \u0000, invalid bytes as such). */
function rawJson(csrf: string, field: string, encoded: string): Buffer {
  const bytes = Buffer.from(
    encoded.replace(/%([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  );
  return Buffer.concat([
    Buffer.from(`{"_csrf":${JSON.stringify(csrf)},"${field}":"`),
    bytes.includes(0) ? Buffer.from('\\u0000') : bytes,
    Buffer.from('"}'),
  ]);
}

function diff(before: string, after: string): string {
  const a = new Set(before.split(' '));
  return after
    .split(' ')
    .filter((x) => !a.has(x))
    .join(' ');
}
