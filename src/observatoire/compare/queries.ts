import type { Queryable } from '../../kernel/db/db.ts';

/** Level strength used to tell « up » from « down »: goal colours above yellow above red; gray is not compared. */
const STRENGTH = `CASE %s WHEN 'green' THEN 3 WHEN 'blue' THEN 3 WHEN 'yellow' THEN 2 WHEN 'red' THEN 1 END`;
const strength = (col: string) => STRENGTH.replace('%s', col);

export interface MoveCounts {
  indicator: string;
  up: number;
  down: number;
  same: number;
  /** Present in both editions but gray in one of them. */
  notComparable: number;
}

const JOIN = `FROM obs_edition_values a
  JOIN obs_edition_procedures pa ON pa.edition_id = a.edition_id AND pa.procedure_id = a.procedure_id
  JOIN obs_edition_procedures pb ON pb.edition_id = $2 AND pb.stable_id = pa.stable_id
  JOIN obs_edition_values b ON b.edition_id = pb.edition_id AND b.procedure_id = pb.procedure_id AND b.indicator = a.indicator
 WHERE a.edition_id = $1`;

/** Per indicator, how many procedures (matched by stable id) moved up, down or stayed, from edition `from` to `to`. */
export async function moveCounts(db: Queryable, from: number, to: number): Promise<Map<string, MoveCounts>> {
  const { rows } = await db.query(
    `SELECT a.indicator,
            count(*) FILTER (WHERE ${strength('b.colour')} > ${strength('a.colour')}) AS up,
            count(*) FILTER (WHERE ${strength('b.colour')} < ${strength('a.colour')}) AS down,
            count(*) FILTER (WHERE ${strength('b.colour')} = ${strength('a.colour')}) AS same,
            count(*) FILTER (WHERE ${strength('b.colour')} IS NULL OR ${strength('a.colour')} IS NULL) AS not_comparable
       ${JOIN} GROUP BY a.indicator`,
    [from, to],
  );
  return new Map(
    rows.map((r) => [
      r.indicator,
      { indicator: r.indicator, up: Number(r.up), down: Number(r.down), same: Number(r.same), notComparable: Number(r.not_comparable) },
    ]),
  );
}

export interface Move {
  stableId: string;
  title: string;
  before: string;
  after: string;
  direction: 'up' | 'down';
}

/** The procedures whose level of one indicator changed between the two editions. */
export async function moves(db: Queryable, from: number, to: number, indicator: string): Promise<Move[]> {
  const { rows } = await db.query(
    `SELECT pb.stable_id, pb.title, a.label AS before, b.label AS after,
            CASE WHEN ${strength('b.colour')} > ${strength('a.colour')} THEN 'up' ELSE 'down' END AS direction
       ${JOIN} AND a.indicator = $3 AND ${strength('b.colour')} <> ${strength('a.colour')}
      ORDER BY direction DESC, pb.title`,
    [from, to, indicator],
  );
  return rows.map((r) => ({ stableId: r.stable_id, title: r.title, before: r.before, after: r.after, direction: r.direction }));
}
