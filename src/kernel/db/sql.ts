import type { QueryOptions, QueryResult, Queryable } from './db.ts';

/**
 * SQL composed by a tagged template: every interpolated value becomes a parameter ($1, $2…), never text; an
 * interpolated `Sql` fragment is spliced in with its own parameters renumbered. No placeholder is counted by hand.
 *
 *   const scope = sql`p.administration_id = ANY(${ids}::bigint[])`;
 *   await run(db, sql`SELECT id FROM procedures p WHERE ${scope} AND p.title ILIKE ${pattern} ORDER BY id`);
 */
export class Sql {
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly unknown[],
  ) {}

  /** The text with `$n` placeholders and its parameters, numbered from `$1`. */
  toQuery(): { text: string; values: unknown[] } {
    const values: unknown[] = [];
    const text = this.render(values);
    return { text, values };
  }

  private render(values: unknown[]): string {
    let text = this.strings[0];
    this.values.forEach((value, i) => {
      if (value instanceof Sql) text += value.render(values);
      else {
        values.push(value);
        text += `$${values.length}`;
      }
      text += this.strings[i + 1];
    });
    return text;
  }
}

export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  return new Sql([...strings], values);
}

/** Fragments joined by a separator (`, `, ` OR `…): e.g. the conditions of a filter. */
sql.join = (fragments: readonly Sql[], separator: string): Sql => {
  if (fragments.length === 0) return new Sql([''], []);
  return new Sql(['', ...Array(fragments.length - 1).fill(separator), ''], fragments);
};

/** Trusted text (a column or table name of the code, never user input): only plain identifiers are accepted. */
sql.identifier = (name: string): Sql => {
  if (!/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/.test(name)) throw new Error(`identifiant SQL refusé : ${name}`);
  return new Sql([name], []);
};

/**
 * Text of the code spliced as is: a constant clause (`PROCEDURE_SELECT`) or one picked from a table of constants (a
 * sort order). Never a value of the request: values are interpolated, and become parameters.
 */
sql.trusted = (text: string): Sql => new Sql([text], []);

/** Runs a composed statement. */
export function run<T = Record<string, any>>(db: Queryable, statement: Sql, options?: QueryOptions): Promise<QueryResult<T>> {
  const { text, values } = statement.toQuery();
  return db.query<T>(text, values, options);
}
