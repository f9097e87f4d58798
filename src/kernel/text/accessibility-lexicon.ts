import { readFileSync } from 'node:fs';
import { words } from './french.ts';

/**
 * Does a text speak of accessibility (a disability, assistive technology, a blocked keyboard…)? A French lexicon of
 * single words and of phrases, matched on normalised words (no accents, any case), so that « lecteur d'écran » and
 * « LECTEUR D’ECRAN » both match. The lexicon is data: ./accessibility-lexicon.fr.txt, one entry per line.
 */
const ENTRIES = readFileSync(new URL('./accessibility-lexicon.fr.txt', import.meta.url), 'utf8')
  .split('\n')
  .map((line) => line.replace(/#.*/, '').trim())
  .filter(Boolean)
  .map((entry) => words(entry));

const SINGLE = new Set(ENTRIES.filter((e) => e.length === 1).map((e) => e[0]));
const PHRASES = ENTRIES.filter((e) => e.length > 1).map((e) => ` ${e.join(' ')} `);

export function speaksOfAccessibility(text: string): boolean {
  const list = words(text);
  if (list.some((w) => SINGLE.has(w))) return true;
  const joined = ` ${list.join(' ')} `;
  return PHRASES.some((p) => joined.includes(p));
}
