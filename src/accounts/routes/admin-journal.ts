import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { sendPage } from '../../kernel/web/render.ts';
import type { FieldErrors } from '../../kernel/web/forms.ts';
import { journalPage, outboxPage, type JournalFilters, type JournalRow, type OutboxRow } from '../views/admin-journal.ts';
import { PAGE_SIZE, pageFrom } from '../views/pagination.ts';
import { STEERING } from '../../kernel/web/access.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The audit log and the development outbox, for the steering admin only. */
export const adminJournalRoutes: FastifyPluginAsync<AppDeps> = async (app, deps) => {
  const { db, config } = deps;

  app.get('/admin/journal', STEERING, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const text = (key: string) => (typeof query[key] === 'string' ? (query[key] as string).trim().slice(0, 200) : '');
    const filters: JournalFilters = { acteur: text('acteur'), type: text('type'), action: text('action'), du: text('du'), au: text('au') };
    const errors: FieldErrors = {};
    if (filters.du && !validDate(filters.du)) errors.du = 'Saisissez une date valide au format AAAA-MM-JJ.';
    if (filters.au && !validDate(filters.au)) errors.au = 'Saisissez une date valide au format AAAA-MM-JJ.';
    if (!errors.du && !errors.au && filters.du && filters.au && filters.du > filters.au) errors.au = 'La date de fin doit suivre la date de début.';
    const page = pageFrom(query);
    const types = await db.query<{ entity_type: string }>('SELECT DISTINCT entity_type FROM audit_log ORDER BY entity_type');
    let rows: JournalRow[] = [];
    if (Object.keys(errors).length === 0) {
      // Days are French days: the bounds are midnight in Paris.
      const result = await db.query<JournalRow>(
        `SELECT id, at, actor_label, action, entity_type, entity_id, before, after FROM audit_log
          WHERE ($1 = '' OR actor_label ILIKE '%' || $1 || '%')
            AND ($2 = '' OR entity_type = $2)
            AND ($3 = '' OR action ILIKE '%' || $3 || '%')
            AND ($4::date IS NULL OR at >= ($4::date)::timestamp AT TIME ZONE 'Europe/Paris')
            AND ($5::date IS NULL OR at < ($5::date + 1)::timestamp AT TIME ZONE 'Europe/Paris')
          ORDER BY at DESC, id DESC LIMIT $6 OFFSET $7`,
        [filters.acteur.replace(/[%_\\]/g, ''), filters.type, filters.action.replace(/[%_\\]/g, ''), filters.du || null, filters.au || null, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE],
      );
      rows = result.rows;
    }
    return sendPage(
      request,
      reply,
      {
        title: 'Journal d’audit',
        breadcrumb: [{ label: 'Journal d’audit' }],
        content: journalPage({ filters, entityTypes: types.rows.map((r) => r.entity_type), rows: rows.slice(0, PAGE_SIZE), page, hasNext: rows.length > PAGE_SIZE, errors }),
      },
      Object.keys(errors).length ? 400 : 200,
    );
  });

  app.get('/admin/boite-envoi', STEERING, async (request, reply) => {
    const page = pageFrom(request.query);
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
