import { GRAY_STATES, type Evaluation, type GrayState, type RawValue, type RuleSet } from './model.ts';

const OUT_OF_BOUNDS = 'Valeur hors bornes';
const UNKNOWN = 'Valeur inconnue';
const INFORMATIVE = 'Informatif';

function gray(label: string): Evaluation {
  return { label, colour: 'gray', goal: null, sortValue: null };
}

export function isGrayState(value: unknown): value is GrayState {
  return typeof value === 'string' && (GRAY_STATES as readonly string[]).includes(value);
}

/** A raw value as a number when it is one (imports and forms give strings such as « 8,5 »). */
export function toNumber(value: RawValue): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim().replace(/\s/g, '').replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(text)) return null;
  return Number(text);
}

/**
 * The one function that turns a raw value into its level, used by every page, export and API.
 * An unknown indicator, no value, a gray state, an out-of-range number or an unknown category give a gray level.
 */
export function evaluate(rules: RuleSet, indicator: string, value: RawValue): Evaluation {
  const r = rules.indicators[indicator];
  if (value === null || value === undefined || value === '') return gray(rules.grayLabels.none);
  if (isGrayState(value)) return gray(rules.grayLabels[value]);
  if (!r) return gray(UNKNOWN);
  if (r.kind === 'category') {
    const text = String(value);
    const index = r.levels.findIndex((l) => l.values?.includes(text));
    if (index < 0) return gray(UNKNOWN);
    const level = r.levels[index];
    if (level.colour === 'gray') return gray(level.label);
    return { label: level.label, colour: level.colour, goal: level.goal, sortValue: r.levels.length - index };
  }
  const n = toNumber(value);
  if (n === null) return gray(UNKNOWN);
  if ((r.min !== undefined && n < r.min) || (r.max !== undefined && n > r.max)) return gray(OUT_OF_BOUNDS);
  if (r.informative) return { label: INFORMATIVE, colour: 'gray', goal: null, sortValue: n };
  let best: (typeof r.levels)[number] | null = null;
  for (const level of r.levels) {
    if (level.from === undefined || n < level.from) continue;
    if (!best || level.from > best.from!) best = level;
  }
  if (!best) return gray(OUT_OF_BOUNDS);
  if (best.colour === 'gray') return { label: best.label, colour: 'gray', goal: null, sortValue: n };
  return { label: best.label, colour: best.colour, goal: best.goal, sortValue: n };
}
