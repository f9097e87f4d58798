import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createFeedbackFixture, Visitor, type FeedbackFixture } from '../testing.ts';
import { publishDraft, saveDraft } from '../forms/queries.ts';
import { DEFAULT_SETTINGS } from '../forms/settings.ts';

async function rollup(t: TestApp, formId: number, question: string, option: string): Promise<number> {
  const { rows } = await t.db.query(
    'SELECT coalesce(sum(count), 0)::int AS n FROM feedback_rollups WHERE form_id = $1 AND question = $2 AND option_id = $3',
    [formId, question, option],
  );
  return rows[0].n;
}

async function counts(t: TestApp): Promise<string> {
  const { rows } = await t.db.query(
    `SELECT (SELECT count(*) FROM feedback_reviews)::int AS reviews, (SELECT count(*) FROM feedback_answers)::int AS answers,
            (SELECT coalesce(sum(count), 0) FROM feedback_rollups)::int AS rollups`,
  );
  return JSON.stringify(rows[0]);
}

for (const target of TEST_TARGETS) {
  describe(`public questionnaire (${target})`, () => {
    let t: TestApp;
    let f: FeedbackFixture;
    let ip = 10;
    const visitor = () => new Visitor(t.app, `198.51.100.${ip++}`);
    before(async () => {
      t = await createTestApp(target);
      f = await createFeedbackFixture(t.db);
    });
    after(async () => t.close());

    test('four steps, saved from the first one, follow-up questions decided on the server, thanks with a link back', async () => {
      const v = visitor();
      const first = await v.client.get(`/avis/b/${f.button.publicKey}`);
      assert.equal(first.statusCode, 200);
      assert.match(first.body, /Étape 1 sur 4/);
      assert.match(first.body, /Aidez-nous à améliorer le service Démarche de test 1\. Vos réponses sont anonymes\./);
      assert.match(String(first.headers['content-security-policy']), /frame-ancestors \*/);
      assert.doesNotMatch(first.body, /<script>/);

      const before = await rollup(t, f.formId, '_review', 'all');
      const s1 = await v.start(f.button.publicKey, { satisfaction: 'good' });
      assert.equal(s1.statusCode, 303);
      assert.equal(await rollup(t, f.formId, '_review', 'all'), before + 1, 'a review with only the first answer counts');
      assert.equal(await rollup(t, f.formId, 'satisfaction', 'good'), 1);

      const step2 = await v.client.get(String(s1.headers.location));
      assert.match(step2.body, /Étape 2 sur 4/);
      assert.match(step2.body, /Passer/);
      const s2 = await v.step(String(s1.headers.location), { clarity: 'very_good', action: 'next' });
      assert.equal(s2.statusCode, 303);
      assert.equal(await rollup(t, f.formId, 'clarity', 'very_good'), 1);

      // Ticking the phone: the step comes back with « avez-vous réussi à joindre l'administration ? » for the phone.
      const help = await v.step(String(s2.headers.location), { help_tried: ['phone', 'relative'], action: 'next' });
      assert.equal(help.statusCode, 200);
      assert.match(help.body, /Par téléphone : avez-vous réussi à joindre l’administration \?/);
      assert.doesNotMatch(help.body, /Par e-mail : avez-vous réussi/);
      const jeton = Visitor.field(help.body, 'jeton');
      const action = /<form method="post" action="([^"]+)"/.exec(help.body)![1];
      const again = await v.client.post(
        action,
        { jeton, help_tried: ['phone', 'relative'], help_reached_phone: 'yes', shown: 'help_reached_phone', action: 'next' },
        { csrf: false },
      );
      assert.equal(again.statusCode, 200, 'answering « oui » brings the quality question');
      assert.match(again.body, /Par téléphone : comment évaluez-vous la qualité de l’aide \?/);
      const s3 = await v.client.post(
        action,
        {
          jeton,
          help_tried: ['phone', 'relative'],
          help_reached_phone: 'yes',
          help_quality_phone: 'good',
          shown: 'help_reached_phone,help_quality_phone',
          action: 'next',
        },
        { csrf: false },
      );
      assert.equal(s3.statusCode, 303);
      assert.equal(await rollup(t, f.formId, 'help_reached', 'yes'), 1);
      assert.equal(await rollup(t, f.formId, 'help_quality', 'good'), 1);
      assert.equal(await rollup(t, f.formId, 'help_tried', '_answered'), 1);

      const s4 = await v.step(String(s3.headers.location), {
        verbatim: 'Très pratique. Rappelez-moi au 06 12 34 56 78 ou a.b@exemple.fr',
        action: 'next',
      });
      assert.equal(s4.statusCode, 303);
      assert.match(String(s4.headers.location), /\/merci/);
      const { rows } = await t.db.query('SELECT verbatim, masked_count FROM feedback_reviews ORDER BY id DESC LIMIT 1');
      assert.equal(rows[0].verbatim, 'Très pratique. Rappelez-moi au [numéro de téléphone masqué] ou [adresse e-mail masquée]');
      assert.equal(rows[0].masked_count, 2);
      assert.equal(await rollup(t, f.formId, '_verbatim', 'yes'), 1);

      const thanks = await v.client.get(String(s4.headers.location));
      assert.match(thanks.body, /Merci pour votre avis/);
      assert.match(thanks.body, /href="https:\/\/demarche\.exemple\.gouv\.fr\/"/);
      // The help page of the procedure (support module) and its story form (experiences module).
      assert.match(
        thanks.body,
        new RegExp(
          `<a class="fr-link" href="/aide/demarches/${f.catalog.procedures[0]}" target="_top">Besoin d’aide pour cette démarche \\?`,
        ),
      );
      assert.match(thanks.body, new RegExp(`href="/temoignages/demarches/${f.catalog.procedures[0]}/raconter\\?lang=fr"`));
      // The link leads to a live page.
      assert.equal((await v.client.get(`/aide/demarches/${f.catalog.procedures[0]}`)).statusCode, 200);
    });

    test('a returning visitor (same button, within the hour) updates the same review', async () => {
      const v = visitor();
      await v.start(f.button.publicKey, { satisfaction: 'bad' });
      const reviews = await rollup(t, f.formId, '_review', 'all');
      const bad = await rollup(t, f.formId, 'satisfaction', 'bad');
      const res = await v.start(f.button.publicKey, { satisfaction: 'medium' });
      assert.equal(res.statusCode, 303);
      assert.equal(await rollup(t, f.formId, '_review', 'all'), reviews, 'no second review');
      assert.equal(await rollup(t, f.formId, 'satisfaction', 'bad'), bad - 1);
      const other = visitor();
      await other.start(f.button.publicKey, { satisfaction: 'medium' });
      assert.equal(await rollup(t, f.formId, '_review', 'all'), reviews + 1, 'another visitor makes another review');
    });

    test('a shared computer: the next person within the hour gives a new review, the finished one is never reopened', async () => {
      // One browser (same cookies, same address), two people one after the other.
      const v = visitor();
      const key = f.button.publicKey;
      const reviews = await rollup(t, f.formId, '_review', 'all');
      const s1 = await v.start(key, { satisfaction: 'good' });
      const firstId = (await t.db.query('SELECT max(id)::int AS id FROM feedback_reviews')).rows[0].id;
      const s2 = await v.step(String(s1.headers.location), { clarity: 'very_good', action: 'next' });
      const s3 = await v.step(String(s2.headers.location), { help_tried: 'none', action: 'next' });
      const s4 = await v.step(String(s3.headers.location), { action: 'skip' });
      assert.match(String(s4.headers.location), /\/merci/);
      const thanks = await v.client.get(String(s4.headers.location));
      assert.match(thanks.body, /Merci pour votre avis/);
      assert.equal(
        (await t.db.query('SELECT finished_at IS NOT NULL AS done FROM feedback_reviews WHERE id = $1', [firstId])).rows[0].done,
        true,
      );

      // The second person: a fresh questionnaire (no « vous modifiez »), and a second review.
      const page = await v.client.get(`/avis/b/${key}`);
      assert.doesNotMatch(page.body, /Vous modifiez votre avis/);
      const second = await v.start(key, { satisfaction: 'bad' });
      assert.equal(second.statusCode, 303);
      assert.equal(await rollup(t, f.formId, '_review', 'all'), reviews + 2, 'two people, two reviews');
      const { rows } = await t.db.query(
        `SELECT r.id::int AS id, a.option_id FROM feedback_reviews r JOIN feedback_answers a ON a.review_id = r.id AND a.question = 'satisfaction' WHERE r.id >= $1 ORDER BY r.id`,
        [firstId],
      );
      assert.deepEqual(
        rows.map((r) => r.option_id),
        ['good', 'bad'],
        'the first review keeps its answer',
      );

      // The first person's step pages, reached again through the browser's history, cannot change the finished review.
      const back = await v.client.get(String(s2.headers.location));
      assert.equal(back.statusCode, 409);
      assert.match(back.body, /Cet avis est terminé et ne peut plus être modifié/);
      assert.match(back.body, /Donner un nouvel avis/);
    });

    test('an unfinished review is changed on return, the page says so and offers a new review', async () => {
      const v = visitor();
      const key = f.button.publicKey;
      await v.start(key, { satisfaction: 'bad' });
      const reviews = await rollup(t, f.formId, '_review', 'all');
      const page = await v.client.get(`/avis/b/${key}`);
      assert.match(page.body, /Vous modifiez votre avis commencé il y a moins d’une heure/);
      const link = /<a class="fr-link" href="([^"]+)">Ce n’est pas mon avis : donner un nouvel avis<\/a>/.exec(page.body);
      assert.ok(link, 'a link to give a new review');
      const fresh = await v.client.get(link[1].replaceAll('&amp;', '&'));
      assert.doesNotMatch(fresh.body, /Vous modifiez votre avis/);
      const debut = Visitor.field(fresh.body, 'debut');
      const res = await v.client.post(`/avis/b/${key}`, { debut, satisfaction: 'good' }, { csrf: false });
      assert.equal(res.statusCode, 303);
      assert.equal(await rollup(t, f.formId, '_review', 'all'), reviews + 1, 'a new review, the unfinished one kept');
    });

    test('bad input is refused with a clear message and writes nothing', async () => {
      const key = f.button.publicKey;
      const snapshot = await counts(t);
      const missing = await visitor().start(key, {});
      assert.equal(missing.statusCode, 400);
      assert.match(missing.body, /Choisissez une réponse\./);
      assert.match(missing.body, /aria-invalid|fr-fieldset--error/);

      const forged = await visitor().start(key, { satisfaction: 'excellent' });
      assert.equal(forged.statusCode, 400);
      assert.match(forged.body, /ne correspondent pas à ce formulaire/);

      const noToken = await visitor().client.post(`/avis/b/${key}`, { satisfaction: 'good' }, { csrf: false });
      assert.equal(noToken.statusCode, 400);

      const forgedToken = await visitor().client.post(`/avis/b/${key}`, { satisfaction: 'good', debut: 'abc.def' }, { csrf: false });
      assert.equal(forgedToken.statusCode, 400);

      // Replay: the same first-step token sent again by someone without the review cookie.
      const v = visitor();
      const page = await v.client.get(`/avis/b/${key}`);
      const debut = Visitor.field(page.body, 'debut');
      assert.equal((await v.client.post(`/avis/b/${key}`, { debut, satisfaction: 'good' }, { csrf: false })).statusCode, 303);
      const afterFirst = await counts(t);
      const replay = await visitor().client.post(`/avis/b/${key}`, { debut, satisfaction: 'good' }, { csrf: false });
      assert.equal(replay.statusCode, 400);
      assert.match(replay.body, /déjà été envoyé/);
      assert.equal(await counts(t), afterFirst);

      // Oversized text on the last step.
      const w = visitor();
      const s1 = await w.start(key, { satisfaction: 'good' });
      const snapshot2 = await counts(t);
      const page4 = String(s1.headers.location).replace('/etape/2', '/etape/4');
      const tooLong = await w.step(page4, { verbatim: 'é'.repeat(5001), action: 'next' });
      assert.equal(tooLong.statusCode, 400);
      assert.match(tooLong.body, /5000 caractères au maximum/);
      const forgedFollowUp = await w.step(String(s1.headers.location).replace('/etape/2', '/etape/3'), {
        help_tried: 'relative',
        help_reached_phone: 'yes',
        action: 'next',
      });
      assert.equal(forgedFollowUp.statusCode, 400, 'a follow-up answer for a channel not ticked is forged');
      const exclusive = await w.step(String(s1.headers.location).replace('/etape/2', '/etape/3'), {
        help_tried: ['none', 'relative'],
        action: 'next',
      });
      assert.equal(exclusive.statusCode, 400);
      assert.match(exclusive.body, /ne peut pas être coché avec une autre réponse/);
      assert.equal(await counts(t), snapshot2);
      assert.notEqual(snapshot, snapshot2);
    });

    test('invalid UTF-8 and oversized bodies are refused', async () => {
      const v = visitor();
      const page = await v.client.get(`/avis/b/${f.button.publicKey}`);
      const debut = Visitor.field(page.body, 'debut');
      const snapshot = await counts(t);
      const payload = Buffer.concat([
        Buffer.from(`debut=${encodeURIComponent(debut)}&satisfaction=good&site_web=`),
        Buffer.from([0xc3, 0x28]),
      ]);
      const bad = await v.client.request({
        method: 'POST',
        url: `/avis/b/${f.button.publicKey}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload,
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /caractères invalides/);
      const huge = await v.client.request({
        method: 'POST',
        url: `/avis/b/${f.button.publicKey}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `debut=${encodeURIComponent(debut)}&satisfaction=good&verbatim=${'a'.repeat(70_000)}`,
      });
      assert.equal(huge.statusCode, 413);
      assert.equal(await counts(t), snapshot);
    });

    test('a submission for a version no longer published is refused (stale form)', async () => {
      const f2 = await createFeedbackFixture(t.db, 'stale');
      const v = visitor();
      const page = await v.client.get(`/avis/b/${f2.button.publicKey}`);
      await t.db.transaction(async (tx) => {
        await saveDraft(tx, f2.formId, { ...DEFAULT_SETTINGS, hiddenSteps: ['clarity'] }, 1);
        await publishDraft(tx, f2.formId);
      });
      const snapshot = await counts(t);
      const res = await v.client.post(
        `/avis/b/${f2.button.publicKey}`,
        { debut: Visitor.field(page.body, 'debut'), satisfaction: 'good' },
        { csrf: false },
      );
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /a été modifié depuis que vous l’avez ouvert/);
      assert.equal(await counts(t), snapshot);
      const fresh = await visitor().client.get(`/avis/b/${f2.button.publicKey}`);
      assert.match(fresh.body, /Étape 1 sur 3/, 'the hidden step is gone from the live form');
      const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM feedback_blocked WHERE form_id = $1 AND reason = 'stale'`, [
        f2.formId,
      ]);
      assert.equal(rows[0].n, 1);
    });

    test('a button closed or republished just after a submission is checked again: the next ones are not stored', async () => {
      const closing = await createFeedbackFixture(t.db, 'closing');
      const republished = await createFeedbackFixture(t.db, 'republished');
      const pages = [];
      for (const fx of [closing, republished]) {
        const v = visitor();
        pages.push({ v, page: await v.client.get(`/avis/b/${fx.button.publicKey}`) });
        assert.equal(
          (await visitor().start(fx.button.publicKey, { satisfaction: 'good' })).statusCode,
          303,
          'the button is now known to the server',
        );
      }
      await t.db.query('UPDATE feedback_buttons SET closed_at = now() WHERE id = $1', [closing.button.id]);
      await t.db.transaction(async (tx) => {
        await saveDraft(tx, republished.formId, { ...DEFAULT_SETTINGS, hiddenSteps: ['clarity'] }, 1);
        await publishDraft(tx, republished.formId);
      });
      const snapshot = await counts(t);
      const closed = await pages[0].v.client.post(
        `/avis/b/${closing.button.publicKey}`,
        { debut: Visitor.field(pages[0].page.body, 'debut'), satisfaction: 'bad' },
        { csrf: false },
      );
      assert.equal(closed.statusCode, 410);
      assert.match(closed.body, /Formulaire fermé/);
      const { v, page } = pages[1];
      const stale = await v.client.post(
        `/avis/b/${republished.button.publicKey}`,
        { debut: Visitor.field(page.body, 'debut'), satisfaction: 'bad' },
        { csrf: false },
      );
      assert.equal(stale.statusCode, 400);
      assert.match(stale.body, /a été modifié depuis que vous l’avez ouvert/);
      assert.equal(await counts(t), snapshot);
      const fresh = await visitor().start(republished.button.publicKey, { satisfaction: 'bad' });
      assert.equal(fresh.statusCode, 303, 'a page of the new version is accepted');
      assert.equal(await rollup(t, republished.formId, 'satisfaction', 'bad'), 1);
    });

    test('honeypot and rate limit per hashed IP refuse and count the submission; no IP is stored', async () => {
      const snapshot = await counts(t);
      const bot = await visitor().start(f.button.publicKey, { satisfaction: 'good', site_web: 'http://spam.example' });
      assert.equal(bot.statusCode, 400);
      assert.equal(await counts(t), snapshot);
      const usual = t.deps.config.feedbackRateLimit;
      t.deps.config.feedbackRateLimit = 3;
      try {
        const v = new Visitor(t.app, '192.0.2.55');
        const statuses: number[] = [];
        for (let i = 0; i < 4; i++)
          statuses.push((await new Visitor(t.app, '192.0.2.55').start(f.button.publicKey, { satisfaction: 'good' })).statusCode);
        assert.deepEqual(statuses, [303, 303, 303, 429]);
        const blocked = await v.start(f.button.publicKey, { satisfaction: 'good' });
        assert.match(blocked.body, /Trop d’envois/);
      } finally {
        t.deps.config.feedbackRateLimit = usual;
      }
      const { rows } = await t.db.query(
        `SELECT reason, sum(count)::int AS n FROM feedback_blocked WHERE form_id = $1 GROUP BY reason ORDER BY reason`,
        [f.formId],
      );
      const byReason = Object.fromEntries(rows.map((r) => [r.reason, r.n]));
      assert.equal(byReason.honeypot, 1);
      assert.equal(byReason.rate_limit, 2);
      const { rows: ips } = await t.db.query(`SELECT count(*)::int AS n FROM feedback_rate WHERE ip_hash LIKE '%192.0.2%'`);
      assert.equal(ips[0].n, 0);
    });

    test('a closed button leads to « formulaire fermé » and the click is counted', async () => {
      const f3 = await createFeedbackFixture(t.db, 'closed');
      await t.db.query('UPDATE feedback_buttons SET closed_at = now() WHERE id = $1', [f3.button.id]);
      const res = await visitor().client.get(`/avis/b/${f3.button.publicKey}`);
      assert.equal(res.statusCode, 410);
      assert.match(res.body, /Formulaire fermé/);
      const { rows } = await t.db.query('SELECT closed_clicks FROM feedback_buttons WHERE id = $1', [f3.button.id]);
      assert.equal(Number(rows[0].closed_clicks), 1);
      assert.equal((await visitor().client.get('/avis/b/inconnu-123')).statusCode, 404);
    });

    test('the questionnaire is available in English and stores the same option ids', async () => {
      const v = visitor();
      const page = await v.client.get(`/avis/b/${f.button.publicKey}?lang=en`);
      assert.match(page.body, /<html lang="en"/);
      assert.match(page.body, /Step 1 of 4/);
      const good = await rollup(t, f.formId, 'satisfaction', 'good');
      const res = await v.start(f.button.publicKey, { satisfaction: 'good' }, 'en');
      assert.equal(res.statusCode, 303);
      assert.match(String(res.headers.location), /lang=en/);
      assert.equal(await rollup(t, f.formId, 'satisfaction', 'good'), good + 1);
    });
  });
}
