import type { Queryable } from '../../kernel/db/db.ts';
import { EDITION_COLUMNS, toEdition, type Edition } from '../editions/drafts.ts';
import type { TableQuery } from '../table/filters.ts';
import { viewSql } from '../table/query.ts';

/** Characters JavaScript's `\s` matches (what toNumber strips), spelled out: PostgreSQL's classes depend on the locale. */
const JS_SPACES = '[\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]';

/**
 * The JSON text of one cell's value, as `rawOut` + JSON.stringify would write it, and whether SQL could write it:
 * a numeric value is written by SQL only when its decimal form is what JavaScript prints (at most 15 significant
 * digits, between 1e-6 and 1e21); any other number makes the caller fall back to the JavaScript serialisation.
 */
const CELL_VALUE = `
  LEFT JOIN LATERAL (SELECT regexp_replace(regexp_replace(v.raw_value, '${JS_SPACES}', '', 'g'), ',', '.') AS t) n
         ON i.unit IS DISTINCT FROM 'category'
  LEFT JOIN LATERAL (SELECT CASE WHEN left(n.t, 1) = '-' THEN '-' ELSE '' END AS sign, ltrim(split_part(ltrim(n.t, '-'), '.', 1), '0') AS ip,
                            rtrim(split_part(n.t, '.', 2), '0') AS fp) d
         ON n.t ~ '^-?[0-9]+(\\.[0-9]+)?$'`;
// (regexp_match with capture groups costs ~80 µs a cell on PostgreSQL 16; a plain match and split_part, ~2 µs.)

const VALUE_TEXT = `CASE WHEN v.raw_value IS NULL THEN 'null'
       WHEN d.ip IS NULL THEN to_json(v.raw_value)::text
       WHEN d.ip = '' AND d.fp = '' THEN '0'
       ELSE d.sign || coalesce(nullif(d.ip, ''), '0') || CASE WHEN d.fp <> '' THEN '.' || d.fp ELSE '' END END`;

const VALUE_SIMPLE = `(d.ip IS NULL OR (d.ip = '' AND d.fp = '')
       OR (length(rtrim(ltrim(d.ip || d.fp, '0'), '0')) <= 15 AND length(d.ip) <= 21
           AND (d.ip <> '' OR length(d.fp) - length(ltrim(d.fp, '0')) <= 5)))`;

export interface ProceduresPageText {
  edition: Edition;
  /** null when the page is empty: the caller counts the view itself. */
  total: number | null;
  /** The items of the page, already serialised (JSON array content); null when one value needs JavaScript. */
  itemsJson: string | null;
}

/**
 * The edition (`null`: the latest published one) and one page of its view in a single query, each row serialised by
 * PostgreSQL into the JSON text `rowOut` gives (same keys, same order, same values). null when there is no such edition.
 */
export async function proceduresPageText(db: Queryable, editionId: number | null, q: TableQuery): Promise<ProceduresPageText | null> {
  const { from, where, order, params } = viewSql(editionId, q, '(SELECT id FROM e)');
  params.push(q.perPage, (q.page - 1) * q.perPage);
  const { rows } = await db.query(
    `WITH e AS (SELECT ${EDITION_COLUMNS} FROM obs_editions WHERE status = 'published' AND ($1::bigint IS NULL OR id = $1::bigint)
                 ORDER BY published_at DESC, id DESC LIMIT 1),
          page AS (SELECT ep.*, count(*) OVER () AS total, row_number() OVER (ORDER BY ${order}) AS position
                     FROM ${from} WHERE ${where} ORDER BY position
                    LIMIT $${params.length - 1} OFFSET $${params.length}),
          items AS (
            SELECT page.position, page.total, cells.simple,
                   '{"stableId":' || to_json(page.stable_id)::text || ',"title":' || to_json(page.title)::text
                   || ',"url":' || coalesce(to_json(page.url)::text, 'null')
                   || ',"ministry":{"id":' || page.ministry_id || ',"name":' || to_json(page.ministry_name)::text
                   || '},"administration":{"id":' || page.administration_id || ',"name":' || to_json(page.administration_name)::text
                   || '},"userCategories":' || array_to_json(coalesce(page.user_categories, '{}'))::text
                   || ',"indicators":{' || coalesce(cells.json, '') || '}}' AS json
              FROM page CROSS JOIN LATERAL (
                SELECT string_agg(to_json(i.slug)::text || ':' || CASE WHEN v.indicator IS NULL THEN 'null' ELSE
                         '{"value":' || ${VALUE_TEXT} || ',"label":' || to_json(v.label)::text || ',"colour":' || to_json(v.colour)::text
                         || ',"goalReached":' || coalesce(v.goal::text, 'null') || '}' END, ',' ORDER BY i.position) AS json,
                       bool_and(v.indicator IS NULL OR ${VALUE_SIMPLE}) AS simple
                  FROM obs_indicators i
                  LEFT JOIN obs_edition_values v ON v.edition_id = page.edition_id AND v.procedure_id = page.procedure_id AND v.indicator = i.slug
                  ${CELL_VALUE}) cells)
     SELECT e.*, (SELECT max(total) FROM items) AS total, (SELECT bool_and(simple) FROM items) AS simple,
            (SELECT string_agg(json, ',' ORDER BY position) FROM items) AS items
       FROM e`,
    params,
  );
  if (!rows[0]) return null;
  const r = rows[0];
  return {
    edition: toEdition(r),
    total: r.total === null ? null : Number(r.total),
    itemsJson: r.simple === false ? null : (r.items ?? ''),
  };
}
