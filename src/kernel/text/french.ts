import { NormalizerFr, StemmerFr, StopwordsFr, TokenizerFr } from '@nlpjs/lang-fr';

/**
 * French words of a free text, for grouping texts by theme: lower case without accents (NLP.js's normaliser), split into
 * words (its tokeniser), French stop words removed (its list and ours: words of every review, such as « merci »),
 * personal data masked by the feedback module (« [courriel masqué] ») left out, and each word's stem (NLP.js's Snowball
 * stemmer) so that « démarches » and « démarche », « payer » and « paiement » count as one term.
 */
const normalizer = new NormalizerFr();
const tokenizer = new TokenizerFr();
const stopwords = new StopwordsFr();
const stemmer = new StemmerFr();

const EXTRA_STOP_WORDS = new Set(
  `a au aux avec ce ces cet cette dans de des du elle elles en et eu il ils je j la le les leur leurs lui ma mais me meme mes moi mon
  ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d l m n s t y
  ete etre avoir ai as avons avez ont est sont suis es etes etait etais etaient fait faire plus tres tout tous toute toutes bien si
  aussi comme donc car ni or sans sous entre vers chez alors deja encore ca cela ceci celui celle ceux dont quand comment pourquoi
  ya avait avaient sera serait peu beaucoup trop rien non oui merci bonjour cordialement svp`
    .split(/\s+/)
    .filter(Boolean),
);

export interface Term {
  /** The word without accents, in lower case (as shown in labels). */
  word: string;
  /** Its stem, without accents: the stemmer reads the accented word (« refusée » and « refusé » → « refus »). */
  stem: string;
}

const cache = new Map<string, Term | null>();
const CACHE_LIMIT = 200_000;

function term(token: string): Term | null {
  let t = cache.get(token);
  if (t === undefined) {
    const word = normalizer.normalize(token);
    t =
      word.length > 1 && !/^\d+$/.test(word) && !EXTRA_STOP_WORDS.has(word) && !stopwords.isStopword(word)
        ? { word, stem: normalizer.normalize(stemmer.stemWord(token)) }
        : null;
    if (cache.size < CACHE_LIMIT) cache.set(token, t);
  }
  return t;
}

/** The meaningful words of a text with their stems, in their order. */
export function terms(text: string): Term[] {
  const tokens = tokenizer.tokenize(text.replace(/\[[^\]]*\]/g, ' ').toLowerCase(), false);
  return tokens.map(term).filter((t): t is Term => t !== null);
}

/** The meaningful words of a text, without accents, in lower case, in their order. */
export function words(text: string): string[] {
  return terms(text).map((t) => t.word);
}
