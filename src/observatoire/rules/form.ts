import { COLOURS, GRAY_STATES, type Colour, type IndicatorRules, type Level, type RuleSet } from './model.ts';
import { toNumber } from './evaluate.ts';

export type RulesBody = Record<string, string | string[] | undefined>;

/**
 * The rules editor works on a draft: every field as typed (so a form in error shows what was sent), levels in the
 * order shown. `rulesFromDraft` validates it into a rule set.
 */
export interface LevelDraft {
  label: string;
  colour: string;
  goal: boolean;
  from: string;
  values: string;
}

export interface IndicatorDraft {
  kind: IndicatorRules['kind'];
  min: string;
  max: string;
  informative: boolean;
  levels: LevelDraft[];
}

export interface RulesDraft {
  indicators: Record<string, IndicatorDraft>;
  grayLabels: Record<string, string>;
}

export const MAX_LEVELS = 8;

/** Form field names: `<indicator>.<index>.<field>` for a level, `<indicator>.<field>` for the indicator. */
export const levelField = (slug: string, i: number, field: 'label' | 'colour' | 'goal' | 'from' | 'values' | 'remove') =>
  `${slug}.${i}.${field}`;
export const indicatorField = (slug: string, field: 'min' | 'max' | 'informative' | 'levels') => `${slug}.${field}`;

const text = (body: RulesBody, key: string): string => {
  const v = body[key];
  return (Array.isArray(v) ? v[0] : (v ?? '')).trim();
};

const numberText = (n: number | undefined): string => (n === undefined ? '' : String(n).replace('.', ','));
const frenchNumber = (n: number): string => String(n).replace('.', ',');

/** The draft of a stored rule set; numeric levels are listed by increasing threshold (the order the editor requires). */
export function draftFromRules(rules: Omit<RuleSet, 'version'>): RulesDraft {
  const indicators: Record<string, IndicatorDraft> = {};
  for (const [slug, r] of Object.entries(rules.indicators)) {
    const levels = r.kind === 'number' ? [...r.levels].sort((a, b) => (a.from ?? 0) - (b.from ?? 0)) : r.levels;
    indicators[slug] = {
      kind: r.kind,
      min: numberText(r.min),
      max: numberText(r.max),
      informative: r.informative === true,
      levels: levels.map((l) => ({
        label: l.label,
        colour: l.colour,
        goal: l.goal,
        from: numberText(l.from),
        values: (l.values ?? []).join(', '),
      })),
    };
  }
  return { indicators, grayLabels: { ...rules.grayLabels } };
}

/**
 * The draft sent by the form. The indicators and their kind come from the base version (the form cannot add one);
 * a level whose « Supprimer » box is ticked, or whose fields are all empty, is left out.
 */
export function draftFromBody(body: RulesBody, base: RuleSet): RulesDraft {
  const indicators: Record<string, IndicatorDraft> = {};
  for (const [slug, r] of Object.entries(base.indicators)) {
    const levels: LevelDraft[] = [];
    for (let i = 0; i < MAX_LEVELS; i++) {
      const level: LevelDraft = {
        label: text(body, levelField(slug, i, 'label')),
        colour: text(body, levelField(slug, i, 'colour')),
        goal: text(body, levelField(slug, i, 'goal')) === 'oui',
        from: r.kind === 'number' ? text(body, levelField(slug, i, 'from')) : '',
        values: r.kind === 'category' ? text(body, levelField(slug, i, 'values')) : '',
      };
      if (text(body, levelField(slug, i, 'remove')) === 'oui') continue;
      if (!level.label && !level.from && !level.values) continue;
      levels.push(level);
    }
    indicators[slug] = {
      kind: r.kind,
      min: r.kind === 'number' ? text(body, indicatorField(slug, 'min')) : '',
      max: r.kind === 'number' ? text(body, indicatorField(slug, 'max')) : '',
      informative: r.kind === 'number' && text(body, indicatorField(slug, 'informative')) === 'oui',
      levels,
    };
  }
  const grayLabels: Record<string, string> = {};
  for (const key of ['none', ...GRAY_STATES]) grayLabels[key] = text(body, `gray.${key}`);
  return { indicators, grayLabels };
}

/** Adds an empty level at the end of an indicator (up to MAX_LEVELS); false when it already has the maximum. */
export function addLevel(draft: RulesDraft, slug: string): boolean {
  const d = draft.indicators[slug];
  if (!d || d.levels.length >= MAX_LEVELS) return false;
  d.levels.push({ label: '', colour: d.kind === 'number' ? 'green' : 'gray', goal: false, from: '', values: '' });
  return true;
}

function indicatorRules(slug: string, d: IndicatorDraft, errors: Record<string, string>): IndicatorRules {
  const rules: IndicatorRules = { kind: d.kind, levels: [] };
  // Thresholds are checked against the range only when the range itself is valid (one error, not one per level).
  let rangeOk = true;
  if (d.kind === 'number') {
    for (const bound of ['min', 'max'] as const) {
      if (!d[bound]) continue;
      const n = toNumber(d[bound]);
      if (n === null)
        errors[indicatorField(slug, bound)] = 'Un nombre est attendu (par exemple 0, 100 ou 99,9), ou rien pour ne pas borner.';
      else rules[bound] = n;
    }
    if (rules.min !== undefined && rules.max !== undefined && rules.min >= rules.max) {
      errors[indicatorField(slug, 'max')] = `Le maximum doit être supérieur au minimum (${frenchNumber(rules.min)}).`;
      rangeOk = false;
    }
    if (d.informative) rules.informative = true;
  }
  const covered = new Map<string, number>();
  let previous: number | null = null;
  d.levels.forEach((l, i) => {
    if (!l.label) errors[levelField(slug, i, 'label')] = 'Donnez un libellé à ce niveau.';
    else if (l.label.length > 100) errors[levelField(slug, i, 'label')] = '100 caractères au maximum.';
    if (!(COLOURS as readonly string[]).includes(l.colour)) errors[levelField(slug, i, 'colour')] = 'Choisissez une couleur.';
    const level: Level = { label: l.label, colour: l.colour as Colour, goal: l.goal };
    if (d.kind === 'number') {
      const key = levelField(slug, i, 'from');
      const n = toNumber(l.from);
      if (!l.from) errors[key] = 'Indiquez le seuil à partir duquel ce niveau s’applique.';
      else if (n === null) errors[key] = 'Un seuil numérique est attendu (par exemple 8 ou 98,5).';
      else {
        level.from = n;
        if (rangeOk && ((rules.min !== undefined && n < rules.min) || (rules.max !== undefined && n > rules.max))) {
          errors[key] =
            `Le seuil doit être dans les bornes de l’indicateur (${rules.min === undefined ? 'pas de minimum' : `de ${frenchNumber(rules.min)}`} ${rules.max === undefined ? 'sans maximum' : `à ${frenchNumber(rules.max)}`}).`;
        } else if (previous !== null && n <= previous) {
          errors[key] =
            `Les seuils doivent être strictement croissants : celui-ci doit être supérieur à ${frenchNumber(previous)} (niveau précédent).`;
        }
        previous = n;
      }
    } else {
      const key = levelField(slug, i, 'values');
      const list = [
        ...new Set(
          l.values
            .split(',')
            .map((v) => v.trim())
            .filter(Boolean),
        ),
      ];
      const taken = list.filter((v) => covered.has(v));
      if (list.length === 0) errors[key] = 'Indiquez au moins une valeur, séparées par des virgules.';
      else if (taken.length)
        errors[key] =
          `${taken.map((v) => `« ${v} »`).join(', ')} ${taken.length > 1 ? 'sont déjà couvertes' : 'est déjà couverte'} par le niveau ${covered.get(taken[0])! + 1} : une valeur ne peut appartenir qu’à un niveau.`;
      for (const v of list) if (!covered.has(v)) covered.set(v, i);
      level.values = list;
    }
    rules.levels.push(level);
  });
  if (d.levels.length > MAX_LEVELS) errors[indicatorField(slug, 'levels')] = `${MAX_LEVELS} niveaux au maximum.`;
  if (d.levels.length === 0 && !rules.informative) {
    errors[indicatorField(slug, 'levels')] =
      d.kind === 'number'
        ? 'Cet indicateur doit garder au moins un niveau, ou être déclaré informatif.'
        : 'Cet indicateur doit garder au moins un niveau.';
  }
  return rules;
}

/** Validates a draft; returns the rule set and French errors keyed by field name (nothing may be saved if any). */
export function rulesFromDraft(draft: RulesDraft): { rules: Omit<RuleSet, 'version'>; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const indicators: Record<string, IndicatorRules> = {};
  for (const [slug, d] of Object.entries(draft.indicators)) indicators[slug] = indicatorRules(slug, d, errors);
  const grayLabels = {} as RuleSet['grayLabels'];
  for (const key of ['none', ...GRAY_STATES] as const) {
    const v = draft.grayLabels[key] ?? '';
    if (!v) errors[`gray.${key}`] = 'Ce libellé est obligatoire.';
    grayLabels[key] = v;
  }
  return { rules: { grayLabels, indicators }, errors };
}
