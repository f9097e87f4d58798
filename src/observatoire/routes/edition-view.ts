import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../kernel/db/db.ts';
import { sendPage } from '../../kernel/web/render.ts';
import { listRevisions } from '../editions/correct.ts';
import type { Edition } from '../editions/drafts.ts';
import { loadIndicators, loadRuleSet } from '../rules/repository.ts';
import { parseTableQuery } from '../table/filters.ts';
import { filterOptions } from '../table/options.ts';
import { tablePage } from '../table/query.ts';
import { HELP_MODAL_SCRIPT, editionPage } from '../views/edition-page.ts';

/** Renders one view of a published edition's table (current edition or a past one). */
export async function sendEditionView(db: Db, request: FastifyRequest, reply: FastifyReply, edition: Edition, isLatest: boolean): Promise<FastifyReply> {
  const defs = await loadIndicators(db);
  const { query, errors } = parseTableQuery(request.query as Record<string, unknown>, defs.map((d) => d.slug));
  const base = isLatest ? '/observatoire' : `/observatoire/editions/${edition.id}`;
  const [options, page, revisions, rules] = await Promise.all([
    filterOptions(db, edition.id),
    tablePage(db, edition.id, query),
    listRevisions(db, edition.id),
    loadRuleSet(db, edition.ruleVersion ?? undefined),
  ]);
  const title = isLatest ? 'Observatoire' : `Observatoire : édition ${edition.name}`;
  const breadcrumb = isLatest ? [{ label: 'Observatoire' }] : [{ label: 'Observatoire', href: '/observatoire' }, { label: 'Éditions', href: '/observatoire/editions' }, { label: edition.name }];
  return sendPage(
    request,
    reply,
    { title, breadcrumb, scripts: [HELP_MODAL_SCRIPT], content: editionPage({ edition, isLatest, base, defs, query, errors, options, total: page.total, rows: page.rows, revisions, rules }) },
    Object.keys(errors).length ? 400 : 200,
  );
}
