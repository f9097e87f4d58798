import { readFileSync } from 'node:fs';
import { helpPagePath } from '../../support/index.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { redirectSeeOther, sendPage } from '../../kernel/web/render.ts';
import { loadLiveButton, type LiveButton } from '../forms/queries.ts';
import { visibleSteps } from '../forms/settings.ts';
import { validateStep } from '../questionnaire/validate.ts';
import type { Lang } from '../questionnaire/template.ts';
import { createReview, finishReview, loadReviewKey, replaceAnswers, setReviewTexts, type ReviewKey } from '../storage/reviews.ts';
import { countBlocked, oldCounterCleaner, overRateLimit, randomRateShard, rotatingIpHash, type BlockReason } from './abuse.ts';
import { LiveButtonCache } from './live-cache.ts';
import { FirstStepBatcher } from '../storage/first-step-batcher.ts';
import { T, parseLang } from './i18n.ts';
import { otherLang } from '../../kernel/web/i18n.ts';
import { newNonce, signToken, verifyToken } from './tokens.ts';
import { messagePage, stepPage } from './views.ts';
import { buttonSvg } from './button-image.ts';
import { PUBLIC } from '../../kernel/web/access.ts';
import type { ZodTypeProvider } from '../../kernel/web/schemas.ts';

/** Public submissions are small: a 5 000-character comment fits many times in this. */
const PUBLIC_BODY_LIMIT = 64 * 1024;
const RETURN_COOKIE = 'vigie_avis';
const RETURN_WINDOW_MS = 60 * 60 * 1000;
const KEY = /^[A-Za-z0-9_-]{6,40}$/;

type Body = Record<string, unknown>;

/**
 * The questionnaire's route schemas, kept cheap (the citizen's path, benchmarked). The key and the step of the URL are
 * any text here: the handler checks them once the button is known, so that an unknown key keeps its « formulaire
 * fermé » page (404) in the visitor's language and a step that does not exist is refused and counted as forged.
 */
const keyParams = z.object({ key: z.string() });
const stepParams = z.object({ key: z.string(), n: z.string() });
/** The language of the query (`?lang=en`); anything else is French. */
const lang = z.unknown().optional().transform(parseLang);
const startQuery = z.looseObject({
  lang,
  nouveau: z
    .unknown()
    .optional()
    .transform((v) => v === '1'),
});
const stepQuery = z.looseObject({ lang, jeton: z.unknown().optional() });
const thanksQuery = z.looseObject({ lang });
const buttonQuery = z.looseObject({
  theme: z
    .unknown()
    .optional()
    .transform((v) => (v === 'sombre' ? 'sombre' : 'clair')),
  style: z
    .unknown()
    .optional()
    .transform((v) => (v === 'contour' ? 'contour' : 'plein')),
});

/** Fields of a step's form: its questions, its token, its language, its honeypot, its buttons (16 on the help step). */
const MAX_FIELDS = 50;
/** Values of a field sent several times (the help step's boxes: 9). */
const MAX_VALUES = 20;
const isText = (value: unknown) => typeof value === 'string' && value.length <= PUBLIC_BODY_LIMIT;

/**
 * The shape of a step's body: texts, or lists of texts for a field sent several times; short names, a bounded number
 * of fields. A text may be as long as the body: the fields' own limits (5 000 characters…) are the step's, shown beside
 * the field with the text kept. Which fields and values a step accepts is checked question by question by its handler
 * (validateStep) against the published version of the form: an unknown answer is refused and counted as forged there.
 * A plain function rather than composed schemas: this runs on every submission (about 0.3 µs against 5 µs).
 */
function isAnswers(input: unknown): boolean {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return false;
  const fields = Object.entries(input);
  if (fields.length > MAX_FIELDS) return false;
  for (const [name, value] of fields) {
    if (name.length > 100) return false;
    if (!isText(value) && !(Array.isArray(value) && value.length <= MAX_VALUES && value.every(isText))) return false;
  }
  return true;
}
/**
 * Absent (a POST without a body, null or undefined): the step's handler refuses it as it refuses an empty form. Another
 * shape is answered by refuseForgedBody (the routes' `attachValidation`), so this schema needs no message of its own.
 */
const answersBody = z.custom<Record<string, string | string[]> | null | undefined>((input) => input == null || isAnswers(input));

/** The questionnaire may be framed by the procedure's own site (modal widget): only these pages allow it. */
function allowFraming(reply: FastifyReply): void {
  const csp = String(reply.getHeader('content-security-policy') ?? '');
  reply.header('content-security-policy', csp.replace(/frame-ancestors [^;]*/, 'frame-ancestors *'));
}

function basePath(key: string): string {
  return `/avis/b/${key}`;
}

export async function publicQuestionnaireRoutes(instance: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const { db, config } = deps;
  const secret = config.sessionSecret;
  const routeConfig = { config: { access: 'public' as const, csrf: false }, bodyLimit: PUBLIC_BODY_LIMIT };
  const liveCache = new LiveButtonCache();
  // Usual first steps arriving together are written by one statement (group commit, storage/first-step-batcher.ts).
  const firstSteps = new FirstStepBatcher(db);
  const clearOldCounters = oldCounterCleaner();

  function page(
    request: FastifyRequest,
    reply: FastifyReply,
    lang: Lang,
    title: string,
    content: ReturnType<typeof stepPage>,
    status = 200,
  ) {
    allowFraming(reply);
    return sendPage(
      request,
      reply,
      { title: `${title} – ${T.title[lang]}`, content, bare: true, lang, scripts: ['/assets/feedback/questionnaire.js'] },
      status,
    );
  }

  function refuse(request: FastifyRequest, reply: FastifyReply, lang: Lang, key: string, text: string, status = 400) {
    return page(
      request,
      reply,
      lang,
      T.rejectedTitle[lang],
      messagePage({ lang, title: T.rejectedTitle[lang], text, link: { href: `${basePath(key)}?lang=${lang}`, label: T.restart[lang] } }),
      status,
    );
  }

  async function block(request: FastifyRequest, reply: FastifyReply, live: LiveButton, lang: Lang, reason: BlockReason) {
    await countBlocked(db, live.form.id, reason);
    const text =
      reason === 'rate_limit'
        ? T.blocked[lang]
        : reason === 'stale'
          ? T.stale[lang]
          : reason === 'expired'
            ? T.expired[lang]
            : reason === 'replayed'
              ? T.replayed[lang]
              : T.forged[lang];
    return refuse(request, reply, lang, live.button.publicKey, text, reason === 'rate_limit' ? 429 : 400);
  }

  /** The live button behind a public key; null when the page « formulaire fermé » was sent (the click is counted). */
  async function liveButton(request: FastifyRequest, reply: FastifyReply, key: string, lang: Lang): Promise<LiveButton | null> {
    const { live, closed } = KEY.test(key) ? await loadLiveButton(db, key) : { live: null, closed: null };
    if (live) return live;
    if (closed) await db.query('UPDATE feedback_buttons SET closed_clicks = closed_clicks + 1 WHERE id = $1', [closed.id]);
    page(
      request,
      reply,
      lang,
      T.closedTitle[lang],
      messagePage({ lang, title: T.closedTitle[lang], text: T.closedText[lang] }),
      closed ? 410 : 404,
    );
    return null;
  }

  /** The review a returning visitor (same button, within one hour) updates, from the signed cookie. */
  function returningReviewId(request: FastifyRequest, buttonId: number): number | null {
    const value = request.cookies[RETURN_COOKIE];
    if (!value) return null;
    const unsigned = request.unsignCookie(value);
    if (!unsigned.valid || !unsigned.value) return null;
    const [b, r, at] = unsigned.value.split('.').map(Number);
    return b === buttonId && Date.now() - at < RETURN_WINDOW_MS ? r : null;
  }

  function rememberReview(reply: FastifyReply, key: string, buttonId: number, review: ReviewKey, createdAt: number) {
    reply.setCookie(RETURN_COOKIE, `${buttonId}.${review.id}.${createdAt}`, {
      signed: true,
      httpOnly: true,
      path: basePath(key),
      maxAge: RETURN_WINDOW_MS / 1000,
      // Inside the widget's frame the cookie is third-party: it needs SameSite=None, which needs HTTPS.
      sameSite: config.secureCookies ? 'none' : 'lax',
      secure: config.secureCookies,
    });
  }

  /** Ends this browser's link to a review (thank-you page, « give a new opinion »): the next visitor starts afresh. */
  function forgetReview(reply: FastifyReply, key: string) {
    reply.clearCookie(RETURN_COOKIE, {
      path: basePath(key),
      sameSite: config.secureCookies ? 'none' : 'lax',
      secure: config.secureCookies,
    });
  }

  /** The review a returning visitor may still change: unfinished, not deleted, same form version. */
  async function reviewToModify(request: FastifyRequest, live: LiveButton) {
    const returning = returningReviewId(request, live.button.id);
    const existing = returning ? await loadReviewKey(db, returning) : null;
    return existing &&
      !existing.deleted &&
      !existing.finished &&
      existing.formVersion === live.version &&
      existing.buttonId === live.button.id
      ? existing
      : null;
  }

  function reviewToken(live: LiveButton, reviewId: number): string {
    return signToken(secret, { kind: 'review', buttonId: live.button.id, version: live.version, value: String(reviewId) });
  }

  function stepUrl(live: LiveButton, index: number, reviewId: number, lang: Lang): string {
    const steps = visibleSteps(live.form.template, live.settings);
    if (index > steps.length) return `${basePath(live.button.publicKey)}/merci?lang=${lang}`;
    return `${basePath(live.button.publicKey)}/etape/${index}?jeton=${encodeURIComponent(reviewToken(live, reviewId))}&lang=${lang}`;
  }

  function renderStep(
    request: FastifyRequest,
    reply: FastifyReply,
    live: LiveButton,
    lang: Lang,
    index: number,
    token: string,
    values: Body,
    errors: Record<string, string>,
    status = 200,
    withFollowUps = false,
    modifying = false,
  ) {
    const steps = visibleSteps(live.form.template, live.settings);
    const step = steps[index - 1];
    const key = live.button.publicKey;
    const action = index === 1 ? basePath(key) : `${basePath(key)}/etape/${index}`;
    const here = index === 1 ? basePath(key) : `${basePath(key)}/etape/${index}?jeton=${encodeURIComponent(token)}`;
    const other = otherLang(lang);
    return page(
      request,
      reply,
      lang,
      step.title[lang],
      stepPage({
        lang,
        action,
        token,
        tokenName: index === 1 ? 'debut' : 'jeton',
        step,
        index,
        total: steps.length,
        procedureTitle: live.form.procedureTitle,
        settings: live.settings,
        values,
        errors,
        withFollowUps,
        languageHref: `${here}${here.includes('?') ? '&' : '?'}lang=${other}`,
        modifying: modifying ? { newHref: `${basePath(key)}?nouveau=1&lang=${lang}` } : undefined,
      }),
      status,
    );
  }

  /** Checks that apply to every submission: honeypot, rate limit; returns false when refused (and answered). */
  async function admissible(request: FastifyRequest, reply: FastifyReply, live: LiveButton, body: Body, lang: Lang): Promise<boolean> {
    if (typeof body.site_web === 'string' && body.site_web !== '') {
      await block(request, reply, live, lang, 'honeypot');
      return false;
    }
    const over = await overRateLimit(db, rotatingIpHash(request.ip, secret), config.feedbackRateLimit);
    await clearOldCounters(db);
    if (over) {
      await block(request, reply, live, lang, 'rate_limit');
      return false;
    }
    return true;
  }

  app.get('/avis/b/:key', { ...PUBLIC, schema: { params: keyParams, querystring: startQuery } }, async (request, reply) => {
    const { lang } = request.query;
    const live = await liveButton(request, reply, request.params.key, lang);
    if (!live) return reply;
    const token = signToken(secret, { kind: 'start', buttonId: live.button.id, version: live.version, value: newNonce() });
    // « Donner un nouvel avis », or a link to a review that cannot be changed any more: this browser forgets it.
    let modifying = false;
    if (request.query.nouveau) forgetReview(reply, live.button.publicKey);
    else if (request.cookies[RETURN_COOKIE]) {
      modifying = (await reviewToModify(request, live)) !== null;
      if (!modifying) forgetReview(reply, live.button.publicKey);
    }
    return renderStep(request, reply, live, lang, 1, token, {}, {}, 200, false, modifying);
  });

  /**
   * A body of the wrong shape (JSON, numbers, too many fields): refused as forged and counted like any other forged
   * submission, on the questionnaire's own page in the visitor's language (the route's `attachValidation`).
   */
  async function refuseForgedBody(request: FastifyRequest, reply: FastifyReply, key: string) {
    const raw = request.body as { lang?: unknown } | null | undefined;
    const lang = parseLang(typeof raw?.lang === 'string' ? raw.lang : undefined);
    const live = await liveButton(request, reply, key, lang);
    if (!live) return reply;
    return block(request, reply, live, lang, 'forged');
  }

  const answersRoute = { ...routeConfig, attachValidation: true };

  app.post('/avis/b/:key', { ...answersRoute, schema: { params: keyParams, body: answersBody } }, async (request, reply) => {
    if (request.validationError) return refuseForgedBody(request, reply, request.params.key);
    const body: Body = request.body ?? {};
    const lang = parseLang(body.lang);
    const key = request.params.key;
    const cached = liveCache.get(key);
    if (cached) return firstStep(request, reply, key, cached, body, lang, true);
    const live = await liveButton(request, reply, key, lang);
    if (!live) return reply;
    liveCache.set(key, live);
    return firstStep(request, reply, key, live, body, lang, false);
  });

  /** The first step; with a cached button only the usual case is answered, anything else reloads the button first. */
  async function firstStep(
    request: FastifyRequest,
    reply: FastifyReply,
    key: string,
    live: LiveButton,
    body: Body,
    lang: Lang,
    fromCache: boolean,
  ): Promise<FastifyReply> {
    const reload = async () => {
      liveCache.forget(key);
      const fresh = await liveButton(request, reply, key, lang);
      if (!fresh) return reply;
      liveCache.set(key, fresh);
      return firstStep(request, reply, key, fresh, body, lang, false);
    };
    const check = verifyToken(secret, body.debut, 'start');
    const step = visibleSteps(live.form.template, live.settings)[0];
    const result = validateStep(step, live.settings, body, lang);
    const returning = returningReviewId(request, live.button.id);
    const usual = typeof body.site_web !== 'string' || body.site_web === '';
    const hot =
      usual &&
      check.ok &&
      check.data.buttonId === live.button.id &&
      check.data.version === live.version &&
      result.kind === 'ok' &&
      !result.texts &&
      !returning;
    if (!hot || !check.ok || result.kind !== 'ok') {
      if (fromCache) return reload();
      return rareFirstStep(request, reply, live, body, lang, returning);
    }
    const ipHash = rotatingIpHash(request.ip, secret);
    const limit = config.feedbackRateLimit;
    const newReview = {
      formId: live.form.id,
      formVersion: live.version,
      buttonId: live.button.id,
      procedureId: live.form.procedureId,
      nonce: check.data.value,
      lang,
    };
    const outcome = await firstSteps.submit({
      review: newReview,
      answers: result.answers,
      rate: { ipHash, limit, shard: randomRateShard() },
    });
    await clearOldCounters(db);
    if (outcome.rateCount > limit) return block(request, reply, live, lang, 'rate_limit');
    if (!outcome.live) {
      // Closed, deleted or republished since it was looked up: the submission was counted (rate) but not stored.
      liveCache.forget(key);
      const fresh = await liveButton(request, reply, key, lang);
      if (!fresh) return reply;
      return block(request, reply, fresh, lang, 'stale');
    }
    if (!outcome.review) return block(request, reply, live, lang, 'replayed');
    rememberReview(reply, key, live.button.id, outcome.review, Date.now());
    return redirectSeeOther(reply, stepUrl(live, 2, outcome.review.id, lang));
  }

  /** The first step when it is not the usual one: refused, invalid, with free texts, or a returning visitor. */
  async function rareFirstStep(
    request: FastifyRequest,
    reply: FastifyReply,
    live: LiveButton,
    body: Body,
    lang: Lang,
    returning: number | null,
  ): Promise<FastifyReply> {
    if (!(await admissible(request, reply, live, body, lang))) return reply;
    const check = verifyToken(secret, body.debut, 'start');
    if (!check.ok) return block(request, reply, live, lang, check.reason === 'expired' ? 'expired' : 'forged');
    if (check.data.buttonId !== live.button.id) return block(request, reply, live, lang, 'forged');
    if (check.data.version !== live.version) return block(request, reply, live, lang, 'stale');
    const step = visibleSteps(live.form.template, live.settings)[0];
    const result = validateStep(step, live.settings, body, lang);
    if (result.kind === 'forged' || result.kind === 'follow-ups') return block(request, reply, live, lang, 'forged');
    if (result.kind === 'invalid') return renderStep(request, reply, live, lang, 1, String(body.debut), body, result.errors, 400);

    // Only an unfinished review is changed: a finished one belongs to someone who has left (shared computers).
    const existing = returning ? await reviewToModify(request, live) : null;
    const newReview = {
      formId: live.form.id,
      formVersion: live.version,
      buttonId: live.button.id,
      procedureId: live.form.procedureId,
      nonce: check.data.value,
      lang,
    };
    const outcome = existing
      ? await db.transaction(async (tx) => {
          await replaceAnswers(tx, existing, result.questions, result.answers);
          if (result.texts) await setReviewTexts(tx, existing, { ...result.texts, maskedCount: result.maskedCount });
          return { review: existing as ReviewKey, createdAt: existing.createdAt.getTime() };
        })
      : await db.transaction(async (tx) => {
          const review = await createReview(tx, newReview, result.answers);
          if (review && result.texts) await setReviewTexts(tx, review, { ...result.texts, maskedCount: result.maskedCount });
          return review ? { review, createdAt: Date.now() } : null;
        });
    if (!outcome) return block(request, reply, live, lang, 'replayed');
    rememberReview(reply, live.button.publicKey, live.button.id, outcome.review, outcome.createdAt);
    return redirectSeeOther(reply, stepUrl(live, 2, outcome.review.id, lang));
  }

  /** A later step: the review token says which review it updates; the version must still be the published one. */
  async function laterStep(request: FastifyRequest, reply: FastifyReply, params: z.output<typeof stepParams>, token: unknown, lang: Lang) {
    const live = await liveButton(request, reply, params.key, lang);
    if (!live) return { done: reply } as const;
    const steps = visibleSteps(live.form.template, live.settings);
    const index = Number(params.n);
    if (!Number.isInteger(index) || index < 2 || index > steps.length)
      return { done: await block(request, reply, live, lang, 'forged') } as const;
    const check = verifyToken(secret, token, 'review');
    if (!check.ok) return { done: await block(request, reply, live, lang, check.reason === 'expired' ? 'expired' : 'forged') } as const;
    if (check.data.buttonId !== live.button.id) return { done: await block(request, reply, live, lang, 'forged') } as const;
    if (check.data.version !== live.version) return { done: await block(request, reply, live, lang, 'stale') } as const;
    const review = await loadReviewKey(db, Number(check.data.value));
    if (!review || review.deleted || review.buttonId !== live.button.id)
      return { done: await block(request, reply, live, lang, 'forged') } as const;
    if (review.finished) {
      // A step of a finished review reached again (the browser's history on a shared computer): never reopened.
      const link = { href: `${basePath(live.button.publicKey)}?nouveau=1&lang=${lang}`, label: T.giveNew[lang] };
      return {
        done: await page(
          request,
          reply,
          lang,
          T.rejectedTitle[lang],
          messagePage({ lang, title: T.rejectedTitle[lang], text: T.finished[lang], link }),
          409,
        ),
      } as const;
    }
    return { live: live, index, step: steps[index - 1], review, token: String(token) } as const;
  }

  app.get('/avis/b/:key/etape/:n', { ...PUBLIC, schema: { params: stepParams, querystring: stepQuery } }, async (request, reply) => {
    const { lang } = request.query;
    const ctx = await laterStep(request, reply, request.params, request.query.jeton, lang);
    if ('done' in ctx) return ctx.done;
    return renderStep(request, reply, ctx.live, lang, ctx.index, ctx.token, {}, {});
  });

  app.post('/avis/b/:key/etape/:n', { ...answersRoute, schema: { params: stepParams, body: answersBody } }, async (request, reply) => {
    if (request.validationError) return refuseForgedBody(request, reply, request.params.key);
    const body: Body = request.body ?? {};
    const lang = parseLang(body.lang);
    const ctx = await laterStep(request, reply, request.params, body.jeton, lang);
    if ('done' in ctx) return ctx.done;
    const { live, index, step, review } = ctx;
    if (!(await admissible(request, reply, live, body, lang))) return reply;
    const last = index === visibleSteps(live.form.template, live.settings).length;
    if (body.action === 'skip' && step.optional) {
      if (last) await finishAndForget(reply, live, review.id);
      return redirectSeeOther(reply, stepUrl(live, index + 1, review.id, lang));
    }
    const result = validateStep(step, live.settings, body, lang);
    if (result.kind === 'forged') return block(request, reply, live, lang, 'forged');
    if (result.kind === 'invalid') return renderStep(request, reply, live, lang, index, ctx.token, body, result.errors, 400);
    if (result.kind === 'follow-ups') return renderStep(request, reply, live, lang, index, ctx.token, body, {}, 200, true);
    await db.transaction(async (tx) => {
      await replaceAnswers(tx, review, result.questions, result.answers);
      if (result.texts) await setReviewTexts(tx, review, { ...result.texts, maskedCount: result.maskedCount });
      if (last) await finishReview(tx, review.id, live.button.id);
    });
    if (last) forgetReview(reply, live.button.publicKey);
    return redirectSeeOther(reply, stepUrl(live, index + 1, review.id, lang));
  });

  async function finishAndForget(reply: FastifyReply, live: LiveButton, reviewId: number) {
    await finishReview(db, reviewId, live.button.id);
    forgetReview(reply, live.button.publicKey);
  }

  app.get('/avis/b/:key/merci', { ...PUBLIC, schema: { params: keyParams, querystring: thanksQuery } }, async (request, reply) => {
    const { lang } = request.query;
    const live = await liveButton(request, reply, request.params.key, lang);
    if (!live) return reply;
    // The thank-you page ends this browser's link to the review (a one-step form finishes here).
    const returning = returningReviewId(request, live.button.id);
    if (returning) await finishAndForget(reply, live, returning);
    else if (request.cookies[RETURN_COOKIE]) forgetReview(reply, live.button.publicKey);
    const url = live.form.procedureUrl;
    return page(
      request,
      reply,
      lang,
      T.thanksTitle[lang],
      messagePage({
        lang,
        title: T.thanksTitle[lang],
        text: T.thanksText[lang],
        link: url ? { href: url, label: T.backToProcedure[lang] } : undefined,
        closeButton: true,
        // The experiences module's public form (src/experiences), for a story beyond the questionnaire.
        story: { href: `/temoignages/demarches/${live.form.procedureId}/raconter?lang=${lang}`, label: T.tellStory[lang] },
        // The support module's public help page (channels, nearest help points), through its entry file.
        help: { href: helpPagePath(live.form.procedureId), label: T.getHelp[lang] },
      }),
    );
  });

  app.get('/avis/bouton.svg', { ...PUBLIC, schema: { querystring: buttonQuery } }, async (request, reply) => {
    const { theme, style } = request.query;
    return reply
      .type('image/svg+xml')
      .header('cache-control', 'public, max-age=86400')
      .header('cross-origin-resource-policy', 'cross-origin')
      .send(buttonSvg(theme, style));
  });

  // The widget script is loaded by the procedure's own site: it must be allowed cross-origin.
  const widget = readFileSync(new URL('../assets/widget.js', import.meta.url), 'utf8');
  app.get('/avis/widget.js', PUBLIC, async (_request, reply) => {
    return reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .header('cross-origin-resource-policy', 'cross-origin')
      .send(widget);
  });
}
