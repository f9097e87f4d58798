import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { TestClient } from '../../../test/helpers/client.ts';
import { seedCatalogDemo } from '../demo/seed.ts';
import { auditCount, procedureId } from '../testing.ts';
import { clientWithGrants } from '../../../test/helpers/users.ts';
import { fold } from '../validation.ts';

/** The procedures listed in a catalogue page, in order: [id, title]. */
function listed(body: string): { id: number; title: string }[] {
  const tbody = body.split('<tbody>')[1]?.split('</tbody>')[0] ?? '';
  return [...tbody.matchAll(/href="\/catalogue\/demarches\/(\d+)">([^<]*)<\/a>/g)].map((m) => ({ id: Number(m[1]), title: m[2] }));
}

const decode = (s: string) =>
  s
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

const validForm = {
  title: 'Demande de carte grise pour véhicule de collection',
  stable_id: 'ants-carte-grise-collection',
  slug: '',
  administration_id: '',
  description: 'Pour les véhicules de plus de 30 ans.',
  url: 'https://ants.gouv.fr/collection',
  info_url: '',
  user_categories: ['particuliers', 'professionnels'],
  online_status: 'oui',
  franceconnect: 'franceconnect',
  volume_total: '12 500',
  volume_online: '11000',
  in_scope: 'oui',
  help_rows: '2',
  help_kind_0: 'telephone',
  help_label_0: 'Serveur vocal',
  help_value_0: '34 00',
  help_hours_0: 'Du lundi au vendredi',
  help_kind_1: '',
  help_label_1: '',
  help_value_1: '',
  help_hours_1: '',
};

for (const target of TEST_TARGETS) {
  describe(`catalogue pages (${target})`, () => {
    let t: TestApp;
    let admin: TestClient;
    let antsId: number;
    before(async () => {
      t = await createTestApp(target);
      await seedCatalogDemo(t.db);
      admin = await clientWithGrants(t.app, t.db, [{ role: 'admin' }]);
      antsId = (await t.db.query<{ id: number }>(`SELECT id FROM administrations WHERE code = 'ants'`)).rows[0].id;
      validForm.administration_id = String(antsId);
    });
    after(async () => t.close());

    test('anonymous visitors are sent to the sign-in page, users without any role get a 403', async () => {
      const anonymous = await t.app.inject('/catalogue?q=amendes');
      assert.equal(anonymous.statusCode, 303);
      assert.equal(anonymous.headers.location, `/connexion?retour=${encodeURIComponent('/catalogue?q=amendes')}`);
      const nobody = await clientWithGrants(t.app, t.db, []);
      assert.equal((await nobody.get('/catalogue')).statusCode, 403);
    });

    test('the list is sorted by volume by default and paginated by 50', async () => {
      const res = await admin.get('/catalogue');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /252 démarches — page 1 sur 6/);
      const rows = listed(res.body);
      assert.equal(rows.length, 50);
      const { rows: top } = await t.db.query<{ title: string }>('SELECT title FROM procedures ORDER BY volume_total DESC, id DESC LIMIT 2');
      assert.deepEqual(
        rows.slice(0, 2).map((r) => decode(r.title)),
        top.map((r) => r.title),
      );
      const last = listed((await admin.get('/catalogue?page=6')).body);
      assert.equal(last.length, 2);
      const all = new Set<number>();
      for (let page = 1; page <= 6; page++) for (const r of listed((await admin.get(`/catalogue?page=${page}`)).body)) all.add(r.id);
      assert.equal(all.size, 252, 'every procedure appears once over the pages');
    });

    test('the list page costs four queries; « Ajouter une démarche » is offered to whoever manages an active administration', async () => {
      const before = t.db.queryCount;
      const page = await admin.get('/catalogue');
      assert.equal(page.statusCode, 200);
      // The session, the page of procedures, the ministries and the administrations of the filters: nothing more.
      assert.equal(t.db.queryCount - before, 4);
      const add = /Ajouter une démarche/;
      assert.match(page.body, add);
      const member = await clientWithGrants(t.app, t.db, [{ role: 'administration_member', administration: 'ants' }]);
      assert.match((await member.get('/catalogue')).body, add);
      const editor = await clientWithGrants(t.app, t.db, [{ role: 'procedure_editor', procedure: 'ants-passeport' }]);
      assert.doesNotMatch((await editor.get('/catalogue')).body, add);
      // A member of an archived administration only: nothing to add a procedure to.
      const { rows } = await t.db.query<{ id: number }>(
        `INSERT INTO administrations (ministry_id, code, name, archived_at)
         SELECT ministry_id, 'archivee-liste', 'Direction archivée', now() FROM administrations WHERE code = 'ants' RETURNING id`,
      );
      const archived = await clientWithGrants(t.app, t.db, [{ role: 'administration_member', administrationId: rows[0].id }]);
      const archivedPage = await archived.get('/catalogue');
      assert.equal(archivedPage.statusCode, 200);
      assert.doesNotMatch(archivedPage.body, add);
    });

    test('search ignores accents and case', async () => {
      const rows = listed((await admin.get('/catalogue?q=DECLARATION+de+CESSION+d%E2%80%99un+vehicule')).body);
      assert.deepEqual(
        rows.map((r) => decode(r.title)),
        ['Déclaration de cession d’un véhicule'],
      );
      const amendes = listed((await admin.get('/catalogue?q=amendes')).body).map((r) => decode(r.title));
      assert.ok(amendes.includes('Paiement des amendes'));
      assert.ok(amendes.every((title) => fold(title).includes('amende')));
      assert.match((await admin.get('/catalogue?q=%25')).body, /Aucune démarche ne correspond/, 'LIKE wildcards are searched literally');
    });

    test('sorting by title, both ways', async () => {
      const asc = listed((await admin.get('/catalogue?tri=titre&ordre=asc')).body).map((r) => fold(decode(r.title)));
      const desc = listed((await admin.get('/catalogue?tri=titre&ordre=desc')).body).map((r) => fold(decode(r.title)));
      assert.equal(asc.length, 50);
      for (let i = 1; i < asc.length; i++)
        assert.ok(asc[i - 1].localeCompare(asc[i]) <= 0 || asc[i - 1] <= asc[i], `${asc[i - 1]} before ${asc[i]}`);
      assert.ok(asc[0] < desc[0], 'descending starts at the other end');
    });

    test('filters combine and travel in the query string', async () => {
      const res = await admin.get('/catalogue?ministere=interieur&public=particuliers&statut=partiel');
      const rows = listed(res.body);
      assert.ok(rows.length > 0);
      const { rows: expected } = await t.db.query<{ id: number }>(
        `SELECT p.id FROM procedures p JOIN administrations a ON a.id = p.administration_id JOIN ministries m ON m.id = a.ministry_id
          WHERE m.code = 'interieur' AND 'particuliers' = ANY(p.user_categories) AND p.online_status = 'partiel'`,
      );
      assert.deepEqual(rows.map((r) => r.id).sort(), expected.map((r) => r.id).sort());
      assert.match(res.body, /<option value="interieur" selected>/);
      assert.match(res.body, /href="\/catalogue\/export\.csv\?ministere=interieur&amp;public=particuliers&amp;statut=partiel/);
      const outside = listed((await admin.get('/catalogue?administration=ants&top250=non')).body);
      const { rows: small } = await t.db.query<{ id: number }>(
        `SELECT p.id FROM procedures p JOIN administrations a ON a.id = p.administration_id WHERE a.code = 'ants' AND NOT p.in_scope`,
      );
      assert.deepEqual(outside.map((r) => r.id).sort(), small.map((r) => r.id).sort());
    });

    test('an administration member sees and edits only their administration', async () => {
      const member = await clientWithGrants(t.app, t.db, [{ role: 'administration_member', administration: 'ants' }]);
      const list = await member.get('/catalogue');
      const { rows: ants } = await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM procedures p JOIN administrations a ON a.id = p.administration_id WHERE a.code = 'ants'`,
      );
      assert.match(list.body, new RegExp(`${ants[0].n} démarches`));
      const dgfip = await procedureId(t.db, 'dgfip-paiement-amendes');
      assert.equal((await member.get(`/catalogue/demarches/${dgfip}`)).statusCode, 403);
      assert.equal((await member.get(`/catalogue/demarches/${dgfip}/modifier`)).statusCode, 403);
      const audits = await auditCount(t.db);
      await member.get('/catalogue');
      const post = await member.post(`/catalogue/demarches/${dgfip}/modifier`, {
        ...validForm,
        title: 'Piraté',
        administration_id: String(antsId),
      });
      assert.equal(post.statusCode, 403);
      assert.equal((await member.post(`/catalogue/demarches/${dgfip}/archiver`)).statusCode, 403);
      const { rows } = await t.db.query(`SELECT title, archived_at FROM procedures WHERE id = $1`, [dgfip]);
      assert.deepEqual(rows[0], { title: 'Paiement des amendes', archived_at: null });
      assert.equal(await auditCount(t.db), audits);
      // Creating in another administration is refused too.
      const dgfipAdministration = (await t.db.query<{ id: number }>(`SELECT id FROM administrations WHERE code = 'dgfip'`)).rows[0].id;
      const create = await member.post('/catalogue/demarches/nouvelle', {
        ...validForm,
        stable_id: 'dgfip-intrus',
        administration_id: String(dgfipAdministration),
      });
      assert.equal(create.statusCode, 403);
      assert.equal((await t.db.query(`SELECT 1 FROM procedures WHERE stable_id = 'dgfip-intrus'`)).rows.length, 0);
    });

    test('a procedure reader may read but not edit; a procedure editor may edit their procedure', async () => {
      const id = await procedureId(t.db, 'ants-passeport');
      const reader = await clientWithGrants(t.app, t.db, [{ role: 'procedure_reader', procedure: 'ants-passeport' }]);
      assert.equal((await reader.get(`/catalogue/demarches/${id}`)).statusCode, 200);
      assert.equal((await reader.get(`/catalogue/demarches/${id}/modifier`)).statusCode, 403);
      assert.match((await reader.get('/catalogue')).body, /1 démarche</);
      const editor = await clientWithGrants(t.app, t.db, [{ role: 'procedure_editor', procedure: 'ants-passeport' }]);
      const form = await editor.get(`/catalogue/demarches/${id}/modifier`);
      assert.equal(form.statusCode, 200);
      const res = await editor.post(`/catalogue/demarches/${id}/modifier`, {
        ...validForm,
        stable_id: 'tentative-de-changement',
        slug: 'ants-passeport',
        title: 'Pré-demande de passeport (nouvelle version)',
      });
      assert.equal(res.statusCode, 303);
      const { rows } = await t.db.query(`SELECT stable_id, title FROM procedures WHERE id = $1`, [id]);
      assert.deepEqual(rows[0], { stable_id: 'ants-passeport', title: 'Pré-demande de passeport (nouvelle version)' });
      const log = await t.db.query<{ before: any; after: any }>(
        `SELECT before, after FROM audit_log WHERE action = 'procedure.update' AND entity_id = $1 ORDER BY id DESC LIMIT 1`,
        [String(id)],
      );
      assert.equal(log.rows[0].before.title, 'Pré-demande de passeport');
      assert.equal(log.rows[0].after.title, 'Pré-demande de passeport (nouvelle version)');
      const detail = await editor.get(`/catalogue/demarches/${id}`);
      assert.match(detail.body, /<td>Modification<\/td><td>[^<]*Intitulé[^<]*<\/td>/, 'the history names the changed fields');
    });

    test('create: invalid fields are reported next to each field and nothing is written', async () => {
      await admin.get('/catalogue/demarches/nouvelle');
      const before = await auditCount(t.db);
      const res = await admin.post('/catalogue/demarches/nouvelle', {
        ...validForm,
        title: '  ',
        stable_id: 'Avec Majuscules',
        url: 'javascript:alert(1)',
        volume_total: 'beaucoup',
        help_kind_0: '',
      });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /id="resume-erreurs"/);
      assert.match(res.body, /<p class="fr-error-text" id="champ-title-erreur">L’intitulé est obligatoire\.<\/p>/);
      assert.match(res.body, /id="champ-stable_id-erreur">L’identifiant stable ne peut contenir/);
      assert.match(res.body, /id="champ-url-erreur">Indiquez une adresse web complète/);
      assert.match(res.body, /id="champ-volume_total-erreur">Indiquez un nombre entier/);
      assert.match(res.body, /id="champ-help_kind_0-erreur">Choisissez le type de canal/);
      assert.match(res.body, /value="Avec Majuscules"/, 'what was typed is kept');
      const volumes = await admin.post('/catalogue/demarches/nouvelle', { ...validForm, volume_total: '10', volume_online: '20' });
      assert.equal(volumes.statusCode, 400);
      assert.match(volumes.body, /id="champ-volume_online-erreur">Le volume en ligne ne peut pas dépasser le volume total/);
      const taken = await admin.post('/catalogue/demarches/nouvelle', { ...validForm, stable_id: 'ants-passeport' });
      assert.equal(taken.statusCode, 400);
      assert.match(taken.body, /Cet identifiant stable est déjà utilisé/);
      assert.equal(await auditCount(t.db), before);
      assert.equal((await t.db.query(`SELECT 1 FROM procedures WHERE stable_id = 'ants-carte-grise-collection'`)).rows.length, 0);
    });

    test('create writes the procedure, its help channels and the audit log', async () => {
      const res = await admin.post('/catalogue/demarches/nouvelle', validForm);
      assert.equal(res.statusCode, 303);
      const id = Number(/\/catalogue\/demarches\/(\d+)/.exec(String(res.headers.location))![1]);
      const { rows } = await t.db.query(
        `SELECT stable_id, slug, volume_total, volume_online, user_categories, online_status, franceconnect, in_scope, help_channels FROM procedures WHERE id = $1`,
        [id],
      );
      assert.deepEqual(rows[0], {
        stable_id: 'ants-carte-grise-collection',
        slug: 'ants-carte-grise-collection',
        volume_total: 12500,
        volume_online: 11000,
        user_categories: ['particuliers', 'professionnels'],
        online_status: 'oui',
        franceconnect: 'franceconnect',
        in_scope: true,
        help_channels: [{ kind: 'telephone', label: 'Serveur vocal', value: '34 00', hours: 'Du lundi au vendredi' }],
      });
      const log = await t.db.query(`SELECT action, actor_label, after FROM audit_log WHERE entity_type = 'procedure' AND entity_id = $1`, [
        String(id),
      ]);
      assert.equal(log.rows.length, 1);
      assert.equal(log.rows[0].action, 'procedure.create');
      assert.equal(log.rows[0].after.stableId, 'ants-carte-grise-collection');
      const page = await admin.get(`/catalogue/demarches/${id}?cree=1`);
      assert.match(page.body, /La démarche a été ajoutée/);
      assert.match(page.body, /Serveur vocal/);
    });

    test('the form adds a help channel row without JavaScript and without saving', async () => {
      const res = await admin.post('/catalogue/demarches/nouvelle', {
        ...validForm,
        stable_id: 'ants-ligne-en-plus',
        _action: 'ajouter-canal',
      });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /name="help_kind_2"/);
      assert.equal((await t.db.query(`SELECT 1 FROM procedures WHERE stable_id = 'ants-ligne-en-plus'`)).rows.length, 0);
    });

    test('HTML typed in any text field is shown escaped', async () => {
      const evil = '<script>alert("x")</script><img src=x onerror=alert(1)>';
      const res = await admin.post('/catalogue/demarches/nouvelle', {
        ...validForm,
        stable_id: 'ants-echappement',
        title: `Titre ${evil}`,
        description: `Description ${evil}`,
        help_label_0: `Libellé ${evil}`,
        help_value_0: `Valeur ${evil}`,
        help_hours_0: `Horaires ${evil}`,
      });
      assert.equal(res.statusCode, 303);
      const id = await procedureId(t.db, 'ants-echappement');
      for (const url of [
        `/catalogue/demarches/${id}`,
        `/catalogue/demarches/${id}/modifier`,
        '/catalogue?q=echappement',
        '/catalogue?q=Titre',
      ]) {
        const page = await admin.get(url);
        assert.equal(page.statusCode, 200, url);
        assert.doesNotMatch(page.body, /<script>alert|<img src=x/, url);
      }
      const detail = (await admin.get(`/catalogue/demarches/${id}`)).body;
      for (const label of ['Titre', 'Description', 'Libellé', 'Valeur', 'Horaires']) {
        assert.ok(detail.includes(`${label} &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;`), label);
      }
      const search = await admin.get(`/catalogue?q=${encodeURIComponent(evil)}`);
      assert.doesNotMatch(search.body, /<script>alert/);
    });

    test('archive hides a procedure from the default list; restore brings it back; both are audited', async () => {
      const id = await procedureId(t.db, 'dgfip-timbre-fiscal');
      const archived = await admin.post(`/catalogue/demarches/${id}/archiver`);
      assert.equal(archived.statusCode, 303);
      assert.ok(!listed((await admin.get('/catalogue?q=timbre+fiscal')).body).some((r) => r.id === id));
      assert.ok(listed((await admin.get('/catalogue?q=timbre+fiscal&archives=inclus')).body).some((r) => r.id === id));
      assert.deepEqual(
        listed((await admin.get('/catalogue?archives=seulement')).body).map((r) => r.id),
        [id],
      );
      assert.match((await admin.get(`/catalogue/demarches/${id}`)).body, /Cette démarche est archivée/);
      await admin.post(`/catalogue/demarches/${id}/restaurer`);
      assert.ok(listed((await admin.get('/catalogue?q=timbre+fiscal')).body).some((r) => r.id === id));
      const { rows } = await t.db.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [String(id)]);
      assert.deepEqual(
        rows.map((r) => r.action),
        ['procedure.archive', 'procedure.restore'],
      );
    });

    test('unknown or malformed ids are 404 pages', async () => {
      assert.equal((await admin.get('/catalogue/demarches/999999')).statusCode, 404);
      assert.equal((await admin.get('/catalogue/demarches/abc')).statusCode, 404);
      assert.equal((await admin.get('/catalogue?page=-3&tri=nimporte')).statusCode, 200);
    });
  });
}
