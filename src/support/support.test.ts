import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import type { TestClient } from '../../test/helpers/client.ts';
import { clientWithGrants } from '../../test/helpers/users.ts';
import { toCsv, toOds, toXlsx, type Sheet } from '../kernel/spreadsheet/fixtures.ts';
import { boxQuery, nearestPoints, upsertVolume, volumeTotals, contactsPer1000 } from './queries.ts';
import { upsertPoint } from './import.ts';
import { supportIndicatorSource } from './observatoire-source.ts';
import { liveValues } from '../observatoire/index.ts';
import type { HelpPoint } from './model.ts';
import { createTestCatalog } from '../catalog/testing.ts';

function multipart(fileName: string, content: Buffer, mode: string) {
  const boundary = `----vigie${randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="mode"\r\n\r\n${mode}\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}

async function upload(client: TestClient, page: string, url: string, fileName: string, content: Buffer, mode = 'importer') {
  await client.get(page);
  const token = client.lastCsrf!;
  const { payload, contentType } = multipart(fileName, content, mode);
  return client.request({
    method: 'POST',
    url: `${url}?_csrf=${encodeURIComponent(token)}`,
    headers: { 'content-type': contentType },
    payload,
  });
}

const point = (identifier: string, lat: number, lon: number, extra: Partial<HelpPoint> = {}): HelpPoint => ({
  identifier,
  name: `Lieu ${identifier}`,
  kind: 'france_services',
  address: '',
  postalCode: '',
  communeCode: '69123',
  communeName: 'Lyon',
  latitude: lat,
  longitude: lon,
  openingHours: '',
  accessibility: '',
  phone: '',
  allProcedures: true,
  procedures: [],
  ...extra,
});

const HEADER = [
  'identifiant',
  'nom',
  'type',
  'adresse',
  'code_postal',
  'code_commune',
  'latitude',
  'longitude',
  'horaires',
  'accessibilite',
  'demarches',
];

for (const target of TEST_TARGETS) {
  describe(`support (${target})`, () => {
    let t: TestApp;
    let procedures: number[];
    let stableIds: string[];
    let admin: TestClient;
    let editor: TestClient;
    let reader: TestClient;
    const count = async (table: string, where = 'TRUE') =>
      Number((await t.db.query(`SELECT count(*) AS n FROM ${table} WHERE ${where}`)).rows[0].n);

    before(async () => {
      t = await createTestApp(target);
      procedures = (await createTestCatalog(t.db, { varied: true, procedures: 4, prefix: 'S' })).procedures;
      stableIds = procedures.map((_, i) => `S-${i + 1}`);
      admin = await clientWithGrants(t.app, t.db, [{ role: 'admin' }]);
      editor = await clientWithGrants(t.app, t.db, [{ role: 'procedure_editor', procedureId: procedures[0] }]);
      reader = await clientWithGrants(t.app, t.db, [{ role: 'procedure_reader', procedureId: procedures[0] }]);
    });
    after(async () => t.close());

    test('nearest points: order by haversine distance, computed by hand; procedure filter; far points as a last resort', async () => {
      // Centre (45, 5). By hand, with 1° of arc = 111,195 km:
      //   north (45,05 ; 5)  = 0,05 × 111,195 = 5,56 km
      //   east  (45 ; 5,1)   ≈ 0,1 × 111,195 × cos 45° = 7,86 km
      //   south (44,9 ; 5)   = 0,1 × 111,195 = 11,12 km
      //   west  (45 ; 4,85)  ≈ 0,15 × 111,195 × cos 45° = 11,79 km
      //   far   (40 ; 5)     = 5 × 111,195 = 555,98 km (outside the 25, 80 and 250 km boxes)
      await t.db.transaction(async (tx) => {
        await upsertPoint(tx, point('far', 40, 5));
        await upsertPoint(tx, point('west', 45, 4.85));
        await upsertPoint(tx, point('south', 44.9, 5));
        await upsertPoint(tx, point('east', 45, 5.1));
        await upsertPoint(tx, point('north', 45.05, 5));
        // Nearest of all, but serves only another procedure.
        await upsertPoint(tx, point('other', 45.001, 5, { allProcedures: false, procedures: [stableIds[1]] }));
      });
      const near = await nearestPoints(t.db, procedures[0], 45, 5, 10);
      assert.deepEqual(
        near.map((p) => p.name),
        ['Lieu north', 'Lieu east', 'Lieu south', 'Lieu west', 'Lieu far'],
      );
      const expected = [5.56, 7.86, 11.12, 11.79, 555.98];
      near.forEach((p, i) => assert.ok(Math.abs(p.distanceKm - expected[i]) < 0.01, `${p.name}: ${p.distanceKm} ≠ ${expected[i]}`));
      const two = await nearestPoints(t.db, procedures[0], 45, 5, 2);
      assert.deepEqual(
        two.map((p) => p.name),
        ['Lieu north', 'Lieu east'],
      );
      const forOther = await nearestPoints(t.db, procedures[1], 45, 5, 1);
      assert.equal(forOther[0].name, 'Lieu other');
      await t.db.query(`DELETE FROM support_points`);
    });

    test('help points across the antimeridian (±180°): the box wraps, distances computed by hand', async () => {
      // Centre (-15 ; 179,9), near Fiji. On one parallel, d = 2R·asin(cos φ · sin(Δλ/2)), cos 15° = 0,965926, 2R = 12 742,018 km:
      //   east-across (-15 ; -179,9): Δλ 0,2°  → 2R·asin(0,965926 × 0,0017453) = 21,48 km
      //   west        (-15 ; 179,6):  Δλ 0,3°  → 2R·asin(0,965926 × 0,0026180) = 32,22 km
      //   far-across  (-15 ; -179,5): Δλ 0,6°  → 2R·asin(0,965926 × 0,0052360) = 64,44 km
      //   far-west    (-15 ; 178,9):  Δλ 1,0°  → 2R·asin(0,965926 × 0,0087265) = 107,41 km
      await t.db.transaction(async (tx) => {
        await upsertPoint(tx, point('far-west', -15, 178.9));
        await upsertPoint(tx, point('far-across', -15, -179.5));
        await upsertPoint(tx, point('west', -15, 179.6));
        await upsertPoint(tx, point('east-across', -15, -179.9));
      });
      const near = await nearestPoints(t.db, procedures[0], -15, 179.9, 10);
      assert.deepEqual(
        near.map((p) => p.name),
        ['Lieu east-across', 'Lieu west', 'Lieu far-across', 'Lieu far-west'],
      );
      [21.48, 32.22, 64.44, 107.41].forEach((d, i) =>
        assert.ok(Math.abs(near[i].distanceKm - d) < 0.01, `${near[i].name}: ${near[i].distanceKm} ≠ ${d}`),
      );
      // Two asked: the box of 30 km must see the point across ±180° (a box cut at 180° would return west and far-west).
      const two = await nearestPoints(t.db, procedures[0], -15, 179.9, 2);
      assert.deepEqual(
        two.map((p) => p.name),
        ['Lieu east-across', 'Lieu west'],
      );
      // And from the other side.
      const fromWest = await nearestPoints(t.db, procedures[0], -15, -179.9, 1);
      assert.equal(fromWest[0].name, 'Lieu east-across');
      await t.db.query(`DELETE FROM support_points`);
    });

    test('query plan: the box reads the (latitude, longitude) index, not the whole table', async () => {
      // 6 400 points on a grid over metropolitan France, statistics up to date, then the plan of a 15 km box.
      await t.db.query(`INSERT INTO support_points (identifier, name, kind, commune_code, latitude, longitude, all_procedures)
        SELECT 'plan-' || i || '-' || j, 'Plan ' || i || ' ' || j, 'france_services', '69123', 42 + i * 0.1, -4 + j * 0.15, (i + j) % 3 = 0
          FROM generate_series(0, 79) i, generate_series(0, 79) j`);
      await t.db.query('ANALYZE support_points');
      await t.db.query('ANALYZE support_point_procedures');
      const { text, values } = boxQuery(procedures[0], 46, 2, 15).toQuery();
      const { rows } = await t.db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, values);
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      assert.match(plan, /support_points_position/, plan);
      assert.doesNotMatch(plan, /Seq Scan on support_points\b/, plan);
      await t.db.query(`DELETE FROM support_points`);
    });

    test('public help page: no script needed, channels, commune search by postal code, choices, a French error', async () => {
      await t.db.transaction(async (tx) => {
        await upsertPoint(tx, point('lyon-3', 45.7597, 4.8422, { name: 'France services Lyon 3e', accessibility: 'Accès de plain-pied' }));
        await upsertPoint(tx, point('villeurbanne', 45.7719, 4.8902, { name: 'France services Villeurbanne' }));
        await upsertPoint(tx, point('paris', 48.8566, 2.3522, { name: 'France services Paris' }));
      });
      const page = await admin.get(`/support/demarches/${procedures[0]}/canaux`);
      assert.equal(page.statusCode, 200);
      const save = await admin.post(`/support/demarches/${procedures[0]}/canaux`, {
        rows: '3',
        kind_0: 'phone',
        value_0: '01 23 45 67 89',
        hours_0: 'Du lundi au vendredi, 9 h – 17 h',
        price_0: 'Service gratuit + prix d’un appel',
        label_0: '',
        kind_1: 'faq',
        value_1: 'https://exemple.gouv.fr/faq',
        label_1: 'Questions fréquentes',
        hours_1: '',
        price_1: '',
        kind_2: '',
        value_2: '',
        label_2: '',
        hours_2: '',
        price_2: '',
      });
      assert.equal(save.statusCode, 303);
      const anonymous = await t.app.inject({ method: 'GET', url: `/aide/demarches/${procedures[0]}?commune=69003` });
      assert.equal(anonymous.statusCode, 200);
      assert.doesNotMatch(anonymous.body, /<script(?![^>]*src="\/assets\/dsfr)/);
      assert.match(anonymous.body, /href="tel:0123456789">01 23 45 67 89/);
      assert.match(anonymous.body, /Service gratuit \+ prix d’un appel/);
      assert.match(anonymous.body, /<form method="get" action="\/aide\/demarches\/\d+#lieux"/);
      const lyon3 = anonymous.body.indexOf('France services Lyon 3e');
      const villeurbanne = anonymous.body.indexOf('France services Villeurbanne');
      const paris = anonymous.body.indexOf('France services Paris');
      assert.ok(lyon3 > 0 && villeurbanne > lyon3 && paris > villeurbanne, 'nearest first');
      const choose = await t.app.inject({ method: 'GET', url: `/aide/demarches/${procedures[0]}?commune=Saint-Denis` });
      assert.match(choose.body, /Plusieurs communes correspondent/);
      assert.match(choose.body, /commune=93066#lieux/);
      const none = await t.app.inject({ method: 'GET', url: `/aide/demarches/${procedures[0]}?commune=Xyzzyville` });
      assert.equal(none.statusCode, 400);
      assert.match(none.body, /Aucune commune ne s’appelle « Xyzzyville »/);
      assert.match(none.body, /aria-invalid="true"/);
      assert.equal((await t.app.inject({ method: 'GET', url: '/aide/demarches/999999' })).statusCode, 404);
      await t.db.query(`UPDATE procedures SET archived_at = now() WHERE id = $1`, [procedures[3]]);
      assert.equal((await t.app.inject({ method: 'GET', url: `/aide/demarches/${procedures[3]}` })).statusCode, 404);
    });

    test('channels: bad values refused in French and nothing written; readers cannot edit; the journal records changes', async () => {
      const before = await count('support_channels');
      const bad = await editor.post(`/support/demarches/${procedures[0]}/canaux`, {
        rows: '2',
        kind_0: 'phone',
        value_0: 'appelez-nous',
        kind_1: 'fax',
        value_1: 'x',
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Numéro de téléphone invalide/);
      assert.match(bad.body, /Ce type de canal n’existe pas/);
      assert.equal(await count('support_channels'), before);
      const refused = await reader.post(`/support/demarches/${procedures[0]}/canaux`, { rows: '1', kind_0: 'email', value_0: 'a@b.fr' });
      assert.equal(refused.statusCode, 403);
      assert.equal(await count('support_channels'), before);
      const ok = await editor.post(`/support/demarches/${procedures[0]}/canaux`, {
        rows: '1',
        kind_0: 'email',
        value_0: 'contact@exemple.gouv.fr',
      });
      assert.equal(ok.statusCode, 303);
      assert.equal(await count('support_channels', `procedure_id = ${procedures[0]}`), 1);
      assert.equal(await count('audit_log', `action = 'support.channels.update'`), 2);
      const view = await reader.get(`/support/demarches/${procedures[0]}`);
      assert.equal(view.statusCode, 200);
      assert.match(view.body, /contact@exemple\.gouv\.fr/);
      assert.doesNotMatch(view.body, /Modifier les canaux d’aide/);
    });

    test('volumes typed and imported; contacts per 1 000 online uses computed by hand; the observatoire indicator', async () => {
      await t.db.query(`UPDATE procedures SET volume_online = 120000 WHERE id = $1`, [procedures[1]]);
      const editor2 = await clientWithGrants(t.app, t.db, [{ role: 'procedure_editor', procedureId: procedures[1] }]);
      const typed = await editor2.post(`/support/demarches/${procedures[1]}/volumes`, {
        month: '2026-01',
        calls_received: '1 000',
        calls_answered: '800',
        mails_received: '200',
        mails_answered: '150',
        mean_wait_seconds: '300',
      });
      assert.equal(typed.statusCode, 303);
      const bad = await editor2.post(`/support/demarches/${procedures[1]}/volumes`, {
        month: '2026-13',
        calls_received: '10',
        calls_answered: '20',
        mails_received: '-1',
        mails_answered: '',
        mean_wait_seconds: '',
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Mois invalide/);
      assert.match(bad.body, /Les appels traités ne peuvent pas dépasser les appels reçus/);
      assert.match(bad.body, /Un nombre entier positif est attendu/);
      const file: Sheet = [
        ['demarche', 'mois', 'appels_recus', 'appels_traites', 'courriels_recus', 'courriels_traites', 'attente_moyenne_secondes'],
        [stableIds[1], '2026-02', 900, 700, 100, 100, ''],
        [stableIds[1], '03/2026', 1100, 900, 0, 0, 240],
      ];
      const page = `/support/demarches/${procedures[1]}`;
      const dry = await upload(editor2, page, `${page}/volumes/import`, 'volumes.csv', toCsv(file), 'verifier');
      assert.equal(dry.statusCode, 200);
      assert.match(dry.body, /Vérification réussie/);
      assert.equal(await count('support_volumes', `procedure_id = ${procedures[1]}`), 1, 'a dry run writes nothing');
      const done = await upload(editor2, page, `${page}/volumes/import`, 'volumes.xlsx', await toXlsx(file));
      assert.equal(done.statusCode, 200);
      assert.match(done.body, /Import enregistré/);
      assert.equal(await count('support_volumes', `procedure_id = ${procedures[1]}`), 3);
      // Another procedure's rows are refused: a page imports its own procedure only.
      const foreign = await upload(
        editor2,
        page,
        `${page}/volumes/import`,
        'v.csv',
        toCsv([file[0], [stableIds[0], '2026-04', 1, 1, 1, 1, '']]),
      );
      assert.equal(foreign.statusCode, 400);
      assert.match(foreign.body, /ne peut contenir que la démarche de cette page/);
      // By hand: contacts = (1 000 + 200) + (900 + 100) + (1 100 + 0) = 3 300 over 3 months; online uses of 3 months =
      // 120 000 × 3 ÷ 12 = 30 000; 3 300 ÷ 30 000 × 1 000 = 110.
      assert.equal(contactsPer1000(3300, 3, 120000), 110);
      const totals = await volumeTotals(t.db, [procedures[1]], '2026-01-01', '2026-03-31');
      assert.deepEqual(totals.get(procedures[1]), { contacts: 3300, months: 3, volumeOnline: 120000 });
      const values = await supportIndicatorSource.valuesFor(t.db, [procedures[0], procedures[1]], {
        start: '2026-01-01',
        end: '2026-03-31',
      });
      assert.equal(values.get(procedures[1])!.contacts, 110);
      assert.equal(values.has(procedures[0]), false);
      // January alone: 1 200 ÷ (120 000 ÷ 12) × 1 000 = 120.
      assert.equal(
        (await supportIndicatorSource.valuesFor(t.db, [procedures[1]], { start: '2026-01-01', end: '2026-01-31' })).get(procedures[1])!
          .contacts,
        120,
      );
      const live = await liveValues(t.db, [procedures[1]], { start: '2026-01-01', end: '2026-03-31' });
      assert.equal(live.get(procedures[1])!.contacts, 110);
      const shown = await editor2.get(page);
      assert.match(shown.body, /<title id="graphique-appels-titre">Appels reçus par mois<\/title>/);
      assert.match(shown.body, /<caption>Volumes mensuels du centre de contact<\/caption>/);
      assert.match(shown.body, /Aide joignable \(avis usagers\)/);
      assert.match(shown.body, /Autonomie \(avis usagers\)/);
      // Last 12 months of volumes (here 3): 3 300 ÷ 30 000 × 1 000 = 110.
      assert.match(shown.body, /<p class="fr-tile__desc">110<\/p>/);
      await upsertVolume(t.db, procedures[1], {
        month: '2026-01-01',
        callsReceived: 1000,
        callsAnswered: 800,
        mailsReceived: 200,
        mailsAnswered: 150,
        meanWaitSeconds: 300,
      });
    });

    test('the indicator is in the observatoire as data: definition, informative rules in every rule set', async () => {
      const def = (await t.db.query(`SELECT label, unit, source FROM obs_indicators WHERE slug = 'contacts'`)).rows[0];
      assert.deepEqual(def, { label: 'Contacts pour 1 000 démarches', unit: 'count', source: 'support' });
      const { rows } = await t.db.query(`SELECT rules->'indicators'->'contacts' AS r FROM obs_rule_sets`);
      for (const r of rows) assert.deepEqual(r.r, { kind: 'number', min: 0, informative: true, levels: [] });
      const help = await t.app.inject({ method: 'GET', url: '/observatoire/aide/indicateurs' });
      assert.match(help.body, /Contacts pour 1 000 démarches/);
    });

    test('help points import: dry run, per-row French errors, all or nothing, idempotent by identifier, three formats', async () => {
      await t.db.query(`DELETE FROM support_points`);
      const good: Sheet = [
        HEADER,
        [
          'fs-1',
          'France services Bron',
          'France services',
          '1 place de la Mairie',
          '69500',
          '69029',
          '45,7386',
          '4,9131',
          'Lundi 9 h–12 h',
          'Plain-pied',
          'toutes',
        ],
        [
          'pn-69',
          'Point numérique de la préfecture du Rhône',
          'Point numérique',
          '106 rue Pierre-Corneille',
          '69003',
          '69123',
          '45.7597',
          '4.8502',
          '',
          '',
          `${stableIds[0]}, ${stableIds[1]}`,
        ],
      ];
      const dry = await upload(admin, '/lieux-aide', '/lieux-aide/import', 'lieux.ods', toOds(good), 'verifier');
      assert.equal(dry.statusCode, 200);
      assert.match(dry.body, /2 lieux à créer, 0 à mettre à jour/);
      assert.equal(await count('support_points'), 0);
      const done = await upload(admin, '/lieux-aide', '/lieux-aide/import', 'lieux.xlsx', await toXlsx(good));
      assert.equal(done.statusCode, 200);
      assert.match(done.body, /Import enregistré/);
      assert.equal(await count('support_points'), 2);
      assert.equal(await count('support_point_procedures'), 2);
      const again = await upload(admin, '/lieux-aide', '/lieux-aide/import', 'lieux.csv', toCsv(good));
      assert.match(again.body, /0 lieu créé, 2 mis à jour/);
      assert.equal(await count('support_points'), 2, 'same identifiers: updated, not duplicated');
      assert.equal(await count('support_point_procedures'), 2);
      assert.equal((await t.db.query(`SELECT commune_name FROM support_points WHERE identifier = 'fs-1'`)).rows[0].commune_name, 'Bron');

      const before = await count('audit_log');
      const bad: Sheet = [
        HEADER,
        ['fs-2', 'Nouveau lieu valide', 'France services', '', '', '69029', '45,7', '4,9', '', '', 'toutes'],
        ['fs-3', '', 'Guichet', '', '6950', '69X29', '95', 'est', '', '', ''],
        ['fs-2', 'Doublon', 'mairie', '', '', '69029', '45', '4', '', '', ''],
        ['fs-4', 'Démarche inconnue', 'association', '', '', '69029', '45', '4', '', '', 'inconnue-1'],
      ];
      const refused = await upload(admin, '/lieux-aide', '/lieux-aide/import', 'lieux.csv', toCsv(bad));
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /rien n’a été enregistré/);
      assert.match(refused.body, /Ligne 3 — nom : Le nom du lieu est obligatoire/);
      assert.match(refused.body, /Ligne 3 — type : Type de lieu inconnu « Guichet »/);
      assert.match(refused.body, /Ligne 3 — code postal : Le code postal a 5 chiffres/);
      assert.match(refused.body, /Ligne 3 — latitude : Latitude invalide/);
      assert.match(refused.body, /Ligne 3 — longitude : Longitude invalide/);
      assert.match(refused.body, /Ligne 4 — identifiant : « fs-2 » figure déjà ligne 2/);
      assert.match(refused.body, /Ligne 5 — démarches : identifiant inconnu du catalogue : inconnue-1/);
      assert.equal(await count('support_points'), 2, 'all or nothing: the valid row is not written either');
      assert.equal(await count('audit_log'), before);

      const missing = await upload(
        admin,
        '/lieux-aide',
        '/lieux-aide/import',
        'lieux.csv',
        toCsv([
          ['identifiant', 'nom'],
          ['x', 'y'],
        ]),
      );
      assert.equal(missing.statusCode, 400);
      assert.match(missing.body, /Colonne obligatoire manquante : « type »/);
      const notSheet = await upload(
        admin,
        '/lieux-aide',
        '/lieux-aide/import',
        'lieux.xlsx',
        Buffer.from('PK\u0003\u0004 pas un classeur'),
      );
      assert.equal(notSheet.statusCode, 400);
      assert.match(notSheet.body, /Fichier refusé/);
      const noFile = await upload(admin, '/lieux-aide', '/lieux-aide/import', '', Buffer.alloc(0));
      assert.equal(noFile.statusCode, 400);
      assert.equal(await count('support_points'), 2);
      const forbidden = await upload(editor, '/support', '/lieux-aide/import', 'lieux.csv', toCsv(good));
      assert.equal(forbidden.statusCode, 403);
    });

    test('help point form: create, edit, French errors, journal', async () => {
      const bad = await admin.post('/lieux-aide', {
        identifier: '',
        name: 'x',
        kind: 'mairie',
        commune_code: '69123',
        latitude: '200',
        longitude: '4',
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /L’identifiant est obligatoire/);
      assert.match(bad.body, /Latitude invalide/);
      const created = await admin.post('/lieux-aide', {
        identifier: 'mairie-lyon',
        name: 'Mairie de Lyon',
        kind: 'mairie',
        commune_code: '69123',
        latitude: '45,7676',
        longitude: '4,8344',
        procedures: stableIds[2],
      });
      assert.equal(created.statusCode, 303);
      const id = Number((await t.db.query(`SELECT id FROM support_points WHERE identifier = 'mairie-lyon'`)).rows[0].id);
      const form = await admin.get(`/lieux-aide/${id}`);
      assert.match(form.body, /value="45,7676"/);
      assert.match(form.body, new RegExp(`value="${stableIds[2]}"`));
      const dup = await admin.post(`/lieux-aide/${id}`, {
        identifier: 'fs-1',
        name: 'Mairie de Lyon',
        kind: 'mairie',
        commune_code: '69123',
        latitude: '45,7676',
        longitude: '4,8344',
      });
      assert.equal(dup.statusCode, 400);
      assert.match(dup.body, /Un autre lieu porte déjà cet identifiant/);
      const edited = await admin.post(`/lieux-aide/${id}`, {
        identifier: 'mairie-lyon-1',
        name: 'Hôtel de ville de Lyon',
        kind: 'mairie',
        commune_code: '69123',
        latitude: '45,7676',
        longitude: '4,8344',
        procedures: 'toutes',
      });
      assert.equal(edited.statusCode, 303);
      const row = (await t.db.query(`SELECT identifier, name, all_procedures, commune_name FROM support_points WHERE id = $1`, [id]))
        .rows[0];
      assert.deepEqual(row, { identifier: 'mairie-lyon-1', name: 'Hôtel de ville de Lyon', all_procedures: true, commune_name: 'Lyon' });
      assert.equal(await count('audit_log', `action IN ('support.point.create', 'support.point.update')`), 2);
      const journal = await admin.get('/admin/journal');
      assert.match(journal.body, /a modifié <a href="\/lieux-aide\/\d+">le lieu d’aide « Hôtel de ville de Lyon »<\/a>/);
      assert.equal((await editor.get('/lieux-aide')).statusCode, 403);
    });

    test('imports, route schemas: an id that cannot be one is refused as an unknown procedure; no file or a form instead of a file is « Choisissez un fichier », nothing written', async () => {
      const rows = async () => [await count('support_points'), await count('support_volumes'), await count('audit_log')];
      const main = (body: string) => /<main[\s\S]*<\/main>/.exec(body)?.[0];
      const before = await rows();
      const volumes: Sheet = [
        ['demarche', 'mois', 'appels_recus', 'appels_traites', 'courriels_recus', 'courriels_traites', 'attente_moyenne_secondes'],
        [stableIds[0], '2026-05', 10, 10, 0, 0, ''],
      ];
      const unknown = await upload(admin, '/lieux-aide', '/support/demarches/999999999/volumes/import', 'v.csv', toCsv(volumes));
      assert.equal(unknown.statusCode, 404);
      for (const id of ['abc', '0', '01', '-1', '1e3', '12345678901234567', '9007199254740993']) {
        const res = await upload(admin, '/lieux-aide', `/support/demarches/${id}/volumes/import`, 'v.csv', toCsv(volumes));
        assert.equal(res.statusCode, 404, id);
        assert.equal(main(res.body), main(unknown.body), id);
        // An editor of one procedure only: refused the same way as another procedure's import.
        const other = await upload(editor, '/support', `/support/demarches/${id}/volumes/import`, 'v.csv', toCsv(volumes));
        assert.equal(
          other.statusCode,
          (await upload(editor, '/support', `/support/demarches/999999999/volumes/import`, 'v.csv', toCsv(volumes))).statusCode,
          id,
        );
      }
      // A form posted instead of a file, or a file without a name: the page again with its message.
      for (const url of ['/lieux-aide/import', `/support/demarches/${procedures[0]}/volumes/import`]) {
        const form = await admin.post(url, { mode: 'importer', fichier: 'lieux.csv' });
        assert.equal(form.statusCode, 400, url);
        assert.match(form.body, /Choisissez un fichier à importer\./, url);
        const noName = await upload(admin, '/lieux-aide', url, '', Buffer.from('identifiant;nom\n'));
        assert.equal(noName.statusCode, 400, url);
        assert.match(noName.body, /Choisissez un fichier à importer\./, url);
      }
      assert.deepEqual(await rows(), before);
    });
  });
}
