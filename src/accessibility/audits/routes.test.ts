import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { TestClient } from '../../../test/helpers/client.ts';
import { createTestUser, sessionClient } from '../../../test/helpers/users.ts';
import type { ScanFindingsReader } from '../../monitoring/index.ts';
import { getAudit, loadCells } from './work.ts';
import { gridRows, type JsonRow } from './export.ts';
import { importScanFindings } from './scans.ts';
import { imageTypeOf } from './routes.ts';
import { createTestCatalog, type TestCatalog } from '../../catalog/testing.ts';

const BASE = '/audits-accessibilite';

/** A multipart body of text fields and files, as a browser sends it. */
function multipart(fields: Record<string, string>, files: Record<string, { name: string; type: string; bytes: Buffer }> = {}) {
  const boundary = '----vigie-test-boundary';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const [k, f] of Object.entries(files)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`),
      f.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function postMultipart(
  c: TestClient,
  url: string,
  fields: Record<string, string>,
  files: Record<string, { name: string; type: string; bytes: Buffer }> = {},
) {
  const { payload, contentType } = multipart(fields, files);
  const sep = url.includes('?') ? '&' : '?';
  return c.request({
    method: 'POST',
    url: `${url}${sep}_csrf=${encodeURIComponent(await c.csrf())}`,
    headers: { 'content-type': contentType },
    payload,
  });
}

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4b40000000049454e44ae426082',
  'hex',
);

const count = async (t: TestApp, table: string) => Number((await t.db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n);

for (const target of TEST_TARGETS) {
  describe(`accessibility audits in the back-office (${target})`, () => {
    let t: TestApp;
    let cat: TestCatalog;
    let team: TestClient;
    let teamId: number;
    let auditId: number;
    let pages: number[];

    before(async () => {
      t = await createTestApp(target);
      cat = await createTestCatalog(t.db, { prefix: 'a11y' });
      teamId = await createTestUser(t.db, 'equipe@a11y.gouv.fr', [{ role: 'procedure_editor', procedureId: cat.procedures[0] }], {
        displayName: 'Alice Équipe',
      });
      team = await sessionClient(t.app, t.db, teamId);
    });
    after(() => t?.close());

    test('the team creates a fast audit with environments; bad input is refused in French, nothing written', async () => {
      const before = await count(t, 'accessibility_audits');
      const bad = await team.post(`${BASE}/demarches/${cat.procedures[0]}/nouveau`, {
        name: '',
        type: 'enorme',
        started_on: '2026-05-02',
        finished_on: '2026-05-01',
        env_browser: 'Firefox',
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Saisissez le nom de l’audit/);
      assert.match(bad.body, /Choisissez le type d’audit/);
      assert.match(bad.body, /La fin de l’audit ne peut pas précéder son début/);
      assert.match(bad.body, /Saisissez le système d’exploitation/);
      assert.equal(await count(t, 'accessibility_audits'), before);

      const res = await team.post(`${BASE}/demarches/${cat.procedures[0]}/nouveau`, {
        name: 'Audit rapide 2026',
        type: 'fast',
        site_url: 'https://exemple.gouv.fr/',
        audited_by: 'DINUM',
        tools: 'Assistant RGAA, WAVE',
        started_on: '2026-05-01',
        finished_on: '2026-05-10',
        environments: ['NVDA|Firefox|Windows'],
        env_at: 'TalkBack',
        env_browser: 'Chrome',
        env_os: 'Android',
      });
      assert.equal(res.statusCode, 303);
      auditId = Number(/\/audits-accessibilite\/(\d+)/.exec(String(res.headers.location))![1]);
      const a = (await getAudit(t.db, auditId))!;
      assert.equal(a.type, 'fast');
      assert.deepEqual(a.tools, ['Assistant RGAA', 'WAVE']);
      assert.deepEqual(
        a.environments.map((e) => `${e.assistiveTechnology}|${e.browser}|${e.operatingSystem}`),
        ['NVDA|Firefox|Windows', 'TalkBack|Chrome|Android'],
      );
      const page = await team.get(`${BASE}/${auditId}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Audit rapide 2026/);
    });

    test('the sample: pages with kinds, a process, the transverse pseudo-page; a full audit lacking mandatory kinds warns', async () => {
      assert.equal((await team.post(`${BASE}/${auditId}/processus`, { process_name: 'Déposer une demande' })).statusCode, 303);
      const processId = (await getAudit(t.db, auditId))!.processes[0].id;
      for (const p of [
        { page_name: 'Accueil', page_url: 'https://exemple.gouv.fr/', kind: 'accueil' },
        { page_name: 'Étape 1', page_url: 'https://exemple.gouv.fr/etape-1', kind: 'processus', process_id: String(processId) },
        { page_name: 'Éléments transverses', kind: 'transverse' },
      ] as Record<string, string>[]) {
        assert.equal((await team.post(`${BASE}/${auditId}/pages`, p)).statusCode, 303);
      }
      const twice = await team.post(`${BASE}/${auditId}/pages`, { page_name: 'Encore', kind: 'transverse' });
      assert.equal(twice.statusCode, 400);
      assert.match(twice.body, /déjà sa page « Éléments transverses »/);
      const a = (await getAudit(t.db, auditId))!;
      pages = a.pages.map((p) => p.id);
      assert.equal(pages.length, 3);
      // 3 pages × 25 criteria of a fast audit.
      assert.equal(
        Number((await t.db.query('SELECT count(*)::int AS n FROM accessibility_results WHERE audit_id = $1', [auditId])).rows[0].n),
        75,
      );
      // A fast audit does not warn; a full one does.
      assert.doesNotMatch((await team.get(`${BASE}/${auditId}`)).body, /Échantillon incomplet/);
      const full = await team.post(`${BASE}/demarches/${cat.procedures[0]}/nouveau`, { name: 'Complet', type: 'full' });
      const fullId = Number(/(\d+)\?/.exec(String(full.headers.location))![1]);
      await team.post(`${BASE}/${fullId}/pages`, { page_name: 'Accueil', kind: 'accueil' });
      const body = (await team.get(`${BASE}/${fullId}`)).body;
      assert.match(body, /Échantillon incomplet/);
      assert.match(body, /Page contact/);
      assert.doesNotMatch(body.split('Échantillon incomplet')[1].split('</div>')[0], /Page d’accueil/);
    });

    test('the grid without JavaScript: one form per criterion, saved with its version; a stale save shows both values', async () => {
      const grid = await team.get(`${BASE}/${auditId}/grille?page=${pages[0]}`);
      assert.equal(grid.statusCode, 200);
      assert.equal((grid.body.match(/class="vigie-a11y-cell"/g) ?? []).length, 25);
      assert.match(grid.body, /Tests et glossaire du critère 1\.1/);
      const detail = await team.get(`${BASE}/${auditId}/cellule?page=${pages[0]}&critere=1.1`);
      assert.match(detail.body, /Tests, méthodologie et glossaire du critère 1\.1/);
      assert.match(detail.body, /Test 1\.1\.1<\/h4>/);
      assert.match(detail.body, /<strong>Méthodologie<\/strong>/);
      assert.match(detail.body, /<dt class="fr-text--sm"><strong>Image porteuse d’information<\/strong>/);
      assert.match(grid.body, /Avancement : 0 cellule testée sur 75/);
      const ok = await team.post(`${BASE}/${auditId}/grille`, {
        page_id: String(pages[0]),
        criterion: '1.1',
        status: 'C',
        note: 'Bien',
        version: '1',
      });
      assert.equal(ok.statusCode, 303);
      // Bob, another editor, saw version 1 too: his save is refused, Alice's value shown, his kept in the form.
      const bobId = await createTestUser(t.db, 'bob@a11y.gouv.fr', [{ role: 'procedure_editor', procedureId: cat.procedures[0] }], {
        displayName: 'Bob',
      });
      const bob = await sessionClient(t.app, t.db, bobId);
      const stale = await bob.post(`${BASE}/${auditId}/grille`, {
        page_id: String(pages[0]),
        criterion: '1.1',
        status: 'NC',
        note: 'Image sans alternative',
        version: '1',
      });
      assert.equal(stale.statusCode, 409);
      assert.match(stale.body, /Alice Équipe a enregistré ce critère/);
      assert.match(stale.body, /id="valeur-enregistree"><span[^>]*>Conforme/);
      assert.match(stale.body, /id="votre-valeur"><span[^>]*>Non conforme/);
      assert.match(stale.body, /value="Image sans alternative"/);
      let cell = (await loadCells(t.db, auditId, [pages[0]])).get(pages[0])!.get('1.1')!;
      assert.equal(cell.status, 'C');
      assert.equal(cell.version, 2);
      // « Enregistrer ma valeur à la place »: the form carries the version he has now seen.
      const json = await bob.request({
        method: 'POST',
        url: `${BASE}/${auditId}/grille`,
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          _csrf: await bob.csrf(),
          page_id: String(pages[0]),
          criterion: '1.1',
          status: 'NC',
          note: 'Image sans alternative',
          version: '2',
        }).toString(),
      });
      assert.equal(json.statusCode, 200);
      assert.deepEqual(JSON.parse(json.body).outcome, 'saved');
      cell = (await loadCells(t.db, auditId, [pages[0]])).get(pages[0])!.get('1.1')!;
      assert.equal(cell.status, 'NC');
      // JSON conflict for the enhancement script.
      const conflict = await team.request({
        method: 'POST',
        url: `${BASE}/${auditId}/grille`,
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          _csrf: await team.csrf(),
          page_id: String(pages[0]),
          criterion: '1.1',
          status: 'C',
          version: '2',
        }).toString(),
      });
      assert.equal(conflict.statusCode, 409);
      assert.deepEqual(JSON.parse(conflict.body).current, { status: 'NC', note: 'Image sans alternative', version: 3, updatedBy: 'Bob' });
      // A criterion not of a fast audit, or a page of another audit: refused.
      assert.equal(
        (await team.post(`${BASE}/${auditId}/grille`, { page_id: String(pages[0]), criterion: '1.2', status: 'C', version: '1' }))
          .statusCode,
        400,
      );
    });

    test('NC items: description, impact, quick win, recommendation, a screenshot whose type is read from its bytes', async () => {
      assert.equal(imageTypeOf(PNG), 'image/png');
      assert.equal(imageTypeOf(Buffer.from('GIF89a....')), 'image/gif');
      assert.equal(imageTypeOf(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')), null);
      const before = await count(t, 'accessibility_nc_items');
      const fake = await postMultipart(
        team,
        `${BASE}/${auditId}/anomalies`,
        { page_id: String(pages[0]), criterion: '1.1', description: 'Logo sans alternative', impact: 'majeur' },
        {
          image: { name: 'capture.png', type: 'image/png', bytes: Buffer.from('<script>alert(1)</script>') },
        },
      );
      assert.equal(fake.statusCode, 400);
      assert.match(fake.body, /La capture doit être une image PNG, JPEG, GIF ou WebP/);
      assert.equal(await count(t, 'accessibility_nc_items'), before);
      const big = await postMultipart(
        team,
        `${BASE}/${auditId}/anomalies`,
        { page_id: String(pages[0]), criterion: '1.1', description: 'Trop lourde' },
        {
          image: { name: 'capture.png', type: 'image/png', bytes: Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]) },
        },
      );
      assert.equal(big.statusCode, 400);
      assert.match(big.body, /dépasse 2 Mo/);
      assert.equal(await count(t, 'accessibility_nc_items'), before);
      const ok = await postMultipart(
        team,
        `${BASE}/${auditId}/anomalies`,
        {
          page_id: String(pages[0]),
          criterion: '1.1',
          description: 'Logo sans alternative',
          impact: 'majeur',
          quick_win: '1',
          recommendation: 'Ajouter alt="Vigie"',
          image_alt: 'Le logo en haut à gauche',
        },
        { image: { name: 'capture.png', type: 'application/octet-stream', bytes: PNG } },
      );
      assert.equal(ok.statusCode, 303);
      const cell = (await loadCells(t.db, auditId, [pages[0]])).get(pages[0])!.get('1.1')!;
      assert.equal(cell.items.length, 1);
      assert.deepEqual(
        { ...cell.items[0], id: 0, pageId: 0 },
        {
          id: 0,
          pageId: 0,
          criterion: '1.1',
          position: 1,
          description: 'Logo sans alternative',
          impact: 'majeur',
          quickWin: true,
          recommendation: 'Ajouter alt="Vigie"',
          origin: 'manual',
          confirmed: true,
          scanRule: null,
          hasImage: true,
          imageAlt: 'Le logo en haut à gauche',
        },
      );
      const image = await team.get(`${BASE}/${auditId}/anomalies/image?item=${cell.items[0].id}`);
      assert.equal(image.headers['content-type'], 'image/png');
      assert.equal(image.rawPayload.length, PNG.length);
      // An edit with a stale version of the cell is refused, nothing changed.
      const stale = await postMultipart(team, `${BASE}/${auditId}/anomalies/modifier`, {
        item_id: String(cell.items[0].id),
        version: String(cell.version - 1),
        description: 'Autre',
      });
      assert.equal(stale.statusCode, 409);
      assert.equal((await loadCells(t.db, auditId, [pages[0]])).get(pages[0])!.get('1.1')!.items[0].description, 'Logo sans alternative');
    });

    test('an outside auditor granted one audit edits it and nothing else; only the team grants, publishes, shares', async () => {
      const outsiderId = await createTestUser(t.db, 'auditrice@cabinet.fr', [], { displayName: 'Claire Auditrice' });
      const outsider = await sessionClient(t.app, t.db, outsiderId);
      assert.equal((await outsider.get(`${BASE}/${auditId}/grille`)).statusCode, 403);
      const bad = await team.post(`${BASE}/${auditId}/auditeurs`, { email: 'pas-une-adresse' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Saisissez une adresse électronique valide/);
      assert.equal((await team.post(`${BASE}/${auditId}/auditeurs`, { email: 'Auditrice@cabinet.fr' })).statusCode, 303);
      assert.equal(t.mails.at(-1)!.to, 'Auditrice@cabinet.fr');
      assert.match(t.mails.at(-1)!.text, /sur cet audit seulement/);
      assert.equal((await outsider.get(`${BASE}/${auditId}/grille?page=${pages[1]}`)).statusCode, 200);
      const cell = (await loadCells(t.db, auditId, [pages[1]])).get(pages[1])!.get('3.1')!;
      assert.equal(
        (
          await outsider.post(`${BASE}/${auditId}/grille`, {
            page_id: String(pages[1]),
            criterion: '3.1',
            status: 'NA',
            version: String(cell.version),
          })
        ).statusCode,
        303,
      );
      // Not the procedure's audits list, not another audit, not publishing or sharing.
      assert.equal((await outsider.get(`${BASE}/demarches/${cat.procedures[0]}`)).statusCode, 403);
      assert.equal((await outsider.post(`${BASE}/${auditId}/publier`)).statusCode, 403);
      assert.equal((await outsider.post(`${BASE}/${auditId}/liens`)).statusCode, 403);
      assert.equal((await outsider.post(`${BASE}/${auditId}/auditeurs`, { email: 'x@y.fr' })).statusCode, 403);
      const other = await team.post(`${BASE}/demarches/${cat.procedures[0]}/nouveau`, { name: 'Autre', type: 'fast' });
      const otherId = Number(/(\d+)\?/.exec(String(other.headers.location))![1]);
      assert.equal((await outsider.get(`${BASE}/${otherId}`)).statusCode, 403);
      // Another procedure's editor cannot reach this audit.
      const stranger = await sessionClient(
        t.app,
        t.db,
        await createTestUser(t.db, 'autre@a11y.gouv.fr', [{ role: 'procedure_editor', procedureId: cat.procedures[1] }]),
      );
      assert.equal((await stranger.get(`${BASE}/${auditId}`)).statusCode, 403);
    });

    test('an outside auditor without an account is invited by e-mail: the link creates the account and grants this audit only, once, before it expires', async () => {
      const other = await team.post(`${BASE}/demarches/${cat.procedures[0]}/nouveau`, { name: 'Autre audit', type: 'fast' });
      const otherId = Number(/(\d+)\?/.exec(String(other.headers.location))![1]);
      const users = await count(t, 'users');
      const res = await team.post(`${BASE}/${auditId}/auditeurs`, { email: 'Nouvelle.Auditrice@cabinet-externe.fr' });
      assert.equal(res.statusCode, 303);
      assert.match(String(res.headers.location), /message=auditeur-invite/);
      assert.equal(await count(t, 'users'), users, 'no account is created by the invitation itself');
      const mail = t.mails.at(-1)!;
      assert.equal(mail.to, 'Nouvelle.Auditrice@cabinet-externe.fr');
      assert.match(mail.text, /sur cet audit seulement/);
      const link = /http:\/\/localhost:3000(\/invitation-auditeur\/[A-Za-z0-9_-]+)/.exec(mail.text)![1];
      const journal = await t.db.query(`SELECT after FROM audit_log WHERE action = 'accessibility.auditor.invite' AND entity_id = $1`, [
        String(auditId),
      ]);
      assert.equal(journal.rows.length, 1);
      // The team sees it pending.
      assert.match((await team.get(`${BASE}/${auditId}`)).body, /Invitations en attente[\s\S]*nouvelle.auditrice@cabinet-externe.fr/);

      const invitee = new TestClient(t.app, { remoteAddress: '10.7.7.1' });
      const page = await invitee.get(link);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Invitation à auditer/);
      // Bad input: refused in French, nothing written (no account, invitation still pending).
      const weak = await invitee.post(link, { display_name: 'Nora Auditrice', password: 'court', password_confirmation: 'court' });
      assert.equal(weak.statusCode, 400);
      assert.match(weak.body, /au moins 12 caractères/);
      assert.equal(await count(t, 'users'), users);
      const accepted = await invitee.post(link, {
        display_name: 'Nora Auditrice',
        password: 'un-mot-de-passe-solide',
        password_confirmation: 'un-mot-de-passe-solide',
      });
      assert.equal(accepted.statusCode, 303);
      assert.equal(String(accepted.headers.location), `${BASE}/${auditId}?message=invitation-acceptee`);
      assert.equal(await count(t, 'users'), users + 1);
      const { rows: created } = await t.db.query(
        `SELECT id, email, email_verified_at FROM users WHERE email = 'nouvelle.auditrice@cabinet-externe.fr'`,
      );
      assert.ok(created[0].email_verified_at, 'the link proved the address');
      // Signed in, with the grant on this audit only: no catalogue grant, not the other audit, not the procedure's list.
      assert.equal((await invitee.get(`${BASE}/${auditId}/grille?page=${pages[0]}`)).statusCode, 200);
      assert.equal((await invitee.get(`${BASE}/${otherId}`)).statusCode, 403);
      assert.equal((await invitee.get(`${BASE}/demarches/${cat.procedures[0]}`)).statusCode, 403);
      assert.equal(await count(t, 'grants WHERE user_id = ' + Number(created[0].id)), 0);
      const { rows: granted } = await t.db.query('SELECT audit_id FROM accessibility_audit_auditors WHERE user_id = $1', [created[0].id]);
      assert.deepEqual(
        granted.map((r) => Number(r.audit_id)),
        [auditId],
      );
      const actions = (
        await t.db.query(
          `SELECT action FROM audit_log WHERE action IN ('user.create', 'accessibility.auditor.invitation.accept') AND actor_id = $1 ORDER BY id`,
          [created[0].id],
        )
      ).rows.map((r) => r.action);
      assert.deepEqual(actions, ['user.create', 'accessibility.auditor.invitation.accept']);
      // Single use: the same link again is refused, nothing written.
      const again = new TestClient(t.app, { remoteAddress: '10.7.7.2' });
      assert.equal((await again.get(link)).statusCode, 404);
      const reused = await again.post(link, {
        display_name: 'X',
        password: 'un-autre-mot-de-passe',
        password_confirmation: 'un-autre-mot-de-passe',
      });
      assert.equal(reused.statusCode, 404);
      assert.equal(await count(t, 'users'), users + 1);

      // An expired link is refused, nothing written; a cancelled one too.
      await team.post(`${BASE}/${auditId}/auditeurs`, { email: 'en-retard@cabinet-externe.fr' });
      const late = /(\/invitation-auditeur\/[A-Za-z0-9_-]+)/.exec(t.mails.at(-1)!.text)![1];
      await t.db.query(
        `UPDATE accessibility_auditor_invitations SET expires_at = now() - interval '1 minute' WHERE email = 'en-retard@cabinet-externe.fr'`,
      );
      const expired = await new TestClient(t.app, { remoteAddress: '10.7.7.3' }).post(late, {
        display_name: 'Y',
        password: 'un-mot-de-passe-solide',
        password_confirmation: 'un-mot-de-passe-solide',
      });
      assert.equal(expired.statusCode, 404);
      assert.match(expired.body, /n’est plus valable/);
      assert.equal(await count(t, 'users'), users + 1);
      await team.post(`${BASE}/${auditId}/auditeurs`, { email: 'annulee@cabinet-externe.fr' });
      const cancelledLink = /(\/invitation-auditeur\/[A-Za-z0-9_-]+)/.exec(t.mails.at(-1)!.text)![1];
      const { rows: pending } = await t.db.query(
        `SELECT id FROM accessibility_auditor_invitations WHERE email = 'annulee@cabinet-externe.fr'`,
      );
      assert.equal(
        (await team.post(`${BASE}/${auditId}/auditeurs/invitations/annuler`, { invitation_id: String(pending[0].id) })).statusCode,
        303,
      );
      assert.equal((await new TestClient(t.app, { remoteAddress: '10.7.7.4' }).get(cancelledLink)).statusCode, 404);
      assert.equal(
        (await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'accessibility.auditor.invitation.cancel'`)).rows[0].n,
        1,
      );
      // Only the team invites or cancels: an outside auditor cannot.
      assert.equal((await invitee.post(`${BASE}/${auditId}/auditeurs`, { email: 'ami@cabinet-externe.fr' })).statusCode, 403);
    });

    test('« en cours » until every cell is tested; « appliquer à toutes les pages »; publish makes it immutable', async () => {
      const refused = await team.post(`${BASE}/${auditId}/publier`);
      assert.equal(refused.statusCode, 409);
      assert.match(refused.body, /toutes les cellules/);
      // Apply C to every criterion from the first page: only the NT cells of other pages change.
      const cells = (await loadCells(t.db, auditId, [pages[0]])).get(pages[0])!;
      for (const [criterion, cell] of cells) {
        if (cell.status !== 'NT') continue;
        const res = await team.post(`${BASE}/${auditId}/grille`, {
          page_id: String(pages[0]),
          criterion,
          status: 'C',
          version: String(cell.version),
          all_pages: '1',
        });
        assert.equal(res.statusCode, 303, criterion);
      }
      // 1.1 was NC on page 1 and never applied to others: set them by hand.
      for (const pageId of pages.slice(1)) {
        const c = (await loadCells(t.db, auditId, [pageId])).get(pageId)!.get('1.1')!;
        await team.post(`${BASE}/${auditId}/grille`, {
          page_id: String(pageId),
          criterion: '1.1',
          status: 'C',
          version: String(c.version),
        });
      }
      const all = await loadCells(t.db, auditId);
      assert.equal(all.get(pages[1])!.get('3.1')!.status, 'NA', 'the outside auditor’s NA was kept');
      assert.equal([...all.values()].flatMap((m) => [...m.values()]).filter((c) => c.status === 'NT').length, 0);
      assert.equal((await team.post(`${BASE}/${auditId}/publier`)).statusCode, 303);
      const a = (await getAudit(t.db, auditId))!;
      assert.equal(a.status, 'published');
      // Immutable: a save, a page, an item are refused with the 409 page; nothing changes.
      const c = all.get(pages[0])!.get('3.1')!;
      const save = await team.post(`${BASE}/${auditId}/grille`, {
        page_id: String(pages[0]),
        criterion: c.criterion,
        status: 'NC',
        version: String(c.version),
      });
      assert.equal(save.statusCode, 409);
      assert.match(save.body, /Cet audit est publié/);
      assert.equal((await team.post(`${BASE}/${auditId}/pages`, { page_name: 'Encore', kind: 'autre' })).statusCode, 409);
      assert.equal(
        (await postMultipart(team, `${BASE}/${auditId}/anomalies`, { page_id: String(pages[0]), criterion: '1.1', description: 'x' }))
          .statusCode,
        409,
      );
      assert.equal((await loadCells(t.db, auditId)).get(pages[0])!.get(c.criterion)!.status, c.status);
    });

    test('the report: rate and label from the rate engine, NC with impact and recommendation; share link public once published, revocable', async () => {
      const report = await team.get(`${BASE}/${auditId}/rapport`);
      assert.equal(report.statusCode, 200);
      // By hand: 25 criteria; 3.1 is NA on Étape 1 but C on Accueil (applied), so all 25 applicable; 1.1 NC on Accueil → 24/25 = 96 %.
      assert.match(report.body, /96 % — partiellement conforme/);
      assert.match(report.body, /Logo sans alternative/);
      assert.match(report.body, /Impact : Majeur — gain rapide/);
      assert.match(report.body, /Recommandation : Ajouter alt=&quot;Vigie&quot;/);
      assert.match(report.body, /NVDA × Firefox × Windows/);
      assert.match(report.body, /audit\.css/);
      const created = await team.post(`${BASE}/${auditId}/liens`);
      const link = /<code id="nouveau-lien">http:\/\/localhost:3000(\/rapports-accessibilite\/[^<]+)<\/code>/.exec(created.body)![1];
      const stored = (await t.db.query('SELECT token_hash FROM accessibility_report_links')).rows.map((r) => r.token_hash);
      assert.ok(!stored.some((h) => link.includes(h)), 'only the hash is stored');
      const anonymous = new (await import('../../../test/helpers/client.ts')).TestClient(t.app);
      const shared = await anonymous.get(link);
      assert.equal(shared.statusCode, 200);
      assert.match(shared.body, /96 % — partiellement conforme/);
      assert.equal((await anonymous.get('/rapports-accessibilite/jeton-invente')).statusCode, 404);
      const linkId = (await t.db.query('SELECT id FROM accessibility_report_links WHERE audit_id = $1', [auditId])).rows[0].id;
      assert.equal((await team.post(`${BASE}/${auditId}/liens/revoquer`, { link_id: String(linkId) })).statusCode, 303);
      assert.equal((await anonymous.get(link)).statusCode, 404);
    });

    test('a re-audit starts from a copy and shows what changed (fixed, new NC)', async () => {
      const res = await team.post(`${BASE}/${auditId}/reauditer`, { name: 'Ré-audit 2027' });
      assert.equal(res.statusCode, 303);
      const newId = Number(/(\d+)\?/.exec(String(res.headers.location))![1]);
      const before = await gridRows(t.db, (await getAudit(t.db, auditId))!);
      const copy = await gridRows(t.db, (await getAudit(t.db, newId))!);
      assert.deepEqual(copy, before);
      const cells = await loadCells(t.db, newId);
      const newPages = (await getAudit(t.db, newId))!.pages.map((p) => p.id);
      await team.post(`${BASE}/${newId}/grille`, {
        page_id: String(newPages[0]),
        criterion: '1.1',
        status: 'C',
        version: String(cells.get(newPages[0])!.get('1.1')!.version),
      });
      await team.post(`${BASE}/${newId}/grille`, {
        page_id: String(newPages[2]),
        criterion: '10.7',
        status: 'NC',
        version: String(cells.get(newPages[2])!.get('10.7')!.version),
      });
      const page = (await team.get(`${BASE}/${newId}`)).body;
      assert.match(page, /1\snon-conformité corrigée<\/h3>\s*<ul><li>Accueil, critère 1\.1 : Non conforme → Conforme/);
      assert.match(page, /1\snouvelle non-conformité<\/h3>\s*<ul><li>Éléments transverses, critère 10\.7 : Conforme → Non conforme/);
    });

    test('exports CSV, XLSX, ODS and JSON imported back give the same audit; a bad file is refused line by line, nothing written', async () => {
      const original = await gridRows(t.db, (await getAudit(t.db, auditId))!);
      for (const format of ['csv', 'xlsx', 'ods', 'json']) {
        const file = await team.get(`${BASE}/${auditId}/export/${format}`);
        assert.equal(file.statusCode, 200, format);
        const res = await postMultipart(
          team,
          `${BASE}/demarches/${cat.procedures[0]}/importer`,
          {},
          { fichier: { name: `grille.${format}`, type: 'application/octet-stream', bytes: file.rawPayload } },
        );
        assert.equal(res.statusCode, 303, `${format}: ${res.body.slice(0, 2000)}`);
        const importedId = Number(/(\d+)\?/.exec(String(res.headers.location))![1]);
        const imported = (await getAudit(t.db, importedId))!;
        assert.equal(imported.type, 'fast');
        assert.equal(imported.status, 'in_progress');
        assert.deepEqual(await gridRows(t.db, imported), original, format);
        if (format === 'json') {
          assert.deepEqual(
            imported.environments.map((e) => e.browser),
            ['Firefox', 'Chrome'],
          );
          // Screenshots travel in JSON (base64): the uploaded PNG comes back byte for byte, with its alternative text.
          const shots = JSON.parse(file.body).rows.flatMap((r: JsonRow) => r.items.filter((i) => i.image).map((i) => i.image!));
          assert.equal(shots.length, 1);
          assert.deepEqual([shots[0].contentType, Buffer.from(shots[0].base64, 'base64').equals(PNG)], ['image/png', true]);
          const { rows: back } = await t.db.query(
            `SELECT img.content_type, img.alt, img.bytes FROM accessibility_nc_images img JOIN accessibility_nc_items i ON i.id = img.item_id
               JOIN accessibility_audit_pages p ON p.id = i.page_id WHERE p.audit_id = $1`,
            [importedId],
          );
          assert.equal(back.length, 1);
          assert.deepEqual([back[0].content_type, back[0].alt, Buffer.from(back[0].bytes).equals(PNG)], ['image/png', shots[0].alt, true]);
          // A screenshot that is not an image: refused with its place, nothing written.
          const doc = JSON.parse(file.body);
          const withShot = doc.rows.find((r: JsonRow) => r.items.some((i) => i.image));
          withShot.items.find((i: JsonRow['items'][number]) => i.image).image.base64 = Buffer.from('pas une image').toString('base64');
          const audits = await count(t, 'accessibility_audits');
          const refused = await postMultipart(
            team,
            `${BASE}/demarches/${cat.procedures[0]}/importer`,
            {},
            { fichier: { name: 'grille.json', type: 'application/json', bytes: Buffer.from(JSON.stringify(doc)) } },
          );
          assert.equal(refused.statusCode, 400);
          assert.match(refused.body, /anomalie 1 : la capture d’écran n’est pas une image PNG, JPEG, GIF ou WebP/);
          assert.equal(await count(t, 'accessibility_audits'), audits);
        }
      }
      const csv = (await team.get(`${BASE}/${auditId}/export/csv`)).body;
      assert.match(csv.split('\n')[0], /^\uFEFFPage n°;Page;Adresse;Type de page;Processus;Critère;Statut;Note;Anomalie 1 : description;/);
      assert.equal(csv.trim().split('\n').length, 1 + 75);
      // Broken: an unknown status, an unknown criterion, a bad impact, a missing row.
      const lines = csv
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\n');
      lines[1] = lines[1].replace(';NC;', ';XX;');
      lines[2] = lines[2].replace(/;(\d+\.\d+);/, ';99.9;');
      lines[3] = lines[3].replace(/;C;[^;\n]*$/, ';C;');
      lines.splice(5, 1);
      const audits = await count(t, 'accessibility_audits');
      const results = await count(t, 'accessibility_results');
      const bad = await postMultipart(
        team,
        `${BASE}/demarches/${cat.procedures[0]}/importer`,
        {},
        { fichier: { name: 'grille.csv', type: 'text/csv', bytes: Buffer.from(lines.join('\n')) } },
      );
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Ligne 2 : statut « XX » inconnu/);
      assert.match(bad.body, /Ligne 3 : critère « 99\.9 » inconnu/);
      assert.match(bad.body, /rien n’a été enregistré/);
      assert.equal(await count(t, 'accessibility_audits'), audits);
      assert.equal(await count(t, 'accessibility_results'), results);
      const missing = lines.slice();
      missing[1] = lines[1].replace(';XX;', ';NC;');
      missing[2] = csv
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\n')[2];
      const gap = await postMultipart(
        team,
        `${BASE}/demarches/${cat.procedures[0]}/importer`,
        {},
        { fichier: { name: 'grille.csv', type: 'text/csv', bytes: Buffer.from(missing.join('\n')) } },
      );
      assert.equal(gap.statusCode, 400);
      assert.match(gap.body, /Page 1 \(« Accueil »\) : il manque le critère/);
      assert.equal(await count(t, 'accessibility_audits'), audits);
    });

    test('sample pages edited and reordered; an audit in progress deleted after a confirmation page that counts what goes', async () => {
      const created = await team.post(`${BASE}/demarches/${cat.procedures[0]}/nouveau`, { name: 'Audit à remanier', type: 'fast' });
      const id = Number(/\/audits-accessibilite\/(\d+)/.exec(String(created.headers.location))![1]);
      for (const [name, kind] of [
        ['Accueil', 'accueil'],
        ['Contact', 'contact'],
        ['Aide', 'aide'],
      ]) {
        assert.equal((await team.post(`${BASE}/${id}/pages`, { page_name: name, kind })).statusCode, 303);
      }
      let a = (await getAudit(t.db, id))!;
      const [home, contact, help] = a.pages.map((p) => p.id);
      // A cell saved on « Contact » stays when the page is edited.
      const cell = (await loadCells(t.db, id, [contact])).get(contact)!.get('1.1')!;
      assert.equal(
        (
          await team.post(`${BASE}/${id}/grille`, {
            page_id: String(contact),
            criterion: '1.1',
            status: 'NC',
            version: String(cell.version),
          })
        ).statusCode,
        303,
      );
      const form = await team.get(`${BASE}/${id}/pages/modifier?page=${contact}`);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /value="Contact"/);
      // Bad input: French errors, nothing written.
      const bad = await team.post(`${BASE}/${id}/pages/modifier`, {
        page_id: String(contact),
        page_name: '',
        kind: 'contact',
        page_url: 'ftp://x',
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Saisissez le nom de la page/);
      assert.equal((await getAudit(t.db, id))!.pages[1].name, 'Contact');
      const ok = await team.post(`${BASE}/${id}/pages/modifier`, {
        page_id: String(contact),
        page_name: 'Nous contacter',
        page_url: 'https://exemple.gouv.fr/contact',
        kind: 'contact',
      });
      assert.equal(ok.statusCode, 303);
      a = (await getAudit(t.db, id))!;
      assert.deepEqual([a.pages[1].name, a.pages[1].url], ['Nous contacter', 'https://exemple.gouv.fr/contact']);
      assert.equal((await loadCells(t.db, id, [contact])).get(contact)!.get('1.1')!.status, 'NC');
      // Reorder: « Aide » up twice becomes first; the first page cannot go higher.
      assert.equal((await team.post(`${BASE}/${id}/pages/deplacer`, { page_id: String(help), sens: 'haut' })).statusCode, 303);
      assert.equal((await team.post(`${BASE}/${id}/pages/deplacer`, { page_id: String(help), sens: 'haut' })).statusCode, 303);
      assert.equal((await team.post(`${BASE}/${id}/pages/deplacer`, { page_id: String(help), sens: 'haut' })).statusCode, 404);
      assert.deepEqual(
        (await getAudit(t.db, id))!.pages.map((p) => p.id),
        [help, home, contact],
      );
      const journal = (
        await t.db.query(
          `SELECT action FROM audit_log WHERE entity_id = $1 AND action IN ('accessibility.page.update', 'accessibility.page.move') ORDER BY id`,
          [String(id)],
        )
      ).rows.map((r) => r.action);
      assert.deepEqual(journal, ['accessibility.page.update', 'accessibility.page.move', 'accessibility.page.move']);

      // Deleting: the confirmation page says what goes (3 pages, 1 result, no item); a post without the confirmation
      // only shows that page; an outside auditor cannot.
      const confirm = await team.get(`${BASE}/${id}/supprimer`);
      assert.equal(confirm.statusCode, 200);
      assert.match(confirm.body, /3\u00a0pages de l’échantillon/);
      assert.match(confirm.body, /1\u00a0résultat de critère saisi/);
      assert.equal((await team.post(`${BASE}/${id}/supprimer`)).statusCode, 200);
      assert.ok(await getAudit(t.db, id));
      const outsiderId = await createTestUser(t.db, 'auditeur-suppression@cabinet.fr');
      await t.db.query('INSERT INTO accessibility_audit_auditors (audit_id, user_id) VALUES ($1, $2)', [id, outsiderId]);
      const outsider = await sessionClient(t.app, t.db, outsiderId);
      assert.equal((await outsider.get(`${BASE}/${id}/pages/modifier?page=${home}`)).statusCode, 200);
      assert.equal((await outsider.post(`${BASE}/${id}/supprimer`, { confirme: 'oui' })).statusCode, 403);
      const results = await count(t, 'accessibility_results');
      const deleted = await team.post(`${BASE}/${id}/supprimer`, { confirme: 'oui' });
      assert.equal(deleted.statusCode, 303);
      assert.equal(String(deleted.headers.location), `${BASE}/demarches/${cat.procedures[0]}?message=audit-supprime`);
      assert.equal(await getAudit(t.db, id), null);
      assert.equal(await count(t, 'accessibility_results'), results - 3 * 25, 'its 3 × 25 cells went with it');
      assert.equal(await count(t, `accessibility_audit_auditors WHERE audit_id = ${id}`), 0);
      const entry = (
        await t.db.query(`SELECT before FROM audit_log WHERE action = 'accessibility.audit.delete' AND entity_id = $1`, [String(id)])
      ).rows[0];
      const before = typeof entry.before === 'string' ? JSON.parse(entry.before) : entry.before;
      assert.deepEqual([before.name, before.pages, before.tested, before.auditors], ['Audit à remanier', 3, 1, 1]);
      assert.equal((await team.get(`${BASE}/${id}`)).statusCode, 404);
      // A published audit (the first one, published above) is never deleted.
      const published = await team.get(`${BASE}/${auditId}/supprimer`);
      assert.equal(published.statusCode, 409);
      assert.match(published.body, /Un audit publié ne peut pas être supprimé/);
      assert.equal((await team.post(`${BASE}/${auditId}/supprimer`, { confirme: 'oui' })).statusCode, 409);
      assert.ok(await getAudit(t.db, auditId));
    });

    test('the procedure’s accessibility view lists the accessibility stories and the feedback verbatims that speak of accessibility', async () => {
      const procedureId = cat.procedures[0];
      const list = () => team.get(`${BASE}/demarches/${procedureId}`);
      assert.match((await list()).body, /Aucun témoignage publié ne parle d’accessibilité/);
      const { rows: place } = await t.db.query(
        'SELECT a.id AS administration_id, a.ministry_id FROM procedures p JOIN administrations a ON a.id = p.administration_id WHERE p.id = $1',
        [procedureId],
      );
      const story = async (body: string, accessibility: boolean, published: boolean) =>
        (
          await t.db.query(
            `INSERT INTO experiences (procedure_id, administration_id, ministry_id, body, search, channels, feeling, solved, consent, accessibility, status, published_at)
         VALUES ($1, $2, $3, $4, lower($4), '{en_ligne}', 'plutot_mal', false, true, $5, $6, $7) RETURNING id`,
            [
              procedureId,
              place[0].administration_id,
              place[0].ministry_id,
              body,
              accessibility,
              published ? 'published' : 'received',
              published ? new Date() : null,
            ],
          )
        ).rows[0].id;
      const shown = await story('Avec mon lecteur d’écran, le bouton de paiement n’est pas annoncé.', true, true);
      await story('Le délai est trop long.', false, true);
      await story('Je suis malvoyant et la page est illisible.', true, false);
      const form = (
        await t.db.query(`INSERT INTO feedback_forms (procedure_id, template, name) VALUES ($1, 'default', 'Avis') RETURNING id`, [
          procedureId,
        ])
      ).rows[0].id;
      const button = (
        await t.db.query(`INSERT INTO feedback_buttons (form_id, public_key, name) VALUES ($1, 'cle-a11y-voix', 'Bouton') RETURNING id`, [
          form,
        ])
      ).rows[0].id;
      const review = (verbatim: string, n: number, daysAgo = 0) =>
        t.db.query(
          `INSERT INTO feedback_reviews (form_id, form_version, button_id, procedure_id, nonce, day, verbatim) VALUES ($1, 1, $2, $3, $4, current_date - $5::int, $6)`,
          [form, button, procedureId, `voix-${t.db.kind}-${n}`, daysAgo, verbatim],
        );
      await review('Impossible de remplir le formulaire au clavier, la touche tabulation saute le champ.', 1);
      await review('Très bien, merci.', 2);
      await review('Mon fils est sourd : aucune vidéo n’est sous-titrée.', 3, 400);
      const page = (await list()).body;
      assert.match(page, /1\u00a0témoignage publié parle d’accessibilité/);
      assert.match(page, /le bouton de paiement n’est pas annoncé/);
      assert.match(page, new RegExp(`href="/temoignages/${shown}"`));
      assert.doesNotMatch(page, /Le délai est trop long|malvoyant/, 'a story not about accessibility, or not published, is not listed');
      assert.match(page, /1\u00a0commentaire d’avis parle d’accessibilité/);
      assert.match(page, /la touche tabulation saute le champ/);
      assert.match(page, new RegExp(`href="/avis/formulaires/${form}/themes"`));
      assert.doesNotMatch(page, /Très bien, merci|sous-titrée/, 'a verbatim not about accessibility, or older than a year, is not listed');
    });

    test('a full audit’s grid opens on one theme (the first with an untested criterion); « Toutes » shows the 106', async () => {
      const created = await team.post(`${BASE}/demarches/${cat.procedures[0]}/nouveau`, {
        name: 'Audit complet de la grille',
        type: 'full',
      });
      const id = Number(/\/audits-accessibilite\/(\d+)/.exec(String(created.headers.location))![1]);
      await team.post(`${BASE}/${id}/pages`, { page_name: 'Accueil', kind: 'accueil' });
      const pageId = (await getAudit(t.db, id))!.pages[0].id;
      const cells = (body: string) => (body.match(/class="vigie-a11y-cell"/g) ?? []).length;
      // RGAA 4.1.2: theme 1 « Images » has 9 criteria (1.1 to 1.9).
      const first = await team.get(`${BASE}/${id}/grille?page=${pageId}`);
      assert.equal(cells(first.body), 9);
      assert.match(first.body, /aria-current="page" href="[^"]*theme=1"/);
      assert.equal(cells((await team.get(`${BASE}/${id}/grille?page=${pageId}&theme=toutes`)).body), 106);
      // Theme 1 all tested: the grid opens on theme 2 (« Cadres », 2.1 and 2.2).
      for (const [criterion, cell] of (await loadCells(t.db, id, [pageId])).get(pageId)!) {
        if (criterion.startsWith('1.'))
          await team.post(`${BASE}/${id}/grille`, { page_id: String(pageId), criterion, status: 'NA', version: String(cell.version) });
      }
      const next = await team.get(`${BASE}/${id}/grille?page=${pageId}`);
      assert.equal(cells(next.body), 2);
      assert.match(next.body, /Critère 2\.2/);
    });

    test('automated scan findings become « automatique » items on the matching page, to confirm or discard', async () => {
      const res = await team.post(`${BASE}/demarches/${cat.procedures[0]}/nouveau`, { name: 'Avec scan', type: 'fast' });
      const id = Number(/(\d+)\?/.exec(String(res.headers.location))![1]);
      await team.post(`${BASE}/${id}/pages`, { page_name: 'Accueil', page_url: 'https://exemple.gouv.fr/', kind: 'accueil' });
      await team.post(`${BASE}/${id}/pages`, { page_name: 'Contact', page_url: 'https://exemple.gouv.fr/contact', kind: 'contact' });
      const a = (await getAudit(t.db, id))!;
      const reader: ScanFindingsReader = {
        async latestScans(procedureId) {
          return procedureId === cat.procedures[0]
            ? [
                {
                  scanId: 7,
                  procedureId,
                  pageUrl: 'https://EXEMPLE.gouv.fr/#haut',
                  finishedAt: new Date('2026-06-01T08:00:00Z'),
                  findingCount: 3,
                },
                {
                  scanId: 8,
                  procedureId,
                  pageUrl: 'https://exemple.gouv.fr/ailleurs',
                  finishedAt: new Date('2026-06-01T08:00:00Z'),
                  findingCount: 1,
                },
              ]
            : [];
        },
        async findings(scanId) {
          if (scanId !== 7) return [];
          return [
            {
              criterion: '1.1',
              tests: ['1.1.1'],
              verdict: 'non-conforme',
              pageUrl: 'https://exemple.gouv.fr',
              ruleId: 'image-alt',
              message: 'Image sans alternative',
              elements: [{ selector: 'img.logo', html: '<img class="logo">' }],
            },
            {
              criterion: '3.1',
              tests: [],
              verdict: 'a-verifier',
              pageUrl: 'https://exemple.gouv.fr/',
              ruleId: 'color-contrast',
              message: 'Contraste à vérifier',
              elements: [],
            },
            {
              criterion: '2.1',
              tests: [],
              verdict: 'non-conforme',
              pageUrl: 'https://exemple.gouv.fr/',
              ruleId: 'frame-title',
              message: 'Pas un critère d’un audit rapide',
              elements: [],
            },
          ];
        },
      };
      const result = await t.db.transaction((tx) => importScanFindings(tx, reader, a, 7, { id: teamId, email: 'equipe@a11y.gouv.fr' }));
      assert.deepEqual(result, { items: 2, skipped: 1 });
      const again = await t.db.transaction((tx) => importScanFindings(tx, reader, a, 7, { id: teamId, email: 'equipe@a11y.gouv.fr' }));
      assert.deepEqual(again, { items: 0, skipped: 3 });
      const cells = (await loadCells(t.db, id, [a.pages[0].id])).get(a.pages[0].id)!;
      assert.equal(cells.get('1.1')!.status, 'NC');
      assert.equal(cells.get('3.1')!.status, 'NT', 'an « à vérifier » finding does not decide the status');
      const item = cells.get('1.1')!.items[0];
      assert.equal(item.origin, 'automatic');
      assert.equal(item.confirmed, false);
      assert.match(item.description, /^Image sans alternative \(tests 1\.1\.1\) — éléments : img\.logo$/);
      assert.match(cells.get('3.1')!.items[0].description, /^À vérifier : Contraste/);
      // Confirm one, discard the other, through the forms.
      assert.equal(
        (await team.post(`${BASE}/${id}/anomalies/confirmer`, { item_id: String(item.id), version: String(cells.get('1.1')!.version) }))
          .statusCode,
        303,
      );
      assert.equal(
        (
          await team.post(`${BASE}/${id}/anomalies/supprimer`, {
            item_id: String(cells.get('3.1')!.items[0].id),
            version: String(cells.get('3.1')!.version),
          })
        ).statusCode,
        303,
      );
      const after = (await loadCells(t.db, id, [a.pages[0].id])).get(a.pages[0].id)!;
      assert.equal(after.get('1.1')!.items[0].confirmed, true);
      assert.equal(after.get('3.1')!.items.length, 0);
      const journal = (
        await t.db.query(`SELECT action FROM audit_log WHERE entity_type = 'accessibility_audit' AND entity_id = $1 ORDER BY id`, [
          String(id),
        ])
      ).rows.map((r) => r.action);
      assert.ok(
        ['accessibility.scan.import', 'accessibility.item.import', 'accessibility.item.confirm', 'accessibility.item.discard'].every((x) =>
          journal.includes(x),
        ),
      );
    });
  });
}
