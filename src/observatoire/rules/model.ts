/**
 * Level rules as data: a rule set (one version) says, for each indicator, how a raw value becomes a level
 * (label, colour, goal reached). Published editions copy the result, so a later version never changes them.
 */
export const COLOURS = ['green', 'yellow', 'red', 'blue', 'gray'] as const;
export type Colour = (typeof COLOURS)[number];

export const COLOUR_LABELS: Record<Colour, string> = {
  green: 'Vert',
  yellow: 'Jaune',
  red: 'Rouge',
  blue: 'Bleu',
  gray: 'Gris (non mesuré)',
};

/** Raw values that are not measures: each has a gray label of its own. */
export const GRAY_STATES = ['a_venir', 'avis_insuffisants', 'non_applicable'] as const;
export type GrayState = (typeof GRAY_STATES)[number];

export interface Level {
  label: string;
  colour: Colour;
  goal: boolean;
  /** Numeric indicators: the level applies from this value (inclusive); the highest matching `from` wins. */
  from?: number;
  /** Category indicators: the raw values this level covers. */
  values?: string[];
}

export interface IndicatorRules {
  kind: 'number' | 'category';
  /** Valid range of a numeric value; outside it the value is shown gray as out of bounds. */
  min?: number;
  max?: number;
  /** Informative indicators have no level: always gray, never counted in scores. */
  informative?: boolean;
  levels: Level[];
}

export interface RuleSet {
  version: number;
  indicators: Record<string, IndicatorRules>;
  grayLabels: Record<GrayState | 'none', string>;
}

export type RawValue = number | string | null;

export interface Evaluation {
  label: string;
  colour: Colour;
  /** null when the value is not measured (gray): excluded from scores. */
  goal: boolean | null;
  /** Key used to sort a column: the number itself, or the level's rank for categories (higher is better); null for gray. */
  sortValue: number | null;
}
