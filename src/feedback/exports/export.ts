import { PassThrough } from 'node:stream';
import type ExcelJS from 'exceljs';
import { loadExcelJS } from '../../kernel/spreadsheet/exceljs.ts';
import { csvStream } from '../../kernel/export/csv.ts';
import type { AppDeps } from '../../kernel/web/deps.ts';
import type { Queryable } from '../../kernel/db/db.ts';
import { queueMail } from '../../kernel/mail/queue.ts';
import { ADMIN_CHANNELS, HELP_TRIED } from '../questionnaire/template.ts';
import { answersCondition, type AnswerFilters } from '../storage/answers-query.ts';
import { run, sql } from '../../kernel/db/sql.ts';

export const EXPORT_QUEUE = 'feedback.export';
/** How often a running export says it is alive (feedback_exports.heartbeat_at). */
export const HEARTBEAT_MS = 5_000;
const BATCH = 1000;

/** One column per question (one per channel for the follow-up questions), one row per review; option ids, not labels. */
export const EXPORT_COLUMNS = [
  'avis_id',
  'date',
  'bouton',
  'version',
  'langue',
  'satisfaction',
  'clarity',
  'help_tried',
  ...ADMIN_CHANNELS.map((c) => `help_reached_${c}`),
  ...ADMIN_CHANNELS.map((c) => `help_quality_${c}`),
  'problem_kind',
  'verbatim',
  'help_other',
  'contact_email',
  'masked_count',
];

function toRow(r: any): (string | number)[] {
  const answers: { question: string; sub: string; optionId: string }[] = r.answers ?? [];
  const pick = (q: string, sub = '') =>
    answers
      .filter((a) => a.question === q && a.sub === sub)
      .map((a) => a.optionId)
      .join('|');
  const tried = answers
    .filter((a) => a.question === 'help_tried')
    .map((a) => a.optionId)
    .sort((a, b) => HELP_TRIED.findIndex((o) => o.id === a) - HELP_TRIED.findIndex((o) => o.id === b));
  return [
    Number(r.id),
    new Date(r.created_at).toISOString(),
    r.button_name,
    r.form_version,
    r.lang,
    pick('satisfaction'),
    pick('clarity'),
    tried.join('|'),
    ...ADMIN_CHANNELS.map((c) => pick('help_reached', c)),
    ...ADMIN_CHANNELS.map((c) => pick('help_quality', c)),
    pick('problem_kind'),
    r.verbatim ?? '',
    r.other_help ?? '',
    r.contact_email ?? '',
    r.masked_count,
  ];
}

/** Reads the reviews by batches (keyset on id) and hands each row to `write`; reports progress after each batch. */
async function eachReview(
  db: Queryable,
  formId: number,
  filters: AnswerFilters,
  write: (row: (string | number)[]) => Promise<void>,
  progress: (n: number) => Promise<void>,
) {
  let lastId = 0;
  let done = 0;
  for (;;) {
    const { rows } = await run(
      db,
      sql`SELECT r.id, r.created_at, r.form_version, r.lang, r.verbatim, r.other_help, r.contact_email, r.masked_count, b.name AS button_name,
              (SELECT json_agg(json_build_object('question', a.question, 'sub', a.sub, 'optionId', a.option_id))
                 FROM feedback_answers a WHERE a.day = r.day AND a.review_id = r.id) AS answers
         FROM feedback_reviews r JOIN feedback_buttons b ON b.id = r.button_id
        WHERE ${answersCondition(formId, filters)} AND r.id > ${lastId} ORDER BY r.id LIMIT ${BATCH}`,
    );
    for (const r of rows) await write(toRow(r));
    if (rows.length === 0) return;
    lastId = Number(rows[rows.length - 1].id);
    done += rows.length;
    await progress(done);
  }
}

async function collect(stream: PassThrough): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Writes the export file of one export request, streaming rows into CSV or XLSX, then mails the link. */
export async function runExport(deps: AppDeps, exportId: number): Promise<void> {
  const { db } = deps;
  const { rows } = await db.query(
    `SELECT e.*, u.email, f.name AS form_name,
            e.status = 'running' AND e.heartbeat_at > now() - interval '30 seconds' AS busy
       FROM feedback_exports e JOIN users u ON u.id = e.user_id JOIN feedback_forms f ON f.id = e.form_id WHERE e.id = $1`,
    [exportId],
  );
  const e = rows[0];
  // Done, or running in a live worker (an old job of an export restarted by recovery.ts): nothing to do.
  if (!e || e.status === 'done' || e.busy) return;
  const filters = e.filters as AnswerFilters;
  const total = (
    await run<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM feedback_reviews r WHERE ${answersCondition(Number(e.form_id), filters)}`,
    )
  ).rows[0].n;
  await db.query(`UPDATE feedback_exports SET status = 'running', total = $2, done_rows = 0, heartbeat_at = now() WHERE id = $1`, [
    exportId,
    total,
  ]);
  const progress = (n: number) =>
    db.query('UPDATE feedback_exports SET done_rows = $2, heartbeat_at = now() WHERE id = $1', [exportId, n]).then(() => undefined);
  // The heartbeat says this worker is alive even during a long batch; without it for 30 s, recovery.ts restarts the export.
  const heartbeat = setInterval(() => {
    db.query(`UPDATE feedback_exports SET heartbeat_at = now() WHERE id = $1 AND status = 'running'`, [exportId]).catch(() => {});
  }, HEARTBEAT_MS);
  heartbeat.unref();
  try {
    const out = new PassThrough();
    const result = collect(out);
    if (e.format === 'csv') {
      // The kernel's writer: verbatims starting with =, +, -, @ are neutralised (they were written as typed).
      const csv = csvStream({ columns: EXPORT_COLUMNS });
      csv.pipe(out);
      await eachReview(
        db,
        Number(e.form_id),
        filters,
        async (row) => {
          if (!csv.write(row)) await new Promise((resolve) => csv.once('drain', resolve));
        },
        progress,
      );
      csv.end();
    } else {
      const workbook = new (await loadExcelJS()).stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
      const sheet = workbook.addWorksheet('Avis');
      sheet.addRow(EXPORT_COLUMNS).commit();
      await eachReview(db, Number(e.form_id), filters, async (row) => sheet.addRow(row).commit(), progress);
      sheet.commit();
      await workbook.commit();
    }
    const content = await result;
    const fileName = `avis-formulaire-${e.form_id}-${new Date().toISOString().slice(0, 10)}.${e.format}`;
    await db.query(
      `UPDATE feedback_exports SET status = 'done', done_rows = $2, content = $3, file_name = $4, finished_at = now() WHERE id = $1`,
      [exportId, total, content, fileName],
    );
    await queueMail(deps, {
      to: e.email,
      subject: `Votre export des avis « ${e.form_name} » est prêt`,
      text: `Bonjour,\n\nL’export des avis du formulaire « ${e.form_name} » (${total} avis) est prêt. Téléchargez-le depuis Vigie :\n${deps.config.publicUrl}/avis/exports/${exportId}\n\nLe lien demande d’être connecté.\n`,
    });
  } catch (error) {
    await db.query(`UPDATE feedback_exports SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`, [
      exportId,
      String(error).slice(0, 500),
    ]);
    throw error;
  } finally {
    clearInterval(heartbeat);
  }
}
