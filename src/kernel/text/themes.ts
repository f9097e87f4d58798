import { seededRandom } from '../random.ts';
import { terms } from './french.ts';

/**
 * Themes of a set of short French texts (verbatims, stories), without any downloaded model: each text becomes a TF-IDF
 * vector of word stems (./french.ts), the vectors are grouped by spherical k-means (cosine similarity; k-means++ seeds
 * from a fixed pseudo-random sequence, so the same texts always give the same themes; themes whose centres are alike are
 * merged), and each theme is labelled by
 * the terms that set it apart (their weight in the theme minus their weight in all texts) and by its most frequent
 * two-word phrases. Texts are sparse (a dozen terms each), so the vectors stay sparse: a dense matrix library would hold
 * 50 000 × 2 000 numbers for what is 50 000 × 12 here.
 */
export interface ThemeText {
  id: number;
  text: string;
  /** Month of the text, `YYYY-MM`, for the counts over time. */
  month: string;
}

export interface Theme {
  /** The terms that set the theme apart, most telling first (their most frequent written form). */
  terms: string[];
  phrases: string[];
  size: number;
  /** Ids of the texts of the theme, closest to the theme's centre first. */
  ids: number[];
  byMonth: { month: string; count: number }[];
}

export interface ThemesResult {
  themes: Theme[];
  /** Texts with no term shared with another text (too short, or only stop words): in no theme. */
  unthemed: number;
  texts: number;
}

export interface ThemeOptions {
  /** Number of themes at most (fewer when there are few texts). */
  maxThemes?: number;
  /** Terms kept: those in at least this many texts… */
  minTextsPerTerm?: number;
  /** …and the most common ones up to this many. */
  maxTerms?: number;
}

type SparseVector = { terms: Int32Array; weights: Float64Array };

/** Centres more alike than this (cosine similarity) are one theme. */
export const MERGE_SIMILARITY = 0.5;

function dot(v: SparseVector, centre: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.terms.length; i++) s += v.weights[i] * centre[v.terms[i]];
  return s;
}

/** The number of themes for `n` texts: the rule of thumb √(n/2), at least 2, at most `max`. */
export function themeCount(n: number, max: number): number {
  return Math.max(2, Math.min(max, Math.round(Math.sqrt(n / 2))));
}

export function findThemes(input: ThemeText[], options: ThemeOptions = {}): ThemesResult {
  const maxThemes = options.maxThemes ?? 8;
  const texts = [...input].sort((a, b) => a.id - b.id);
  const parsed = texts.map((t) => terms(t.text));
  const tokenised = parsed.map((list) => list.map((t) => t.word));
  const stemmed = parsed.map((list) => list.map((t) => t.stem));

  // Vocabulary: stems found in enough texts (and in at most half of them), the most common first.
  const df = new Map<string, number>();
  for (const list of stemmed) for (const s of new Set(list)) df.set(s, (df.get(s) ?? 0) + 1);
  const minDf = options.minTextsPerTerm ?? Math.max(2, Math.ceil(texts.length * 0.002));
  const vocabulary = [...df]
    .filter(([, n]) => n >= minDf && n <= Math.max(minDf, texts.length * 0.5))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.maxTerms ?? 3000)
    .map(([s]) => s);
  const index = new Map(vocabulary.map((s, i) => [s, i]));
  const idf = vocabulary.map((s) => Math.log(texts.length / df.get(s)!) + 1);

  // The written form shown for each stem: its most frequent one.
  const forms = new Map<string, Map<string, number>>();
  tokenised.forEach((list, k) => {
    list.forEach((w, j) => {
      const s = stemmed[k][j];
      if (!index.has(s)) return;
      const m = forms.get(s) ?? new Map<string, number>();
      m.set(w, (m.get(w) ?? 0) + 1);
      forms.set(s, m);
    });
  });
  const formOf = (s: string) => [...forms.get(s)!].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];

  const vectors: (SparseVector | null)[] = stemmed.map((list) => {
    const tf = new Map<number, number>();
    for (const s of list) {
      const i = index.get(s);
      if (i !== undefined) tf.set(i, (tf.get(i) ?? 0) + 1);
    }
    if (tf.size === 0) return null;
    const terms = Int32Array.from(tf.keys());
    const weights = Float64Array.from(terms, (i) => (1 + Math.log(tf.get(i)!)) * idf[i]);
    const norm = Math.hypot(...weights);
    for (let i = 0; i < weights.length; i++) weights[i] /= norm;
    return { terms, weights };
  });
  const usable = vectors.map((v, k) => (v ? k : -1)).filter((k) => k >= 0);
  const unthemed = texts.length - usable.length;
  if (usable.length < 4) return { themes: [], unthemed: texts.length, texts: texts.length };

  const k = themeCount(usable.length, maxThemes);
  const dims = vocabulary.length;
  const random = seededRandom(20261203);

  // k-means++ seeding on cosine distance (1 − similarity).
  const centres: Float64Array[] = [];
  const addCentre = (v: SparseVector) => {
    const c = new Float64Array(dims);
    for (let i = 0; i < v.terms.length; i++) c[v.terms[i]] = v.weights[i];
    centres.push(c);
  };
  addCentre(vectors[usable[Math.floor(random() * usable.length)]]!);
  const nearest = new Float64Array(usable.length).fill(Infinity);
  while (centres.length < k) {
    const last = centres[centres.length - 1];
    let total = 0;
    usable.forEach((doc, j) => {
      const d = Math.max(0, 1 - dot(vectors[doc]!, last));
      if (d < nearest[j]) nearest[j] = d;
      total += nearest[j] * nearest[j];
    });
    if (total === 0) break;
    let r = random() * total;
    let pick = usable.length - 1;
    for (let j = 0; j < usable.length; j++) {
      r -= nearest[j] * nearest[j];
      if (r <= 0) {
        pick = j;
        break;
      }
    }
    addCentre(vectors[usable[pick]]!);
  }

  // Lloyd iterations: assign each text to its most similar centre, recompute centres as normalised means.
  const assignment = new Int32Array(usable.length).fill(-1);
  const lloyd = () => {
    assignment.fill(-1);
    for (let iteration = 0; iteration < 30; iteration++) {
      let moved = 0;
      usable.forEach((doc, j) => {
        let best = 0;
        let bestSim = -Infinity;
        centres.forEach((c, ci) => {
          const sim = dot(vectors[doc]!, c);
          if (sim > bestSim) [best, bestSim] = [ci, sim];
        });
        if (assignment[j] !== best) moved++;
        assignment[j] = best;
      });
      for (const c of centres) c.fill(0);
      usable.forEach((doc, j) => {
        const v = vectors[doc]!;
        const c = centres[assignment[j]];
        for (let i = 0; i < v.terms.length; i++) c[v.terms[i]] += v.weights[i];
      });
      for (const c of centres) {
        const norm = Math.hypot(...c);
        if (norm > 0) for (let i = 0; i < dims; i++) c[i] /= norm;
      }
      if (moved === 0) break;
    }
  };
  lloyd();
  // Two themes whose centres are alike (cosine above MERGE_SIMILARITY) would show the same words: keep one, group again.
  for (;;) {
    let pair: [number, number] | null = null;
    let most = MERGE_SIMILARITY;
    for (let a = 0; a < centres.length; a++) {
      for (let b = a + 1; b < centres.length; b++) {
        let sim = 0;
        for (let i = 0; i < dims; i++) sim += centres[a][i] * centres[b][i];
        if (sim > most) [pair, most] = [[a, b], sim];
      }
    }
    if (!pair || centres.length <= 2) break;
    const [a, b] = pair;
    for (let i = 0; i < dims; i++) centres[a][i] += centres[b][i];
    centres.splice(b, 1);
    lloyd();
  }

  // Overall mean weight of each term, to find what sets a theme apart.
  const overall = new Float64Array(dims);
  for (const doc of usable) {
    const v = vectors[doc]!;
    for (let i = 0; i < v.terms.length; i++) overall[v.terms[i]] += v.weights[i] / usable.length;
  }

  const themes: Theme[] = centres
    .map((centre, ci) => {
      const members = usable.filter((_, j) => assignment[j] === ci);
      if (members.length === 0) return null;
      const mean = new Float64Array(dims);
      for (const doc of members) {
        const v = vectors[doc]!;
        for (let i = 0; i < v.terms.length; i++) mean[v.terms[i]] += v.weights[i] / members.length;
      }
      const telling = [...mean.keys()]
        .filter((i) => mean[i] > overall[i])
        .sort((a, b) => mean[b] - overall[b] - (mean[a] - overall[a]) || a - b)
        .slice(0, 5);
      const tellingStems = new Set(telling.map((i) => vocabulary[i]));
      const phraseCounts = new Map<string, number>();
      for (const doc of members) {
        const seen = new Set<string>();
        const list = tokenised[doc];
        for (let j = 0; j + 1 < list.length; j++) {
          if (!tellingStems.has(stemmed[doc][j]) && !tellingStems.has(stemmed[doc][j + 1])) continue;
          seen.add(`${list[j]} ${list[j + 1]}`);
        }
        for (const p of seen) phraseCounts.set(p, (phraseCounts.get(p) ?? 0) + 1);
      }
      const phrases = [...phraseCounts]
        .filter(([, n]) => n >= 2)
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, 3)
        .map(([p]) => p);
      const ordered = members
        .map((doc) => ({ doc, sim: dot(vectors[doc]!, centre) }))
        .sort((a, b) => b.sim - a.sim || texts[a.doc].id - texts[b.doc].id);
      const months = new Map<string, number>();
      for (const doc of members) months.set(texts[doc].month, (months.get(texts[doc].month) ?? 0) + 1);
      return {
        terms: telling.map((i) => formOf(vocabulary[i])),
        phrases,
        size: members.length,
        ids: ordered.map((o) => texts[o.doc].id),
        byMonth: [...months].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([month, count]) => ({ month, count })),
      };
    })
    .filter((t): t is Theme => t !== null);
  themes.sort((a, b) => b.size - a.size || (a.terms[0] < b.terms[0] ? -1 : 1));
  return { themes, unthemed, texts: texts.length };
}
