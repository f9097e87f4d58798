/** Text tools for verbatims: unaccented matching with highlights, and the most frequent words and phrases. */

/** Lower case without diacritics, one output character per input character (so that positions map back). */
function foldChars(text: string): string[] {
  return [...text].map((c) => {
    const folded = c.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    return folded.length === 1 ? folded : c.toLowerCase();
  });
}

export function fold(text: string): string {
  return foldChars(text).join('');
}

/** Splits text into parts, `match: true` where the (unaccented, case-insensitive) query is found. */
export function highlight(text: string, query: string): { text: string; match: boolean }[] {
  const chars = [...text];
  const q = fold(query.trim());
  if (!q) return [{ text, match: false }];
  const folded = foldChars(text);
  const qLen = [...q].length;
  const parts: { text: string; match: boolean }[] = [];
  let last = 0;
  for (let i = 0; i + qLen <= folded.length; ) {
    if (folded.slice(i, i + qLen).join('') === q) {
      if (i > last) parts.push({ text: chars.slice(last, i).join(''), match: false });
      parts.push({ text: chars.slice(i, i + qLen).join(''), match: true });
      i += qLen;
      last = i;
    } else i++;
  }
  if (last < chars.length) parts.push({ text: chars.slice(last).join(''), match: false });
  return parts;
}

const STOP_WORDS = new Set(
  `a au aux avec ce ces cet cette dans de des du elle elles en et eu il ils je j la le les leur leurs lui ma mais me meme mes moi mon
  ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d l m n s t y
  ete etre avoir ai as avons avez ont est sont suis es etes etait etais fait faire plus tres tout tous toute toutes bien si aussi
  comme donc car ni or sans sous entre vers chez alors deja encore ca cela ceci celui celle ceux dont ou quand comment pourquoi
  ya avait avaient sera serait peu beaucoup trop rien non oui merci`
    .split(/\s+/)
    .filter(Boolean),
);

function words(text: string): string[] {
  return fold(text)
    .replace(/\[[^\]]*\]/g, ' ') // masked items
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1 && !STOP_WORDS.has(w) && !/^\d+$/.test(w));
}

/** The most frequent words and two-word phrases, French stop words removed. */
export function frequentTerms(texts: string[], limit = 15): { words: [string, number][]; phrases: [string, number][] } {
  const w = new Map<string, number>();
  const p = new Map<string, number>();
  for (const text of texts) {
    const list = words(text);
    for (const word of new Set(list)) w.set(word, (w.get(word) ?? 0) + 1);
    const pairs = new Set<string>();
    for (let i = 0; i + 1 < list.length; i++) pairs.add(`${list[i]} ${list[i + 1]}`);
    for (const pair of pairs) p.set(pair, (p.get(pair) ?? 0) + 1);
  }
  const top = (m: Map<string, number>, min: number) =>
    [...m]
      .filter(([, n]) => n >= min)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, limit);
  return { words: top(w, 1), phrases: top(p, 2) };
}
