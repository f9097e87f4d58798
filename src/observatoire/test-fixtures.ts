import type { Queryable } from '../kernel/db/db.ts';
import { draftFromRules, indicatorField, levelField } from './rules/form.ts';
import type { RuleSet } from './rules/model.ts';

/** Sets live values for an indicator: `values[i]` goes to procedure i. */
export async function setLiveValues(db: Queryable, procedureIds: number[], indicator: string, values: (string | number)[]): Promise<void> {
  await db.query(
    `INSERT INTO obs_live_values (procedure_id, indicator, value) SELECT unnest($1::bigint[]), $2, unnest($3::text[])
     ON CONFLICT (procedure_id, indicator) DO UPDATE SET value = excluded.value`,
    [procedureIds.slice(0, values.length), indicator, values.map(String)],
  );
}

/** The rules editor's form as a browser would send it for these rules (what the page shows, unchanged). */
export function rulesForm(rules: RuleSet): Record<string, string> {
  const body: Record<string, string> = {};
  for (const [slug, d] of Object.entries(draftFromRules(rules).indicators)) {
    if (d.min) body[indicatorField(slug, 'min')] = d.min;
    if (d.max) body[indicatorField(slug, 'max')] = d.max;
    if (d.informative) body[indicatorField(slug, 'informative')] = 'oui';
    d.levels.forEach((l, i) => {
      body[levelField(slug, i, 'label')] = l.label;
      body[levelField(slug, i, 'colour')] = l.colour;
      if (l.goal) body[levelField(slug, i, 'goal')] = 'oui';
      if (l.from) body[levelField(slug, i, 'from')] = l.from;
      if (l.values) body[levelField(slug, i, 'values')] = l.values;
    });
  }
  for (const [k, v] of Object.entries(rules.grayLabels)) body[`gray.${k}`] = v;
  return body;
}
