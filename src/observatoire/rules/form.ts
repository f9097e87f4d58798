import { COLOURS, GRAY_STATES, type Colour, type IndicatorRules, type Level, type RuleSet } from './model.ts';
import { toNumber } from './evaluate.ts';

export type RulesBody = Record<string, string | string[] | undefined>;

const text = (body: RulesBody, key: string): string => {
  const v = body[key];
  return (Array.isArray(v) ? v[0] : v ?? '').trim();
};

/** Form field names of a level: `<indicator>.<index>.<field>`. */
export const levelField = (slug: string, i: number, field: 'label' | 'colour' | 'goal' | 'from' | 'values') => `${slug}.${i}.${field}`;
export const MAX_LEVELS = 8;

/**
 * Reads an edited rule set from the form. Empty rows are dropped; min, max and the informative flag are kept from
 * the base version (they describe the measure, not the levels). Returns French errors keyed by field name.
 */
export function rulesFromForm(body: RulesBody, base: RuleSet): { rules: Omit<RuleSet, 'version'>; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const indicators: Record<string, IndicatorRules> = {};
  for (const [slug, r] of Object.entries(base.indicators)) {
    const levels: Level[] = [];
    if (!r.informative) {
      for (let i = 0; i < MAX_LEVELS; i++) {
        const label = text(body, levelField(slug, i, 'label'));
        const from = text(body, levelField(slug, i, 'from'));
        const values = text(body, levelField(slug, i, 'values'));
        const colour = text(body, levelField(slug, i, 'colour'));
        if (!label && !from && !values) continue;
        if (!label) errors[levelField(slug, i, 'label')] = 'Donnez un libellé à ce niveau.';
        if (!(COLOURS as readonly string[]).includes(colour)) errors[levelField(slug, i, 'colour')] = 'Choisissez une couleur.';
        const level: Level = { label, colour: colour as Colour, goal: text(body, levelField(slug, i, 'goal')) === 'oui' };
        if (r.kind === 'number') {
          const n = toNumber(from);
          if (n === null) errors[levelField(slug, i, 'from')] = 'Un seuil numérique est attendu (par exemple 8 ou 98,5).';
          else if (levels.some((l) => l.from === n)) errors[levelField(slug, i, 'from')] = 'Deux niveaux ont le même seuil.';
          else level.from = n;
        } else {
          const list = values.split(',').map((v) => v.trim()).filter(Boolean);
          if (list.length === 0) errors[levelField(slug, i, 'values')] = 'Indiquez au moins une valeur, séparées par des virgules.';
          level.values = list;
        }
        levels.push(level);
      }
      if (levels.length === 0) errors[levelField(slug, 0, 'label')] = 'Cet indicateur doit garder au moins un niveau.';
    }
    indicators[slug] = { ...r, levels };
  }
  const grayLabels = { ...base.grayLabels };
  for (const key of ['none', ...GRAY_STATES] as const) {
    const v = text(body, `gray.${key}`);
    if (!v) errors[`gray.${key}`] = 'Ce libellé est obligatoire.';
    else grayLabels[key] = v;
  }
  return { rules: { grayLabels, indicators }, errors };
}
