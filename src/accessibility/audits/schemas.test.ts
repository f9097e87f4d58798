/**
 * Route schemas of the audits (/audits-accessibilite/*), the auditor's invitation and the rules (/rgaa/regles): what a
 * hand-edited URL, query or form gets. An id of the URL that cannot be one is the same 404 as an unknown one; a hidden
 * field of an action form that is not what the form sends is a 400 with a French message; a form keeps its messages
 * beside its fields; the grid's script gets its refusal as JSON; nothing is written in any of these cases.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { TestClient } from '../../../test/helpers/client.ts';
import { createTestUser, sessionClient } from '../../../test/helpers/users.ts';
import { createTestCatalog, type TestCatalog } from '../../catalog/testing.ts';
import { getAudit, loadCells } from './work.ts';

const BASE = '/audits-accessibilite';

// Ids that are not ids: letters, zero, a leading zero, a sign, an exponent, a fraction, 17 digits, beyond 2^53.
const NOT_IDS = ['abc', '0', '01', '-1', '1e3', '1.5', '12345678901234567', '9007199254740993'];

/** Every table these routes write, and the versions of the grid's cells (a save changes no row count). */
const TABLES = [
  'audit_log',
  'users',
  'grants',
  'accessibility_audits',
  'accessibility_audit_environments',
  'accessibility_audit_auditors',
  'accessibility_audit_processes',
  'accessibility_audit_pages',
  'accessibility_results',
  'accessibility_nc_items',
  'accessibility_report_links',
  'accessibility_auditor_invitations',
  'accessibility_rgaa_versions',
];

for (const target of TEST_TARGETS) {
  describe(`route schemas of the accessibility audits and rules (${target})`, () => {
    let t: TestApp;
    let cat: TestCatalog;
    let team: TestClient;
    let admin: TestClient;
    let auditId: number;
    let pageId: number;
    const written = async () => {
      const counts: string[] = [];
      for (const table of TABLES) {
        const { rows } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
        counts.push(`${table}=${rows[0].n}`);
      }
      const versions = await t.db.query<{ n: number }>('SELECT coalesce(sum(version), 0)::int AS n FROM accessibility_results');
      const revoked = await t.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM accessibility_report_links WHERE revoked_at IS NOT NULL',
      );
      const rules = await t.db.query('SELECT validity_months, warning_days, goal_first_date FROM accessibility_rules');
      return `${counts.join(' ')} versions=${versions.rows[0].n} revoked=${revoked.rows[0].n} rules=${JSON.stringify(rules.rows)}`;
    };

    before(async () => {
      t = await createTestApp(target);
      cat = await createTestCatalog(t.db, { prefix: 'a11y-schemas' });
      const teamId = await createTestUser(t.db, 'equipe@schemas-a11y.gouv.fr', [
        { role: 'procedure_editor', procedureId: cat.procedures[0] },
      ]);
      team = await sessionClient(t.app, t.db, teamId);
      admin = await sessionClient(t.app, t.db, await createTestUser(t.db, 'pilotage@schemas-a11y.gouv.fr', [{ role: 'admin' }]));
      const created = await team.post(`${BASE}/demarches/${cat.procedures[0]}/nouveau`, { name: 'Audit des schémas', type: 'fast' });
      assert.equal(created.statusCode, 303);
      auditId = Number(/\/audits-accessibilite\/(\d+)/.exec(String(created.headers.location))![1]);
      assert.equal((await team.post(`${BASE}/${auditId}/pages`, { page_name: 'Accueil', kind: 'accueil' })).statusCode, 303);
      pageId = (await getAudit(t.db, auditId))!.pages[0].id;
      // A share link and a pending invitation, for the actions that name them.
      assert.equal((await team.post(`${BASE}/${auditId}/liens`)).statusCode, 200);
      assert.equal((await team.post(`${BASE}/${auditId}/auditeurs`, { email: 'inconnue@cabinet.fr' })).statusCode, 303);
    });
    after(() => t?.close());

    test('an audit id of the URL that is not one: the same 404 as an unknown audit, for every action; nothing written', async () => {
      const before = await written();
      const actions = [
        'modifier',
        'environnements',
        'environnements/retirer',
        'auditeurs',
        'auditeurs/invitations/annuler',
        'auditeurs/retirer',
        'processus',
        'pages',
        'pages/retirer',
        'pages/modifier',
        'pages/deplacer',
        'supprimer',
        'grille',
        'anomalies',
        'anomalies/modifier',
        'anomalies/supprimer',
        'anomalies/confirmer',
        'publier',
        'reauditer',
        'liens',
        'liens/revoquer',
        'scans/importer',
      ];
      const fields = { name: 'Changé', page_id: String(pageId), criterion: '1.1', status: 'C', version: '1', confirme: 'oui' };
      for (const action of actions) {
        const unknown = await team.post(`${BASE}/999999999/${action}`, fields);
        assert.equal(unknown.statusCode, 404, `unknown ${action}`);
        const title = /<h1>([^<]*)<\/h1>/.exec(unknown.body)![1];
        for (const id of NOT_IDS) {
          const res = await team.post(`${BASE}/${id}/${action}`, fields);
          assert.equal(res.statusCode, 404, `${id} ${action}`);
          assert.match(res.body, new RegExp(`<h1>${title}</h1>`), `${id} ${action}`);
        }
      }
      for (const id of NOT_IDS) {
        for (const action of ['nouveau', 'importer']) {
          const res = await team.post(`${BASE}/demarches/${id}/${action}`, { name: 'Audit', type: 'fast' });
          assert.equal(res.statusCode, 404, `${id} ${action}`);
        }
        for (const page of ['grille', 'cellule', 'scans', 'supprimer', 'pages/modifier', 'anomalies/image', 'rapport']) {
          assert.equal((await team.get(`${BASE}/${id}/${page}`)).statusCode, 404, `${id} ${page}`);
        }
      }
      // An invitation token longer than any: the link's own 404 (the router refuses above 100 characters: a 400).
      const long = await team.post(`/invitation-auditeur/${'x'.repeat(100)}`, { password: 'x' });
      assert.equal(long.statusCode, 404);
      assert.match(long.body, /<h1>Invitation invalide ou expirée<\/h1>/);
      assert.equal(await written(), before);
    });

    test('a hidden field of an action form that is not one: 400 with the French message, nothing written', async () => {
      const before = await written();
      for (const [action, fields, message] of [
        ['environnements/retirer', { environment_id: 'abc' }, 'Cet environnement n’existe pas ou plus\\. Rien n’a été retiré\\.'],
        ['auditeurs/invitations/annuler', { invitation_id: '01' }, 'Cette invitation n’existe pas ou plus\\. Rien n’a été annulé\\.'],
        ['auditeurs/retirer', { user_id: '-1' }, 'Cet auditeur n’existe pas ou plus\\. Rien n’a été retiré\\.'],
        ['pages/retirer', { page_id: [String(pageId), String(pageId)] }, 'Cette page n’existe pas ou plus\\. Rien n’a été retiré\\.'],
        ['pages/retirer', {}, 'Cette page n’existe pas ou plus\\. Rien n’a été retiré\\.'],
        [
          'pages/deplacer',
          { page_id: String(pageId), sens: 'gauche' },
          'Sens du déplacement inconnu : haut ou bas\\. Rien n’a été déplacé\\.',
        ],
        ['supprimer', { confirme: ['oui', 'oui'] }, 'Confirmation : une seule valeur est attendue\\. Rien n’a été supprimé\\.'],
        ['anomalies/supprimer', { item_id: 'x', version: '1' }, 'Cette anomalie n’existe pas ou plus\\. Rien n’a été modifié\\.'],
        [
          'anomalies/confirmer',
          { item_id: '1', version: 'abc' },
          'Version de l’anomalie invalide : rechargez la page\\. Rien n’a été modifié\\.',
        ],
        ['reauditer', { name: ['Un', 'Deux'] }, 'Nom du ré-audit : une seule valeur est attendue\\. Rien n’a été enregistré\\.'],
        ['liens/revoquer', { link_id: '1e3' }, 'Ce lien n’existe pas ou plus\\. Rien n’a été révoqué\\.'],
        ['scans/importer', { scan_id: '0' }, 'Ce scan n’existe pas ou plus\\. Rien n’a été importé\\.'],
      ] as const) {
        const res = await team.post(`${BASE}/${auditId}/${action}`, fields as Record<string, string | string[]>);
        assert.equal(res.statusCode, 400, action);
        assert.match(res.body, /<h1>Paramètre invalide<\/h1>/, action);
        assert.match(res.body, new RegExp(message), action);
      }
      // An id of the right shape that names nothing: the handler's 404, as before.
      assert.equal((await team.post(`${BASE}/${auditId}/pages/retirer`, { page_id: '999999999' })).statusCode, 404);
      assert.equal((await team.post(`${BASE}/${auditId}/liens/revoquer`, { link_id: '999999999' })).statusCode, 404);
      assert.equal(await written(), before);
      assert.ok(await getAudit(t.db, auditId), 'the audit is still there');
    });

    test('the grid: a hand-edited cell is refused in its words, as JSON for the script; a save costs 3 queries', async () => {
      const before = await written();
      const json = (fields: Record<string, string | readonly string[]>) => {
        const body = new URLSearchParams();
        for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
        return team.request({
          method: 'POST',
          url: `${BASE}/${auditId}/grille`,
          headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
          payload: body.toString(),
        });
      };
      const csrf = await team.csrf(`${BASE}/${auditId}/grille`);
      const cell = { _csrf: csrf, page_id: String(pageId), criterion: '1.1', status: 'C', note: '', version: '1' };
      for (const [fields, message] of [
        [{ status: 'XX' }, 'Choisissez un statut : conforme, non conforme, non applicable ou non testé.'],
        [{ status: ['C', 'NC'] }, 'Choisissez un statut : conforme, non conforme, non applicable ou non testé.'],
        [{ note: 'x'.repeat(5001) }, 'La note fait 5 000 caractères au maximum.'],
        [{ page_id: 'abc' }, 'Cette page ou ce critère ne fait pas partie de l’audit.'],
        [{ criterion: '1.1;DROP' }, 'Cette page ou ce critère ne fait pas partie de l’audit.'],
        [{ version: '0' }, 'Version du critère invalide : rechargez la grille.'],
        [{ version: ['1', '2'] }, 'Version du critère invalide : rechargez la grille.'],
      ] as const) {
        const res = await json({ ...cell, ...fields });
        assert.equal(res.statusCode, 400, JSON.stringify(fields).slice(0, 80));
        assert.deepEqual(JSON.parse(res.body), { outcome: 'refused', message });
      }
      // Without JavaScript: the error page, with the same message.
      const page = await team.post(`${BASE}/${auditId}/grille`, { page_id: String(pageId), criterion: '1.1', status: 'XX', version: '1' });
      assert.equal(page.statusCode, 400);
      assert.match(page.body, /<h1>Critère non enregistré<\/h1>/);
      assert.match(page.body, /Choisissez un statut : conforme, non conforme, non applicable ou non testé\. Rien n’a été enregistré\./);
      assert.equal(await written(), before);
      // A real save: session, access, one statement for the cell and its journal entry.
      const count = t.db.queryCount;
      const saved = await json(cell);
      assert.equal(saved.statusCode, 200);
      assert.equal(JSON.parse(saved.body).version, 2);
      assert.equal(t.db.queryCount - count, 3);
      assert.equal((await loadCells(t.db, auditId, [pageId])).get(pageId)!.get('1.1')!.status, 'C');
    });

    test('forms keep their messages beside the fields, whatever the hand-edited body; nothing written', async () => {
      const before = await written();
      const process = await team.post(`${BASE}/${auditId}/processus`, { process_name: ['Un', 'Deux'] });
      assert.equal(process.statusCode, 400);
      assert.match(process.body, /id="resume-erreurs"/);
      assert.match(process.body, /Saisissez le nom du processus\./);
      const pages = await team.post(`${BASE}/${auditId}/pages`, { page_name: 'Aide', kind: 'inconnu' });
      assert.equal(pages.statusCode, 400);
      assert.match(pages.body, /Choisissez le type de page\./);
      const fields = await team.post(`${BASE}/${auditId}/modifier`, { name: ['A', 'B'], version: '1' });
      assert.equal(fields.statusCode, 400);
      assert.match(fields.body, /Saisissez le nom de l’audit\./);
      const created = await team.post(`${BASE}/demarches/${cat.procedures[0]}/nouveau`, {
        name: 'Audit',
        type: 'fast',
        environments: ['NVDA|Firefox|Windows', 'Lynx|DOS'],
      });
      assert.equal(created.statusCode, 400);
      assert.match(created.body, /Choisissez des environnements de la liste\./);
      const email = await team.post(`${BASE}/${auditId}/auditeurs`, { email: ['a@b.fr', 'c@d.fr'] });
      assert.equal(email.statusCode, 400);
      assert.match(email.body, /Saisissez une adresse électronique valide/);
      // The rules: a repeated or missing number, a bad version.
      const rules = await admin.post('/rgaa/regles', { validity_months: ['36', '12'], warning_days: '30' });
      assert.equal(rules.statusCode, 400);
      assert.match(rules.body, /id="resume-erreurs"/);
      assert.match(rules.body, /Saisissez un nombre entier entre 1 et 120\./);
      const version = await admin.post('/rgaa/regles/versions', { version: ['5', '6'], published_on: '2027-01-01' });
      assert.equal(version.statusCode, 400);
      assert.match(version.body, /Saisissez un numéro de version, par exemple 5 ou 4\.2\./);
      assert.equal(await written(), before);
      // The same forms, sent as they should be, still save.
      const saved = await admin.post('/rgaa/regles/versions', { version: '5', published_on: '2027-01-01' });
      assert.equal(saved.statusCode, 303);
      assert.match((await admin.get('/rgaa/regles')).body, /RGAA 5, publié le/);
    });

    test('queries: a hand-edited notice, page, theme or status falls back; the known ones still show', async () => {
      for (const url of [
        `${BASE}/${auditId}?message=constructor&message=cree`,
        `${BASE}/${auditId}/grille?page=abc&theme=99&statut=XX&message=__proto__`,
        `${BASE}/${auditId}/grille?page=${pageId}&page=${pageId}&theme=1&theme=2`,
        `${BASE}/${auditId}/scans?importes=-1`,
        `${BASE}/demarches/${cat.procedures[0]}?message=toString`,
      ]) {
        const res = await team.get(url);
        assert.equal(res.statusCode, 200, url);
        assert.doesNotMatch(res.body, /fr-alert--success/, url);
      }
      assert.match((await team.get(`${BASE}/${auditId}?message=enregistre`)).body, /Enregistré\./);
      assert.match((await team.get(`${BASE}/${auditId}/scans?importes=2`)).body, /2 anomalies automatiques importées/);
      assert.match(
        (await team.get(`${BASE}/${auditId}/cellule?page=${pageId}&critere=1.1&message=anomalie`)).body,
        /Anomalie enregistrée\./,
      );
      // A cell or a page that is not one: the page's own 404.
      assert.equal((await team.get(`${BASE}/${auditId}/cellule?page=${pageId}&critere=1.1&critere=1.2`)).statusCode, 404);
      assert.equal((await team.get(`${BASE}/${auditId}/pages/modifier?page=01`)).statusCode, 404);
      assert.equal((await team.get(`${BASE}/${auditId}/anomalies/image?item=abc`)).statusCode, 404);
    });
  });
}
