import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../kernel/web/deps.ts';
import { PUBLIC } from '../kernel/web/access.ts';
import { idParamsOr404 } from '../kernel/web/ids.ts';
import { formBody, type ZodTypeProvider } from '../kernel/web/schemas.ts';
import { z } from 'zod';
import { html, escapeHtml, type SafeHtml } from '../kernel/web/html.ts';
import { redirectSeeOther, sendErrorPage, sendPage } from '../kernel/web/render.ts';
import { formatDate, formatInteger } from '../kernel/web/format.ts';
import { HONEYPOT_FIELD, oldCounterCleaner, overRateLimit, rotatingIpHash } from '../feedback/index.ts';
import { T, parseLang } from './i18n.ts';
import { otherLang } from '../kernel/web/i18n.ts';
import {
  BODY_MAX,
  BODY_MIN,
  CHANNELS,
  FEELINGS,
  HELPFUL,
  HELPFUL_LABELS,
  isOneOf,
  type Channel,
  type Feeling,
  type Lang,
} from './model.ts';
import { procedureInfo, recordHelpful, submitStory } from './store.ts';
import {
  answersOf,
  COUNT_CAP,
  eventsOf,
  MAX_PAGES,
  PER_PAGE,
  publicStories,
  storyById,
  type Place,
  type PublicFilters,
  type StoryRow,
} from './queries.ts';
import {
  answerBlock,
  days,
  figuresTable,
  filtersForm,
  helpfulLine,
  historyTable,
  messageBlock,
  percent,
  storyForm,
  storyList,
  statusBadge,
  type FormValues,
} from './views.ts';
import { delayFigures } from './delays.ts';
import { readFollowUpToken } from './tokens.ts';
import { CHANNEL_SHORT, FEELING_LABELS } from './model.ts';

type Body = Record<string, unknown>;

/** Public submissions are small: a 4 000-character story fits many times in this. */
const PUBLIC_BODY_LIMIT = 64 * 1024;
const EMAIL = /^[^\s@<>()\[\],;:"]{1,64}@[^\s@<>()\[\],;:"]+\.[^\s@<>()\[\],;:"]{2,}$/;

export function formPath(procedureId: number): string {
  return `/temoignages/demarches/${procedureId}/raconter`;
}

/** Reads the form; `forged` when a value could not come from the form (unknown choice, repeated single field). */
export function readStoryForm(
  body: Body,
  lang: Lang,
):
  | { kind: 'forged' }
  | { kind: 'invalid'; values: FormValues; errors: Record<string, string> }
  | {
      kind: 'ok';
      values: FormValues;
      story: {
        body: string;
        channels: Channel[];
        feeling: Feeling;
        solved: boolean;
        email: string | null;
        accessibility: boolean;
        consent: boolean;
      };
    } {
  const single = (name: string): string | undefined | null => {
    const v = body[name];
    if (v === undefined) return undefined;
    return typeof v === 'string' ? v : null;
  };
  const text = single('recit');
  const feeling = single('ressenti');
  const solved = single('resolu');
  const email = single('email');
  const accessibility = single('accessibilite');
  const consent = single('consentement');
  if ([text, feeling, solved, email, accessibility, consent].some((v) => v === null)) return { kind: 'forged' };
  const rawChannels = body.canaux === undefined ? [] : Array.isArray(body.canaux) ? body.canaux : [body.canaux];
  if (!rawChannels.every((c) => isOneOf(CHANNELS, c)) || new Set(rawChannels).size !== rawChannels.length) return { kind: 'forged' };
  if (feeling && !isOneOf(FEELINGS, feeling)) return { kind: 'forged' };
  if (solved && solved !== 'oui' && solved !== 'non') return { kind: 'forged' };
  if ((accessibility !== undefined && accessibility !== 'oui') || (consent !== undefined && consent !== 'oui')) return { kind: 'forged' };

  const values: FormValues = {
    body: text ?? '',
    channels: rawChannels as string[],
    feeling: feeling ?? undefined,
    solved: solved ?? undefined,
    email: email ?? '',
    accessibility: accessibility === 'oui',
    consent: consent === 'oui',
  };
  const errors: Record<string, string> = {};
  const story = (text ?? '').trim();
  const max = lang === 'fr' ? formatInteger(BODY_MAX) : BODY_MAX.toLocaleString('en-GB');
  if (!story) errors.recit = T.errBodyEmpty[lang];
  else if ([...story].length < BODY_MIN) errors.recit = T.errBodyShort[lang](BODY_MIN);
  else if ([...story].length > BODY_MAX) errors.recit = T.errBodyLong[lang](max);
  if (rawChannels.length === 0) errors.canaux = T.errChannels[lang];
  if (!feeling) errors.ressenti = T.errFeeling[lang];
  if (!solved) errors.resolu = T.errSolved[lang];
  const mail = (email ?? '').trim();
  if (mail && (mail.length > 254 || !EMAIL.test(mail))) errors.email = T.errEmail[lang];
  if (Object.keys(errors).length) return { kind: 'invalid', values, errors };
  return {
    kind: 'ok',
    values,
    story: {
      body: story,
      channels: rawChannels as Channel[],
      feeling: feeling as Feeling,
      solved: solved === 'oui',
      email: mail || null,
      accessibility: accessibility === 'oui',
      consent: consent === 'oui',
    },
  };
}

function filtersOf(query: Record<string, string | undefined>): PublicFilters & { answeredValue?: string; page: number } {
  const page = /^[1-9]\d{0,4}$/.test(query.page ?? '') ? Number(query.page) : 1;
  const q = typeof query.q === 'string' ? query.q.trim().slice(0, 200) : '';
  return {
    channel: isOneOf(CHANNELS, query.canal) ? query.canal : null,
    feeling: isOneOf(FEELINGS, query.ressenti) ? query.ressenti : null,
    answered: query.reponse === 'oui' ? true : query.reponse === 'non' ? false : null,
    answeredValue: query.reponse === 'oui' || query.reponse === 'non' ? query.reponse : undefined,
    q: q || null,
    page,
  };
}

function queryString(f: ReturnType<typeof filtersOf>, page: number): string {
  const p = new URLSearchParams();
  if (f.q) p.set('q', f.q);
  if (f.channel) p.set('canal', f.channel);
  if (f.feeling) p.set('ressenti', f.feeling);
  if (f.answeredValue) p.set('reponse', f.answeredValue);
  if (page > 1) p.set('page', String(page));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** An Atom feed (RFC 4287) of the newest public stories. */
function atomFeed(o: { title: string; base: string; selfPath: string; pagePath: string; stories: StoryRow[] }): string {
  const x = escapeHtml;
  const updated = (o.stories[0]?.publishedAt ? new Date(o.stories[0].publishedAt) : new Date(0)).toISOString();
  const entries = o.stories.map((s) => {
    const at = new Date(s.publishedAt!).toISOString();
    const facts = `Ressenti : ${FEELING_LABELS[s.feeling].fr}. Moyens utilisés : ${s.channels.map((c) => CHANNEL_SHORT[c]).join(', ')}. ${s.answers ? `Réponses de l’administration : ${s.answers}.` : 'Pas encore de réponse.'}`;
    return `  <entry>
    <title>${x(`Témoignage n° ${s.id} — ${s.procedureTitle}`)}</title>
    <id>${x(`${o.base}/temoignages/${s.id}`)}</id>
    <link href="${x(`${o.base}/temoignages/${s.id}`)}"/>
    <published>${at}</published>
    <updated>${at}</updated>
    <author><name>Usager (anonyme)</name></author>
    <content type="text">${x(`${s.body}\n\n${facts}`)}</content>
  </entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
  <title>${x(o.title)}</title>
  <id>${x(o.base + o.pagePath)}</id>
  <link rel="self" type="application/atom+xml" href="${x(o.base + o.selfPath)}"/>
  <link rel="alternate" type="text/html" href="${x(o.base + o.pagePath)}"/>
  <updated>${updated}</updated>
  <generator>Vigie</generator>
${entries.join('\n')}
</feed>
`;
}

/** One text value of a query, or nothing (absent or repeated). */
const oneText = z
  .unknown()
  .optional()
  .transform((value) => (typeof value === 'string' ? value : undefined));
/** The public lists' query as their filters (a hand-edited value falls back to none, a bad page to the first). */
const storyListQuery = z
  .looseObject({ page: oneText, q: oneText, canal: oneText, ressenti: oneText, reponse: oneText })
  .transform((query) => filtersOf({ page: query.page, q: query.q, canal: query.canal, ressenti: query.ressenti, reponse: query.reponse }));
const langQuery = z.looseObject({
  lang: z
    .unknown()
    .optional()
    .transform((value) => parseLang(value)),
});
const thanksQuery = z.looseObject({
  lang: z
    .unknown()
    .optional()
    .transform((value) => parseLang(value)),
  courriel: z
    .unknown()
    .optional()
    .transform((value) => value === '1'),
});

export async function publicExperienceRoutes(instance: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db, config } = deps;
  // Ids of the URL, queries and the story form's body by route schemas: an id that cannot be one is the same 404 as
  // an unknown one; the form's fields checked by readStoryForm, its messages beside them.
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const pageParams = idParamsOr404('Page non trouvée', 'Cette page n’existe pas ou plus.');
  const base = config.publicUrl.replace(/\/$/, '');
  const clearOldCounters = oldCounterCleaner();
  const postConfig = { config: { access: 'public' as const }, bodyLimit: PUBLIC_BODY_LIMIT };

  const notFound = (request: FastifyRequest, reply: FastifyReply) =>
    sendErrorPage(request, reply, 404, 'Page non trouvée', 'Cette page n’existe pas ou plus.');

  function refused(request: FastifyRequest, reply: FastifyReply, lang: Lang, procedureId: number, text: string, status: number) {
    return sendPage(
      request,
      reply,
      {
        title: T.rejectedTitle[lang],
        lang,
        content: messageBlock(T.rejectedTitle[lang], text, { href: `${formPath(procedureId)}?lang=${lang}`, label: T.restart[lang] }),
      },
      status,
    );
  }

  function closed(request: FastifyRequest, reply: FastifyReply, lang: Lang) {
    return sendPage(
      request,
      reply,
      { title: T.closedTitle[lang], lang, content: messageBlock(T.closedTitle[lang], T.closedText[lang]) },
      410,
    );
  }

  function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    procedureId: number,
    procedureTitle: string,
    lang: Lang,
    values: FormValues,
    errors: Record<string, string>,
    status = 200,
  ) {
    const other = otherLang(lang);
    const title = Object.keys(errors).length ? `${lang === 'fr' ? 'Erreur' : 'Error'} – ${T.title[lang]}` : T.title[lang];
    return sendPage(
      request,
      reply,
      {
        title: `${title} – ${procedureTitle}`,
        lang,
        breadcrumb: [
          { label: 'Témoignages', href: '/temoignages' },
          { label: procedureTitle, href: `/temoignages/demarches/${procedureId}` },
          { label: T.title[lang] },
        ],
        content: storyForm({
          lang,
          procedureTitle,
          action: formPath(procedureId),
          csrf: reply.generateCsrf(),
          languageHref: `${formPath(procedureId)}?lang=${other}`,
          values,
          errors,
        }),
      },
      status,
    );
  }

  app.get(
    '/temoignages/demarches/:id/raconter',
    { ...PUBLIC, schema: { params: pageParams, querystring: langQuery } },
    async (request, reply) => {
      const { lang } = request.query;
      const proc = await procedureInfo(db, request.params.id);
      if (!proc) return notFound(request, reply);
      if (proc.archived) return closed(request, reply, lang);
      return renderForm(request, reply, proc.id, proc.title, lang, {}, {});
    },
  );

  app.post(
    '/temoignages/demarches/:id/raconter',
    { ...postConfig, schema: { params: pageParams, body: formBody({}) } },
    async (request, reply) => {
      const body = request.body;
      const lang = parseLang(body.lang);
      const proc = await procedureInfo(db, request.params.id);
      if (!proc) return notFound(request, reply);
      if (proc.archived) return closed(request, reply, lang);
      if (body[HONEYPOT_FIELD] !== undefined && body[HONEYPOT_FIELD] !== '')
        return refused(request, reply, lang, proc.id, T.forged[lang], 400);
      const over = await overRateLimit(db, rotatingIpHash(request.ip, config.sessionSecret), config.feedbackRateLimit);
      await clearOldCounters(db);
      if (over) return refused(request, reply, lang, proc.id, T.blocked[lang], 429);
      const form = readStoryForm(body, lang);
      if (form.kind === 'forged') return refused(request, reply, lang, proc.id, T.forged[lang], 400);
      if (form.kind === 'invalid') return renderForm(request, reply, proc.id, proc.title, lang, form.values, form.errors, 400);
      const s = form.story;
      await submitStory(db, {
        procedure: proc,
        lang,
        body: s.body,
        channels: s.channels,
        feeling: s.feeling,
        solved: s.solved,
        email: s.email,
        consent: s.consent,
        accessibilityTicked: s.accessibility,
      });
      return redirectSeeOther(reply, `/temoignages/demarches/${proc.id}/merci?lang=${lang}${s.email ? '&courriel=1' : ''}`);
    },
  );

  app.get(
    '/temoignages/demarches/:id/merci',
    { ...PUBLIC, schema: { params: pageParams, querystring: thanksQuery } },
    async (request, reply) => {
      const { lang } = request.query;
      const proc = await procedureInfo(db, request.params.id);
      if (!proc) return notFound(request, reply);
      return sendPage(request, reply, {
        title: T.thanksTitle[lang],
        lang,
        content: messageBlock(
          T.thanksTitle[lang],
          T.thanksText[lang],
          { href: `/temoignages/demarches/${proc.id}`, label: T.readStories[lang] },
          request.query.courriel ? T.thanksEmail[lang] : undefined,
        ),
      });
    },
  );

  /** A list page of public stories (procedure, administration, ministry). */
  async function listPage(
    request: FastifyRequest<{ Querystring: z.output<typeof storyListQuery> }>,
    reply: FastifyReply,
    o: {
      place: Place;
      path: string;
      title: string;
      heading: SafeHtml;
      crumbs: { label: string; href?: string }[];
      showProcedure: boolean;
      intro?: SafeHtml;
    },
  ) {
    const f = request.query;
    if (f.page > MAX_PAGES) return notFound(request, reply);
    const { rows, total, capped } = await publicStories(db, o.place, f, f.page);
    const pages = Math.min(MAX_PAGES, Math.max(1, Math.ceil(total / PER_PAGE)));
    if (f.page > pages && total > 0) return notFound(request, reply);
    return sendPage(request, reply, {
      title: f.page > 1 ? `${o.title} (page ${f.page})` : o.title,
      breadcrumb: o.crumbs,
      content: html`${o.heading}
${o.intro ?? ''}
<ul class="fr-links-group"><li><a class="fr-link fr-icon-rss-line fr-link--icon-left" href="${o.path}/flux.xml" type="application/atom+xml">Suivre ces témoignages (flux Atom)</a></li>
<li><a class="fr-link fr-icon-download-line fr-link--icon-left" href="${o.path}/temoignages.csv${queryString({ ...f, page: 1 }, 1)}" download>Télécharger ces témoignages (CSV)</a></li>
<li><a class="fr-link" href="/api/docs">Les mêmes données par l’API</a></li></ul>
${filtersForm(o.path, f)}
${storyList({ rows, total, capped, bounded: total > COUNT_CAP || capped, page: f.page, pages, href: (p) => `${o.path}${queryString(f, p)}`, showProcedure: o.showProcedure })}`,
    });
  }

  async function feed(reply: FastifyReply, place: Place, title: string, pagePath: string) {
    const { rows } = await publicStories(db, place, {}, 1, 50);
    return reply
      .type('application/atom+xml; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(atomFeed({ title, base, selfPath: `${pagePath}/flux.xml`, pagePath, stories: rows }));
  }

  app.get(
    '/temoignages/demarches/:id',
    { ...PUBLIC, schema: { params: pageParams, querystring: storyListQuery } },
    async (request, reply) => {
      const proc = await procedureInfo(db, request.params.id);
      if (!proc) return notFound(request, reply);
      return listPage(request, reply, {
        place: { procedureId: proc.id },
        path: `/temoignages/demarches/${proc.id}`,
        title: `Témoignages – ${proc.title}`,
        showProcedure: false,
        crumbs: [
          { label: 'Témoignages', href: '/temoignages' },
          { label: proc.administrationName, href: `/temoignages/administrations/${proc.administrationId}` },
          { label: proc.title },
        ],
        heading: html`<h1>Témoignages des usagers : ${proc.title}</h1>`,
        intro: html`<p>Des usagers racontent leur expérience de cette démarche ; ${proc.administrationName} leur répond publiquement. Les témoignages sont relus avant publication et les données personnelles masquées.</p>
${proc.archived ? html`<p>Cette démarche est close : elle ne reçoit plus de témoignages.</p>` : html`<ul class="fr-btns-group fr-btns-group--inline-md"><li><a class="fr-btn" href="${formPath(proc.id)}">Raconter mon expérience</a></li><li><a class="fr-btn fr-btn--secondary" href="${formPath(proc.id)}?lang=en" lang="en" hreflang="en">Tell my experience (English)</a></li></ul>`}`,
      });
    },
  );

  app.get('/temoignages/demarches/:id/flux.xml', { ...PUBLIC, schema: { params: pageParams } }, async (request, reply) => {
    const proc = await procedureInfo(db, request.params.id);
    if (!proc) return notFound(request, reply);
    return feed(reply, { procedureId: proc.id }, `Témoignages – ${proc.title} – Vigie`, `/temoignages/demarches/${proc.id}`);
  });

  async function administration(id: number) {
    const { rows } = await db.query(
      `SELECT a.id, a.name, m.id AS ministry_id, m.name AS ministry_name FROM administrations a JOIN ministries m ON m.id = a.ministry_id WHERE a.id = $1`,
      [id],
    );
    return rows[0]
      ? {
          id: Number(rows[0].id),
          name: rows[0].name as string,
          ministryId: Number(rows[0].ministry_id),
          ministryName: rows[0].ministry_name as string,
        }
      : null;
  }
  async function ministry(id: number) {
    const { rows } = await db.query(`SELECT id, name FROM ministries WHERE id = $1`, [id]);
    return rows[0] ? { id: Number(rows[0].id), name: rows[0].name as string } : null;
  }

  app.get(
    '/temoignages/administrations/:id',
    { ...PUBLIC, schema: { params: pageParams, querystring: storyListQuery } },
    async (request, reply) => {
      const a = await administration(request.params.id);
      if (!a) return notFound(request, reply);
      const [fig] = await delayFigures(db, { administrationId: a.id });
      const intro = fig
        ? html`<p>Taux de réponse : <strong>${percent(fig.answerRate)}</strong> · délai médian de première réponse : <strong>${days(fig.medianDays)}</strong> · répondus dans le délai : <strong>${percent(fig.inTimeShare)}</strong> (délai cible : ${formatInteger(fig.targetDays)} jours, ${formatInteger(fig.accessibilityDays)} pour l’accessibilité). <a href="/temoignages/delais">Les délais de toutes les administrations</a></p>`
        : html`<p><a href="/temoignages/delais">Les délais de réponse de toutes les administrations</a></p>`;
      return listPage(request, reply, {
        place: { administrationId: a.id },
        path: `/temoignages/administrations/${a.id}`,
        title: `Témoignages – ${a.name}`,
        showProcedure: true,
        crumbs: [
          { label: 'Témoignages', href: '/temoignages' },
          { label: a.ministryName, href: `/temoignages/ministeres/${a.ministryId}` },
          { label: a.name },
        ],
        heading: html`<h1>Témoignages des usagers : ${a.name}</h1>`,
        intro,
      });
    },
  );

  app.get('/temoignages/administrations/:id/flux.xml', { ...PUBLIC, schema: { params: pageParams } }, async (request, reply) => {
    const a = await administration(request.params.id);
    if (!a) return notFound(request, reply);
    return feed(reply, { administrationId: a.id }, `Témoignages – ${a.name} – Vigie`, `/temoignages/administrations/${a.id}`);
  });

  app.get(
    '/temoignages/ministeres/:id',
    { ...PUBLIC, schema: { params: pageParams, querystring: storyListQuery } },
    async (request, reply) => {
      const m = await ministry(request.params.id);
      if (!m) return notFound(request, reply);
      const figures = await delayFigures(db, { ministryId: m.id });
      return listPage(request, reply, {
        place: { ministryId: m.id },
        path: `/temoignages/ministeres/${m.id}`,
        title: `Témoignages – ${m.name}`,
        showProcedure: true,
        crumbs: [{ label: 'Témoignages', href: '/temoignages' }, { label: m.name }],
        heading: html`<h1>Témoignages des usagers : ${m.name}</h1>`,
        intro: figures.length ? figuresTable(figures, `Délais de réponse des administrations du ministère`) : undefined,
      });
    },
  );

  app.get('/temoignages/ministeres/:id/flux.xml', { ...PUBLIC, schema: { params: pageParams } }, async (request, reply) => {
    const m = await ministry(request.params.id);
    if (!m) return notFound(request, reply);
    return feed(reply, { ministryId: m.id }, `Témoignages – ${m.name} – Vigie`, `/temoignages/ministeres/${m.id}`);
  });

  app.get('/temoignages', PUBLIC, async (request, reply) => {
    const { rows } = await db.query(
      `SELECT m.id, m.name, sum(c.stories)::int AS n FROM experience_public_counts c JOIN ministries m ON m.id = c.ministry_id
        GROUP BY m.id, m.name HAVING sum(c.stories) > 0 ORDER BY m.name`,
    );
    return sendPage(request, reply, {
      title: 'Témoignages des usagers',
      breadcrumb: [{ label: 'Témoignages' }],
      content: html`<h1>Témoignages des usagers</h1>
<p>Les usagers racontent leur expérience d’une démarche en ligne : ce qui s’est passé, les moyens utilisés (en ligne, téléphone, courrier, accueil en personne), leur ressenti. Les témoignages sont relus avant publication ; l’administration y répond publiquement, et ses délais de réponse sont publiés.</p>
<p>Pour raconter votre expérience, ouvrez la page de la démarche dans l’observatoire ou dans la liste ci-dessous.</p>
<p><a class="fr-link" href="/temoignages/delais">Délais de réponse des administrations</a></p>
<h2>Témoignages publiés par ministère</h2>
${rows.length ? html`<ul>${rows.map((r) => html`<li><a href="/temoignages/ministeres/${r.id}">${r.name}</a> (${formatInteger(r.n)})</li>`)}</ul>` : html`<p>Aucun témoignage publié pour l’instant.</p>`}`,
    });
  });

  app.get('/temoignages/delais', PUBLIC, async (request, reply) => {
    const figures = await delayFigures(db);
    return sendPage(request, reply, {
      title: 'Délais de réponse aux témoignages',
      breadcrumb: [{ label: 'Témoignages', href: '/temoignages' }, { label: 'Délais de réponse' }],
      content: html`<h1>Délais de réponse aux témoignages</h1>
<p>Chaque administration s’engage à répondre aux témoignages publiés dans un délai cible (7 jours par défaut, l’engagement de l’État pour les demandes électroniques), plus court pour les témoignages qui concernent l’accessibilité. Le délai court à partir de la publication du témoignage.</p>
<ul>
  <li><strong>Taux de réponse</strong> : part des témoignages publiés qui ont reçu au moins une réponse ;</li>
  <li><strong>Délai médian</strong> : la moitié des premières réponses arrivent en moins de ce délai (en jours) ;</li>
  <li><strong>Répondus dans le délai</strong> : parmi les témoignages répondus ou dont le délai est dépassé, part de ceux répondus à temps ;</li>
  <li><strong>En retard</strong> : témoignages qui attendent encore une première réponse après leur délai.</li>
</ul>
${figuresTable(figures, 'Délais de réponse par administration')}`,
    });
  });

  app.get('/temoignages/:id', { ...PUBLIC, schema: { params: pageParams } }, async (request, reply) => {
    const s = await storyById(db, request.params.id);
    if (!s || !s.publishedAt || s.status === 'refused' || !s.consent) return notFound(request, reply);
    const [answers, events] = await Promise.all([answersOf(db, s.id), eventsOf(db, s.id)]);
    return sendPage(request, reply, {
      title: `Témoignage n° ${s.id} – ${s.procedureTitle}`,
      breadcrumb: [
        { label: 'Témoignages', href: '/temoignages' },
        { label: s.procedureTitle, href: `/temoignages/demarches/${s.procedureId}` },
        { label: `Témoignage n° ${s.id}` },
      ],
      content: html`<h1>Témoignage n° ${s.id}</h1>
<p>Démarche : <a href="/temoignages/demarches/${s.procedureId}">${s.procedureTitle}</a> · ${s.administrationName} · publié le ${formatDate(s.publishedAt)}</p>
${statusBadge(s.status)}
${s.body
  .split(/\n+/)
  .filter((p) => p.trim())
  .map((p) => html`<p>${p}</p>`)}
<ul class="fr-text--sm">
  <li>Ressenti : ${FEELING_LABELS[s.feeling].fr}</li>
  <li>Moyens utilisés : ${s.channels.map((c) => CHANNEL_SHORT[c]).join(', ')}</li>
  <li>Problème résolu selon l’auteur : ${s.solved ? 'oui' : 'non'}</li>
  ${s.accessibility ? html`<li>Concerne l’accessibilité</li>` : ''}
</ul>
<h2>${answers.length ? (answers.length > 1 ? `Réponses de l’administration (${answers.length})` : 'Réponse de l’administration') : 'Réponse de l’administration'}</h2>
${answers.length ? answers.map(answerBlock) : html`<p>L’administration n’a pas encore répondu.</p>`}
${s.status === 'closed' && s.closeReason ? html`<p><strong>Clos sans suite.</strong> Motif : ${s.closeReason}</p>` : ''}
${helpfulLine(s)}
<h2>Historique</h2>
${historyTable(events)}`,
    });
  });

  // « Did the answer help? »: the signed link of the mail sent four weeks after the first answer.
  async function followUpStory(token: string) {
    const id = readFollowUpToken(config.sessionSecret, token);
    const s = id ? await storyById(db, id) : null;
    return s && s.firstAnswerAt ? s : null;
  }

  function followUpPage(request: FastifyRequest, reply: FastifyReply, s: StoryRow, token: string, error: string | null, status = 200) {
    const id = 'champ-aide';
    return sendPage(
      request,
      reply,
      {
        title: `${error ? 'Erreur – ' : ''}La réponse vous a-t-elle aidé ?`,
        content: html`<h1>La réponse de l’administration vous a-t-elle aidé ?</h1>
<p>Votre témoignage n° ${s.id} sur la démarche « ${s.procedureTitle} » a reçu une réponse. Votre avis sera affiché avec le témoignage.</p>
${error ? html`<div class="fr-alert fr-alert--error fr-mb-4w" role="alert"><p>${error}</p></div>` : ''}
<form method="post" action="/temoignages/suivi/${token}">
  <input type="hidden" name="_csrf" value="${reply.generateCsrf()}">
  <fieldset class="fr-fieldset${error ? ' fr-fieldset--error' : ''}" id="${id}" aria-labelledby="${id}-legende">
    <legend class="fr-fieldset__legend" id="${id}-legende">La réponse vous a-t-elle aidé ?</legend>
    ${HELPFUL.map((h, i) => html`<div class="fr-fieldset__element"><div class="fr-radio-group"><input type="radio" id="${id}-${i}" name="aide" value="${h}"${s.helpful === h ? html` checked` : ''}><label class="fr-label" for="${id}-${i}">${HELPFUL_LABELS[h]}</label></div></div>`)}
  </fieldset>
  <button type="submit" class="fr-btn">Envoyer</button>
</form>`,
      },
      status,
    );
  }

  // The follow-up link's token and form by route schemas: a token that cannot be one is the same 404 as a wrong one.
  const invalidLink = 'Ce lien n’est pas valide : vérifiez qu’il est complet (copiez-le depuis l’e-mail reçu). Rien n’a été enregistré.';
  const tokenParams = z.object({
    token: z
      .string()
      .refine((value) => /^\d{1,15}\.[A-Za-z0-9_-]{32}$/.test(value), { message: invalidLink, params: { title: 'Lien invalide' } }),
  });
  app.get('/temoignages/suivi/:token', { ...PUBLIC, schema: { params: tokenParams } }, async (request, reply) => {
    const s = await followUpStory(request.params.token);
    if (!s)
      return sendErrorPage(
        request,
        reply,
        404,
        'Lien invalide',
        'Ce lien n’est pas valide : vérifiez qu’il est complet (copiez-le depuis l’e-mail reçu).',
      );
    return followUpPage(request, reply, s, request.params.token, null);
  });

  app.post('/temoignages/suivi/:token', { ...PUBLIC, schema: { params: tokenParams, body: formBody({}) } }, async (request, reply) => {
    const s = await followUpStory(request.params.token);
    if (!s)
      return sendErrorPage(
        request,
        reply,
        404,
        'Lien invalide',
        'Ce lien n’est pas valide : vérifiez qu’il est complet (copiez-le depuis l’e-mail reçu). Rien n’a été enregistré.',
      );
    const value = request.body.aide;
    if (!isOneOf(HELPFUL, value))
      return followUpPage(
        request,
        reply,
        s,
        request.params.token,
        'Choisissez une réponse : oui, en partie ou non. Rien n’a été enregistré.',
        400,
      );
    const ok = await recordHelpful(db, s.id, value);
    if (!ok)
      return sendErrorPage(request, reply, 409, 'Témoignage non publié', 'Ce témoignage n’est plus publié : rien n’a été enregistré.');
    return sendPage(request, reply, {
      title: 'Merci pour votre réponse',
      content: messageBlock(
        'Merci pour votre réponse',
        s.consent
          ? 'Votre avis sur la réponse de l’administration est enregistré et affiché avec votre témoignage.'
          : 'Votre avis sur la réponse de l’administration est enregistré.',
        s.consent ? { href: `/temoignages/${s.id}`, label: 'Voir le témoignage' } : undefined,
      ),
    });
  });
}
