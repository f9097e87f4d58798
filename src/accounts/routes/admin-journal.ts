import { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { sendPage } from '../../kernel/web/render.ts';
import type { FieldErrors } from '../../kernel/web/forms.ts';
import { journalPage, outboxPage, type JournalFilters, type JournalRow, type OutboxRow } from '../views/admin-journal.ts';
import { z } from 'zod';
import { pageParam, searchText, type ZodTypeProvider } from '../../kernel/web/schemas.ts';
import { PAGE_SIZE } from '../views/list-pages.ts';
import { STEERING } from '../../kernel/web/access.ts';
import { objectNames } from '../journal-events.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The journal's filters as SQL ($1–$5) on audit_log `a`; days are French days (bounds at midnight in Paris). */
const JOURNAL_FILTER = `($1 = '' OR a.actor_label ILIKE '%' || $1 || '%' OR EXISTS (SELECT 1 FROM users f WHERE f.id = a.actor_id AND f.display_name ILIKE '%' || $1 || '%'))
            AND ($2 = '' OR a.entity_type = $2)
            AND ($3 = '' OR a.action ILIKE '%' || $3 || '%')
            AND ($4::date IS NULL OR a.at >= ($4::date)::timestamp AT TIME ZONE 'Europe/Paris')
            AND ($5::date IS NULL OR a.at < ($5::date + 1)::timestamp AT TIME ZONE 'Europe/Paris')`;

function filterParams(f: JournalFilters): unknown[] {
  return [f.acteur.replace(/[%_\\]/g, ''), f.type, f.action.replace(/[%_\\]/g, ''), f.du || null, f.au || null];
}

/** The journal's query (route schema): texts cut at 200 characters; the dates are checked below, with the form's messages. */
const journalQuery = z.looseObject({
  acteur: searchText(),
  type: searchText(),
  action: searchText(),
  du: searchText(),
  au: searchText(),
  page: pageParam,
});

function readFilters(query: z.output<typeof journalQuery>): { filters: JournalFilters; errors: FieldErrors } {
  const filters: JournalFilters = { acteur: query.acteur, type: query.type, action: query.action, du: query.du, au: query.au };
  const errors: FieldErrors = {};
  if (filters.du && !validDate(filters.du)) errors.du = 'Saisissez une date valide au format AAAA-MM-JJ.';
  if (filters.au && !validDate(filters.au)) errors.au = 'Saisissez une date valide au format AAAA-MM-JJ.';
  if (!errors.du && !errors.au && filters.du && filters.au && filters.du > filters.au)
    errors.au = 'La date de fin doit suivre la date de début.';
  return { filters, errors };
}

/** The audit log and the development outbox, for the steering admin only. */
export const adminJournalRoutes: FastifyPluginAsync<AppDeps> = async (instance, deps) => {
  const { db, config } = deps;
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const journal = { ...STEERING, schema: { querystring: journalQuery } };

  app.get('/admin/journal', journal, async (request, reply) => {
    const { filters, errors } = readFilters(request.query);
    const { page } = request.query;
    const types = await db.query<{ entity_type: string }>('SELECT DISTINCT entity_type FROM audit_log ORDER BY entity_type');
    let rows: JournalRow[] = [];
    if (Object.keys(errors).length === 0) {
      // Days are French days: the bounds are midnight in Paris.
      const result = await db.query<JournalRow>(
        `SELECT a.id, a.at, a.actor_id, a.actor_label, coalesce(nullif(u.display_name, ''), u.email, a.actor_label) AS actor_name,
                a.action, a.entity_type, a.entity_id, a.before, a.after
           FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
          WHERE ${JOURNAL_FILTER}
          ORDER BY a.at DESC, a.id DESC LIMIT $6 OFFSET $7`,
        [...filterParams(filters), PAGE_SIZE + 1, (page - 1) * PAGE_SIZE],
      );
      rows = result.rows;
    }
    const shownRows = rows.slice(0, PAGE_SIZE);
    const names = await objectNames(db, shownRows);
    return sendPage(
      request,
      reply,
      {
        title: 'Journal d’audit',
        breadcrumb: [{ label: 'Journal d’audit' }],
        content: journalPage({
          filters,
          entityTypes: types.rows.map((r) => r.entity_type),
          rows: shownRows,
          names,
          page,
          hasNext: rows.length > PAGE_SIZE,
          errors,
        }),
      },
      Object.keys(errors).length ? 400 : 200,
    );
  });

  // The raw entries, JSON before/after included, for the filters of the page: what the page turns into sentences.
  app.get('/admin/journal/export.json', journal, async (request, reply) => {
    const { filters, errors } = readFilters(request.query);
    if (Object.keys(errors).length) return reply.code(400).type('text/plain; charset=utf-8').send(Object.values(errors).join('\n'));
    const params = filterParams(filters);
    async function* entries() {
      yield '[';
      let last: number | null = null;
      let first = true;
      for (;;) {
        const { rows }: { rows: (Record<string, unknown> & { id: number })[] } = await db.query<Record<string, unknown> & { id: number }>(
          `SELECT a.id, a.at, a.actor_id, a.actor_label, a.action, a.entity_type, a.entity_id, a.before, a.after
             FROM audit_log a WHERE ${JOURNAL_FILTER} AND ($6::bigint IS NULL OR a.id < $6) ORDER BY a.id DESC LIMIT 1000`,
          [...params, last],
        );
        if (rows.length === 0) break;
        for (const row of rows) {
          yield `${first ? '' : ','}\n${JSON.stringify(row)}`;
          first = false;
        }
        last = Number(rows[rows.length - 1]!.id);
      }
      yield '\n]\n';
    }
    reply.type('application/json; charset=utf-8').header('content-disposition', 'attachment; filename="journal-audit.json"');
    return reply.send(Readable.from(entries()));
  });

  app.get('/admin/boite-envoi', { ...STEERING, schema: { querystring: z.looseObject({ page: pageParam }) } }, async (request, reply) => {
    const { page } = request.query;
    const { rows } = await db.query<OutboxRow>(
      'SELECT id, at, recipient, subject, body_text FROM mail_outbox ORDER BY at DESC, id DESC LIMIT $1 OFFSET $2',
      [PAGE_SIZE + 1, (page - 1) * PAGE_SIZE],
    );
    return sendPage(request, reply, {
      title: 'Boîte d’envoi',
      breadcrumb: [{ label: 'Boîte d’envoi' }],
      content: outboxPage({ smtpConfigured: !!config.smtp, rows: rows.slice(0, PAGE_SIZE), page, hasNext: rows.length > PAGE_SIZE }),
    });
  });
};
