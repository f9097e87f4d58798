import type { FastifyReply, FastifyRequest } from 'fastify';
import { editionPhrase } from '../../kernel/web/format.ts';
import type { Db } from '../../kernel/db/db.ts';
import type { PageOptions } from '../../kernel/web/layout.ts';
import { anonymousPageHtml, sendPage } from '../../kernel/web/render.ts';
import { listRevisions } from '../editions/correct.ts';
import type { Edition } from '../editions/drafts.ts';
import { loadIndicators, loadRuleSet } from '../rules/repository.ts';
import { parseTableQuery, tableQueryString } from '../table/filters.ts';
import { filterOptions } from '../table/options.ts';
import { tablePage } from '../table/query.ts';
import { HELP_MODAL_SCRIPT, editionPage } from '../views/edition-page.ts';
import { cacheablePageRequest, sendCachedPage } from '../cache/page-cache.ts';
import { editionStatistics } from '../statistics/edition-statistics.ts';
import type { z } from 'zod';
import type { listQuery } from '../api/schemas.ts';

/** A request for a view of the table: its query validated by the route schema `listQuery` (api/schemas.ts). */
export type ViewRequest = FastifyRequest<{ Querystring: z.output<typeof listQuery> }>;

/** One view of a published edition's table: the page's options and its status (400 when the query is invalid). */
async function renderEditionView(
  db: Db,
  request: ViewRequest,
  edition: Edition,
  isLatest: boolean,
): Promise<{ options: PageOptions; status: number }> {
  const defs = await loadIndicators(db);
  const { query, errors } = parseTableQuery(
    request.query,
    defs.map((d) => d.slug),
  );
  const base = isLatest ? '/observatoire' : `/observatoire/editions/${edition.id}`;
  const [options, page, revisions, rules] = await Promise.all([
    filterOptions(db, edition.id),
    tablePage(db, edition.id, query),
    listRevisions(db, edition.id),
    loadRuleSet(db, edition.ruleVersion ?? undefined),
  ]);
  const stats = (
    await editionStatistics(
      db,
      edition.id,
      page.rows.map((r) => r.procedure.procedureId),
    )
  )?.cells;
  const title = isLatest ? 'Observatoire' : `Observatoire : ${editionPhrase(edition.name)}`;
  const breadcrumb = isLatest
    ? [{ label: 'Observatoire' }]
    : [{ label: 'Observatoire', href: '/observatoire' }, { label: 'Éditions', href: '/observatoire/editions' }, { label: edition.name }];
  return {
    options: {
      title,
      breadcrumb,
      styles: 'public',
      scripts: [HELP_MODAL_SCRIPT],
      content: editionPage({
        edition,
        isLatest,
        base,
        defs,
        query,
        errors,
        options,
        total: page.total,
        rows: page.rows,
        revisions,
        rules,
        stats,
      }),
    },
    status: Object.keys(errors).length ? 400 : 200,
  };
}

/** Which edition a view shows: `cacheKey` names it without reading the database (« latest » or its id). */
export interface EditionSource {
  cacheKey: string;
  load(): Promise<Edition | null>;
}

/**
 * Renders one view of a published edition's table (current edition or a past one). Anonymous visitors are served from
 * the page cache (cache/page-cache.ts), keyed by the edition and the normalised query (`?tri=titre` and no query are
 * the same view): a hit needs no database query at all. `otherwise` answers when the edition does not exist.
 */
export async function sendEditionView(
  db: Db,
  request: ViewRequest,
  reply: FastifyReply,
  source: EditionSource,
  isLatest: boolean,
  otherwise: () => FastifyReply,
): Promise<FastifyReply> {
  if (cacheablePageRequest(request)) {
    const defs = await loadIndicators(db);
    const { query, errors } = parseTableQuery(
      request.query,
      defs.map((d) => d.slug),
    );
    if (Object.keys(errors).length === 0) {
      const sent = await sendCachedPage(db, request, reply, `${source.cacheKey}${tableQueryString(query)}`, async () => {
        const edition = await source.load();
        if (!edition) return null;
        const page = await renderEditionView(db, request, edition, isLatest);
        return page.status === 200 ? { status: 200, html: anonymousPageHtml(request, page.options) } : null;
      });
      if (sent) return reply;
    }
  }
  const edition = await source.load();
  if (!edition) return otherwise();
  const page = await renderEditionView(db, request, edition, isLatest);
  return sendPage(request, reply, page.options, page.status);
}
