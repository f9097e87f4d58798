import { readFileSync } from 'node:fs';

/**
 * Automatic moderation before a story reaches the moderators: the lexicons of data/lexicon.json (insults and threats
 * hold a story; accessibility words mark it for the shorter delay), and near-duplicate detection by character
 * trigrams (Jaccard similarity), computed here in TypeScript: pg_trgm is not available on PGlite.
 */
interface Lexicon {
  insults: string[];
  threats: string[];
  accessibility: string[];
}

const LEXICON: Lexicon = JSON.parse(readFileSync(new URL('./data/lexicon.json', import.meta.url), 'utf8'));

/** Lower case, accents removed, every run of non-letters and non-digits one space: « L’écran ! » → « l ecran ». */
export function normalize(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

interface Entry {
  words: string[];
  prefix: boolean;
  text: string;
}

function compile(list: string[]): Entry[] {
  return list.map((raw) => {
    const prefix = raw.endsWith('*');
    const text = prefix ? raw.slice(0, -1) : raw;
    return { words: normalize(text).split(' '), prefix, text: raw };
  });
}

const INSULTS = compile([...LEXICON.insults]);
const THREATS = compile([...LEXICON.threats]);
const ACCESSIBILITY = compile([...LEXICON.accessibility]);

/** The entries of `entries` found in `text`: consecutive words, the last one as a prefix when the entry ends with *. */
function find(text: string, entries: Entry[]): string[] {
  const words = normalize(text).split(' ');
  const found: string[] = [];
  for (const entry of entries) {
    const n = entry.words.length;
    for (let i = 0; i + n <= words.length; i++) {
      let ok = true;
      for (let j = 0; j < n && ok; j++) {
        const w = words[i + j];
        const e = entry.words[j];
        ok = j === n - 1 && entry.prefix ? w.startsWith(e) : w === e;
      }
      if (ok) {
        found.push(entry.text.replace(/\*$/, ''));
        break;
      }
    }
  }
  return found;
}

export interface LexiconMatch {
  insults: string[];
  threats: string[];
}

/** Insults and threats of the story: any of them holds it for a moderator. */
export function offensiveWords(text: string): LexiconMatch {
  return { insults: find(text, INSULTS), threats: find(text, THREATS) };
}

/** Words saying the story is about accessibility (a disability, a screen reader, a blocked keyboard…). */
export function accessibilityWords(text: string): string[] {
  return find(text, ACCESSIBILITY);
}

/** The set of character trigrams of the normalised text (with a space around it, so short words count). */
export function trigrams(text: string): Set<string> {
  const t = ` ${normalize(text)} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= t.length; i++) out.add(t.slice(i, i + 3));
  return out;
}

/** Jaccard similarity of two trigram sets: |A ∩ B| / |A ∪ B|, 1 for identical texts, 0 for nothing in common. */
export function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let common = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const g of small) if (large.has(g)) common++;
  return common / (a.size + b.size - common);
}

/** From this similarity on, a story is a near duplicate of an earlier one. */
export const DUPLICATE_THRESHOLD = 0.8;

/** The most similar earlier story, when at least DUPLICATE_THRESHOLD alike. */
export function nearestDuplicate(text: string, earlier: { id: number; body: string }[]): { id: number; similarity: number } | null {
  const mine = trigrams(text);
  let best: { id: number; similarity: number } | null = null;
  for (const e of earlier) {
    const s = similarity(mine, trigrams(e.body));
    if (s >= DUPLICATE_THRESHOLD && (!best || s > best.similarity)) best = { id: e.id, similarity: s };
  }
  return best;
}
