import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { TestClient } from '../../../test/helpers/client.ts';
import { createTestUser, signedInClient } from '../../../test/helpers/users.ts';
import { Visitor } from '../testing.ts';
import { createTestCatalog, type TestCatalog } from '../../catalog/testing.ts';

async function auditActions(t: TestApp, prefix: string): Promise<string[]> {
  const { rows } = await t.db.query(`SELECT action FROM audit_log WHERE action LIKE $1 ORDER BY id`, [`${prefix}%`]);
  return rows.map((r) => r.action);
}

for (const target of TEST_TARGETS) {
  describe(`feedback forms and buttons in the back-office (${target})`, () => {
    let t: TestApp;
    let c: TestCatalog;
    let editor: TestClient;
    let reader: TestClient;
    let admin: TestClient;
    let formId: number;

    before(async () => {
      t = await createTestApp(target);
      c = await createTestCatalog(t.db, { prefix: 'bo' });
      await createTestUser(t.db, 'editrice@exemple.gouv.fr', [{ role: 'procedure_editor', procedureId: c.procedures[0] }]);
      await createTestUser(t.db, 'lecteur@exemple.gouv.fr', [{ role: 'procedure_reader', procedureId: c.procedures[0] }]);
      await createTestUser(t.db, 'pilotage@exemple.gouv.fr', [{ role: 'admin' }]);
      editor = await signedInClient(t.app, 'editrice@exemple.gouv.fr', undefined, '10.0.0.1');
      reader = await signedInClient(t.app, 'lecteur@exemple.gouv.fr', undefined, '10.0.0.2');
      admin = await signedInClient(t.app, 'pilotage@exemple.gouv.fr', undefined, '10.0.0.3');
    });
    after(async () => t.close());

    test('an editor creates a form for a procedure of their scope, and only there', async () => {
      await editor.get('/avis');
      const out = await editor.post('/avis/formulaires', {
        procedure_id: String(c.procedures[1]),
        template: 'default',
        name: 'Hors périmètre',
      });
      assert.equal(out.statusCode, 403);
      const missing = await editor.post('/avis/formulaires', { procedure_id: String(c.procedures[0]), template: 'default', name: '' });
      assert.equal(missing.statusCode, 400);
      assert.match(missing.body, /Donnez un nom au formulaire\./);
      const res = await editor.post('/avis/formulaires', {
        procedure_id: String(c.procedures[0]),
        template: 'default',
        name: 'Avis fin de démarche',
      });
      assert.equal(res.statusCode, 303);
      formId = Number(/\/avis\/formulaires\/(\d+)/.exec(String(res.headers.location))![1]);
      const list = await reader.get('/avis');
      assert.match(list.body, /Avis fin de démarche/);
      assert.doesNotMatch(list.body, /Créer un formulaire/, 'a reader cannot create forms');
      assert.equal((await reader.post(`/avis/formulaires/${formId}/boutons`, { name: 'x' })).statusCode, 403);
      assert.deepEqual(await auditActions(t, 'feedback.form'), ['feedback.form.create']);
    });

    test('every settings change is a draft version; the live form shows the published one', async () => {
      const add = await editor.post(`/avis/formulaires/${formId}/boutons`, { name: 'Page de confirmation', placement: 'après le dépôt' });
      assert.equal(add.statusCode, 303);
      const page = await editor.get(`/avis/formulaires/${formId}`);
      const key = /\/avis\/b\/([A-Za-z0-9_-]+)/.exec(page.body)![1];
      assert.match(page.body, /&lt;a href=&quot;http:\/\/localhost:3000\/avis\/b\//, 'copy-ready link code');
      assert.match(page.body, /avis\/bouton\.svg\?theme=sombre&amp;amp;style=contour/);
      assert.match(page.body, /data-vigie-avis/);

      const draft = await editor.post(`/avis/formulaires/${formId}/brouillon`, {
        hidden_steps: 'clarity',
        intro_fr: 'Votre avis sur {procedure} nous aide.',
        contact_email: 'oui',
      });
      assert.equal(draft.statusCode, 303);
      let live = await new Visitor(t.app, '10.1.0.1').client.get(`/avis/b/${key}`);
      assert.match(live.body, /Étape 1 sur 4/, 'a draft changes nothing online');
      assert.equal((await editor.post(`/avis/formulaires/${formId}/publier`)).statusCode, 303);
      live = await new Visitor(t.app, '10.1.0.2').client.get(`/avis/b/${key}`);
      assert.match(live.body, /Étape 1 sur 3/);
      assert.match(live.body, /Votre avis sur Démarche de test 1 nous aide\./);
      const { rows } = await t.db.query('SELECT version, status FROM feedback_form_versions WHERE form_id = $1 ORDER BY version', [formId]);
      assert.deepEqual(
        rows.map((r) => `${r.version}:${r.status}`),
        ['1:retired', '2:published'],
      );
      const versions = await reader.get(`/avis/formulaires/${formId}`);
      assert.match(versions.body, /Versions du formulaire et périodes en ligne/);
      assert.deepEqual(await auditActions(t, 'feedback.form.'), ['feedback.form.create', 'feedback.form.draft', 'feedback.form.publish']);

      const tooLong = await editor.post(`/avis/formulaires/${formId}/brouillon`, { intro_fr: 'x'.repeat(301) });
      assert.equal(tooLong.statusCode, 400);
      assert.match(tooLong.body, /300 caractères au maximum/);
    });

    test('only the steering team locks a form; a locked form keeps its indicator questions', async () => {
      assert.equal((await editor.post(`/avis/formulaires/${formId}/verrouiller`)).statusCode, 403);
      await admin.get(`/avis/formulaires/${formId}`);
      assert.equal((await admin.post(`/avis/formulaires/${formId}/verrouiller`)).statusCode, 303);
      const hide = await editor.post(`/avis/formulaires/${formId}/brouillon`, { hidden_steps: 'help' });
      assert.equal(hide.statusCode, 400);
      assert.match(hide.body, /Formulaire verrouillé/);
      const channel = await editor.post(`/avis/formulaires/${formId}/brouillon`, { hidden_help: 'phone' });
      assert.equal(channel.statusCode, 400);
      assert.equal((await editor.post(`/avis/formulaires/${formId}/brouillon`, { hidden_help: 'association' })).statusCode, 303);
      assert.ok((await auditActions(t, 'feedback.form.lock')).length === 1);
    });

    test('a closed or deleted button shows « formulaire fermé » and counts the click', async () => {
      const { rows } = await t.db.query('SELECT id, public_key FROM feedback_buttons WHERE form_id = $1', [formId]);
      const [{ id, public_key: key }] = rows;
      assert.equal((await editor.post(`/avis/boutons/${id}/fermer`)).statusCode, 303);
      assert.equal((await new Visitor(t.app, '10.1.0.3').client.get(`/avis/b/${key}`)).statusCode, 410);
      assert.equal((await editor.post(`/avis/boutons/${id}/rouvrir`)).statusCode, 303);
      assert.equal((await new Visitor(t.app, '10.1.0.4').client.get(`/avis/b/${key}`)).statusCode, 200);
      assert.equal((await reader.post(`/avis/boutons/${id}/supprimer`)).statusCode, 403);
      assert.equal((await editor.post(`/avis/boutons/${id}/supprimer`)).statusCode, 303);
      const closed = await new Visitor(t.app, '10.1.0.5').client.get(`/avis/b/${key}`);
      assert.equal(closed.statusCode, 410);
      assert.match(closed.body, /Formulaire fermé/);
      const { rows: after } = await t.db.query('SELECT closed_clicks FROM feedback_buttons WHERE id = $1', [id]);
      assert.equal(Number(after[0].closed_clicks), 2);
      assert.deepEqual(await auditActions(t, 'feedback.button.'), [
        'feedback.button.create',
        'feedback.button.close',
        'feedback.button.reopen',
        'feedback.button.delete',
      ]);
    });

    test('the image button is served as SVG with its text, usable from other sites', async () => {
      const res = await t.app.inject('/avis/bouton.svg?theme=sombre&style=contour');
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /image\/svg\+xml/);
      assert.match(res.body, /<title id="t">Je donne mon avis<\/title>/);
      assert.equal(res.headers['cross-origin-resource-policy'], 'cross-origin');
      const widget = await t.app.inject('/avis/widget.js');
      assert.match(widget.body, /aria-modal/);
      assert.match(widget.body, /event\.origin !== vigieOrigin/);
    });

    test('anonymous visitors are sent to the sign-in page', async () => {
      const res = await t.app.inject('/avis');
      assert.equal(res.statusCode, 303);
      assert.match(String(res.headers.location), /^\/connexion\?retour=/);
    });
  });
}
